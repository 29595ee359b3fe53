using VpnAppliance.Core;

namespace VpnAppliance.Fib
{
    /// <summary>
    /// ECMP next-hop groups. A group is a set of up to PathsPerGroup members, each (egress interface or
    /// tunnel id, gateway, weight 1..255); routes in the <see cref="FibTable"/> point at a group by id, so a
    /// failover rewrites one group (O(members)) instead of every prefix that uses it.
    ///
    /// Member selection is weighted rendezvous hashing (highest random weight, Thaler and Ravishankar,
    /// "Using name-based mappings to increase hit rates", IEEE/ACM ToN 6(1), 1998; the weighted form scores
    /// w / -ln(h)): each member scores the flow independently from its own identity (interface, gateway) and the
    /// flow hash, the best score wins. So a flow keeps its member while the set is unchanged; when a member
    /// leaves only the flows it had move (each to its second best); when it returns exactly those come back;
    /// weights change shares proportionally. The score is computed as min over members of
    /// (-log2 h) / w in Q16 fixed point, compared by cross-multiplication: no floating point, no division.
    ///
    /// Lifetime: <see cref="Create"/> returns a group holding one reference (the creator's). Every route that
    /// points at it holds one more (the FIB takes and drops them). <see cref="Release"/> of the last reference
    /// frees the group and its members. Pools are struct-of-arrays sized at construction; no allocation after.
    /// </summary>
    public sealed class NextHopGroupTable
    {
        /// <summary>Largest group count (group ids are stored in 16-bit trie result slots).</summary>
        public const int MaxGroups = 65535;

        private readonly int _paths;
        private readonly int[] _refs;        // per group: reference count; -1 = free
        private readonly byte[] _members;    // per group: member count
        private readonly int[] _free;        // stack of free group ids
        private readonly int[] _iface;       // per member slot (group * paths + i)
        private readonly uint[] _gateway;
        private readonly byte[] _weight;
        private readonly uint[] _key;        // per member slot: hash of (iface, gateway), the rendezvous identity
        private int _freeCount;
        private int _fullCount;

        /// <summary>Creates room for <paramref name="groups"/> groups of up to <paramref name="pathsPerGroup"/> members.</summary>
        public NextHopGroupTable(int groups, int pathsPerGroup)
        {
            if (groups < 1 || groups > MaxGroups)
            {
                throw new System.ArgumentOutOfRangeException("groups");
            }

            if (pathsPerGroup < 1 || pathsPerGroup > 255)
            {
                throw new System.ArgumentOutOfRangeException("pathsPerGroup");
            }

            _paths = pathsPerGroup;
            _refs = new int[groups];
            _members = new byte[groups];
            _free = new int[groups];
            _iface = new int[groups * pathsPerGroup];
            _gateway = new uint[groups * pathsPerGroup];
            _weight = new byte[groups * pathsPerGroup];
            _key = new uint[groups * pathsPerGroup];
            Reset();
        }

        /// <summary>Creates a table sized by the board profile (NextHopGroups, PathsPerGroup).</summary>
        public NextHopGroupTable(Capacities capacities)
            : this(capacities.NextHopGroups, capacities.PathsPerGroup)
        {
        }

        /// <summary>Describes exactly what the constructor allocates.</summary>
        public static void Account(MemoryBudget budget, int groups, int pathsPerGroup)
        {
            budget.AddObject(10, 7 * 8 + 3 * 4);
            budget.AddValueArray(4, groups);
            budget.AddValueArray(1, groups);
            budget.AddValueArray(4, groups);
            budget.AddValueArray(4, groups * pathsPerGroup);
            budget.AddValueArray(4, groups * pathsPerGroup);
            budget.AddValueArray(1, groups * pathsPerGroup);
            budget.AddValueArray(4, groups * pathsPerGroup);
        }

        /// <summary>Describes what the constructor allocates for a board profile.</summary>
        public static void Account(MemoryBudget budget, Capacities capacities)
        {
            Account(budget, capacities.NextHopGroups, capacities.PathsPerGroup);
        }

        /// <summary>Number of group ids.</summary>
        public int Capacity { get { return _refs.Length; } }

        /// <summary>Members a group can hold.</summary>
        public int PathsPerGroup { get { return _paths; } }

        /// <summary>Groups currently allocated.</summary>
        public int InUse { get { return _refs.Length - _freeCount; } }

        /// <summary>Times <see cref="Create"/> or <see cref="AddMember"/> found its pool full.</summary>
        public int FullCount { get { return _fullCount; } }

        /// <summary>A new empty group holding one reference (the caller's), or -1 when every group is in use.</summary>
        public int Create()
        {
            if (_freeCount == 0)
            {
                _fullCount++;
                return -1;
            }

            int g = _free[--_freeCount];
            _refs[g] = 1;
            _members[g] = 0;
            return g;
        }

        /// <summary>True when <paramref name="group"/> is an allocated group.</summary>
        public bool IsValid(int group)
        {
            return group >= 0 && group < _refs.Length && _refs[group] > 0;
        }

        /// <summary>References held on the group (0 when free).</summary>
        public int RefCount(int group)
        {
            return IsValid(group) ? _refs[group] : 0;
        }

        /// <summary>Takes one more reference; false for a group that is not allocated.</summary>
        public bool AddRef(int group)
        {
            if (!IsValid(group))
            {
                return false;
            }

            _refs[group]++;
            return true;
        }

        /// <summary>Drops one reference; the last one frees the group. False for a group that is not allocated.</summary>
        public bool Release(int group)
        {
            if (!IsValid(group))
            {
                return false;
            }

            if (--_refs[group] == 0)
            {
                _refs[group] = -1;
                _members[group] = 0;
                _free[_freeCount++] = group;
            }

            return true;
        }

