namespace VpnAppliance.Fib
{
    /// <summary>
    /// log2 of a 32-bit integer in Q16 fixed point (integer part in the high bits, 16 fraction bits), for the
    /// weighted rendezvous score. Integer part from the position of the top bit; fraction from a 257-entry
    /// table of log2(1 + i/256) with linear interpolation over the next 8 bits (error below 2^-14).
    /// The table is computed once with integers only (binary logarithm by repeated squaring), so device and
    /// host agree bit for bit.
    /// </summary>
    public static class FixedLog2
    {
        private static readonly int[] Fraction = BuildTable();

        /// <summary>Bytes of static memory the table takes (int[257]); count it once per image.</summary>
        public const int TableLength = 257;

        /// <summary>log2(x) * 65536 rounded down-ish (x &gt; 0); 0 for x = 0.</summary>
        public static int Log2Q16(uint x)
        {
            if (x == 0)
            {
                return 0;
            }

            int e = TopBit(x);
            uint m = x << (31 - e);
            int f = (int)((m >> 23) & 0xFFu);
            int rest = (int)((m >> 15) & 0xFFu);
            int a = Fraction[f];
            int b = Fraction[f + 1];
            return (e << 16) + a + (((b - a) * rest) >> 8);
        }

        /// <summary>Index of the highest set bit of x (x &gt; 0), by binary search.</summary>
        public static int TopBit(uint x)
        {
            int n = 0;
            if (x >= 0x10000u) { n += 16; x >>= 16; }
            if (x >= 0x100u) { n += 8; x >>= 8; }
            if (x >= 0x10u) { n += 4; x >>= 4; }
            if (x >= 0x4u) { n += 2; x >>= 2; }
            if (x >= 0x2u) { n += 1; }
            return n;
        }

        private static int[] BuildTable()
        {
            int[] t = new int[TableLength];
            for (int i = 0; i < TableLength; i++)
            {
                // x = 1 + i/256 in Q30; log2 by squaring: each squaring doubles the log; an overflow past 2
                // yields the next fraction bit (17 bits, rounded to 16).
                ulong x = (ulong)(256 + i) << 22;
                int y = 0;
                for (int k = 1; k <= 17; k++)
                {
                    x = (x * x) >> 30;
                    if (x >= (2UL << 30))
                    {
                        x >>= 1;
                        y |= 1 << (17 - k);
                    }
                }

                t[i] = (y + 1) >> 1;
            }

            t[TableLength - 1] = 65536;
            return t;
        }
    }
}
