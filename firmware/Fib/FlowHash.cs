namespace VpnAppliance.Fib
{
    /// <summary>
    /// 32-bit hash of a flow's 5-tuple, used to pick an ECMP member. Pure 32-bit unsigned arithmetic, so the
    /// device and the host compute the same value for the same flow. The block step and the finaliser are
    /// MurmurHash3_x86_32's (Austin Appleby, public domain: constants c1 = 0xcc9e2d51, c2 = 0x1b873593, the
    /// fmix32 avalanche 0x85ebca6b / 0xc2b2ae35); four blocks cost about 40 IL operations.
    /// </summary>
    public static class FlowHash
    {
        private const uint Seed = 0x9E3779B9u;

        /// <summary>Hash of (source, destination, protocol, source port, destination port), addresses in host order.</summary>
        public static uint Compute(uint source, uint destination, int protocol, int sourcePort, int destinationPort)
        {
            uint h = Seed;
            h = Block(h, source);
            h = Block(h, destination);
            h = Block(h, (uint)(protocol & 0xFF));
            h = Block(h, ((uint)(sourcePort & 0xFFFF) << 16) | (uint)(destinationPort & 0xFFFF));
            return Finish(h ^ 16u);
        }

        /// <summary>MurmurHash3 fmix32: every input bit affects every output bit.</summary>
        public static uint Finish(uint h)
        {
            h ^= h >> 16;
            h *= 0x85EBCA6Bu;
            h ^= h >> 13;
            h *= 0xC2B2AE35u;
            h ^= h >> 16;
            return h;
        }

        private static uint Block(uint h, uint k)
        {
            k *= 0xCC9E2D51u;
            k = (k << 15) | (k >> 17);
            k *= 0x1B873593u;
            h ^= k;
            h = (h << 13) | (h >> 19);
            return h * 5u + 0xE6546B64u;
        }
    }
}
