using VpnAppliance.Core;

namespace VpnAppliance.Fib
{
    /// <summary>
    /// IPv4 forwarding table: longest-prefix match from a destination address to a next-hop group id.
    ///
    /// Structure: a Tree Bitmap (Eatherton, Varghese, Dittia, "Tree Bitmap: hardware/software IP lookups with
    /// incremental updates", ACM SIGCOMM CCR 34(2), 2004) with a direct-indexed root.
    /// - Root: 2^RootBits slots indexed by the top RootBits address bits. Each slot holds the trie node for
    ///   that /RootBits (or -1) and the group of the longest prefix shorter than RootBits covering it
    ///   (leaf-pushed from the short-prefix table, so lookups never walk above the root).
    /// - Short prefixes (length &lt; RootBits) live in a heap-indexed table (index 2^len - 1 + top len bits).
    /// - Trie nodes cover Stride = 4 address bits below their depth (RootBits + 4k). One 32-bit word per node:
    ///   bits 0..14 the internal bitmap (prefixes of relative length 0..3 in heap order: bit 2^l - 1 + v),
    ///   bits 16..31 the external bitmap (which of the 16 children exist). A node's children sit in one
    ///   contiguous block of node slots starting at ChildBase, its route results (16-bit group ids) in one
    ///   contiguous block of result slots starting at ResultBase, both in bitmap order: the child or result
    ///   for bit b is at base + popcount(bitmap below b). Blocks come from two <see cref="SlotArena"/>s.
    /// - Lookup: one bitmap load per level, a 16-entry mask table for the internal match, popcount for the
    ///   child rank; the result rank is computed once, for the last node that matched.
    ///
    /// Why stride 4 (memory per route against IL operations per lookup on the nanoFramework interpreter, which
    /// executes each IL instruction through a dispatch loop, about 1 us per simple op on an ESP32, so the count
    /// of IL ops is the cost model there; both bitmaps must fit one 32-bit word, the interpreter's native width):
    /// - stride 3: 7 + 8 = 15 bits per node (fits), 8..10 levels for a /24 after an 8..12 bit root, ~32 IL ops
    ///   per level; sparse branches cost a 12-byte node per 3 bits.
    /// - stride 4: 15 + 16 = 31 bits: still one word, one load, one mask. 3..4 levels for a /24; ~36 IL ops per
    ///   level (SWAR popcount 11 of them); a 12-byte node per 4 bits of sparse path.
    /// - stride 5: 31 + 32 = 63 bits: two words (or a long, which the interpreter emulates in 64-bit helpers),
    ///   popcount over 32 bits (+5 ops), 16-byte nodes. Saves one level on /24 only for some root widths.
    /// Measured on the host (tools/Bench, BGP-like table, 10k routes, RootBits 10): stride 4 gives the numbers in
    /// the report; stride 4 is the widest stride whose node is one interpreter word, and the extra level stride 3
    /// needs costs more IL ops than the wider popcount of stride 5 would, while stride 5 doubles the bitmap
    /// bytes. Choose RootBits so that 24 - RootBits is not a multiple of 4 (e.g. 9, 10, 11, 13): then a /24 is an
    /// internal prefix of a node at depth 21..23 instead of needing a node of its own at depth 24.
    ///
    /// Invariants: a trie node with an empty bitmap does not exist (delete prunes it); every used node slot is
    /// a live node and every used result slot is a live route; Count = short routes + used result slots.
    /// Memory is allocated only by the constructor; every operation after that is allocation-free, and an
    /// operation that cannot get slots changes nothing and returns <see cref="FibResult.Full"/>.
    /// Addresses are host order; a group is a next-hop group id (0..65534).
    /// </summary>
    public sealed class FibTable
    {
        /// <summary>Address bits consumed per trie level.</summary>
        public const int Stride = 4;

        private const int MaxLevels = 9;   // (32 - 1) / 4 + 1 nodes below the smallest root
        private const int MaxAllocs = 12;  // node allocations of one insert: parent block + chain, plus slack
        private const uint InternalMask = 0x7FFFu;