        /// <summary>
        /// Adds member (interface, gateway, weight) to the group, or updates the weight of the member with the
        /// same interface and gateway. Invalid for an unknown group or a weight outside 1..255; Full when the
        /// group already has PathsPerGroup members.
        /// </summary>
        public FibResult AddMember(int group, int interfaceId, uint gateway, int weight)
        {
            if (!IsValid(group) || weight < 1 || weight > 255)
            {
                return FibResult.Invalid;
            }

            int first = group * _paths;
            int n = _members[group];
            for (int i = first; i < first + n; i++)
            {
                if (_iface[i] == interfaceId && _gateway[i] == gateway)
                {
                    _weight[i] = (byte)weight;
                    return FibResult.Ok;
                }
            }

            if (n == _paths)
            {
                _fullCount++;
                return FibResult.Full;
            }

            int slot = first + n;
            _iface[slot] = interfaceId;
            _gateway[slot] = gateway;
            _weight[slot] = (byte)weight;
            _key[slot] = MemberKey(interfaceId, gateway);
            _members[group] = (byte)(n + 1);
            return FibResult.Ok;
        }

        /// <summary>Removes the member with this interface and gateway: O(members). Its flows move; no others do.</summary>
        public FibResult RemoveMember(int group, int interfaceId, uint gateway)
        {
            if (!IsValid(group))
            {
                return FibResult.NotFound;
            }

            int first = group * _paths;
            int n = _members[group];
            for (int i = first; i < first + n; i++)
            {
                if (_iface[i] == interfaceId && _gateway[i] == gateway)
                {
                    RemoveSlot(group, i);
                    return FibResult.Ok;
                }
            }

            return FibResult.NotFound;
        }

        /// <summary>
        /// Removes every member whose interface is <paramref name="interfaceId"/> from every group (a tunnel went
        /// down): O(groups x members), independent of how many prefixes use those groups. Returns members removed.
        /// </summary>
        public int RemoveInterface(int interfaceId)
        {
            int removed = 0;
            for (int g = 0; g < _refs.Length; g++)
            {
                if (_refs[g] <= 0)
                {
                    continue;
                }

                int first = g * _paths;
                int i = first;
                while (i < first + _members[g])
                {
                    if (_iface[i] == interfaceId)
                    {
                        RemoveSlot(g, i);
                        removed++;
                    }
                    else
                    {
                        i++;
                    }
                }
            }

            return removed;
        }

        /// <summary>Members in the group (0 for an unknown group).</summary>
        public int MemberCount(int group)
        {
            return IsValid(group) ? _members[group] : 0;
        }

        /// <summary>Interface/tunnel id of member <paramref name="index"/> (0..MemberCount-1).</summary>
        public int MemberInterface(int group, int index)
        {
            return _iface[group * _paths + index];
        }

        /// <summary>Gateway of member <paramref name="index"/>.</summary>
        public uint MemberGateway(int group, int index)
        {
            return _gateway[group * _paths + index];
        }

        /// <summary>Weight of member <paramref name="index"/>.</summary>
        public int MemberWeight(int group, int index)
        {
            return _weight[group * _paths + index];
        }

        /// <summary>
        /// The member (index 0..MemberCount-1) that carries the flow with hash <paramref name="flowHash"/>
        /// (see <see cref="FlowHash.Compute"/>), or -1 for an empty or unknown group. Weighted rendezvous:
        /// member i scores L_i / w_i with L_i = -log2(h_i / 2^32), h_i a hash of (flow, member identity);
        /// the lowest score wins, ties to the lower member key. O(members), no allocation.
        /// </summary>
        public int Select(int group, uint flowHash)
        {
            if (!IsValid(group))
            {
                return -1;
            }

            int first = group * _paths;
            int n = _members[group];
            int best = -1;
            int bestL = 0;
            int bestW = 1;
            uint bestKey = 0;
            for (int i = 0; i < n; i++)
            {
                int slot = first + i;
                uint h = FlowHash.Finish(flowHash ^ _key[slot]) | 1u;
                int l = (32 << 16) - FixedLog2.Log2Q16(h);
                int w = _weight[slot];

                // l / w < bestL / bestW  <=>  l * bestW < bestL * w (l <= 2^21, w <= 255: products below 2^29).
                int lhs = l * bestW;
                int rhs = bestL * w;
                if (best < 0 || lhs < rhs || (lhs == rhs && _key[slot] < bestKey))
                {
                    best = i;
                    bestL = l;
                    bestW = w;
                    bestKey = _key[slot];
                }
            }

            return best;
        }

        /// <summary>Frees every group (references are dropped without notice: use with <see cref="FibTable.Clear"/>).</summary>
        public void Reset()
        {
            for (int g = 0; g < _refs.Length; g++)
            {
                _refs[g] = -1;
                _members[g] = 0;
                _free[g] = _refs.Length - 1 - g;
            }

            _freeCount = _refs.Length;
        }

        /// <summary>The rendezvous identity of a member: a hash of its interface and gateway.</summary>
        public static uint MemberKey(int interfaceId, uint gateway)
        {
            return FlowHash.Finish(FlowHash.Finish((uint)interfaceId * 0x9E3779B1u) ^ gateway);
        }

        private void RemoveSlot(int group, int slot)
        {
            int last = group * _paths + _members[group] - 1;
            _iface[slot] = _iface[last];
            _gateway[slot] = _gateway[last];
            _weight[slot] = _weight[last];
            _key[slot] = _key[last];
            _members[group] = (byte)(_members[group] - 1);
        }
    }
}
