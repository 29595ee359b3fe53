namespace VpnAppliance.Tcp
{
    /// <summary>
    /// SipHash-2-4 (J.-P. Aumasson, D. J. Bernstein, "SipHash: a fast short-input PRF", 2012): a keyed
    /// pseudorandom function of short inputs with a 128-bit key, 2 compression and 4 finalization rounds.
    /// Serves as the PRF F() of RFC 6528 §3 (which suggests MD5 but asks only for a keyed hash whose
    /// secret the attacker cannot learn). Allocation-free; the key is two little-endian 64-bit words.
    /// </summary>
    public static class SipHash24
    {
        /// <summary>Reads the little-endian 64-bit word at key[offset] (a SipHash key half).</summary>
        public static ulong ReadKeyWord(byte[] key, int offset)
        {
            ulong w = 0;
            for (int i = 7; i >= 0; i--)
            {
                w = (w << 8) | key[offset + i];
            }

            return w;
        }

        /// <summary>SipHash-2-4 of data[offset .. offset + length) under the key (k0, k1); the caller checked the range.</summary>
        public static ulong Hash(ulong k0, ulong k1, byte[] data, int offset, int length)
        {
            // Initialization constants: "somepseudorandomlygeneratedbytes" (§2 of the paper).
            ulong v0 = k0 ^ 0x736f6d6570736575UL;
            ulong v1 = k1 ^ 0x646f72616e646f6dUL;
            ulong v2 = k0 ^ 0x6c7967656e657261UL;
            ulong v3 = k1 ^ 0x7465646279746573UL;

            int end = offset + length;
            int wholeEnd = offset + (length & ~7);
            int p = offset;
            for (; p < wholeEnd; p += 8)
            {
                ulong m = 0;
                for (int i = 7; i >= 0; i--)
                {
                    m = (m << 8) | data[p + i];
                }

                v3 ^= m;
                Round(ref v0, ref v1, ref v2, ref v3);
                Round(ref v0, ref v1, ref v2, ref v3);
                v0 ^= m;
            }

            // Last word: the remaining 0..7 bytes little-endian, the length mod 256 in the top byte.
            ulong last = (ulong)(length & 0xFF) << 56;
            for (int i = end - 1; i >= p; i--)
            {
                last |= (ulong)data[i] << (8 * (i - p));
            }

            v3 ^= last;
            Round(ref v0, ref v1, ref v2, ref v3);
            Round(ref v0, ref v1, ref v2, ref v3);
            v0 ^= last;

            v2 ^= 0xFF;
            Round(ref v0, ref v1, ref v2, ref v3);
            Round(ref v0, ref v1, ref v2, ref v3);
            Round(ref v0, ref v1, ref v2, ref v3);
            Round(ref v0, ref v1, ref v2, ref v3);
            return v0 ^ v1 ^ v2 ^ v3;
        }

        // SipRound (§2 of the paper).
        private static void Round(ref ulong v0, ref ulong v1, ref ulong v2, ref ulong v3)
        {
            v0 += v1; v1 = Rotl(v1, 13); v1 ^= v0; v0 = Rotl(v0, 32);
            v2 += v3; v3 = Rotl(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Rotl(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Rotl(v1, 17); v1 ^= v2; v2 = Rotl(v2, 32);
        }

        private static ulong Rotl(ulong x, int b)
        {
            return (x << b) | (x >> (64 - b));
        }
    }
}