        // For chunk c (the next 4 address bits): the internal-bitmap bits of the 4 prefixes on c's path.
        private static readonly uint[] MatchMask = BuildMatchMask();

        private readonly int _rootBits;
        private readonly int _rootShift;
        private readonly int _routeCapacity;
        private readonly int[] _rootNode;       // per root slot: node index or -1
        private readonly ushort[] _rootBest;    // per root slot: 1 + group of the longest short prefix covering it; 0 none
        private readonly ushort[] _short;       // heap-indexed short prefixes: 1 + group; 0 none
        private readonly uint[] _bitmap;        // per node: internal bits 0..14, external bits 16..31
        private readonly int[] _childBase;      // per node: first slot of the child block
        private readonly int[] _resultBase;     // per node: first slot of the result block
        private readonly ushort[] _result;      // per result slot: group id
        private readonly SlotArena _nodes;
        private readonly SlotArena _results;
        private readonly NextHopGroupTable _groups;
        private readonly int[] _pathNode;       // scratch: nodes on the path of the current change
        private readonly int[] _allocStart;     // scratch: node runs taken by the current insert (for rollback)
        private readonly int[] _allocCount;
        private IFibVisitor _visitor;
        private int _count;
        private int _fullCount;
        private int _allocs;
        private int _visited;
        private bool _stop;
        private bool _poolExhausted;

        /// <summary>
        /// Creates an empty table for <paramref name="routes"/> prefixes, <paramref name="trieNodes"/> trie nodes
        /// and a 2^<paramref name="rootBits"/> root. <paramref name="groups"/> (may be null) is the group table
        /// whose reference counts the routes hold; when null any group id 0..65534 is accepted.
        /// </summary>
        public FibTable(int routes, int trieNodes, int rootBits, NextHopGroupTable groups)
        {
            if (routes < 1 || routes > (1 << 24))
            {
                throw new System.ArgumentOutOfRangeException("routes");
            }

            if (trieNodes < 1 || trieNodes > (1 << 24))
            {
                throw new System.ArgumentOutOfRangeException("trieNodes");
            }

            if (rootBits < 1 || rootBits > 24)
            {
                throw new System.ArgumentOutOfRangeException("rootBits");
            }

            _rootBits = rootBits;
            _rootShift = 32 - rootBits;
            _routeCapacity = routes;
            int slots = 1 << rootBits;
            _rootNode = new int[slots];
            _rootBest = new ushort[slots];
            _short = new ushort[slots - 1];
            _bitmap = new uint[trieNodes];
            _childBase = new int[trieNodes];
            _resultBase = new int[trieNodes];
            int resultSlots = FibSizing.ResultSlotsFor(routes);
            _result = new ushort[resultSlots];
            _nodes = new SlotArena(trieNodes);
            _results = new SlotArena(resultSlots);
            _groups = groups;
            _pathNode = new int[MaxLevels];
            _allocStart = new int[MaxAllocs];
            _allocCount = new int[MaxAllocs];
            for (int i = 0; i < slots; i++)
            {
                _rootNode[i] = -1;
            }
        }

        /// <summary>Creates a table sized by the board profile (Routes, TrieNodes, FibRootBits).</summary>
        public FibTable(Capacities capacities, NextHopGroupTable groups)
            : this(capacities.Routes, capacities.TrieNodes, capacities.FibRootBits, groups)
        {
        }

