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
    ///   node record (2 words): [0] bitmap: bits 0..14 internal (prefixes of relative length 0..3 in heap order,
    ///       bit 2^l - 1 + v), bits 16..31 external (which of the 16 children exist);
    ///     [1] base: first word of the node's block, or -1 when the block is empty.
    ///   block of a node with children: a header word (bits 0..15 leaf map: which children are leaves; bits
    ///     16..31 the node's first result), the children in chunk order (a full node: its 2-word record; a leaf:
    ///     1 word), then the other results packed two 16-bit group ids per word, in internal-bit order.
    ///   block of a node without children: its results packed two per word.
    ///   leaf (1 word): a child with exactly one prefix and no children: bits 0..3 its internal bit, 16..31 group.
    ///   Offsets are ranks: child c is at base + 1 + popcount(ext below c) + popcount(node children below c).
    /// - Lookup: per level one bitmap word, a 16-entry mask table for the internal match, popcount for the
    ///   child offset; a leaf ends the walk; the result of the deepest matching node is read once at the end.
    ///
    /// Why stride 4: memory per route against IL operations per lookup on the nanoFramework interpreter, which
    /// dispatches every IL instruction (so IL ops are the cost model there) and whose native word is 32 bits.
    /// Measured with `dotnet run -c Release --project tools/Bench -- fib --quick --strides` (StrideModel: the
    /// trie this layout builds for each stride over the same BGP-like route sets; its stride-4 word count is
    /// within 2% of the real table's), levels = trie nodes a lookup visits on the locality trace:
    ///   routes  root | stride 3: B/route levels | stride 4: B/route levels | stride 5: B/route levels
    ///   10k     5    |          14.5     6.7    |           7.7     4.9    |           7.7     4.0
    ///   10k     9    |          16.8     5.5    |           8.1     3.9    |          14.0     3.6
    ///   100k    13   |          12.0     3.9    |           7.7     2.9    |          11.1     2.8
    /// Stride 3 doubles the memory (a node per 3 bits of every sparse branch) and adds 1-2 levels. Stride 5
    /// matches stride 4 only at root 5 and needs 2 bitmap words + 32-bit popcounts per level (about 57 IL ops
    /// per level against about 45 for stride 4, estimated from the loop's code), so its fewer levels do not pay:
    /// about 256 against 251 IL ops per trace lookup at 10k routes. Stride 4 is the widest stride whose two
    /// bitmaps (15 + 16 bits) fit one 32-bit word: one load and one mask per level, popcounts on 16 bits.
    /// Leaf compression makes the common case (one /22../24 alone under its node) one word instead of a node;
    /// keeping the leaf map in the block header makes a childless node 2 words + its results.
    /// Root width: choose 24 - RootBits not a multiple of 4 (5, 9, 13): /21../24 then share one node instead of
    /// each /24 needing a node of its own at depth 24 (FibSizing.RootBitsFor gives the measured best).
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

        private const int RecordWords = 2;
        private const int MaxLevels = 9;   // (32 - 1) / 4 + 1 levels below the smallest root
        private const int MaxPlans = 12;   // fresh blocks one insert reserves besides the rewritten one
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
        private readonly uint[] _scChild;       // scratch: the children words of the block being rewritten
        private readonly int[] _scResult;       // scratch: its results
        private IFibVisitor _visitor;
        private int _count;
        private int _nodes;
        private int _fullCount;
        private int _compactions;
        private int _plans;
        private int _visited;
        private int _scChildWords;
        private int _scResults;
        private int _rwNode;                    // node whose block is being rewritten, or -1
        private int _rwOldSize;
        private int _rwNewSize;
        private int _rwDest;
        private bool _rwInPlace;
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
            _scChild = new uint[32];
            _scResult = new int[16];
            _rwNode = -1;
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
            budget.AddObject(32, 12 * 8 + 16 * 4 + 4);
            budget.AddValueArray(4, slots);
            budget.AddValueArray(2, slots);
            budget.AddValueArray(2, slots - 1);
            budget.AddValueArray(4, words);
            SlotArena.Account(budget, words);
            budget.AddValueArray(4, MaxLevels);
            budget.AddValueArray(4, MaxPlans);
            budget.AddValueArray(4, MaxPlans);
            budget.AddValueArray(4, 32);
            budget.AddValueArray(4, 16);
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

        /// <summary>Full trie nodes (2-word records) in use; leaves are not nodes.</summary>
        public int NodesInUse { get { return _nodes; } }

        /// <summary>Arena words.</summary>
        public int WordCapacity { get { return _arena.Capacity; } }

        /// <summary>Arena words in use (records, headers, leaves, packed results).</summary>
        public int WordsInUse { get { return _arena.InUse; } }

        /// <summary>Times an insert was refused (route count or arena).</summary>
        public int FullCount { get { return _fullCount; } }

        /// <summary>Times the arena was compacted to make room.</summary>
        public int Compactions { get { return _compactions; } }

        /// <summary>
        /// The group of the longest prefix containing <paramref name="address"/>, or -1 when no prefix does.
        /// No allocation, no interface call. Portable code (the device runs exactly this).
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

                    int b = (int)w[node + 1];
                    uint leaves = w[b];
                    uint below = ext & (bit - 1);
                    int child = b + 1 + TrieBits.PopCount16(below) + TrieBits.PopCount16(below & ~leaves);
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
                    int b = (int)w[bestNode + 1];
                    int rank = TrieBits.PopCount16(bm & ((1u << pos) - 1));
                    uint ext = bm >> 16;
                    if (ext == 0)
                    {
                        uint word = w[b + (rank >> 1)];
                        return (int)((rank & 1) == 0 ? word & 0xFFFFu : word >> 16);
                    }

                    uint header = w[b];
                    if (rank == 0)
                    {
                        return (int)(header >> 16);
                    }

                    rank--;
                    uint r = w[b + 1 + TrieBits.PopCount16(ext) + TrieBits.PopCount16(ext & ~header & 0xFFFFu) + (rank >> 1)];
                    return (int)((rank & 1) == 0 ? r & 0xFFFFu : r >> 16);
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

        /// <summary>Removes prefix/length: Ok, or NotFound (also for an invalid prefix) with no change. Never needs room.</summary>
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
                uint bit = 1u << c;
                if (((bm >> 16) & bit) == 0)
                {
                    return FibResult.NotFound;
                }

                int b = (int)_w[n + 1];
                uint leaves = _w[b] & 0xFFFFu;
                int child = b + 1 + ChildOffset(bm >> 16, leaves, c);
                if ((leaves & bit) != 0)
                {
                    uint leaf = _w[child];
                    if (level + 1 != target || (int)(leaf & 15u) != pos)
                    {
                        return FibResult.NotFound;
                    }

                    Decode(n);
                    RemoveChildWords(ChildOffset(bm >> 16, leaves, c), 1);
                    RewriteInPlace(n, bm & ~(1u << (16 + c)), leaves & ~bit);
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

            int rank = TrieBits.PopCount16(nbm & ((1u << pos) - 1));
            Decode(n);
            int old = _scResult[rank];
            for (int j = rank; j < _scResults - 1; j++)
            {
                _scResult[j] = _scResult[j + 1];
            }

            _scResults--;
            RewriteInPlace(n, nbm & ~(1u << pos), LeafMap(n));
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

                int b = (int)_w[n + 1];
                uint leaves = _w[b] & 0xFFFFu;
                int child = b + 1 + ChildOffset(ext, leaves, c);
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

            group = ResultAt(n, TrieBits.PopCount16(bm & ((1u << pos) - 1)));
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
                _rwNode = -1;
                Plan(RecordWords);
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

                int b = (int)_w[n + 1];
                uint leaves = _w[b] & 0xFFFFu;
                int child = b + 1 + ChildOffset(ext, leaves, c);
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

                return ExpandLeaf(n, level, c, leaf, key, target, pos, group);
            }
        }

        // The target node exists: set its internal bit and insert the result in rank order.
        private FibResult AddResult(int n, int pos, int group)
        {
            uint bm = _w[n];
            int rank = TrieBits.PopCount16(bm & ((1u << pos) - 1));
            if ((bm & (1u << pos)) != 0)
            {
                int old = ResultAt(n, rank);
                AddGroupRef(group);
                SetResultAt(n, rank, group);
                ReleaseGroup(old);
                return FibResult.Ok;
            }

            if (_count >= _routeCapacity)
            {
                return FibResult.Full;
            }

            Decode(n);
            for (int j = _scResults; j > rank; j--)
            {
                _scResult[j] = _scResult[j - 1];
            }

            _scResult[rank] = group;
            _scResults++;
            uint nbm = bm | (1u << pos);
            uint leaves = LeafMap(n);
            _plans = 0;
            Rewrite(n, BlockSize(nbm, leaves));
            if (!Reserve())
            {
                return PoolFull();
            }

            Commit(nbm, leaves);
            return Added(group);
        }

        // Node n (at level) has no child at chunk c: add a leaf, or a fresh node and the chain below it.
        private FibResult AddChild(int n, int level, int c, uint key, int target, int pos, int group)
        {
            if (_count >= _routeCapacity)
            {
                return FibResult.Full;
            }

            uint bm = _w[n];
            uint leaves = LeafMap(n);
            bool leaf = level + 1 == target;
            uint nbm = bm | (1u << (16 + c));
            uint nleaves = leaf ? leaves | (1u << c) : leaves;
            Decode(n);
            int co = ChildOffset(bm >> 16, leaves, c);
            if (leaf)
            {
                InsertChildWords(co, 1);
                _scChild[co] = (uint)pos | ((uint)group << 16);
            }
            else
            {
                InsertChildWords(co, RecordWords);
            }

            _plans = 0;
            Rewrite(n, BlockSize(nbm, nleaves));
            if (!leaf)
            {
                PlanChain(level + 1, target);
            }

            if (!Reserve())
            {
                return PoolFull();
            }

            int dest = Commit(nbm, nleaves);
            if (!leaf)
            {
                BuildChain(dest + 1 + co, level + 1, target, key, pos, group, 0);
            }

            return Added(group);
        }

        // Node n's child at chunk c is a leaf that is not the target: turn it into a full node m holding the
        // leaf's prefix, and put the new route into m (as a second result, or a child leaf / chain of m).
        private FibResult ExpandLeaf(int n, int level, int c, uint leaf, uint key, int target, int pos, int group)
        {
            if (_count >= _routeCapacity)
            {
                return FibResult.Full;
            }

            uint bm = _w[n];
            uint leaves = LeafMap(n);
            uint nleaves = leaves & ~(1u << c);
            Decode(n);
            int co = ChildOffset(bm >> 16, leaves, c);
            InsertChildWords(co + 1, RecordWords - 1);   // the leaf word at co grows into a record
            int mLevel = level + 1;
            _plans = 0;
            Rewrite(n, BlockSize(bm, nleaves));
            if (mLevel == target)
            {
                Plan(1);                    // m's block: one word with both results
            }
            else if (mLevel + 1 == target)
            {
                Plan(2);                    // m's block: [header][leaf]
            }
            else
            {
                Plan(1 + RecordWords);      // m's block: [header][child record]
                PlanChain(mLevel + 1, target);
            }

            if (!Reserve())
            {
                return PoolFull();
            }

            int dest = Commit(bm, nleaves);
            int m = dest + 1 + co;
            int mb = _planStart[0];
            int leafPos = (int)(leaf & 15u);
            uint leafGroup = leaf >> 16;
            _nodes++;
            _w[m + 1] = (uint)mb;
            if (mLevel == target)
            {
                _w[m] = (1u << leafPos) | (1u << pos);
                _w[mb] = leafPos < pos ? leafGroup | ((uint)group << 16) : (uint)group | (leafGroup << 16);
            }
            else
            {
                int c1 = ChunkAt(key, mLevel);
                _w[m] = (1u << leafPos) | (1u << (16 + c1));
                if (mLevel + 1 == target)
                {
                    _w[mb] = (1u << c1) | (leafGroup << 16);
                    _w[mb + 1] = (uint)pos | ((uint)group << 16);
                }
                else
                {
                    _w[mb] = leafGroup << 16;
                    BuildChain(mb + 1, mLevel + 1, target, key, pos, group, 1);
                }
            }

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
                if (level == target)
                {
                    Plan(1);                // [result word]
                    return;
                }

                if (level + 1 == target)
                {
                    Plan(2);                // [header][leaf]
                    return;
                }

                Plan(1 + RecordWords);      // [header][record of the next fresh node]
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
                _w[record + 1] = (uint)block;
                if (level == target)
                {
                    _w[record] = 1u << pos;
                    _w[block] = (uint)group;
                    return;
                }

                int c = ChunkAt(key, level);
                _w[record] = 1u << (16 + c);
                if (level + 1 == target)
                {
                    _w[block] = 1u << c;
                    _w[block + 1] = (uint)pos | ((uint)group << 16);
                    return;
                }

                _w[block] = 0;
                record = block + 1;
                level++;
            }
        }

        private void Plan(int words)
        {
            _planSize[_plans++] = words;
        }

        // Node n's block is to be rewritten from the scratch with newSize words (reserved by Reserve).
        private void Rewrite(int n, int newSize)
        {
            _rwNode = n;
            _rwOldSize = BlockSize(_w[n], LeafMap(n));
            _rwNewSize = newSize;
        }

        // Takes every block of the plan (and room for the rewritten block) or nothing.
        private bool Reserve()
        {
            bool ok = true;
            bool tookRewrite = false;
            if (_rwNode >= 0)
            {
                int b = (int)_w[_rwNode + 1];
                _rwInPlace = _rwNewSize <= _rwOldSize
                    || (_rwOldSize > 0 && _arena.TryExtend(b, _rwOldSize, _rwNewSize - _rwOldSize));
                if (_rwInPlace)
                {
                    _rwDest = b;
                }
                else
                {
                    _rwDest = _arena.Allocate(_rwNewSize);
                    ok = _rwDest >= 0;
                }

                tookRewrite = ok;
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

            if (tookRewrite)
            {
                if (!_rwInPlace)
                {
                    _arena.Release(_rwDest, _rwNewSize);
                }
                else if (_rwNewSize > _rwOldSize)
                {
                    _arena.Release(_rwDest + _rwOldSize, _rwNewSize - _rwOldSize);
                }
            }

            _rwNode = -1;
            return false;
        }

        // Writes the scratch as node n's new block (reserved by Reserve), frees what the old block no longer
        // uses, sets the record; returns the block's start.
        private int Commit(uint bm, uint leaves)
        {
            int n = _rwNode;
            _rwNode = -1;
            int old = (int)_w[n + 1];
            int dest = _rwDest;
            Encode(dest, bm, leaves);
            if (!_rwInPlace)
            {
                if (_rwOldSize > 0)
                {
                    _arena.Release(old, _rwOldSize);
                }
            }
            else if (_rwNewSize < _rwOldSize)
            {
                _arena.Release(dest + _rwNewSize, _rwOldSize - _rwNewSize);
            }

            _w[n] = bm;
            _w[n + 1] = _rwNewSize > 0 ? (uint)dest : NoBlock;
            return dest;
        }

        // Rewrites node n's block from the scratch where it is (the new block is not larger).
        private void RewriteInPlace(int n, uint bm, uint leaves)
        {
            _plans = 0;
            Rewrite(n, BlockSize(bm, leaves));
            _rwInPlace = true;
            _rwDest = (int)_w[n + 1];
            Commit(bm, leaves);
        }

        // Loads node n's children words and results into the scratch.
        private void Decode(int n)
        {
            uint bm = _w[n];
            uint ext = bm >> 16;
            int q = TrieBits.PopCount16(bm & InternalMask);
            _scResults = q;
            _scChildWords = 0;
            if (q == 0 && ext == 0)
            {
                return;
            }

            int b = (int)_w[n + 1];
            int first = 2 * b;
            if (ext != 0)
            {
                uint header = _w[b];
                int cw = TrieBits.PopCount16(ext) + TrieBits.PopCount16(ext & ~header & 0xFFFFu);
                for (int i = 0; i < cw; i++)
                {
                    _scChild[i] = _w[b + 1 + i];
                }

                _scChildWords = cw;
                if (q == 0)
                {
                    return;
                }

                _scResult[0] = (int)(header >> 16);
                first = 2 * (b + 1 + cw);
                for (int i = 1; i < q; i++)
                {
                    _scResult[i] = Half(first + i - 1);
                }

                return;
            }

            for (int i = 0; i < q; i++)
            {
                _scResult[i] = Half(first + i);
            }
        }

        // Writes the scratch as a block at dest for a node with bitmap bm and leaf map `leaves`.
        private void Encode(int dest, uint bm, uint leaves)
        {
            int q = _scResults;
            int from = 0;
            int at = dest;
            if ((bm >> 16) != 0)
            {
                _w[dest] = leaves | (q > 0 ? (uint)_scResult[0] << 16 : 0u);
                for (int i = 0; i < _scChildWords; i++)
                {
                    _w[dest + 1 + i] = _scChild[i];
                }

                at = dest + 1 + _scChildWords;
                from = 1;
            }

            for (int i = from; i < q; i += 2)
            {
                uint hi = i + 1 < q ? (uint)_scResult[i + 1] << 16 : 0u;
                _w[at++] = (uint)_scResult[i] | hi;
            }
        }

        private void InsertChildWords(int offset, int count)
        {
            for (int i = _scChildWords - 1; i >= offset; i--)
            {
                _scChild[i + count] = _scChild[i];
            }

            _scChildWords += count;
        }

        private void RemoveChildWords(int offset, int count)
        {
            for (int i = offset; i < _scChildWords - count; i++)
            {
                _scChild[i] = _scChild[i + count];
            }

            _scChildWords -= count;
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
                        _arena.Release(n, RecordWords);
                        return;
                    }

                    int p = _path[level - 1];
                    int c = ChunkAt(key, level - 1);
                    uint pbm = _w[p];
                    uint pleaves = LeafMap(p);
                    Decode(p);
                    RemoveChildWords(ChildOffset(pbm >> 16, pleaves, c), RecordWords);
                    RewriteInPlace(p, pbm & ~(1u << (16 + c)), pleaves);
                    level--;
                    continue;
                }

                if (level > 0 && (bm >> 16) == 0 && TrieBits.PopCount16(bm) == 1)
                {
                    int pos = TrieBits.PopCount16(bm - 1);
                    int b = (int)_w[n + 1];
                    uint g = _w[b] & 0xFFFFu;
                    _arena.Release(b, 1);
                    _nodes--;
                    int p = _path[level - 1];
                    int c = ChunkAt(key, level - 1);
                    uint pbm = _w[p];
                    uint pleaves = LeafMap(p);
                    Decode(p);
                    int co = ChildOffset(pbm >> 16, pleaves, c);
                    RemoveChildWords(co + 1, RecordWords - 1);
                    _scChild[co] = (uint)pos | (g << 16);
                    RewriteInPlace(p, pbm, pleaves | (1u << c));
                }

                return;
            }
        }

        // Compaction, first pass: rewrite every block base below node record n (post-order: children are found
        // through the old bases before they change).
        private void RebaseSubtree(int n)
        {
            if (_w[n + 1] == NoBlock)
            {
                return;
            }

            int b = (int)_w[n + 1];
            uint ext = _w[n] >> 16;
            if (ext != 0)
            {
                uint leaves = _w[b];
                int off = b + 1;
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
                        RebaseSubtree(off);
                        off += RecordWords;
                    }
                }
            }

            _w[n + 1] = (uint)_arena.CompactedIndex(b);
        }

        private uint LeafMap(int n)
        {
            return (_w[n] >> 16) == 0 ? 0u : _w[(int)_w[n + 1]] & 0xFFFFu;
        }

        // Words of the block of a node with bitmap bm and leaf map `leaves`.
        private static int BlockSize(uint bm, uint leaves)
        {
            uint ext = bm >> 16;
            int q = TrieBits.PopCount16(bm & InternalMask);
            if (ext == 0)
            {
                return (q + 1) >> 1;
            }

            return 1 + TrieBits.PopCount16(ext) + TrieBits.PopCount16(ext & ~leaves & 0xFFFFu) + (q >> 1);
        }

        // Words before child c in the children area (after the header).
        private static int ChildOffset(uint ext, uint leaves, int c)
        {
            uint below = ext & ((1u << c) - 1);
            return TrieBits.PopCount16(below) + TrieBits.PopCount16(below & ~leaves & 0xFFFFu);
        }

        // Half-word address of result `rank` of node n (word * 2 + 0 for the low half, + 1 for the high half).
        private int ResultHalf(int n, int rank)
        {
            uint bm = _w[n];
            uint ext = bm >> 16;
            int b = (int)_w[n + 1];
            if (ext == 0)
            {
                return 2 * b + rank;
            }

            if (rank == 0)
            {
                return 2 * b + 1;
            }

            uint leaves = _w[b] & 0xFFFFu;
            return 2 * (b + 1 + TrieBits.PopCount16(ext) + TrieBits.PopCount16(ext & ~leaves & 0xFFFFu)) + rank - 1;
        }

        private int ResultAt(int n, int rank)
        {
            return Half(ResultHalf(n, rank));
        }

        private void SetResultAt(int n, int rank, int value)
        {
            int h = ResultHalf(n, rank);
            int at = h >> 1;
            _w[at] = (h & 1) == 0 ? (_w[at] & 0xFFFF0000u) | (uint)value : (_w[at] & 0xFFFFu) | ((uint)value << 16);
        }

        private int Half(int h)
        {
            uint word = _w[h >> 1];
            return (int)((h & 1) == 0 ? word & 0xFFFFu : word >> 16);
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
                    int b = (int)_w[n + 1];
                    uint leaves = _w[b] & 0xFFFFu;
                    int child = b + 1 + ChildOffset(ext, leaves, v);
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
                Emit(prefix, length, ResultAt(n, TrieBits.PopCount16(bm & ((1u << p) - 1))));
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
