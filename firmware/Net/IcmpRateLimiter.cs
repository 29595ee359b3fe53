using VpnAppliance.Core;

namespace VpnAppliance.Net
{
    /// <summary>
    /// Token bucket limiting the ICMP error messages the router originates (RFC 1812 §4.3.2.8: a router MUST be
    /// able to limit the rate of ICMP error messages; a token bucket is the method it suggests). The bucket holds
    /// at most <see cref="Burst"/> tokens and gains one every <see cref="IntervalMs"/>; each error takes one.
    /// Time only comes in as nowMs; a clock that steps back is treated as no time passing.
    /// </summary>
    public sealed class IcmpRateLimiter
    {
        /// <summary>Default bucket size: a traceroute's three probes per hop and a few more pass at once.</summary>
        public const int DefaultBurst = 8;

        /// <summary>Default refill interval: 10 errors per second sustained.</summary>
        public const int DefaultIntervalMs = 100;

        private int _burst;
        private int _intervalMs;
        private int _tokens;
        private long _lastRefillMs;
        private bool _started;

        /// <summary>Creates a full bucket with the default rate.</summary>
        public IcmpRateLimiter()
        {
            Configure(DefaultBurst, DefaultIntervalMs);
        }

        /// <summary>Describes the object the constructor allocates.</summary>
        public static void Account(MemoryBudget budget)
        {
            budget.AddObject(5, 3 * 4 + 8 + 1);
        }

        /// <summary>Largest number of errors sent back to back.</summary>
        public int Burst { get { return _burst; } }

        /// <summary>Milliseconds per token.</summary>
        public int IntervalMs { get { return _intervalMs; } }

        /// <summary>Tokens in the bucket at the last <see cref="TryTake"/>.</summary>
        public int Tokens { get { return _tokens; } }

        /// <summary>Sets the rate (burst 1..65535, interval 1..3,600,000 ms; out-of-range values are clamped) and fills the bucket.</summary>
        public void Configure(int burst, int intervalMs)
        {
            _burst = burst < 1 ? 1 : (burst > 65535 ? 65535 : burst);
            _intervalMs = intervalMs < 1 ? 1 : (intervalMs > 3600000 ? 3600000 : intervalMs);
            _tokens = _burst;
            _started = false;
        }

        /// <summary>Takes a token if one is available at <paramref name="nowMs"/>; false: do not send the error.</summary>
        public bool TryTake(long nowMs)
        {
            if (!_started)
            {
                _started = true;
                _lastRefillMs = nowMs;
            }
            else if (nowMs > _lastRefillMs)
            {
                long gained = (nowMs - _lastRefillMs) / _intervalMs;
                if (gained > 0)
                {
                    long tokens = _tokens + gained;
                    _tokens = tokens > _burst ? _burst : (int)tokens;
                    _lastRefillMs = tokens >= _burst ? nowMs : _lastRefillMs + gained * _intervalMs;
                }
            }
            else if (nowMs < _lastRefillMs)
            {
                _lastRefillMs = nowMs;
            }

            if (_tokens == 0)
            {
                return false;
            }

            _tokens--;
            return true;
        }
    }
}