        /// <summary>Describes exactly the objects and arrays the constructor allocates.</summary>
        public static void Account(MemoryBudget budget, int routes, int trieNodes, int rootBits)
        {
            int slots = 1 << rootBits;
            int resultSlots = FibSizing.ResultSlotsFor(routes);
            budget.AddObject(23, 14 * 8 + 7 * 4 + 2);
            budget.AddValueArray(4, slots);
            budget.AddValueArray(2, slots);
            budget.AddValueArray(2, slots - 1);
            budget.AddValueArray(4, trieNodes);
            budget.AddValueArray(4, trieNodes);
            budget.AddValueArray(4, trieNodes);
            budget.AddValueArray(2, resultSlots);
            SlotArena.Account(budget, trieNodes);
            SlotArena.Account(budget, resultSlots);
            budget.AddValueArray(4, MaxLevels);
            budget.AddValueArray(4, MaxAllocs);
            budget.AddValueArray(4, MaxAllocs);
        }

        /// <summary>Describes what the constructor allocates for a board profile.</summary>
        public static void Account(MemoryBudget budget, Capacities capacities)
        {
            Account(budget, capacities.Routes, capacities.TrieNodes, capacities.FibRootBits);
        }

        /// <summary>Static tables shared by every table and group table (once per image): match masks, log2 fractions.</summary>
        public static void AccountStatics(MemoryBudget budget)
        {
            budget.AddValueArray(4, 16);
            budget.AddValueArray(4, FixedLog2.TableLength);
        }

        /// <summary>Routes held.</summary>
        public int Count { get { return _count; } }

        /// <summary>Routes the table accepts.</summary>
        public int RouteCapacity { get { return _routeCapacity; } }

        /// <summary>Width of the direct-indexed root in bits.</summary>
        public int RootBits { get { return _rootBits; } }

        /// <summary>Trie node slots.</summary>
        public int NodeCapacity { get { return _nodes.Capacity; } }

        /// <summary>Trie nodes in use.</summary>
        public int NodesInUse { get { return _nodes.InUse; } }

        /// <summary>Result slots (one per route at or below the root depth).</summary>
        public int ResultCapacity { get { return _results.Capacity; } }

        /// <summary>Result slots in use.</summary>
        public int ResultsInUse { get { return _results.InUse; } }

        /// <summary>Times an insert was refused because a pool was full.</summary>
        public int FullCount { get { return _fullCount; } }

        /// <summary>
        /// The group of the longest prefix containing <paramref name="address"/>, or -1 when no prefix does.
        /// No allocation, no interface call; about 4 trie levels for a /24 below a 10-bit root.
        /// </summary>
        public int Lookup(uint address)
        {
            int slot = (int)(address >> _rootShift);
            int node = _rootNode[slot];
            if (node >= 0)
            {
                uint[] bitmap = _bitmap;
                int[] childBase = _childBase;
                uint[] matchMask = MatchMask;
                uint key = address << _rootBits;
                int bestNode = -1;
                uint bestMatch = 0;
                uint bestChunk = 0;
                while (true)
                {
                    uint bm = bitmap[node];
                    uint chunk = key >> 28;
                    uint m = bm & matchMask[chunk];
                    if (m != 0)
                    {
                        bestNode = node;
                        bestMatch = m;
                        bestChunk = chunk;
                    }

                    uint ext = bm >> 16;
                    if ((ext & (1u << (int)chunk)) == 0)
                    {
                        break;
                    }

                    node = childBase[node] + TrieBits.PopCount16(ext & ((1u << (int)chunk) - 1));
                    key <<= 4;
                }

                if (bestNode >= 0)
                {
                    // Longest match in that node: the highest set bit of bestMatch (longer = higher bit).
                    int pos = bestMatch >= 0x80u ? 7 + (int)(bestChunk >> 1)
                        : bestMatch >= 0x8u ? 3 + (int)(bestChunk >> 2)
                        : bestMatch >= 0x2u ? 1 + (int)(bestChunk >> 3)
                        : 0;
                    return _result[_resultBase[bestNode] + TrieBits.PopCount16(bitmap[bestNode] & ((1u << pos) - 1))];
                }
            }

            return _rootBest[slot] - 1;
        }

