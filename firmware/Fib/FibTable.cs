using VpnAppliance.Core;

namespace VpnAppliance.Fib
{
    /// <summary>
    /// IPv4 forwarding table: longest-prefix match from a destination address to a next-hop group id.
    ///
    /// Structure: a Tree Bitmap (Eatherton, Varghese, Dittia, "Tree Bitmap: hardware/software IP lookups with
    /// incremental updates", ACM SIGCOMM CCR 34(2), 2004) with a direct-indexed root and leaf compression.
    /// - Root: 2^RootBits slots indexed by the top RootBits address bits. Each slot holds the trie node for that
    ///   /RootBits (or -1) and 1 + the group of the longest prefix shorter than RootBits covering the slot
    ///   (leaf-pushed from the short-prefix table, so a lookup never looks above the root).
    /// - Short prefixes (length &lt; RootBits) live in a heap-indexed table (index 2^len - 1 + top len bits).
    /// - Below the root, nodes cover Stride = 4 address bits at depths RootBits + 4k, all in one uint[] arena:
    ///   node record (3 words): [0] bitmap: bits 0..14 internal (prefixes of relative length 0..3 in heap order,
    ///       bit 2^l - 1 + v), bits 16..31 external (which of the 16 children exist);
    ///     [1] leaf map: bits 0..15, which children are leaves; [2] base: first word of the node's block, or -1.
    ///   block: the children in chunk order (a full node: its 3-word record; a leaf: 1 word), then the node's
    ///     results packed two 16-bit group ids per word, in internal-bit order.
    ///   leaf (1 word): a child with exactly one prefix and no children: bits 0..3 its internal bit, 16..31 group.
    ///   Offsets are ranks: child c is at base + popcount(ext below c) + 2 * popcount(node children below c).
    /// - Lookup: per level one bitmap word, a 16-entry mask table for the internal match, popcount for the
    ///   child offset; a leaf ends the walk; the result of the deepest matching node is read once at the end.
    ///
    /// Why stride 4 (memory per route against IL operations per lookup on the nanoFramework interpreter, which
    /// dispatches every IL instruction, so IL ops are the cost model there, and whose native word is 32 bits):
    /// - stride 3: 7 + 8 = 15 bitmap bits; one more level than stride 4 for most prefixes (+~40 IL ops per lookup)
    ///   and a 12-byte node per 3 bits of sparse path.
    /// - stride 4: 15 + 16 = 31 bits, the widest stride whose two bitmaps fit one 32-bit word: one load, one mask
    ///   per level, popcount on 16 bits (SWAR, 11 ops). A /24 is 3..4 levels below a 6..13-bit root.
    /// - stride 5: 31 + 32 = 63 bits: two words per node and popcounts on 32 bits (+2 loads, +6 ops per level),
    ///   16-byte nodes; it saves a level only for some root widths and costs more bytes per sparse branch,
    ///   which dominates the BGP-like tables (most routes are /24s alone in their /21).
    /// Leaf compression makes the common case (one /22../24 alone under its node) one word instead of a node.
    /// Measured figures (bytes per route, lookups/s) are in the issue 3 report. Choose RootBits with 24 -
    /// RootBits not a multiple of 4 (e.g. 6, 9, 13): a /24 is then internal to a node instead of needing a
    /// node of its own at depth 24 (FibSizing.RootBitsFor).
    ///
    /// Invariants: no node has an empty bitmap (delete prunes it); a node below a root slot with one prefix
    /// and no children is stored as a leaf; every used arena word belongs to a live record, leaf or block.
    /// Memory is allocated only by the constructor; operations after that allocate nothing. An insert first
    /// reserves every block it needs (compacting the arena once if holes are in the way); if that fails it
    /// returns <see cref="FibResult.Full"/> and the table is exactly as it was.
    /// Addresses are host order; a group is a next-hop group id (0..65534).
    /// </summary>
    public sealed class FibTable
    {
        /// <summary>Address bits consumed per trie level.</summary>
        public const int Stride = 4;

