using VpnAppliance.Bgp.Wire;
using VpnAppliance.Wire;

namespace VpnAppliance.Bgp.Rib
{
    /// <summary>
    /// Interned path attribute sets (RFC 4271 §5), shared by every path that carries the same attributes: an
    /// UPDATE of 500 prefixes costs one set, not 500. Each set is a compact canonical record in a fixed arena
    /// slot (small: 64 octets, large: 1024), found again by hash, and reference-counted by the paths using it.
    /// The fields the decision process reads are kept unpacked beside it (LocalPref, Med, NextHop, ...).
    /// <code>
    /// record: origin | flags | next hop(4) | MED(4) | LOCAL_PREF(4) | aggregator AS(4) addr(4)
    ///         | segments(1) {type(1) count(1) AS(4)*count} | communities(2) {4 each}
    ///         | large communities(1) {12 each} | transit length(2) {attributes verbatim}
    /// </code>
    /// Nothing is allocated after construction; a full pool is RibResult.AttributesFull.
    /// </summary>
    public sealed class AttributeStore
    {
        /// <summary>Octets of a small slot (a typical eBGP set: 3-4 ASes, a few communities).</summary>
        public const int SmallSlotBytes = 64;
        /// <summary>Octets of a large slot; a larger set is RibResult.AttributesTooLarge.</summary>
        public const int LargeSlotBytes = 1024;
        private const int FixedBytes = 22;

        private readonly int smallCount;
        private readonly int capacity;
        private readonly byte[] arena;
        private readonly int[] length;
        private readonly int[] hash;
        private readonly int[] next;
        private readonly int[] buckets;
        private readonly byte[] scratch = new byte[LargeSlotBytes];
        private int freeSmall = -1;
        private int freeLarge = -1;
        private int inUse;

        /// <summary>References per set (paths, originated networks); 0 = free.</summary>
        public readonly int[] RefCount;
        /// <summary>LOCAL_PREF (valid with AttributeFlags.HasLocalPref).</summary>
        public readonly uint[] LocalPref;
        /// <summary>MULTI_EXIT_DISC (valid with AttributeFlags.HasMed).</summary>
        public readonly uint[] Med;
        /// <summary>Next hop.</summary>
        public readonly uint[] NextHop;
        /// <summary>Leftmost AS of the AS_PATH (the neighbour AS, RFC 4271 §9.1.2.2 c), 0 when none.</summary>
        public readonly uint[] FirstAs;
        /// <summary>AS_PATH length for selection (AS_SET counts 1, RFC 4271 §9.1.2.2 a).</summary>
        public readonly int[] PathLength;
        /// <summary>ORIGIN.</summary>
        public readonly byte[] Origin;
        /// <summary>AttributeFlags bits.</summary>
        public readonly byte[] Flags;

        /// <summary>Sets in use.</summary>
        public int Count { get { return inUse; } }
        /// <summary>Total sets (small + large).</summary>
        public int Capacity { get { return capacity; } }
        /// <summary>Intern attempts refused because the pool was full.</summary>
        public int FullCount;

        /// <summary>Creates a store of <paramref name="small"/> small and <paramref name="large"/> large slots.</summary>
        public AttributeStore(int small, int large)
        {
            smallCount = small;
            capacity = small + large;
            arena = new byte[small * SmallSlotBytes + large * LargeSlotBytes];
            length = new int[capacity];
            hash = new int[capacity];
            next = new int[capacity];
            RefCount = new int[capacity];
            LocalPref = new uint[capacity];
            Med = new uint[capacity];
            NextHop = new uint[capacity];
            FirstAs = new uint[capacity];
            PathLength = new int[capacity];
            Origin = new byte[capacity];
            Flags = new byte[capacity];
            buckets = new int[BucketCount(capacity)];
            for (int i = 0; i < buckets.Length; i++)
            {
                buckets[i] = -1;
            }

            for (int i = small - 1; i >= 0; i--)
            {
                next[i] = freeSmall;
                freeSmall = i;
            }

            for (int i = capacity - 1; i >= small; i--)
            {
                next[i] = freeLarge;
                freeLarge = i;
            }
        }

