namespace VpnAppliance.Cli.Login
{
    /// <summary>
    /// Back-off and lockout for console logins. After the n-th consecutive failure the console refuses
    /// attempts for BackoffBaseMs x 2^(n-1) (at most <see cref="MaxBackoffMs"/>); after
    /// <see cref="LockoutFailures"/> consecutive failures it is locked for <see cref="LockoutMs"/>. A success
    /// resets the count. Times are monotonic milliseconds handed in by the caller.
    /// </summary>
    public sealed class LoginGuard
    {
        /// <summary>First back-off.</summary>
        public const long BackoffBaseMs = 1000;
        /// <summary>Longest back-off before the lockout.</summary>
        public const long MaxBackoffMs = 16000;
        /// <summary>Consecutive failures that lock the console.</summary>
        public const int LockoutFailures = 5;
        /// <summary>Lockout duration.</summary>
        public const long LockoutMs = 300000;

        private int _failures;
        private long _blockedUntil;

        /// <summary>Consecutive failures.</summary>
        public int Failures { get { return _failures; } }

        /// <summary>Total failures since boot.</summary>
        public long TotalFailures { get; private set; }

        /// <summary>True when no attempt is accepted at <paramref name="nowMs"/>.</summary>
        public bool Blocked(long nowMs)
        {
            return nowMs < _blockedUntil;
        }

        /// <summary>When attempts are accepted again.</summary>
        public long BlockedUntil { get { return _blockedUntil; } }

        /// <summary>True when the current block is the lockout (not a back-off).</summary>
        public bool LockedOut { get { return _failures >= LockoutFailures; } }

        /// <summary>Records a failed attempt.</summary>
        public void Failed(long nowMs)
        {
            _failures++;
            TotalFailures++;
            long wait;
            if (_failures >= LockoutFailures)
            {
                wait = LockoutMs;
            }
            else
            {
                wait = BackoffBaseMs << (_failures - 1);
                if (wait > MaxBackoffMs)
                {
                    wait = MaxBackoffMs;
                }
            }

            _blockedUntil = nowMs + wait;
        }

        /// <summary>Records a successful login.</summary>
        public void Succeeded()
        {
            _failures = 0;
            _blockedUntil = 0;
        }

        /// <summary>After a lockout has expired the count starts again.</summary>
        public void Expire(long nowMs)
        {
            if (_failures >= LockoutFailures && nowMs >= _blockedUntil)
            {
                _failures = 0;
            }
        }
    }
}
