namespace VpnAppliance.Fib
{
    /// <summary>
    /// Bit counting used by the trie's rank computations. The portable version is plain 32-bit SWAR
    /// arithmetic (runs on the nanoFramework interpreter); the host build uses the CPU's popcount through
    /// System.Numerics.BitOperations. Tests compare both over every 16-bit input, which covers every value the
    /// trie ever passes (node bitmaps are 16 bits wide).
    /// </summary>
    public static class TrieBits
    {
        /// <summary>Number of set bits of <paramref name="x"/> (x below 2^16), fastest available path.</summary>
#if !NANOFRAMEWORK_1_0
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
#endif
        public static int PopCount16(uint x)
        {
#if NANOFRAMEWORK_1_0
            return PopCount16Portable(x);
#else
            return System.Numerics.BitOperations.PopCount(x);
#endif
        }

        /// <summary>Number of set bits of <paramref name="x"/> (x below 2^16) by SWAR: 11 arithmetic IL operations, no table.</summary>
        public static int PopCount16Portable(uint x)
        {
            x = x - ((x >> 1) & 0x5555u);
            x = (x & 0x3333u) + ((x >> 2) & 0x3333u);
            x = (x + (x >> 4)) & 0x0F0Fu;
            return (int)((x + (x >> 8)) & 0x1Fu);
        }

        /// <summary>True when the host fast path is compiled in (false on the device).</summary>
        public static bool HostFastPath
        {
            get
            {
#if NANOFRAMEWORK_1_0
                return false;
#else
                return true;
#endif
            }
        }
    }
}
