namespace VpnAppliance.Core
{
    /// <summary>
    /// Adds up the static memory of the preallocated pools under two cost models: the nanoFramework
    /// managed heap (what the board budget is checked against) and the 64-bit CoreCLR heap (what a
    /// host test can measure with GC.GetAllocatedBytesForCurrentThread to prove the accounting
    /// matches the real allocations). Each pool class has a static Account method that describes
    /// exactly the arrays and objects its constructor allocates.
    ///
    /// nanoFramework heap facts used (nanoFramework CLR, CLR_RT_HeapBlock): every heap item starts
    /// with a 12-byte heap block; an object stores each field in its own 12-byte block; an array
    /// header is a 20-byte block (data type, element size, length, ...) followed by packed elements
    /// for value types and 12-byte blocks for references; allocations are rounded up to 4 bytes.
    /// CoreCLR x64: object header + method table = 16 bytes (minimum 24), fields packed; array header
    /// 24 bytes (16 + length + padding); sizes rounded up to 8.
    /// </summary>
    public sealed class MemoryBudget
    {
        /// <summary>nanoFramework: bytes per heap block (object header, and each object field).</summary>
        public const int NanoBlock = 12;
        /// <summary>nanoFramework: bytes of an array header.</summary>
        public const int NanoArrayHeader = 20;

        private long _nano;
        private long _host;

        /// <summary>Total under the nanoFramework cost model.</summary>
        public long NanoBytes { get { return _nano; } }

        /// <summary>Total under the CoreCLR x64 cost model.</summary>
        public long HostBytes { get { return _host; } }

        /// <summary>An array of <paramref name="length"/> value-type elements of <paramref name="elementBytes"/> each.</summary>
        public void AddValueArray(int elementBytes, int length)
        {
            _nano += Round(NanoArrayHeader + (long)elementBytes * length, 4);
            _host += Round(24 + (long)elementBytes * length, 8);
        }

        /// <summary>An array of <paramref name="length"/> references (contents counted separately).</summary>
        public void AddReferenceArray(int length)
        {
            _nano += Round(NanoArrayHeader + (long)NanoBlock * length, 4);
            _host += Round(24 + 8L * length, 8);
        }

        /// <summary>
        /// One class instance with <paramref name="fields"/> fields whose packed CoreCLR size is
        /// <paramref name="hostFieldBytes"/>.
        /// </summary>
        public void AddObject(int fields, int hostFieldBytes)
        {
            _nano += NanoBlock + (long)NanoBlock * fields;
            long host = 16 + hostFieldBytes;
            _host += host < 24 ? 24 : Round(host, 8);
        }

        /// <summary>Adds another budget's totals (a sub-pool).</summary>
        public void Add(MemoryBudget other)
        {
            _nano += other._nano;
            _host += other._host;
        }

        private static long Round(long value, int to)
        {
            return (value + to - 1) / to * to;
        }
    }
}