        /// <summary>Slots for <paramref name="paths"/> BGP paths: one set per 8 paths plus 32, a thirty-second of them large.</summary>
        public static void SizeFor(int paths, out int small, out int large)
        {
            small = paths / 8 + 32;
            large = small / 32 + 2;
        }

        private static int BucketCount(int n)
        {
            int b = 16;
            while (b < n && b < (1 << 30))
            {
                b <<= 1;
            }

            return b;
        }

        /// <summary>Memory the constructor allocates.</summary>
        public static void Account(VpnAppliance.Core.MemoryBudget budget, int small, int large)
        {
            int n = small + large;
            budget.AddObject(20, 20 * 8);
            budget.AddValueArray(1, small * SmallSlotBytes + large * LargeSlotBytes);
            budget.AddValueArray(4, n); // length
            budget.AddValueArray(4, n); // hash
            budget.AddValueArray(4, n); // next
            budget.AddValueArray(4, n); // RefCount
            budget.AddValueArray(4, n); // LocalPref
            budget.AddValueArray(4, n); // Med
            budget.AddValueArray(4, n); // NextHop
            budget.AddValueArray(4, n); // FirstAs
            budget.AddValueArray(4, n); // PathLength
            budget.AddValueArray(1, n); // Origin
            budget.AddValueArray(1, n); // Flags
            budget.AddValueArray(4, BucketCount(n));
            budget.AddValueArray(1, LargeSlotBytes);
        }

        /// <summary>
        /// Finds or adds the set holding <paramref name="u"/>'s attributes with next hop
        /// <paramref name="nextHop"/>, and takes one reference on it. Allocation-free.
        /// </summary>
        public RibResult Intern(ParsedUpdate u, uint nextHop, out int index)
        {
            index = -1;
            int n = Encode(u, nextHop, scratch);
            if (n < 0)
            {
                return RibResult.AttributesTooLarge;
            }

            int h = Hash(scratch, n);
            int b = h & (buckets.Length - 1);
            for (int i = buckets[b], guard = 0; i >= 0 && guard < capacity; i = next[i], guard++)
            {
                if (hash[i] == h && length[i] == n && SameBytes(i, n))
                {
                    RefCount[i]++;
                    index = i;
                    return RibResult.Ok;
                }
            }

            int slot;
            if (n <= SmallSlotBytes && freeSmall >= 0)
            {
                slot = freeSmall;
                freeSmall = next[slot];
            }
            else if (freeLarge >= 0)
            {
                slot = freeLarge;
                freeLarge = next[slot];
            }
            else
            {
                FullCount++;
                return RibResult.AttributesFull;
            }

            System.Array.Copy(scratch, 0, arena, Offset(slot), n);
            length[slot] = n;
            hash[slot] = h;
            next[slot] = buckets[b];
            buckets[b] = slot;
            RefCount[slot] = 1;
            inUse++;
            Origin[slot] = (byte)u.Origin;
            NextHop[slot] = nextHop;
            Med[slot] = u.Med;
            LocalPref[slot] = u.LocalPref;
            FirstAs[slot] = u.AsPath.FirstAs();
            PathLength[slot] = u.AsPath.PathLength();
            Flags[slot] = scratch[1];
            index = slot;
            return RibResult.Ok;
        }

        /// <summary>Takes one more reference on <paramref name="index"/>.</summary>
        public void AddRef(int index)
        {
            RefCount[index]++;
        }

