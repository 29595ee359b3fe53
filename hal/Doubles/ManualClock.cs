using System;

namespace VpnAppliance.Hal.Doubles
{
    /// <summary>
    /// A clock that moves only when the test says so. Keeps the <see cref="IClock"/> promise:
    /// time never goes backwards (a backwards <see cref="Set"/> throws, a test bug).
    /// </summary>
    public sealed class ManualClock : IClock
    {
        private long _nowMs;

        /// <summary>Creates a clock reading <paramref name="startMs"/>.</summary>
        public ManualClock(long startMs)
        {
            _nowMs = startMs;
        }

        /// <summary>Creates a clock reading 0.</summary>
        public ManualClock()
        {
        }

        /// <summary>The current test time in milliseconds.</summary>
        public long NowMs { get { return _nowMs; } }

        /// <summary>Moves the clock forward by <paramref name="deltaMs"/> (0 or more).</summary>
        public void Advance(long deltaMs)
        {
            if (deltaMs < 0)
            {
                throw new ArgumentOutOfRangeException("deltaMs");
            }

            _nowMs += deltaMs;
        }

        /// <summary>Sets the clock to <paramref name="nowMs"/>, which must not be earlier than now.</summary>
        public void Set(long nowMs)
        {
            if (nowMs < _nowMs)
            {
                throw new ArgumentOutOfRangeException("nowMs");
            }

            _nowMs = nowMs;
        }
    }
}