        /// <summary>
        /// Inserts prefix/length with <paramref name="group"/>, or replaces the group of an existing prefix.
        /// Invalid: length outside 0..32, host bits set, or an unknown group. Full: no room for the route, a
        /// trie node or a result slot (the table is left exactly as it was).
        /// </summary>
        public FibResult Insert(uint prefix, int length, int group)
        {
            _poolExhausted = false;
            FibResult result = TryInsert(prefix, length, group);
            if (result == FibResult.Full && _poolExhausted && (_nodes.HasHoles || _results.HasHoles))
            {
                Compact();
                _poolExhausted = false;
                result = TryInsert(prefix, length, group);
            }

            if (result == FibResult.Full)
            {
                _fullCount++;
            }

            return result;
        }

        /// <summary>
        /// Slides every trie node and result to the bottom of its arena (order kept), so all free slots form one
        /// run. O(node capacity + result capacity); Insert calls it when holes block an allocation.
        /// </summary>
        public void Compact()
        {
            int top = _nodes.Top;
            _nodes.BeginCompaction();
            for (int i = 0; i < _rootNode.Length; i++)
            {
                if (_rootNode[i] >= 0)
                {
                    _rootNode[i] = _nodes.CompactedIndex(_rootNode[i]);
                }
            }

            for (int s = 0; s < top; s++)
            {
                if (!_nodes.IsFree(s) && _childBase[s] >= 0)
                {
                    _childBase[s] = _nodes.CompactedIndex(_childBase[s]);
                }
            }

            for (int s = 0; s < top; s++)
            {
                if (!_nodes.IsFree(s))
                {
                    int to = _nodes.CompactedIndex(s);
                    if (to != s)
                    {
                        MoveNode(s, to);
                    }
                }
            }

            _nodes.EndCompaction();

            int rtop = _results.Top;
            _results.BeginCompaction();
            int live = _nodes.InUse;
            for (int n = 0; n < live; n++)
            {
                if (_resultBase[n] >= 0)
                {
                    _resultBase[n] = _results.CompactedIndex(_resultBase[n]);
                }
            }

            for (int s = 0; s < rtop; s++)
            {
                if (!_results.IsFree(s))
                {
                    _result[_results.CompactedIndex(s)] = _result[s];
                }
            }

            _results.EndCompaction();
        }

        private FibResult TryInsert(uint prefix, int length, int group)
        {
            if (!ValidPrefix(prefix, length) || !ValidGroup(group))
            {
                return FibResult.Invalid;
            }

            if (length < _rootBits)
            {
                return InsertShort(prefix, length, group);
            }

            int slot = (int)(prefix >> _rootShift);
            int rel = length - _rootBits;
            int target = rel >> 2;
            int relLen = rel & 3;
            uint key = prefix << _rootBits;
            int node = _rootNode[slot];
            int missing = 0;        // level of the first node that does not exist
            int parent = -1;
            int parentChunk = 0;
            if (node >= 0)
            {
                int level = 0;
                while (level < target)
                {
                    int chunk = ChunkAt(key, level);
                    uint ext = _bitmap[node] >> 16;
                    if ((ext & (1u << chunk)) == 0)
                    {
                        break;
                    }

                    node = _childBase[node] + TrieBits.PopCount16(ext & ((1u << chunk) - 1));
                    level++;
                }

                if (level == target)
                {
                    return InsertInNode(node, ChunkAt(key, target), relLen, group);
                }

                missing = level + 1;
                parent = node;
                parentChunk = ChunkAt(key, level);
            }

            if (_count >= _routeCapacity)
            {
                return Refuse();
            }

            return InsertWithNewNodes(slot, key, missing, parent, parentChunk, target, relLen, group);
        }