        private const int NodeWords = 3;
        private const int MaxLevels = 9;   // (32 - 1) / 4 + 1 levels below the smallest root
        private const int MaxPlans = 12;   // blocks one insert reserves besides the regrown one
        private const uint InternalMask = 0x7FFFu;
        private const uint NoBlock = 0xFFFFFFFFu;

        // For chunk c (the next 4 address bits): the internal-bitmap bits of the 4 prefixes on c's path.
        private static readonly uint[] MatchMask = BuildMatchMask();

        private readonly int _rootBits;
        private readonly int _rootShift;
        private readonly int _routeCapacity;
        private readonly int _nodeCapacity;
        private readonly int[] _rootNode;       // per root slot: word index of the node record, or -1
        private readonly ushort[] _rootBest;    // per root slot: 1 + group of the longest short prefix covering it; 0 none
        private readonly ushort[] _short;       // heap-indexed short prefixes: 1 + group; 0 none
        private readonly uint[] _w;             // the arena: node records, leaves, blocks
        private readonly SlotArena _arena;
        private readonly NextHopGroupTable _groups;
        private readonly int[] _path;           // scratch: node records on the path of the current change
        private readonly int[] _planSize;       // scratch: sizes of the fresh blocks the current insert needs
        private readonly int[] _planStart;      // scratch: where they were reserved
        private IFibVisitor _visitor;
        private int _count;
        private int _nodes;
        private int _fullCount;
        private int _compactions;
        private int _plans;
        private int _visited;
        private int _growNode;                  // node whose block the current insert regrows, or -1
        private int _growSize;
        private int _growGap;
        private int _growStart;
        private bool _growInPlace;
        private bool _stop;
        private bool _releasing;
        private bool _poolExhausted;

        /// <summary>
        /// Creates an empty table for <paramref name="routes"/> prefixes, <paramref name="trieNodes"/> full trie
        /// nodes (arena words: <see cref="FibSizing.WordsFor"/>) and a 2^<paramref name="rootBits"/> root.
        /// <paramref name="groups"/> (may be null) is the group table whose reference counts the routes hold;
        /// when null any group id 0..65534 is accepted.
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
            _nodeCapacity = trieNodes;
            int slots = 1 << rootBits;
            _rootNode = new int[slots];
            _rootBest = new ushort[slots];
            _short = new ushort[slots - 1];
            int words = FibSizing.WordsFor(routes, trieNodes);
            _w = new uint[words];
            _arena = new SlotArena(words);
            _groups = groups;
            _path = new int[MaxLevels];
            _planSize = new int[MaxPlans];
            _planStart = new int[MaxPlans];
            _growNode = -1;
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
            int words = FibSizing.WordsFor(routes, trieNodes);
            budget.AddObject(28, 10 * 8 + 14 * 4 + 4);
            budget.AddValueArray(4, slots);
            budget.AddValueArray(2, slots);
            budget.AddValueArray(2, slots - 1);
            budget.AddValueArray(4, words);
            SlotArena.Account(budget, words);
            budget.AddValueArray(4, MaxLevels);
            budget.AddValueArray(4, MaxPlans);
            budget.AddValueArray(4, MaxPlans);
        }

        /// <summary>Describes what the constructor allocates for a board profile.</summary>
        public static void Account(MemoryBudget budget, Capacities capacities)
        {
            Account(budget, capacities.Routes, capacities.TrieNodes, capacities.FibRootBits);
        }

        /// <summary>Static tables shared by every FIB and group table (once per image): match masks, log2 fractions.</summary>
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

        /// <summary>Full trie nodes the arena was sized for.</summary>
        public int NodeCapacity { get { return _nodeCapacity; } }

        /// <summary>Full trie nodes (3-word records) in use; leaves are not nodes.</summary>
        public int NodesInUse { get { return _nodes; } }

        /// <summary>Arena words.</summary>
        public int WordCapacity { get { return _arena.Capacity; } }

        /// <summary>Arena words in use (records, leaves, packed results).</summary>
        public int WordsInUse { get { return _arena.InUse; } }

        /// <summary>Times an insert was refused (route count or arena).</summary>
        public int FullCount { get { return _fullCount; } }

        /// <summary>Times the arena was compacted to make room.</summary>
        public int Compactions { get { return _compactions; } }

