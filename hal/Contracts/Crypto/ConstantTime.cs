namespace VpnAppliance.Hal.Crypto
{
    /// <summary>
    /// Comparisons whose running time does not depend on the data (ICV and AUTH checks, RFC 4303 §3.4.4,
    /// RFC 7296 §2.15) and zeroisation of key material.
    /// </summary>
    public static class ConstantTime
    {
        /// <summary>
        /// True when the two ranges are equal. Every byte is visited whatever the contents; the only
        /// branch is on the (public) length.
        /// </summary>
        public static bool AreEqual(byte[] a, int aOffset, byte[] b, int bOffset, int count)
        {
            int diff = 0;
            for (int i = 0; i < count; i++)
            {
                diff |= a[aOffset + i] ^ b[bOffset + i];
            }

            // (diff - 1) >> 8 is all ones exactly when diff == 0 (diff is at most 0xFF).
            return ((((diff - 1) >> 8) & 1) == 1);
        }

        /// <summary>Overwrites the range with zeros (key material on SA deletion).</summary>
        public static void Zeroise(byte[] buffer, int offset, int count)
        {
            if (buffer != null && count > 0)
            {
                System.Array.Clear(buffer, offset, count);
            }
        }

        /// <summary>Overwrites a whole word array with zeros.</summary>
        public static void Zeroise(uint[] words)
        {
            if (words != null)
            {
                System.Array.Clear(words, 0, words.Length);
            }
        }

        /// <summary>Overwrites a whole word array with zeros.</summary>
        public static void Zeroise(ulong[] words)
        {
            if (words != null)
            {
                System.Array.Clear(words, 0, words.Length);
            }
        }
    }
}