        /// <summary>Removes prefix/length: Ok, or NotFound (also for an invalid prefix) with no change.</summary>
        public FibResult Delete(uint prefix, int length)
        {
            if (!ValidPrefix(prefix, length))
            {
                return FibResult.NotFound;
            }

            if (length < _rootBits)
            {
                return DeleteShort(prefix, length);
            }

            int slot = (int)(prefix >> _rootShift);
            int rel = length - _rootBits;
            int target = rel >> 2;
            uint key = prefix << _rootBits;
            int node = _rootNode[slot];
            if (node < 0)
            {
                return FibResult.NotFound;
            }

            for (int level = 0; level < target; level++)
            {
                _pathNode[level] = node;
                int chunk = ChunkAt(key, level);
                uint ext = _bitmap[node] >> 16;
                if ((ext & (1u << chunk)) == 0)
                {
                    return FibResult.NotFound;
                }

                node = _childBase[node] + TrieBits.PopCount16(ext & ((1u << chunk) - 1));
            }

            _pathNode[target] = node;
            int pos = InternalBit(ChunkAt(key, target), rel & 3);
            uint bm = _bitmap[node];
            if ((bm & (1u << pos)) == 0)
            {
                return FibResult.NotFound;
            }

            // Take the result out of the node's result block; the block shrinks from its end.
            int k = TrieBits.PopCount16(bm & InternalMask);
            int rank = TrieBits.PopCount16(bm & ((1u << pos) - 1));
            int rb = _resultBase[node];
            int old = _result[rb + rank];
            for (int i = rank; i < k - 1; i++)
            {
                _result[rb + i] = _result[rb + i + 1];
            }

            _results.Release(rb + k - 1, 1);
            if (k == 1)
            {
                _resultBase[node] = -1;
            }

            _bitmap[node] = bm & ~(1u << pos);
            _count--;
            ReleaseGroup(old);
            Prune(slot, key, target);
            return FibResult.Ok;
        }

        /// <summary>Exact match: true and the group when prefix/length is in the table.</summary>
        public bool TryGet(uint prefix, int length, out int group)
        {
            group = -1;
            if (!ValidPrefix(prefix, length))
            {
                return false;
            }

            if (length < _rootBits)
            {
                int v = _short[ShortIndex(prefix, length)];
                group = v - 1;
                return v != 0;
            }

            int rel = length - _rootBits;
            int target = rel >> 2;
            uint key = prefix << _rootBits;
            int node = _rootNode[(int)(prefix >> _rootShift)];
            if (node < 0)
            {
                return false;
            }

            for (int level = 0; level < target; level++)
            {
                int chunk = ChunkAt(key, level);
                uint ext = _bitmap[node] >> 16;
                if ((ext & (1u << chunk)) == 0)
                {
                    return false;
                }

                node = _childBase[node] + TrieBits.PopCount16(ext & ((1u << chunk) - 1));
            }

            int pos = InternalBit(ChunkAt(key, target), rel & 3);
            uint bm = _bitmap[node];
            if ((bm & (1u << pos)) == 0)
            {
                return false;
            }

            group = _result[_resultBase[node] + TrieBits.PopCount16(bm & ((1u << pos) - 1))];
            return true;
        }

        /// <summary>
        /// Calls <paramref name="visitor"/> for every route in prefix order (address ascending, then length
        /// ascending) until it returns false. Returns the number of routes visited. Allocation-free (recursion
        /// depth at most RootBits + 40 frames). The table must not be changed during the walk.
        /// </summary>
        public int Enumerate(IFibVisitor visitor)
        {
            _visitor = visitor;
            _visited = 0;
            _stop = false;
            WalkShort(0, 0);
            _visitor = null;
            return _visited;
        }

        /// <summary>Removes every route (dropping their group references).</summary>
        public void Clear()
        {
            for (int i = 0; i < _short.Length; i++)
            {
                if (_short[i] != 0)
                {
                    ReleaseGroup(_short[i] - 1);
                    _short[i] = 0;
                }
            }

            for (int i = 0; i < _result.Length; i++)
            {
                if (!_results.IsFree(i))
                {
                    ReleaseGroup(_result[i]);
                }
            }

            _nodes.Clear();
            _results.Clear();
            System.Array.Clear(_rootBest, 0, _rootBest.Length);
            for (int i = 0; i < _rootNode.Length; i++)
            {
                _rootNode[i] = -1;
            }

            _count = 0;
        }

