namespace VpnAppliance.Ipsec
{
    /// <summary>
    /// Lifetime limits of a CHILD SA (RFC 4301 §4.4.2.1: "a soft lifetime ... to initiate action such as setting up
    /// a replacement SA, and a hard lifetime ... after which the SA MUST be deleted"). Local policy in IKEv2
    /// (RFC 7296 §2.8: lifetimes are not negotiated). Each limit applies to each direction separately; 0 means
    /// no limit. Bytes are inner (plaintext) bytes. Mutable so a caller can keep one instance and reuse it.
    /// </summary>
    public sealed class EspLifetime
    {
        /// <summary>Soft limit in milliseconds since installation: rekey requested.</summary>
        public long SoftTimeMs;
        /// <summary>Hard limit in milliseconds since installation: SA expires.</summary>
        public long HardTimeMs;
        /// <summary>Soft limit in inner bytes.</summary>
        public long SoftBytes;
        /// <summary>Hard limit in inner bytes.</summary>
        public long HardBytes;
        /// <summary>Soft limit in packets.</summary>
        public long SoftPackets;
        /// <summary>Hard limit in packets.</summary>
        public long HardPackets;

        /// <summary>Copies every limit from <paramref name="other"/> (null: no limits).</summary>
        public void CopyFrom(EspLifetime other)
        {
            if (other == null)
            {
                SoftTimeMs = HardTimeMs = SoftBytes = HardBytes = SoftPackets = HardPackets = 0;
                return;
            }

            SoftTimeMs = other.SoftTimeMs;
            HardTimeMs = other.HardTimeMs;
            SoftBytes = other.SoftBytes;
            HardBytes = other.HardBytes;
            SoftPackets = other.SoftPackets;
            HardPackets = other.HardPackets;
        }

        /// <summary>True when a soft limit is reached for the given use.</summary>
        public bool SoftReached(long ageMs, long bytes, long packets)
        {
            return Reached(SoftTimeMs, ageMs) || Reached(SoftBytes, bytes) || Reached(SoftPackets, packets);
        }

        /// <summary>True when a hard limit is reached for the given use.</summary>
        public bool HardReached(long ageMs, long bytes, long packets)
        {
            return Reached(HardTimeMs, ageMs) || Reached(HardBytes, bytes) || Reached(HardPackets, packets);
        }

        private static bool Reached(long limit, long value)
        {
            return limit > 0 && value >= limit;
        }
    }
}
