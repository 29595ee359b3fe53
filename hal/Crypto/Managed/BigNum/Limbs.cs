namespace VpnAppliance.Hal.Crypto.Managed.BigNum
{
    /// <summary>
    /// Conversions and comparisons of multi-precision integers stored as little-endian arrays of 32-bit
    /// limbs (limb 0 least significant). Wire values are big-endian octet strings (RFC 7296 §3.4, RFC 5903 §7).
    /// </summary>
    public static class Limbs
    {
        /// <summary>Reads a big-endian octet string into <paramref name="limbs"/> (zero-extended); false if it does not fit.</summary>
        public static bool FromBigEndian(byte[] source, int offset, int count, uint[] limbs)
        {
            System.Array.Clear(limbs, 0, limbs.Length);
            for (int i = 0; i < count; i++)
            {
                int bytePosition = count - 1 - i; // 0 = least significant byte
                byte b = source[offset + i];
                int limb = bytePosition >> 2;
                if (limb >= limbs.Length)
                {
                    if (b != 0)
                    {
                        return false;
                    }

                    continue;
                }

                limbs[limb] |= (uint)b << (8 * (bytePosition & 3));
            }

            return true;
        }

        /// <summary>Writes the low <paramref name="count"/> bytes of the value big-endian (left-padded with zeros).</summary>
        public static void ToBigEndian(uint[] limbs, byte[] destination, int offset, int count)
        {
            for (int i = 0; i < count; i++)
            {
                int bytePosition = count - 1 - i;
                int limb = bytePosition >> 2;
                destination[offset + i] = limb < limbs.Length ? (byte)(limbs[limb] >> (8 * (bytePosition & 3))) : (byte)0;
            }
        }

        /// <summary>Parses a big-endian hex string (type initialisation of group constants).</summary>
        public static uint[] FromHex(string hex, int limbCount)
        {
            uint[] limbs = new uint[limbCount];
            int nibbles = hex.Length;
            for (int i = 0; i < nibbles; i++)
            {
                char c = hex[nibbles - 1 - i];
                uint v;
                if (c >= '0' && c <= '9')
                {
                    v = (uint)(c - '0');
                }
                else if (c >= 'A' && c <= 'F')
                {
                    v = (uint)(c - 'A' + 10);
                }
                else
                {
                    v = (uint)(c - 'a' + 10);
                }

                limbs[i >> 3] |= v << (4 * (i & 7));
            }

            return limbs;
        }

        /// <summary>
        /// -1, 0 or 1 as a &lt;, =, &gt; b. Variable-time: only for public values (peer public values, moduli).
        /// </summary>
        public static int CompareVartime(uint[] a, uint[] b)
        {
            for (int i = a.Length - 1; i >= 0; i--)
            {
                if (a[i] != b[i])
                {
                    return a[i] < b[i] ? -1 : 1;
                }
            }

            return 0;
        }

        /// <summary>
        /// True when a &lt; b (same limb count), constant-time: the borrow of a - b is propagated through every
        /// limb with no data-dependent branch (used on private values).
        /// </summary>
        public static bool LessThan(uint[] a, uint[] b)
        {
            long borrow = 0;
            for (int i = 0; i < a.Length; i++)
            {
                long d = (long)a[i] - b[i] + borrow;
                borrow = d >> 32;
            }

            return borrow != 0;
        }

        /// <summary>True when the value is zero (constant-time).</summary>
        public static bool IsZero(uint[] a)
        {
            uint acc = 0;
            for (int i = 0; i < a.Length; i++)
            {
                acc |= a[i];
            }

            return acc == 0;
        }

        /// <summary>Number of significant bits (variable-time; public values only).</summary>
        public static int BitLengthVartime(uint[] a)
        {
            for (int i = a.Length - 1; i >= 0; i--)
            {
                if (a[i] != 0)
                {
                    int bits = 32;
                    uint v = a[i];
                    while ((v & 0x80000000U) == 0)
                    {
                        v <<= 1;
                        bits--;
                    }

                    return 32 * i + bits;
                }
            }

            return 0;
        }
    }
}