        /// <summary>
        /// The group of the longest prefix containing <paramref name="address"/>, or -1 when no prefix does.
        /// No allocation, no interface call.
        /// </summary>
        public int Lookup(uint address)
        {
            int slot = (int)(address >> _rootShift);
            int node = _rootNode[slot];
            if (node >= 0)
            {
                uint[] w = _w;
                uint[] matchMask = MatchMask;
                uint key = address << _rootBits;
                int bestNode = -1;
                uint bestMatch = 0;
                uint bestChunk = 0;
                while (true)
                {
                    uint bm = w[node];
                    uint chunk = key >> 28;
                    uint m = bm & matchMask[chunk];
                    if (m != 0)
                    {
                        bestNode = node;
                        bestMatch = m;
                        bestChunk = chunk;
                    }

                    uint bit = 1u << (int)chunk;
                    uint ext = bm >> 16;
                    if ((ext & bit) == 0)
                    {
                        break;
                    }

                    uint below = ext & (bit - 1);
                    uint leaves = w[node + 1];
                    int child = (int)w[node + 2] + TrieBits.PopCount16(below) + 2 * TrieBits.PopCount16(below & ~leaves);
                    key <<= 4;
                    if ((leaves & bit) != 0)
                    {
                        // A leaf is deeper than any match so far: it wins if its one prefix matches.
                        uint leaf = w[child];
                        if (((matchMask[key >> 28] >> (int)(leaf & 15u)) & 1u) != 0)
                        {
                            return (int)(leaf >> 16);
                        }

                        break;
                    }

                    node = child;
                }

                if (bestNode >= 0)
                {
                    // Longest match in that node: the highest set bit of bestMatch (longer = higher bit).
                    int pos = bestMatch >= 0x80u ? 7 + (int)(bestChunk >> 1)
                        : bestMatch >= 0x8u ? 3 + (int)(bestChunk >> 2)
                        : bestMatch >= 0x2u ? 1 + (int)(bestChunk >> 3)
                        : 0;
                    uint bm = w[bestNode];
                    uint ext = bm >> 16;
                    int rank = TrieBits.PopCount16(bm & ((1u << pos) - 1));
                    int at = (int)w[bestNode + 2] + TrieBits.PopCount16(ext) + 2 * TrieBits.PopCount16(ext & ~w[bestNode + 1]) + (rank >> 1);
                    return (int)((rank & 1) == 0 ? w[at] & 0xFFFFu : w[at] >> 16);
                }
            }

            return _rootBest[slot] - 1;
        }

