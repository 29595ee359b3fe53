using VpnAppliance.Core;

namespace VpnAppliance.Fib
{
    /// <summary>
    /// Hands out runs of contiguous slots of a preallocated array (the trie's child blocks and result
    /// blocks) and takes them back. State is one bit per slot (1 = used) plus a bump mark:
    /// invariant 1: every slot at or above <see cref="Top"/> is free;
    /// invariant 2: Top is 0 or slot Top-1 is used (a release at the top lowers Top);
    /// invariant 3: <see cref="InUse"/> equals the number of set bits.
    /// Allocation takes the bump region first (O(1)); when that is exhausted it scans the bitmap for a run
    /// of free slots (next-fit from a rover, whole words skipped), so freed neighbours coalesce for free.
    /// A failed allocation changes nothing. When holes make a request fail although enough slots are free,
    /// the owner compacts: <see cref="BeginCompaction"/> computes a rank per 256 slots, the owner renumbers every
    /// reference with <see cref="CompactedIndex"/> (the number of used slots below it: a slide towards 0 that
    /// keeps order, so blocks stay contiguous) and moves its data in ascending order, then
    /// <see cref="EndCompaction"/> marks [0, InUse) used. No allocation after construction.
    /// </summary>
    public sealed class SlotArena
    {
        private readonly uint[] _used;
        private readonly int[] _rank;   // during compaction: used slots below bitmap word 8k (one entry per 256 slots)
        private readonly int _capacity;
        private int _top;
        private int _inUse;
        private int _rover;

        /// <summary>Creates an arena of <paramref name="capacity"/> slots, all free.</summary>
        public SlotArena(int capacity)
        {
            if (capacity < 1)
            {
                throw new System.ArgumentOutOfRangeException("capacity");
            }

            _capacity = capacity;
            _used = new uint[(capacity + 31) >> 5];
            _rank = new int[(((capacity + 31) >> 5) + 7) >> 3];
        }

        /// <summary>Describes what the constructor allocates: this object and its bitmap.</summary>
        public static void Account(MemoryBudget budget, int capacity)
        {
            budget.AddObject(6, 2 * 8 + 4 * 4);
            budget.AddValueArray(4, (capacity + 31) >> 5);
            budget.AddValueArray(4, (((capacity + 31) >> 5) + 7) >> 3);
        }

        /// <summary>Number of slots.</summary>
        public int Capacity { get { return _capacity; } }

        /// <summary>Slots currently used.</summary>
        public int InUse { get { return _inUse; } }

        /// <summary>Every slot at or above this index is free (the bump mark).</summary>
        public int Top { get { return _top; } }

        /// <summary>True when free slots lie below <see cref="Top"/> (a compaction would gain contiguous room).</summary>
        public bool HasHoles { get { return _top > _inUse; } }

        /// <summary>Starts a compaction: computes the rank of every word. Call CompactedIndex, then EndCompaction.</summary>
        public void BeginCompaction()
        {
            int sum = 0;
            for (int w = 0; w < _used.Length; w++)
            {
                if ((w & 7) == 0)
                {
                    _rank[w >> 3] = sum;
                }

                sum += TrieBits.PopCount16(_used[w] & 0xFFFFu) + TrieBits.PopCount16(_used[w] >> 16);
            }
        }

        /// <summary>Where a used <paramref name="slot"/> moves in the compaction: the number of used slots below it.</summary>
        public int CompactedIndex(int slot)
        {
            int word = slot >> 5;
            int rank = _rank[word >> 3];
            for (int w = word & ~7; w < word; w++)
            {
                rank += TrieBits.PopCount16(_used[w] & 0xFFFFu) + TrieBits.PopCount16(_used[w] >> 16);
            }

            int bit = slot & 31;
            uint below = bit == 0 ? 0u : _used[word] & (0xFFFFFFFFu >> (32 - bit));
            return rank + TrieBits.PopCount16(below & 0xFFFFu) + TrieBits.PopCount16(below >> 16);
        }

        /// <summary>Ends a compaction: slots [0, InUse) are used, the rest free.</summary>
        public void EndCompaction()
        {
            System.Array.Clear(_used, 0, _used.Length);
            int n = _inUse;
            _inUse = 0;
            _top = 0;
            if (n > 0)
            {
                Mark(0, n);
            }

            _rover = 0;
        }