        /// <summary>Drops one reference; the set is freed at zero.</summary>
        public void Release(int index)
        {
            if (index < 0 || RefCount[index] <= 0)
            {
                return;
            }

            if (--RefCount[index] > 0)
            {
                return;
            }

            int b = hash[index] & (buckets.Length - 1);
            int prev = -1;
            for (int i = buckets[b], guard = 0; i >= 0 && guard < capacity; i = next[i], guard++)
            {
                if (i == index)
                {
                    if (prev < 0)
                    {
                        buckets[b] = next[i];
                    }
                    else
                    {
                        next[prev] = next[i];
                    }

                    break;
                }

                prev = i;
            }

            if (index < smallCount)
            {
                next[index] = freeSmall;
                freeSmall = index;
            }
            else
            {
                next[index] = freeLarge;
                freeLarge = index;
            }

            inUse--;
        }

        /// <summary>Octets of set <paramref name="index"/>'s record.</summary>
        public int RecordLength(int index) { return length[index]; }

        private int Offset(int slot)
        {
            return slot < smallCount ? slot * SmallSlotBytes : smallCount * SmallSlotBytes + (slot - smallCount) * LargeSlotBytes;
        }

        private bool SameBytes(int slot, int n)
        {
            int o = Offset(slot);
            for (int i = 0; i < n; i++)
            {
                if (arena[o + i] != scratch[i])
                {
                    return false;
                }
            }

            return true;
        }

        private static int Hash(byte[] b, int n)
        {
            // FNV-1a, 32 bits.
            uint h = 2166136261;
            for (int i = 0; i < n; i++)
            {
                h = (h ^ b[i]) * 16777619;
            }

            return (int)(h & 0x7FFFFFFF);
        }

        /// <summary>Writes the canonical record of <paramref name="u"/>'s attributes; -1 when larger than a large slot.</summary>
        private static int Encode(ParsedUpdate u, uint nextHop, byte[] o)
        {
            int flags = 0;
            if (u.Has(PathAttributeType.MultiExitDisc)) flags |= AttributeFlags.HasMed;
            if (u.Has(PathAttributeType.LocalPref)) flags |= AttributeFlags.HasLocalPref;
            if (u.Has(PathAttributeType.AtomicAggregate)) flags |= AttributeFlags.AtomicAggregate;
            if (u.Has(PathAttributeType.Aggregator)) flags |= AttributeFlags.Aggregator;
            if (u.HasCommunity(WellKnownCommunity.NoExport)) flags |= AttributeFlags.NoExport;
            if (u.HasCommunity(WellKnownCommunity.NoAdvertise)) flags |= AttributeFlags.NoAdvertise;
            o[0] = (byte)u.Origin;
            o[1] = (byte)flags;
            NetworkByteOrder.WriteUInt32(o, 2, nextHop);
            NetworkByteOrder.WriteUInt32(o, 6, (flags & AttributeFlags.HasMed) != 0 ? u.Med : 0);
            NetworkByteOrder.WriteUInt32(o, 10, (flags & AttributeFlags.HasLocalPref) != 0 ? u.LocalPref : 0);
            NetworkByteOrder.WriteUInt32(o, 14, (flags & AttributeFlags.Aggregator) != 0 ? u.AggregatorAs : 0);
            NetworkByteOrder.WriteUInt32(o, 18, (flags & AttributeFlags.Aggregator) != 0 ? u.AggregatorAddress : 0);
            int p = FixedBytes;
            AsPath path = u.AsPath;
            int need = p + 1 + path.SegmentCount * 2 + path.AsnCount * 4 + 2 + u.CommunityCount * 4 + 1 + u.LargeCommunityCount * 12 + 2 + u.TransitLength;
            if (need > o.Length || path.SegmentCount > 255 || u.LargeCommunityCount > 255)
            {
                return -1;
            }

            o[p++] = (byte)path.SegmentCount;
            for (int s = 0; s < path.SegmentCount; s++)
            {
                o[p++] = path.SegmentType[s];
                o[p++] = (byte)path.SegmentLength[s];
                int end = path.SegmentStart[s] + path.SegmentLength[s];
                for (int i = path.SegmentStart[s]; i < end; i++)
                {
                    NetworkByteOrder.WriteUInt32(o, p, path.Asns[i]);
                    p += 4;
                }
            }

            NetworkByteOrder.WriteUInt16(o, p, u.CommunityCount);
            p += 2;
            for (int i = 0; i < u.CommunityCount; i++)
            {
                NetworkByteOrder.WriteUInt32(o, p, u.Communities[i]);
                p += 4;
            }

            o[p++] = (byte)u.LargeCommunityCount;
            for (int i = 0; i < u.LargeCommunityCount * 3; i++)
            {
                NetworkByteOrder.WriteUInt32(o, p, u.LargeCommunities[i]);
                p += 4;
            }

            NetworkByteOrder.WriteUInt16(o, p, u.TransitLength);
            p += 2;
            System.Array.Copy(u.TransitBytes, 0, o, p, u.TransitLength);
            p += u.TransitLength;
            return p;
        }