        /// <summary>
        /// Inserts prefix/length with <paramref name="group"/>, or replaces the group of an existing prefix.
        /// Invalid: length outside 0..32, host bits set, or an unknown group. Full: no room for the route or
        /// for the trie words it needs (the table is left exactly as it was).
        /// </summary>
        public FibResult Insert(uint prefix, int length, int group)
        {
            _poolExhausted = false;
            FibResult result = TryInsert(prefix, length, group);
            if (result == FibResult.Full && _poolExhausted && _arena.HasHoles)
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

        /// <summary>Removes prefix/length: Ok, or NotFound (also for an invalid prefix) with no change. Never allocates words.</summary>
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
            int pos = InternalBit(ChunkAt(key, target), rel & 3);
            int n = _rootNode[slot];
            if (n < 0)
            {
                return FibResult.NotFound;
            }

            _path[0] = n;
            for (int level = 0; level < target; level++)
            {
                int c = ChunkAt(key, level);
                uint bm = _w[n];
                uint ext = bm >> 16;
                uint bit = 1u << c;
                if ((ext & bit) == 0)
                {
                    return FibResult.NotFound;
                }

                uint leaves = _w[n + 1];
                int co = ChildOffset(ext, leaves, c);
                int child = (int)_w[n + 2] + co;
                if ((leaves & bit) != 0)
                {
                    uint leaf = _w[child];
                    if (level + 1 != target || (int)(leaf & 15u) != pos)
                    {
                        return FibResult.NotFound;
                    }

                    int size = BlockSize(n);
                    ShrinkBlock(n, size, co, 1);
                    _w[n] = bm & ~(1u << (16 + c));
                    _w[n + 1] = leaves & ~bit;
                    _count--;
                    ReleaseGroup((int)(leaf >> 16));
                    Normalize(slot, key, level);
                    return FibResult.Ok;
                }

                n = child;
                _path[level + 1] = n;
            }

            uint nbm = _w[n];
            if ((nbm & (1u << pos)) == 0)
            {
                return FibResult.NotFound;
            }

            int nsize = BlockSize(n);
            int q = TrieBits.PopCount16(nbm & InternalMask);
            int rank = TrieBits.PopCount16(nbm & ((1u << pos) - 1));
            int rb = (int)_w[n + 2] + ChildWords(nbm, _w[n + 1]);
            int old = GetHalf(rb, rank);
            for (int j = rank; j < q - 1; j++)
            {
                SetHalf(rb, j, GetHalf(rb, j + 1));
            }

            SetHalf(rb, q - 1, 0);
            if ((q & 1) == 1)
            {
                ShrinkBlock(n, nsize, nsize - 1, 1);
            }

            _w[n] = nbm & ~(1u << pos);
            _count--;
            ReleaseGroup(old);
            Normalize(slot, key, target);
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
            int pos = InternalBit(ChunkAt(key, target), rel & 3);
            int n = _rootNode[(int)(prefix >> _rootShift)];
            if (n < 0)
            {
                return false;
            }

            for (int level = 0; level < target; level++)
            {
                int c = ChunkAt(key, level);
                uint ext = _w[n] >> 16;
                uint bit = 1u << c;
                if ((ext & bit) == 0)
                {
                    return false;
                }

                uint leaves = _w[n + 1];
                int child = (int)_w[n + 2] + ChildOffset(ext, leaves, c);
                if ((leaves & bit) != 0)
                {
                    uint leaf = _w[child];
                    if (level + 1 != target || (int)(leaf & 15u) != pos)
                    {
                        return false;
                    }

                    group = (int)(leaf >> 16);
                    return true;
                }

                n = child;
            }

            uint bm = _w[n];
            if ((bm & (1u << pos)) == 0)
            {
                return false;
            }

            group = GetHalf((int)_w[n + 2] + ChildWords(bm, _w[n + 1]), TrieBits.PopCount16(bm & ((1u << pos) - 1)));
            return true;
        }

        /// <summary>
        /// Calls <paramref name="visitor"/> for every route in prefix order (address ascending, then length
        /// ascending) until it returns false. Returns the number of routes visited. Allocation-free (recursion
        /// depth at most RootBits + 45 frames). The table must not be changed during the walk.
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
            if (_groups != null)
            {
                _releasing = true;
                _stop = false;
                WalkShort(0, 0);
                _releasing = false;
            }

            _arena.Clear();
            System.Array.Clear(_short, 0, _short.Length);
            System.Array.Clear(_rootBest, 0, _rootBest.Length);
            for (int i = 0; i < _rootNode.Length; i++)
            {
                _rootNode[i] = -1;
            }