        /// <summary>True when length is 0..32 and no bit below the length is set.</summary>
        public static bool ValidPrefix(uint prefix, int length)
        {
            if (length < 0 || length > 32)
            {
                return false;
            }

            if (length == 0)
            {
                return prefix == 0;
            }

            return length == 32 || (prefix & (0xFFFFFFFFu >> length)) == 0;
        }

        private bool ValidGroup(int group)
        {
            if (_groups != null)
            {
                return _groups.IsValid(group);
            }

            return group >= 0 && group < NextHopGroupTable.MaxGroups;
        }

        // Full because the route count is at capacity (compaction cannot help).
        private FibResult Refuse()
        {
            return FibResult.Full;
        }

        // Full because an arena had no contiguous run; Insert compacts and retries once.
        private FibResult PoolFull()
        {
            _poolExhausted = true;
            return FibResult.Full;
        }

        private FibResult InsertShort(uint prefix, int length, int group)
        {
            int idx = ShortIndex(prefix, length);
            int old = _short[idx];
            if (old == 0)
            {
                if (_count >= _routeCapacity)
                {
                    return Refuse();
                }

                _count++;
            }

            AddGroupRef(group);
            _short[idx] = (ushort)(group + 1);
            if (old != 0)
            {
                ReleaseGroup(old - 1);
            }

            PushShort(prefix, length);
            return FibResult.Ok;
        }

        private FibResult DeleteShort(uint prefix, int length)
        {
            int idx = ShortIndex(prefix, length);
            int old = _short[idx];
            if (old == 0)
            {
                return FibResult.NotFound;
            }

            _short[idx] = 0;
            _count--;
            ReleaseGroup(old - 1);
            PushShort(prefix, length);
            return FibResult.Ok;
        }

        // Recomputes the leaf-pushed best short prefix of every root slot under prefix/length.
        private void PushShort(uint prefix, int length)
        {
            int inherited = 0;
            for (int l = length - 1; l >= 0 && inherited == 0; l--)
            {
                inherited = _short[ShortIndex(prefix, l)];
            }

            int first = (int)(prefix >> _rootShift);
            int n = 1 << (_rootBits - length);
            for (int s = first; s < first + n; s++)
            {
                int best = inherited;
                for (int l = _rootBits - 1; l >= length; l--)
                {
                    int v = _short[(1 << l) - 1 + (s >> (_rootBits - l))];
                    if (v != 0)
                    {
                        best = v;
                        break;
                    }
                }

                _rootBest[s] = (ushort)best;
            }
        }

        private static int ShortIndex(uint prefix, int length)
        {
            return length == 0 ? 0 : (1 << length) - 1 + (int)(prefix >> (32 - length));
        }

        private FibResult InsertInNode(int node, int chunk, int relLen, int group)
        {
            int pos = InternalBit(chunk, relLen);
            uint bm = _bitmap[node];
            int rank = TrieBits.PopCount16(bm & ((1u << pos) - 1));
            int rb = _resultBase[node];
            if ((bm & (1u << pos)) != 0)
            {
                int old = _result[rb + rank];
                AddGroupRef(group);
                _result[rb + rank] = (ushort)group;
                ReleaseGroup(old);
                return FibResult.Ok;
            }

            if (_count >= _routeCapacity)
            {
                return Refuse();
            }

            int k = TrieBits.PopCount16(bm & InternalMask);
            int nb;
            if (k == 0)
            {
                nb = _results.Allocate(1);
                if (nb < 0)
                {
                    return PoolFull();
                }
            }
            else if (_results.TryExtend(rb, k))
            {
                nb = rb;
                for (int i = k; i > rank; i--)
                {
                    _result[rb + i] = _result[rb + i - 1];
                }
            }
            else
            {
                nb = _results.Allocate(k + 1);
                if (nb < 0)
                {
                    return PoolFull();
                }

                for (int i = 0; i < rank; i++)
                {
                    _result[nb + i] = _result[rb + i];
                }

                for (int i = rank; i < k; i++)
                {
                    _result[nb + i + 1] = _result[rb + i];
                }

                _results.Release(rb, k);
            }

            _result[nb + rank] = (ushort)group;
            _resultBase[node] = nb;
            _bitmap[node] = bm | (1u << pos);
            _count++;
            AddGroupRef(group);
            return FibResult.Ok;
        }

