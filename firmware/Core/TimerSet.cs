namespace VpnAppliance.Core
{
    /// <summary>
    /// A fixed-capacity set of one-shot timers ordered by deadline (a binary min-heap over slot
    /// indices, struct-of-arrays, no allocation after construction).
    ///
    /// Invariants: a slot is either free (on the free stack) or armed (in the heap, heapIndex valid);
    /// a handle is (generation &lt;&lt; 16) | slot and goes stale the moment its timer fires or is
    /// cancelled, so cancelling a stale handle is a harmless no-op. Equal deadlines fire in the
    /// order they were scheduled (ties broken by a sequence number) so runs are deterministic.
    /// </summary>
    public sealed class TimerSet
    {
        /// <summary>Returned by <see cref="Schedule"/> when every slot is armed (counted in <see cref="FullCount"/>).</summary>
        public const int Full = -1;

        /// <summary>Deadline reported when nothing is armed.</summary>
        public const long Never = long.MaxValue;

        private readonly long[] _due;
        private readonly long[] _seq;
        private readonly int[] _cookie;
        private readonly int[] _generation;
        private readonly int[] _heapIndex;
        private readonly ITimerHandler[] _handler;
        private readonly int[] _heap;
        private readonly int[] _free;
        private int _heapCount;
        private int _freeCount;
        private long _nextSeq;
        private int _fullCount;

        /// <summary>Creates a set of <paramref name="capacity"/> timers (1..65535).</summary>
        public TimerSet(int capacity)
        {
            if (capacity < 1 || capacity > 0xFFFF)
            {
                throw new System.ArgumentOutOfRangeException("capacity");
            }

            _due = new long[capacity];
            _seq = new long[capacity];
            _cookie = new int[capacity];
            _generation = new int[capacity];
            _heapIndex = new int[capacity];
            _handler = new ITimerHandler[capacity];
            _heap = new int[capacity];
            _free = new int[capacity];
            for (int i = 0; i < capacity; i++)
            {
                _free[i] = capacity - 1 - i;
                _heapIndex[i] = -1;
            }

            _freeCount = capacity;
        }

        /// <summary>Describes the arrays the constructor allocates (see <see cref="MemoryBudget"/>).</summary>
        public static void Account(MemoryBudget budget, int capacity)
        {
            budget.AddObject(12, 8 * 8 + 4 * 4);
            budget.AddValueArray(8, capacity);
            budget.AddValueArray(8, capacity);
            budget.AddValueArray(4, capacity);
            budget.AddValueArray(4, capacity);
            budget.AddValueArray(4, capacity);
            budget.AddReferenceArray(capacity);
            budget.AddValueArray(4, capacity);
            budget.AddValueArray(4, capacity);
        }

        /// <summary>Number of slots.</summary>
        public int Capacity { get { return _due.Length; } }

        /// <summary>Armed timers.</summary>
        public int Count { get { return _heapCount; } }

        /// <summary>How many Schedule calls found the set full.</summary>
        public int FullCount { get { return _fullCount; } }

        /// <summary>Earliest armed deadline, or <see cref="Never"/>.</summary>
        public long NextDeadline { get { return _heapCount == 0 ? Never : _due[_heap[0]]; } }

        /// <summary>
        /// Arms a timer; returns its handle, or <see cref="Full"/> when no slot is free (nothing changes).
        /// </summary>
        public int Schedule(long dueMs, ITimerHandler handler, int cookie)
        {
            if (_freeCount == 0 || handler == null)
            {
                _fullCount += handler == null ? 0 : 1;
                return Full;
            }

            int slot = _free[--_freeCount];
            _due[slot] = dueMs;
            _seq[slot] = _nextSeq++;
            _cookie[slot] = cookie;
            _handler[slot] = handler;
            _heap[_heapCount] = slot;
            _heapIndex[slot] = _heapCount;
            _heapCount++;
            SiftUp(_heapCount - 1);
            return (_generation[slot] << 16) | slot;
        }

        /// <summary>Disarms a timer; false when the handle is stale (already fired or cancelled).</summary>
        public bool Cancel(int handle)
        {
            int slot = handle & 0xFFFF;
            if (handle < 0 || slot >= _due.Length || _heapIndex[slot] < 0 || (handle >> 16) != _generation[slot])
            {
                return false;
            }

            RemoveAt(_heapIndex[slot]);
            Release(slot);
            return true;
        }

        /// <summary>True while the handle's timer is armed.</summary>
        public bool IsArmed(int handle)
        {
            int slot = handle & 0xFFFF;
            return handle >= 0 && slot < _due.Length && _heapIndex[slot] >= 0 && (handle >> 16) == _generation[slot];
        }

        /// <summary>
        /// Fires up to <paramref name="maxTimers"/> timers whose deadline is &lt;= nowMs, earliest first,
        /// and returns how many fired. A handler may schedule new timers (even due now); those fire on
        /// a later call if the batch limit is reached, so one call is always bounded.
        /// </summary>
        public int Fire(long nowMs, int maxTimers)
        {
            int fired = 0;
            while (fired < maxTimers && _heapCount > 0)
            {
                int slot = _heap[0];
                if (_due[slot] > nowMs)
                {
                    break;
                }

                ITimerHandler handler = _handler[slot];
                int cookie = _cookie[slot];
                RemoveAt(0);
                Release(slot);
                fired++;
                handler.OnTimer(cookie, nowMs);
            }

            return fired;
        }

        private void Release(int slot)
        {
            _heapIndex[slot] = -1;
            _handler[slot] = null;
            _generation[slot] = (_generation[slot] + 1) & 0x7FFF;
            _free[_freeCount++] = slot;
        }

        private void RemoveAt(int index)
        {
            _heapCount--;
            if (index == _heapCount)
            {
                return;
            }

            int moved = _heap[_heapCount];
            _heap[index] = moved;
            _heapIndex[moved] = index;
            SiftDown(index);
            SiftUp(_heapIndex[moved]);
        }

        private bool Less(int a, int b)
        {
            return _due[a] < _due[b] || (_due[a] == _due[b] && _seq[a] < _seq[b]);
        }

        private void SiftUp(int index)
        {
            while (index > 0)
            {
                int parent = (index - 1) >> 1;
                if (!Less(_heap[index], _heap[parent]))
                {
                    return;
                }

                Swap(index, parent);
                index = parent;
            }
        }

        private void SiftDown(int index)
        {
            while (true)
            {
                int left = index * 2 + 1;
                if (left >= _heapCount)
                {
                    return;
                }

                int smallest = left;
                if (left + 1 < _heapCount && Less(_heap[left + 1], _heap[left]))
                {
                    smallest = left + 1;
                }

                if (!Less(_heap[smallest], _heap[index]))
                {
                    return;
                }

                Swap(index, smallest);
                index = smallest;
            }
        }

        private void Swap(int i, int j)
        {
            int a = _heap[i];
            int b = _heap[j];
            _heap[i] = b;
            _heap[j] = a;
            _heapIndex[b] = i;
            _heapIndex[a] = j;
        }
    }
}