        /// <summary>
        /// Fills <paramref name="u"/>'s path attributes from set <paramref name="index"/> (prefixes untouched):
        /// ORIGIN, AS_PATH, NEXT_HOP, MED, LOCAL_PREF, ATOMIC_AGGREGATE, AGGREGATOR, COMMUNITIES,
        /// LARGE_COMMUNITY and the kept optional transitive attributes. False when <paramref name="u"/> is too small.
        /// </summary>
        public bool Load(int index, ParsedUpdate u)
        {
            u.ClearAttributes();
            byte[] a = arena;
            int p = Offset(index);
            int flags = a[p + 1];
            u.SetOrigin(a[p]);
            u.SetNextHop(NetworkByteOrder.ReadUInt32(a, p + 2));
            if ((flags & AttributeFlags.HasMed) != 0) u.SetMed(NetworkByteOrder.ReadUInt32(a, p + 6));
            if ((flags & AttributeFlags.HasLocalPref) != 0) u.SetLocalPref(NetworkByteOrder.ReadUInt32(a, p + 10));
            if ((flags & AttributeFlags.AtomicAggregate) != 0) u.SetPresent(PathAttributeType.AtomicAggregate);
            if ((flags & AttributeFlags.Aggregator) != 0) u.SetAggregator(NetworkByteOrder.ReadUInt32(a, p + 14), NetworkByteOrder.ReadUInt32(a, p + 18));
            p += FixedBytes;
            int segments = a[p++];
            u.SetPresent(PathAttributeType.AsPath);
            bool ok = true;
            for (int s = 0; s < segments; s++)
            {
                int type = a[p++];
                int count = a[p++];
                ok &= u.AsPath.BeginSegment(type);
                for (int i = 0; i < count; i++)
                {
                    ok &= u.AsPath.Append(NetworkByteOrder.ReadUInt32(a, p));
                    p += 4;
                }
            }

            int communities = NetworkByteOrder.ReadUInt16(a, p);
            p += 2;
            for (int i = 0; i < communities; i++)
            {
                ok &= u.AddCommunity(NetworkByteOrder.ReadUInt32(a, p));
                p += 4;
            }

            int large = a[p++];
            for (int i = 0; i < large; i++)
            {
                ok &= u.AddLargeCommunity(NetworkByteOrder.ReadUInt32(a, p), NetworkByteOrder.ReadUInt32(a, p + 4), NetworkByteOrder.ReadUInt32(a, p + 8));
                p += 12;
            }

            int transit = NetworkByteOrder.ReadUInt16(a, p);
            p += 2;
            int end = p + transit;
            while (p + 3 <= end)
            {
                bool extended = (a[p] & 0x10) != 0;
                int header = extended ? 4 : 3;
                int valueLength = extended ? NetworkByteOrder.ReadUInt16(a, p + 2) : a[p + 2];
                ok &= u.AddTransit(a, p, header + valueLength, 0);
                p += header + valueLength;
            }

            return ok;
        }
    }
}