        // Creates the nodes of levels missing..target (the first one attached to parent, or to the root slot when
        // missing is 0) and puts the route in the last. All slots are taken before anything is changed.
        private FibResult InsertWithNewNodes(int slot, uint key, int missing, int parent, int parentChunk, int target, int relLen, int group)
        {
            _allocs = 0;
            int block;
            int pk = 0;
            int prank = 0;
            int pbase = -1;
            bool inPlace = false;
            if (parent < 0)
            {
                block = TakeNodes(1);
            }
            else
            {
                uint pext = _bitmap[parent] >> 16;
                pk = TrieBits.PopCount16(pext);
                prank = TrieBits.PopCount16(pext & ((1u << parentChunk) - 1));
                pbase = _childBase[parent];
                if (pk > 0 && _nodes.TryExtend(pbase, pk))
                {
                    inPlace = true;
                    _allocStart[_allocs] = pbase + pk;
                    _allocCount[_allocs] = 1;
                    _allocs++;
                    block = pbase;
                }
                else
                {
                    block = TakeNodes(pk + 1);
                }
            }

            bool ok = block >= 0;
            for (int level = missing + 1; ok && level <= target; level++)
            {
                _pathNode[level] = TakeNodes(1);
                ok = _pathNode[level] >= 0;
            }

            int rs = ok ? _results.Allocate(1) : -1;
            if (rs < 0)
            {
                for (int i = 0; i < _allocs; i++)
                {
                    _nodes.Release(_allocStart[i], _allocCount[i]);
                }

                return PoolFull();
            }

            // Commit: place the first new node in its block.
            int first;
            if (parent < 0)
            {
                first = block;
                _rootNode[slot] = first;
            }
            else
            {
                if (inPlace)
                {
                    for (int i = pk; i > prank; i--)
                    {
                        MoveNode(pbase + i - 1, pbase + i);
                    }
                }
                else
                {
                    for (int i = 0; i < prank; i++)
                    {
                        MoveNode(pbase + i, block + i);
                    }

                    for (int i = prank; i < pk; i++)
                    {
                        MoveNode(pbase + i, block + i + 1);
                    }

                    if (pk > 0)
                    {
                        _nodes.Release(pbase, pk);
                    }

                    _childBase[parent] = block;
                }

                first = block + prank;
                _bitmap[parent] |= 1u << (16 + parentChunk);
            }

            int node = first;
            for (int level = missing; level < target; level++)
            {
                int next = _pathNode[level + 1];
                _bitmap[node] = 1u << (16 + ChunkAt(key, level));
                _childBase[node] = next;
                _resultBase[node] = -1;
                node = next;
            }

            _bitmap[node] = 1u << InternalBit(ChunkAt(key, target), relLen);
            _childBase[node] = -1;
            _resultBase[node] = rs;
            _result[rs] = (ushort)group;
            _count++;
            AddGroupRef(group);
            return FibResult.Ok;
        }

        private int TakeNodes(int count)
        {
            int start = _nodes.Allocate(count);
            if (start >= 0)
            {
                _allocStart[_allocs] = start;
                _allocCount[_allocs] = count;
                _allocs++;
            }

            return start;
        }