        /// <summary>True when <paramref name="slot"/> is inside the arena and free.</summary>
        public bool IsFree(int slot)
        {
            if (slot < 0 || slot >= _capacity)
            {
                return false;
            }

            return slot >= _top || (_used[slot >> 5] & (1u << (slot & 31))) == 0;
        }

        /// <summary>First slot of a new run of <paramref name="count"/> slots, or -1 when no run that long is free.</summary>
        public int Allocate(int count)
        {
            if (count < 1 || _capacity - _inUse < count)
            {
                return -1;
            }

            int start;
            if (_top + count <= _capacity)
            {
                start = _top;
            }
            else
            {
                int from = _rover < _top ? _rover : 0;
                start = FindRun(from, _top, count);
                if (start < 0 && from > 0)
                {
                    int end = from + count - 1;
                    start = FindRun(0, end < _top ? end : _top, count);
                }

                if (start < 0)
                {
                    return -1;
                }
            }

            Mark(start, count);
            _rover = start + count;
            return start;
        }

        /// <summary>
        /// Grows the run [start, start+count) by the <paramref name="extra"/> slots after it when they are all
        /// free; false (and no change) otherwise.
        /// </summary>
        public bool TryExtend(int start, int count, int extra)
        {
            for (int slot = start + count; slot < start + count + extra; slot++)
            {
                if (!IsFree(slot))
                {
                    return false;
                }
            }

            Mark(start + count, extra);
            return true;
        }

        /// <summary>Frees the run [start, start+count). The slots must be used.</summary>
        public void Release(int start, int count)
        {
            for (int s = start; s < start + count; s++)
            {
                _used[s >> 5] &= ~(1u << (s & 31));
            }

            _inUse -= count;
            while (_top > 0 && (_used[(_top - 1) >> 5] & (1u << ((_top - 1) & 31))) == 0)
            {
                _top--;
            }
        }

        /// <summary>Frees every slot.</summary>
        public void Clear()
        {
            System.Array.Clear(_used, 0, _used.Length);
            _top = 0;
            _inUse = 0;
            _rover = 0;
        }

        private void Mark(int start, int count)
        {
            for (int s = start; s < start + count; s++)
            {
                _used[s >> 5] |= 1u << (s & 31);
            }

            _inUse += count;
            if (start + count > _top)
            {
                _top = start + count;
            }
        }

        // First slot of a run of `count` free slots lying inside [from, to), or -1. Whole bitmap words at a
        // time: `run` carries the free slots at the top of the previous word; inside a word, m &= m >> 1 (count - 1
        // times) leaves a bit at every start of `count` free slots.
        private int FindRun(int from, int to, int count)
        {
            int run = 0;
            int s = from;
            while (s < to)
            {
                if ((s & 31) != 0 || s + 32 > to)
                {
                    if ((_used[s >> 5] & (1u << (s & 31))) == 0)
                    {
                        run++;
                        if (run == count)
                        {
                            return s - count + 1;
                        }
                    }
                    else
                    {
                        run = 0;
                    }

                    s++;
                    continue;
                }

                uint w = _used[s >> 5];
                if (w == 0)
                {
                    if (run + 32 >= count)
                    {
                        return s - run;
                    }

                    run += 32;
                    s += 32;
                    continue;
                }

                uint free = ~w;
                if (run > 0)
                {
                    // Free slots at the bottom of this word continue the run.
                    int lead = TrieBits.PopCount16(((free & (free + 1)) ^ free) & 0xFFFFu)
                        + TrieBits.PopCount16((((free & (free + 1)) ^ free) >> 16) & 0xFFFFu);
                    if (run + lead >= count)
                    {
                        return s - run;
                    }
                }

                if (count <= 32)
                {
                    uint m = free;
                    for (int i = 1; i < count && m != 0; i++)
                    {
                        m &= m >> 1;
                    }

                    if (m != 0)
                    {
                        uint low = (m & (0u - m)) - 1;
                        return s + TrieBits.PopCount16(low & 0xFFFFu) + TrieBits.PopCount16(low >> 16);
                    }
                }

                // Free slots at the top of this word start the next run.
                run = 31 - FixedLog2.TopBit(w);
                s += 32;
            }

            return -1;
        }
    }
}
