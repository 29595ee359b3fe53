namespace VpnAppliance.Core
{
    /// <summary>
    /// The packet buffers: one contiguous byte array cut into N equal buffers, handed out by index
    /// from a free stack. A packet is identified by its buffer index; its bytes are
    /// <c>Data[Offset(i) .. Offset(i) + BufferSize)</c>. Allocation-free after construction.
    /// Invariant: every index is either on the free stack or held by exactly one owner
    /// (<see cref="InUse"/> counts the latter); releasing a free index is refused and counted.
    /// </summary>
    public sealed class PacketPool
    {
        /// <summary>Returned by <see cref="Allocate"/> when no buffer is free.</summary>
        public const int Full = -1;

        private readonly byte[] _data;
        private readonly int[] _free;
        private readonly bool[] _held;
        private readonly int _size;
        private int _freeCount;
        private int _fullCount;
        private int _doubleFreeCount;

        /// <summary>Creates <paramref name="buffers"/> buffers of <paramref name="bufferSize"/> bytes.</summary>
        public PacketPool(int buffers, int bufferSize)
        {
            if (buffers < 1 || bufferSize < 64)
            {
                throw new System.ArgumentOutOfRangeException("buffers");
            }

            _size = bufferSize;
            _data = new byte[buffers * bufferSize];
            _free = new int[buffers];
            _held = new bool[buffers];
            for (int i = 0; i < buffers; i++)
            {
                _free[i] = buffers - 1 - i;
            }

            _freeCount = buffers;
        }

        /// <summary>Describes the arrays the constructor allocates.</summary>
        public static void Account(MemoryBudget budget, int buffers, int bufferSize)
        {
            budget.AddObject(7, 3 * 8 + 4 * 4);
            budget.AddValueArray(1, buffers * bufferSize);
            budget.AddValueArray(4, buffers);
            budget.AddValueArray(1, buffers);
        }

        /// <summary>The backing array shared by every buffer.</summary>
        public byte[] Data { get { return _data; } }

        /// <summary>Bytes per buffer.</summary>
        public int BufferSize { get { return _size; } }

        /// <summary>Number of buffers.</summary>
        public int Capacity { get { return _free.Length; } }

        /// <summary>Buffers currently held.</summary>
        public int InUse { get { return _free.Length - _freeCount; } }

        /// <summary>Allocate calls that found the pool empty.</summary>
        public int FullCount { get { return _fullCount; } }

        /// <summary>Release calls for a buffer that was not held (a bug elsewhere, counted not fatal).</summary>
        public int DoubleFreeCount { get { return _doubleFreeCount; } }

        /// <summary>Offset of buffer <paramref name="index"/> in <see cref="Data"/>.</summary>
        public int Offset(int index)
        {
            return index * _size;
        }

        /// <summary>Takes a buffer; returns its index or <see cref="Full"/>.</summary>
        public int Allocate()
        {
            if (_freeCount == 0)
            {
                _fullCount++;
                return Full;
            }

            int index = _free[--_freeCount];
            _held[index] = true;
            return index;
        }

        /// <summary>Returns a buffer to the pool.</summary>
        public bool Release(int index)
        {
            if (index < 0 || index >= _held.Length || !_held[index])
            {
                _doubleFreeCount++;
                return false;
            }

            _held[index] = false;
            _free[_freeCount++] = index;
            return true;
        }
    }
}
