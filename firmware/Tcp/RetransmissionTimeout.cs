namespace VpnAppliance.Tcp
{
    /// <summary>
    /// The retransmission timeout estimator of RFC 6298, in integer milliseconds:
    /// <list type="bullet">
    /// <item>§2.1 before any measurement RTO = the initial value (1 s);</item>
    /// <item>§2.2 first measurement R: SRTT = R, RTTVAR = R/2, RTO = SRTT + max(G, K*RTTVAR) with K = 4;</item>
    /// <item>§2.3 later R': RTTVAR = 3/4 RTTVAR + 1/4 |SRTT - R'|, then SRTT = 7/8 SRTT + 1/8 R';</item>
    /// <item>§2.4 RTO is raised to the minimum (1 s; tests may lower it), §2.5 capped at the maximum (60 s);</item>
    /// <item>§5.5 each expiry doubles RTO ("back off the timer"), up to the maximum;</item>
    /// <item>§5.7 after a SYN timed out and no sample exists, RTO is 3 s when data transmission starts
    /// (three times the initial RTO, so that tests with a lowered initial RTO keep the proportion).</item>
    /// </list>
    /// SRTT is kept times 8 and RTTVAR times 4 so that the gains 1/8 and 1/4 are exact shifts. Karn's
    /// algorithm (§3) is the caller's: it feeds only samples of segments that were not retransmitted.
    /// The clock granularity G is 1 ms.
    /// </summary>
    public sealed class RetransmissionTimeout
    {
        private readonly int _initialMs;
        private readonly int _minimumMs;
        private readonly int _maximumMs;
        private int _srtt8;
        private int _rttvar4;
        private bool _hasSample;
        private int _rtoMs;
        private int _backoffs;

        /// <summary>An estimator with the given initial, minimum and maximum RTO (milliseconds).</summary>
        public RetransmissionTimeout(int initialMs, int minimumMs, int maximumMs)
        {
            _initialMs = initialMs;
            _minimumMs = minimumMs;
            _maximumMs = maximumMs;
            Reset();
        }

        /// <summary>The current RTO in milliseconds (after back-off).</summary>
        public int RtoMs { get { return _rtoMs; } }

        /// <summary>Smoothed round-trip time in milliseconds (0 before the first sample).</summary>
        public int SrttMs { get { return _srtt8 >> 3; } }

        /// <summary>Round-trip time variation in milliseconds (0 before the first sample).</summary>
        public int RttvarMs { get { return _rttvar4 >> 2; } }

        /// <summary>True once a measurement was taken.</summary>
        public bool HasSample { get { return _hasSample; } }

        /// <summary>How many times RTO was doubled since the last sample.</summary>
        public int Backoffs { get { return _backoffs; } }

        /// <summary>Back to the state of a new connection (§2.1).</summary>
        public void Reset()
        {
            _srtt8 = 0;
            _rttvar4 = 0;
            _hasSample = false;
            _backoffs = 0;
            _rtoMs = Clamp(_initialMs);
        }

        /// <summary>Feeds one round-trip measurement (§2.2, §2.3); also ends any back-off.</summary>
        public void Sample(int rttMs)
        {
            if (rttMs < 0)
            {
                rttMs = 0;
            }

            if (!_hasSample)
            {
                _srtt8 = rttMs << 3;
                _rttvar4 = rttMs << 1; // R/2, times 4
                _hasSample = true;
            }
            else
            {
                int delta = (_srtt8 >> 3) - rttMs;
                if (delta < 0)
                {
                    delta = -delta;
                }

                _rttvar4 += delta - (_rttvar4 >> 2);    // RTTVAR += (|SRTT - R'| - RTTVAR) / 4
                _srtt8 += rttMs - (_srtt8 >> 3);        // SRTT += (R' - SRTT) / 8
            }

            int variance = _rttvar4; // K * RTTVAR = 4 * RTTVAR
            if (variance < 1)
            {
                variance = 1; // G
            }

            _backoffs = 0;
            _rtoMs = Clamp((_srtt8 >> 3) + variance);
        }

        /// <summary>§5.5: the retransmission timer expired; doubles RTO up to the maximum.</summary>
        public void BackOff()
        {
            _backoffs++;
            long doubled = (long)_rtoMs * 2;
            _rtoMs = doubled > _maximumMs ? _maximumMs : (int)doubled;
        }

        /// <summary>§5.7: when the SYN was retransmitted and no sample exists, data starts with RTO = 3 x initial (3 s).</summary>
        public void AfterSynRetransmission()
        {
            if (!_hasSample && _rtoMs < 3 * _initialMs)
            {
                _backoffs = 0;
                _rtoMs = Clamp(3 * _initialMs);
            }
        }

        private int Clamp(int ms)
        {
            if (ms < _minimumMs)
            {
                return _minimumMs;
            }

            return ms > _maximumMs ? _maximumMs : ms;
        }
    }
}