            _count = 0;
            _nodes = 0;
        }

        /// <summary>
        /// Slides every record, leaf and block to the bottom of the arena (order kept) so that all free words form
        /// one run. O(arena); Insert calls it when holes block a reservation. Allocation-free.
        /// </summary>
        public void Compact()
        {
            int top = _arena.Top;
            _arena.BeginCompaction();
            for (int i = 0; i < _rootNode.Length; i++)
            {
                int n = _rootNode[i];
                if (n >= 0)
                {
                    RebaseSubtree(n);
                    _rootNode[i] = _arena.CompactedIndex(n);
                }
            }

            for (int s = 0; s < top; s++)
            {
                if (!_arena.IsFree(s))
                {
                    _w[_arena.CompactedIndex(s)] = _w[s];
                }
            }

            _arena.EndCompaction();
            _compactions++;
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
            uint key = prefix << _rootBits;
            int pos = InternalBit(ChunkAt(key, target), rel & 3);
            int n = _rootNode[slot];
            if (n < 0)
            {
                if (_count >= _routeCapacity)
                {
                    return FibResult.Full;
                }

                // A fresh root node record, then its chain down to the target level.
                _plans = 0;
                _growNode = -1;
                Plan(NodeWords);
                PlanChain(0, target);
                if (!Reserve())
                {
                    return PoolFull();
                }

                int record = _planStart[0];
                BuildChain(record, 0, target, key, pos, group, 1);
                _rootNode[slot] = record;
                return Added(group);
            }

            for (int level = 0; ; level++)
            {
                if (level == target)
                {
                    return AddResult(n, pos, group);
                }

                int c = ChunkAt(key, level);
                uint bm = _w[n];
                uint ext = bm >> 16;
                uint bit = 1u << c;
                if ((ext & bit) == 0)
                {
                    return AddChild(n, level, c, key, target, pos, group);
                }

                uint leaves = _w[n + 1];
                int co = ChildOffset(ext, leaves, c);
                int child = (int)_w[n + 2] + co;
                if ((leaves & bit) == 0)
                {
                    n = child;
                    continue;
                }

                uint leaf = _w[child];
                if (level + 1 == target && (int)(leaf & 15u) == pos)
                {
                    int old = (int)(leaf >> 16);
                    AddGroupRef(group);
                    _w[child] = (leaf & 0xFFFFu) | ((uint)group << 16);
                    ReleaseGroup(old);
                    return FibResult.Ok;
                }

                return ExpandLeaf(n, level, c, co, leaf, key, target, pos, group);
            }
        }

        // The target node exists: set its internal bit and insert the result in rank order.
        private FibResult AddResult(int n, int pos, int group)
        {
            uint bm = _w[n];
            int rank = TrieBits.PopCount16(bm & ((1u << pos) - 1));
            if ((bm & (1u << pos)) != 0)
            {
                int rbase = (int)_w[n + 2] + ChildWords(bm, _w[n + 1]);
                int old = GetHalf(rbase, rank);
                AddGroupRef(group);
                SetHalf(rbase, rank, group);
                ReleaseGroup(old);
                return FibResult.Ok;
            }

            if (_count >= _routeCapacity)
            {
                return FibResult.Full;
            }

            int q = TrieBits.PopCount16(bm & InternalMask);
            if ((q & 1) == 0)
            {
                // The results need one more word, at the end of the block.
                int size = BlockSize(n);
                _plans = 0;
                Grow(n, size, 1);
                if (!Reserve())
                {
                    return PoolFull();
                }

                ApplyGrow(size);
                _w[(int)_w[n + 2] + size] = 0;
            }

            int rb = (int)_w[n + 2] + ChildWords(bm, _w[n + 1]);
            for (int j = q; j > rank; j--)
            {
                SetHalf(rb, j, GetHalf(rb, j - 1));
            }

            SetHalf(rb, rank, group);
            _w[n] = bm | (1u << pos);
            return Added(group);
        }

        // Node n (at level) has no child at chunk c: add a leaf, or a node and the chain below it.
        private FibResult AddChild(int n, int level, int c, uint key, int target, int pos, int group)
        {
            if (_count >= _routeCapacity)
            {
                return FibResult.Full;
            }

            uint bm = _w[n];
            uint leaves = _w[n + 1];
            int co = ChildOffset(bm >> 16, leaves, c);
            int size = BlockSize(n);
            bool leaf = level + 1 == target;
            _plans = 0;
            Grow(n, size, leaf ? 1 : NodeWords);
            if (!leaf)
            {
                PlanChain(level + 1, target);
            }

            if (!Reserve())
            {
                return PoolFull();
            }

            int nb = ApplyGrowAt(size, co);
            if (leaf)
            {
                _w[nb + co] = (uint)pos | ((uint)group << 16);
                _w[n + 1] = leaves | (1u << c);
            }
            else
            {
                BuildChain(nb + co, level + 1, target, key, pos, group, 0);
            }

            _w[n] = bm | (1u << (16 + c));
            return Added(group);
        }

        // Node n's child at chunk c is a leaf that is not the target: turn it into a full node m holding the
        // leaf's prefix, and put the new route into m (as a second result, or a child leaf / chain of m).
        private FibResult ExpandLeaf(int n, int level, int c, int co, uint leaf, uint key, int target, int pos, int group)
        {
            if (_count >= _routeCapacity)
            {
                return FibResult.Full;
            }

            int size = BlockSize(n);
            int mLevel = level + 1;
            _plans = 0;
            Grow(n, size, NodeWords - 1);
            if (mLevel == target)
            {
                Plan(1);                    // m's block: one word with both results
            }
            else if (mLevel + 1 == target)
            {
                Plan(2);                    // m's block: [leaf][result word]
            }
            else
            {
                Plan(NodeWords + 1);        // m's block: [child record][result word]
                PlanChain(mLevel + 1, target);
            }

            if (!Reserve())
            {
                return PoolFull();
            }

            int nb = ApplyGrowAt(size, co + 1);
            int m = nb + co;
            int mb = _planStart[0];
            int leafPos = (int)(leaf & 15u);
            uint leafGroup = leaf >> 16;
            if (mLevel == target)
            {
                _w[m] = (1u << leafPos) | (1u << pos);
                _w[m + 1] = 0;
                _w[mb] = leafPos < pos ? leafGroup | ((uint)group << 16) : (uint)group | (leafGroup << 16);
            }
            else
            {
                int c1 = ChunkAt(key, mLevel);
                _w[m] = (1u << leafPos) | (1u << (16 + c1));
                if (mLevel + 1 == target)
                {
                    _w[m + 1] = 1u << c1;
                    _w[mb] = (uint)pos | ((uint)group << 16);
                    _w[mb + 1] = leafGroup;
                }
                else
                {
                    _w[m + 1] = 0;
                    BuildChain(mb, mLevel + 1, target, key, pos, group, 1);
                    _w[mb + NodeWords] = leafGroup;
                }
            }

            _w[m + 2] = (uint)mb;
            _w[n + 1] &= ~(1u << c);
            _nodes++;
            return Added(group);
        }

        private FibResult Added(int group)
        {
            _count++;
            AddGroupRef(group);
            return FibResult.Ok;
        }

        // Blocks of a fresh node at `level` and of the fresh nodes below it, down to the target level.
        private void PlanChain(int level, int target)
        {
            while (true)
            {
                if (level >= target - 1)
                {
                    Plan(1);                // one result word (level == target) or one leaf (level + 1 == target)
                    return;
                }

                Plan(NodeWords);            // the record of the next fresh node
                level++;
            }
        }

        // Writes the fresh node record at `record` (level) and its chain, using reserved blocks from `plan` on.
        private void BuildChain(int record, int level, int target, uint key, int pos, int group, int plan)
        {
            while (true)
            {
                int block = _planStart[plan++];
                _nodes++;
                if (level == target)
                {
                    _w[record] = 1u << pos;
                    _w[record + 1] = 0;
                    _w[record + 2] = (uint)block;
                    _w[block] = (uint)group;
                    return;
                }

                int c = ChunkAt(key, level);
                _w[record] = 1u << (16 + c);
                _w[record + 2] = (uint)block;
                if (level + 1 == target)
                {
                    _w[record + 1] = 1u << c;
                    _w[block] = (uint)pos | ((uint)group << 16);
                    return;
                }

                _w[record + 1] = 0;
                record = block;
                level++;
            }
        }

        private void Plan(int words)
        {
            _planSize[_plans++] = words;
        }

        private void Grow(int node, int size, int gap)
        {
            _growNode = node;
            _growSize = size;
            _growGap = gap;
        }

        // Takes every block of the plan (and the regrown block) or nothing.
        private bool Reserve()
        {
            _growInPlace = false;
            bool ok = true;
            if (_growNode >= 0)
            {
                int b = (int)_w[_growNode + 2];
                if (_growSize > 0 && _arena.TryExtend(b, _growSize, _growGap))
                {
                    _growInPlace = true;
                    _growStart = b;
                }
                else
                {
                    _growStart = _arena.Allocate(_growSize + _growGap);
                    ok = _growStart >= 0;
                }
            }

            int taken = 0;
            while (ok && taken < _plans)
            {
                _planStart[taken] = _arena.Allocate(_planSize[taken]);
                ok = _planStart[taken] >= 0;
                if (ok)
                {
                    taken++;
                }
            }

            if (ok)
            {
                return true;
            }

            for (int i = 0; i < taken; i++)
            {
                _arena.Release(_planStart[i], _planSize[i]);
            }

            if (_growNode >= 0 && _growStart >= 0)
            {
                if (_growInPlace)
                {
                    _arena.Release(_growStart + _growSize, _growGap);
                }
                else
                {
                    _arena.Release(_growStart, _growSize + _growGap);
                }
            }

            _growNode = -1;
            return false;
        }

        private void ApplyGrow(int size)
        {
            ApplyGrowAt(size, size);
        }

        // Moves the regrown node's block into its reserved place with a gap of _growGap words at offset `at`;
        // returns the new base.
        private int ApplyGrowAt(int size, int at)
        {
            int n = _growNode;
            int gap = _growGap;
            _growNode = -1;
            int oldBase = (int)_w[n + 2];
            if (_growInPlace)
            {
                for (int i = size - 1; i >= at; i--)
                {
                    _w[oldBase + i + gap] = _w[oldBase + i];
                }

                return oldBase;
            }

            int nb = _growStart;
            for (int i = 0; i < at; i++)
            {
                _w[nb + i] = _w[oldBase + i];
            }

            for (int i = at; i < size; i++)
            {
                _w[nb + i + gap] = _w[oldBase + i];
            }

            if (size > 0)
            {
                _arena.Release(oldBase, size);
            }

            _w[n + 2] = (uint)nb;
            return nb;
        }

        // Removes `gap` words at offset `at` from node n's block of `size` words (the block keeps its start).
        private void ShrinkBlock(int n, int size, int at, int gap)
        {
            int b = (int)_w[n + 2];
            for (int i = at; i < size - gap; i++)
            {
                _w[b + i] = _w[b + i + gap];
            }

            _arena.Release(b + size - gap, gap);
            if (size == gap)
            {
                _w[n + 2] = NoBlock;
            }
        }

        // After a delete at path level `level`: prune empty nodes upwards; turn a one-prefix childless node into a leaf.
        private void Normalize(int slot, uint key, int level)
        {
            while (true)
            {
                int n = _path[level];
                uint bm = _w[n];
                if (bm == 0)
                {
                    _nodes--;
                    if (level == 0)
                    {
                        _rootNode[slot] = -1;
                        _arena.Release(n, NodeWords);
                        return;
                    }

                    int p = _path[level - 1];
                    int c = ChunkAt(key, level - 1);
                    uint pbm = _w[p];
                    int co = ChildOffset(pbm >> 16, _w[p + 1], c);
                    ShrinkBlock(p, BlockSize(p), co, NodeWords);
                    _w[p] = pbm & ~(1u << (16 + c));
                    level--;
                    continue;
                }

                if (level > 0 && (bm >> 16) == 0 && TrieBits.PopCount16(bm) == 1)
                {
                    int pos = TrieBits.PopCount16(bm - 1);
                    int b = (int)_w[n + 2];
                    uint g = _w[b] & 0xFFFFu;
                    _arena.Release(b, 1);
                    int p = _path[level - 1];
                    int c = ChunkAt(key, level - 1);
                    uint pleaves = _w[p + 1];
                    int co = ChildOffset(_w[p] >> 16, pleaves, c);
                    int psize = BlockSize(p);
                    _w[n] = (uint)pos | (g << 16);
                    ShrinkBlock(p, psize, co + 1, NodeWords - 1);
                    _w[p + 1] = pleaves | (1u << c);
                    _nodes--;
                }

                return;
            }
        }

        // Compaction, first pass: rewrite every block base below node record n (post-order: children are found
        // through the old bases before they change).
        private void RebaseSubtree(int n)
        {
            if (_w[n + 2] == NoBlock)
            {
                return;
            }

            int b = (int)_w[n + 2];
            uint ext = _w[n] >> 16;
            uint leaves = _w[n + 1];
            int off = 0;
            for (int c = 0; c < 16; c++)
            {
                uint bit = 1u << c;
                if ((ext & bit) == 0)
                {
                    continue;
                }

                if ((leaves & bit) != 0)
                {
                    off++;
                }
                else
                {
                    RebaseSubtree(b + off);
                    off += NodeWords;
                }
            }

            _w[n + 2] = (uint)_arena.CompactedIndex(b);
        }

        private int BlockSize(int n)
        {
            uint bm = _w[n];
            return ChildWords(bm, _w[n + 1]) + ((TrieBits.PopCount16(bm & InternalMask) + 1) >> 1);
        }

        private static int ChildWords(uint bm, uint leaves)
        {
            uint ext = bm >> 16;
            return TrieBits.PopCount16(ext) + 2 * TrieBits.PopCount16(ext & ~leaves & 0xFFFFu);
        }

        private static int ChildOffset(uint ext, uint leaves, int c)
        {
            uint below = ext & ((1u << c) - 1);
            return TrieBits.PopCount16(below) + 2 * TrieBits.PopCount16(below & ~leaves & 0xFFFFu);
        }

        private int GetHalf(int rb, int i)
        {
            uint word = _w[rb + (i >> 1)];
            return (int)((i & 1) == 0 ? word & 0xFFFFu : word >> 16);
        }

        private void SetHalf(int rb, int i, int value)
        {
            int at = rb + (i >> 1);
            _w[at] = (i & 1) == 0 ? (_w[at] & 0xFFFF0000u) | (uint)value : (_w[at] & 0xFFFFu) | ((uint)value << 16);
        }

        private FibResult PoolFull()
        {
            _poolExhausted = true;
            return FibResult.Full;
        }

        private bool ValidGroup(int group)
        {
            if (_groups != null)
            {
                return _groups.IsValid(group);
            }

            return group >= 0 && group < NextHopGroupTable.MaxGroups;
        }

        private FibResult InsertShort(uint prefix, int length, int group)
        {
            int idx = ShortIndex(prefix, length);
            int old = _short[idx];
            if (old == 0)
            {
                if (_count >= _routeCapacity)
                {
                    return FibResult.Full;
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

        // Preorder over the binary positions inside node record n (at depth): relative length rel, value v.
        private void WalkNode(int n, int depth, uint basePrefix, int rel, int v)
        {
            if (_stop)
            {
                return;
            }

            uint bm = _w[n];
            if (rel == Stride)
            {
                uint ext = bm >> 16;
                uint bit = 1u << v;
                if ((ext & bit) != 0)
                {
                    uint leaves = _w[n + 1];
                    int child = (int)_w[n + 2] + ChildOffset(ext, leaves, v);
                    int childDepth = depth + Stride;
                    uint childPrefix = basePrefix | ((uint)v << (32 - childDepth));
                    if ((leaves & bit) != 0)
                    {
                        uint leaf = _w[child];
                        int pos = (int)(leaf & 15u);
                        int relLen = pos >= 7 ? 3 : pos >= 3 ? 2 : pos >= 1 ? 1 : 0;
                        int value = pos - ((1 << relLen) - 1);
                        uint prefix = relLen == 0 ? childPrefix : childPrefix | ((uint)value << (32 - childDepth - relLen));
                        Emit(prefix, childDepth + relLen, (int)(leaf >> 16));
                    }
                    else
                    {
                        WalkNode(child, childDepth, childPrefix, 0, 0);
                    }
                }

                return;
            }

            int p = (1 << rel) - 1 + v;
            if ((bm & (1u << p)) != 0)
            {
                int length = depth + rel;
                uint prefix = rel == 0 ? basePrefix : basePrefix | ((uint)v << (32 - length));
                int rb = (int)_w[n + 2] + ChildWords(bm, _w[n + 1]);
                Emit(prefix, length, GetHalf(rb, TrieBits.PopCount16(bm & ((1u << p) - 1))));
            }

            if (depth + rel < 32)
            {
                WalkNode(n, depth, basePrefix, rel + 1, v << 1);
                WalkNode(n, depth, basePrefix, rel + 1, (v << 1) | 1);
            }
        }

        private void Emit(uint prefix, int length, int group)
        {
            if (_releasing)
            {
                ReleaseGroup(group);
                return;
            }

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
