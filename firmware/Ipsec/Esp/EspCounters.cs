namespace VpnAppliance.Ipsec
{
    /// <summary>
    /// Packet, byte and drop counters of one SA direction or of the whole ESP plane. Preallocated; counting
    /// allocates nothing. Bytes are inner (plaintext IPv4) bytes, the unit the lifetimes use.
    /// </summary>
    public sealed class EspCounters
    {
        /// <summary>Number of <see cref="EspDropReason"/> values (the drop array's length).</summary>
        public const int ReasonCount = 14;

        private readonly long[] _drops = new long[ReasonCount];

        /// <summary>Packets protected or accepted (delivered or dummy).</summary>
        public long Packets;

        /// <summary>Inner bytes protected or accepted.</summary>
        public long Bytes;

        /// <summary>Packets dropped for <paramref name="reason"/>.</summary>
        public long Drops(EspDropReason reason)
        {
            int i = (int)reason;
            return i > 0 && i < ReasonCount ? _drops[i] : 0;
        }

        /// <summary>All drops (dummy packets included).</summary>
        public long TotalDrops
        {
            get
            {
                long sum = 0;
                for (int i = 1; i < ReasonCount; i++)
                {
                    sum += _drops[i];
                }

                return sum;
            }
        }

        /// <summary>Counts one drop.</summary>
        public void CountDrop(EspDropReason reason)
        {
            int i = (int)reason;
            if (i > 0 && i < ReasonCount)
            {
                _drops[i]++;
            }
        }

        /// <summary>Zeroes every counter (an SA slot being reused).</summary>
        public void Reset()
        {
            Packets = 0;
            Bytes = 0;
            System.Array.Clear(_drops, 0, ReasonCount);
        }
    }
}
