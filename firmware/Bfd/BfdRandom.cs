namespace VpnAppliance.Bfd
{
    /// <summary>
    /// Xorshift32 (Marsaglia 2003) for discriminators, source ports and transmit jitter. Seeded by the caller from
    /// the entropy source (sans-IO); not cryptographic: RFC 5880 §6.8.1 only asks discriminators to be unique and
    /// §6.8.7 jitter to be random, and no authentication depends on them here.
    /// </summary>
    public sealed class BfdRandom
    {
        private uint _state;

        /// <summary>A generator from <paramref name="seed"/> (0 is replaced by a fixed nonzero constant).</summary>
        public BfdRandom(uint seed)
        {
            _state = seed != 0 ? seed : 0x9E3779B9u;
        }

        /// <summary>The next 32-bit value (never 0).</summary>
        public uint Next()
        {
            uint x = _state;
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            _state = x;
            return x;
        }

        /// <summary>A value in 0 .. <paramref name="bound"/> - 1 (<paramref name="bound"/> &gt; 0).</summary>
        public int Below(int bound)
        {
            return (int)(Next() % (uint)bound);
        }
    }
}