        // Removes empty nodes from path level `level` upwards (_pathNode holds the path).
        private void Prune(int slot, uint key, int level)
        {
            while (level >= 0)
            {
                int dead = _pathNode[level];
                if (_bitmap[dead] != 0)
                {
                    return;
                }

                if (level == 0)
                {
                    _rootNode[slot] = -1;
                    _nodes.Release(dead, 1);
                    return;
                }

                int parent = _pathNode[level - 1];
                int chunk = ChunkAt(key, level - 1);
                uint pbm = _bitmap[parent];
                uint pext = pbm >> 16;
                int pk = TrieBits.PopCount16(pext);
                int prank = TrieBits.PopCount16(pext & ((1u << chunk) - 1));
                int pbase = _childBase[parent];
                for (int i = prank; i < pk - 1; i++)
                {
                    MoveNode(pbase + i + 1, pbase + i);
                }

                _nodes.Release(pbase + pk - 1, 1);
                if (pk == 1)
                {
                    _childBase[parent] = -1;
                }

                _bitmap[parent] = pbm & ~(1u << (16 + chunk));
                level--;
            }
        }

        private void MoveNode(int from, int to)
        {
            _bitmap[to] = _bitmap[from];
            _childBase[to] = _childBase[from];
            _resultBase[to] = _resultBase[from];
        }

        private void AddGroupRef(int group)
        {
            if (_groups != null)
            {
                _groups.AddRef(group);
            }
        }

        private void ReleaseGroup(int group)
        {
            if (_groups != null)
            {
                _groups.Release(group);
            }
        }

        private void WalkShort(int length, int value)
        {
            if (_stop)
            {
                return;
            }

            if (length == _rootBits)
            {
                int node = _rootNode[value];
                if (node >= 0)
                {
                    WalkNode(node, length, (uint)value << _rootShift, 0, 0);
                }

                return;
            }

            int v = _short[(1 << length) - 1 + value];
            if (v != 0)
            {
                Emit(length == 0 ? 0u : (uint)value << (32 - length), length, v - 1);
            }

            WalkShort(length + 1, value << 1);
            WalkShort(length + 1, (value << 1) | 1);
        }

        // Preorder over the binary positions inside one node: relative length rel, value v (rel bits).
        private void WalkNode(int node, int depth, uint basePrefix, int rel, int v)
        {
            if (_stop)
            {
                return;
            }

            uint bm = _bitmap[node];
            if (rel == Stride)
            {
                uint ext = bm >> 16;
                if ((ext & (1u << v)) != 0)
                {
                    int child = _childBase[node] + TrieBits.PopCount16(ext & ((1u << v) - 1));
                    WalkNode(child, depth + Stride, basePrefix | ((uint)v << (32 - depth - Stride)), 0, 0);
                }

                return;
            }

            int pos = (1 << rel) - 1 + v;
            if ((bm & (1u << pos)) != 0)
            {
                int length = depth + rel;
                uint prefix = rel == 0 ? basePrefix : basePrefix | ((uint)v << (32 - length));
                Emit(prefix, length, _result[_resultBase[node] + TrieBits.PopCount16(bm & ((1u << pos) - 1))]);
            }

            if (depth + rel < 32)
            {
                WalkNode(node, depth, basePrefix, rel + 1, v << 1);
                WalkNode(node, depth, basePrefix, rel + 1, (v << 1) | 1);
            }
        }

        private void Emit(uint prefix, int length, int group)
        {
            _visited++;
            if (!_visitor.Visit(prefix, length, group))
            {
                _stop = true;
            }
        }

        private static int ChunkAt(uint key, int level)
        {
            return (int)((key << (level << 2)) >> 28);
        }

        // Internal-bitmap bit of the prefix of relative length relLen (0..3) on chunk's path.
        private static int InternalBit(int chunk, int relLen)
        {
            return (1 << relLen) - 1 + (chunk >> (Stride - relLen));
        }

        private static uint[] BuildMatchMask()
        {
            uint[] m = new uint[16];
            for (int c = 0; c < 16; c++)
            {
                m[c] = (1u << InternalBit(c, 0)) | (1u << InternalBit(c, 1)) | (1u << InternalBit(c, 2)) | (1u << InternalBit(c, 3));
            }

            return m;
        }
    }
}
