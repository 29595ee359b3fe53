namespace VpnAppliance.Bgp.Rib
{
    /// <summary>
    /// Adj-RIBs-In, Loc-RIB and the Adj-RIB-Out state of every peer in fixed pools (RFC 4271 §3.2):
    /// <code>
    ///  prefix pool (hash on address/length) --FirstPath--&gt; path -&gt; path -&gt; ... (one per peer, and one for a local network)
    ///      Best (Loc-RIB), EcmpMask (multipath peers), OutPending / OutAdvertised (one bit per peer: Adj-RIB-Out)
    ///  path pool: prefix, peer, interned attribute set, stale flag (RFC 4724)
    /// </code>
    /// Every change re-runs the decision process for that prefix only; a change of the best path or its ECMP set
    /// queues the prefix for the routing manager (ChangeQueue) and marks it pending for export to the peers in
    /// ExportMask. Peers are slots 0..PeerCapacity-1 (at most 32, one bit each); LocalPeer marks originated networks.
    /// Nothing is allocated after construction; full pools are typed results (RibResult), counted.
    /// </summary>
    public sealed class RibTable
    {
        /// <summary>Most peers (bits in the per-prefix masks).</summary>
        public const int MaxPeers = 32;
        private const byte FlagInUse = 1;
        private const byte FlagQueued = 2;
        /// <summary>Path flag: kept from a session that went down under graceful restart (RFC 4724 §4.2).</summary>
        public const byte PathStale = 1;

        /// <summary>Interned attribute sets.</summary>
        public readonly AttributeStore Attributes;
        /// <summary>The decision process.</summary>
        public readonly BestPathSelection Selection;
        /// <summary>Peer slots.</summary>
        public readonly int PeerCapacity;
        /// <summary>The pseudo-peer of locally originated networks.</summary>
        public readonly int LocalPeer;

        /// <summary>Prefix address (host order).</summary>
        public readonly uint[] PrefixAddress;
        /// <summary>Prefix length.</summary>
        public readonly byte[] PrefixLength;
        /// <summary>First path of each prefix (-1 = none).</summary>
        public readonly int[] FirstPath;
        /// <summary>Best path (Loc-RIB), -1 = none.</summary>
        public readonly int[] Best;
        /// <summary>Peers whose paths form the ECMP set with the best path (bit per peer; the best's peer included).</summary>
        public readonly uint[] EcmpMask;
        /// <summary>Peers that must be sent this prefix's current state (Adj-RIB-Out work list).</summary>
        public readonly uint[] OutPending;
        /// <summary>Peers this prefix is currently advertised to (Adj-RIB-Out).</summary>
        public readonly uint[] OutAdvertised;
        private readonly int[] bestAttr;
        private readonly byte[] prefixFlags;
        private readonly int[] prefixNext;
        private readonly int[] buckets;
        private int freePrefix;
        private int prefixesInUse;

        /// <summary>Prefix of each path.</summary>
        public readonly int[] PathPrefix;
        /// <summary>Peer of each path.</summary>
        public readonly byte[] PathPeer;
        /// <summary>Attribute set of each path.</summary>
        public readonly int[] PathAttr;
        /// <summary>Next path of the same prefix (-1 = last); free-list link for free paths.</summary>
        public readonly int[] PathNext;
        /// <summary>Path flags (PathStale).</summary>
        public readonly byte[] PathFlags;
        private int freePath;
        private int pathsInUse;

        /// <summary>Paths held per peer (Adj-RIB-In size; index LocalPeer = originated networks).</summary>
        public readonly int[] PeerPathCount;
        /// <summary>Prefixes pending for each peer (bits set in OutPending).</summary>
        public readonly int[] PeerPendingCount;
        /// <summary>Prefixes advertised to each peer.</summary>
        public readonly int[] PeerAdvertisedCount;
        /// <summary>BGP Identifier of each peer (tie-breaker f).</summary>
        public readonly uint[] PeerRouterId;
        /// <summary>Address of each peer (tie-breaker g).</summary>
        public readonly uint[] PeerAddress;
        /// <summary>True for an external peer.</summary>
        public readonly bool[] PeerExternal;
        /// <summary>Peers changes are exported to (Established sessions).</summary>
        public uint ExportMask;
        /// <summary>Paths in an ECMP set (maximum-paths, 1 = no multipath).</summary>
        public int MaximumPaths = 1;

        private readonly int[] changeQueue;
        private int changeHead;
        private int changeCount;

        /// <summary>Announcements refused because the path pool was full.</summary>
        public int PathsFullCount;
        /// <summary>Announcements refused because the prefix pool was full.</summary>
        public int PrefixesFullCount;

        /// <summary>Creates a RIB for <paramref name="peers"/> peers (at most 32), <paramref name="paths"/> paths and <paramref name="prefixes"/> prefixes.</summary>
        public RibTable(int peers, int paths, int prefixes, int smallAttributeSets, int largeAttributeSets)
        {
            PeerCapacity = peers > MaxPeers ? MaxPeers : peers;
            LocalPeer = PeerCapacity;
            Attributes = new AttributeStore(smallAttributeSets, largeAttributeSets);
            Selection = new BestPathSelection(this);
            PrefixAddress = new uint[prefixes];
            PrefixLength = new byte[prefixes];
            FirstPath = new int[prefixes];
            Best = new int[prefixes];
            EcmpMask = new uint[prefixes];
            OutPending = new uint[prefixes];
            OutAdvertised = new uint[prefixes];
            bestAttr = new int[prefixes];
            prefixFlags = new byte[prefixes];
            prefixNext = new int[prefixes];
            buckets = new int[BucketCount(prefixes)];
            changeQueue = new int[prefixes];
            for (int i = 0; i < buckets.Length; i++)
            {
                buckets[i] = -1;
            }

            for (int i = 0; i < prefixes; i++)
            {
                prefixNext[i] = i + 1 < prefixes ? i + 1 : -1;
            }

            freePrefix = prefixes > 0 ? 0 : -1;
            PathPrefix = new int[paths];
            PathPeer = new byte[paths];
            PathAttr = new int[paths];
            PathNext = new int[paths];
            PathFlags = new byte[paths];
            for (int i = 0; i < paths; i++)
            {
                PathNext[i] = i + 1 < paths ? i + 1 : -1;
                PathAttr[i] = -1;
            }

            freePath = paths > 0 ? 0 : -1;
            PeerPathCount = new int[PeerCapacity + 1];
            PeerPendingCount = new int[PeerCapacity + 1];
            PeerAdvertisedCount = new int[PeerCapacity + 1];
            PeerRouterId = new uint[PeerCapacity + 1];
            PeerAddress = new uint[PeerCapacity + 1];
            PeerExternal = new bool[PeerCapacity + 1];
        }

        /// <summary>Prefix slots in the pool.</summary>
        public int PrefixCapacity { get { return PrefixAddress.Length; } }
        /// <summary>Path slots in the pool.</summary>
        public int PathCapacity { get { return PathPrefix.Length; } }
        /// <summary>Prefixes in use.</summary>
        public int PrefixCount { get { return prefixesInUse; } }
        /// <summary>Paths in use.</summary>
        public int PathCount { get { return pathsInUse; } }
        /// <summary>Prefixes waiting in ChangeQueue.</summary>
        public int ChangeCount { get { return changeCount; } }

        /// <summary>True when prefix slot <paramref name="index"/> is in use.</summary>
        public bool PrefixInUse(int index) { return (prefixFlags[index] & FlagInUse) != 0; }

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
        public static void Account(VpnAppliance.Core.MemoryBudget budget, int peers, int paths, int prefixes, int small, int large)
        {
            AttributeStore.Account(budget, small, large);
            budget.AddObject(30, 30 * 8);
            budget.AddObject(2, 16);
            // prefix arrays: address, first, best, ecmp, pending, advertised, bestAttr, next (4 each), length, flags (1 each), change queue (4)
            for (int i = 0; i < 9; i++)
            {
                budget.AddValueArray(4, prefixes);
            }

            budget.AddValueArray(1, prefixes);
            budget.AddValueArray(1, prefixes);
            budget.AddValueArray(4, BucketCount(prefixes));
            // path arrays: prefix, attr, next (4 each), peer, flags (1 each)
            budget.AddValueArray(4, paths);
            budget.AddValueArray(4, paths);
            budget.AddValueArray(4, paths);
            budget.AddValueArray(1, paths);
            budget.AddValueArray(1, paths);
            int p = (peers > MaxPeers ? MaxPeers : peers) + 1;
            for (int i = 0; i < 5; i++)
            {
                budget.AddValueArray(4, p);
            }

            budget.AddValueArray(1, p);
        }

        private static int HashOf(uint address, int length)
        {
            uint h = (address ^ ((uint)length << 27) ^ (address >> 15)) * 0x9E3779B1u;
            return (int)(h >> 1);
        }

        /// <summary>The slot of <paramref name="address"/>/<paramref name="length"/>, -1 when absent.</summary>
        public int FindPrefix(uint address, int length)
        {
            int b = HashOf(address, length) & (buckets.Length - 1);
            for (int i = buckets[b], guard = 0; i >= 0 && guard < PrefixAddress.Length; i = prefixNext[i], guard++)
            {
                if (PrefixAddress[i] == address && PrefixLength[i] == length)
                {
                    return i;
                }
            }

            return -1;
        }

        private int AddPrefix(uint address, int length)
        {
            if (freePrefix < 0)
            {
                return -1;
            }

            int i = freePrefix;
            freePrefix = prefixNext[i];
            int b = HashOf(address, length) & (buckets.Length - 1);
            prefixNext[i] = buckets[b];
            buckets[b] = i;
            PrefixAddress[i] = address;
            PrefixLength[i] = (byte)length;
            FirstPath[i] = -1;
            Best[i] = -1;
            bestAttr[i] = -1;
            EcmpMask[i] = 0;
            OutPending[i] = 0;
            OutAdvertised[i] = 0;
            prefixFlags[i] = FlagInUse;
            prefixesInUse++;
            return i;
        }

        /// <summary>Frees a prefix without paths that is neither advertised, pending nor queued.</summary>
        private void MaybeFreePrefix(int i)
        {
            if (FirstPath[i] >= 0 || OutAdvertised[i] != 0 || OutPending[i] != 0 || (prefixFlags[i] & FlagQueued) != 0)
            {
                return;
            }

            int b = HashOf(PrefixAddress[i], PrefixLength[i]) & (buckets.Length - 1);
            int prev = -1;
            for (int j = buckets[b], guard = 0; j >= 0 && guard < PrefixAddress.Length; j = prefixNext[j], guard++)
            {
                if (j == i)
                {
                    if (prev < 0)
                    {
                        buckets[b] = prefixNext[j];
                    }
                    else
                    {
                        prefixNext[prev] = prefixNext[j];
                    }

                    break;
                }

                prev = j;
            }

            prefixFlags[i] = 0;
            prefixNext[i] = freePrefix;
            freePrefix = i;
            prefixesInUse--;
        }

        /// <summary>The path of <paramref name="peer"/> for prefix <paramref name="prefix"/>, -1 when none.</summary>
        public int FindPath(int prefix, int peer)
        {
            for (int p = FirstPath[prefix], guard = 0; p >= 0 && guard <= MaxPeers + 1; p = PathNext[p], guard++)
            {
                if (PathPeer[p] == peer)
                {
                    return p;
                }
            }

            return -1;
        }

        /// <summary>
        /// Installs or replaces <paramref name="peer"/>'s path to address/length with attribute set
        /// <paramref name="attr"/>, taking over one reference on it (released again when not stored).
        /// <paramref name="isNew"/> tells whether the peer had no path for it before.
        /// </summary>
        public RibResult Announce(int peer, uint address, int length, int attr, out bool isNew)
        {
            isNew = false;
            int prefix = FindPrefix(address, length);
            if (prefix < 0)
            {
                prefix = AddPrefix(address, length);
                if (prefix < 0)
                {
                    PrefixesFullCount++;
                    Attributes.Release(attr);
                    return RibResult.PrefixesFull;
                }
            }

            int path = FindPath(prefix, peer);
            if (path >= 0)
            {
                PathFlags[path] = 0;
                if (PathAttr[path] == attr)
                {
                    Attributes.Release(attr);
                    return RibResult.Unchanged;
                }

                Attributes.Release(PathAttr[path]);
                PathAttr[path] = attr;
            }
            else
            {
                if (freePath < 0)
                {
                    PathsFullCount++;
                    Attributes.Release(attr);
                    MaybeFreePrefix(prefix);
                    return RibResult.PathsFull;
                }

                path = freePath;
                freePath = PathNext[path];
                PathPrefix[path] = prefix;
                PathPeer[path] = (byte)peer;
                PathAttr[path] = attr;
                PathFlags[path] = 0;
                PathNext[path] = FirstPath[prefix];
                FirstPath[prefix] = path;
                pathsInUse++;
                PeerPathCount[peer]++;
                isNew = true;
            }

            Decide(prefix, peer);
            return RibResult.Ok;
        }

        /// <summary>Removes <paramref name="peer"/>'s path to address/length (Unchanged when it had none).</summary>
        public RibResult Withdraw(int peer, uint address, int length)
        {
            int prefix = FindPrefix(address, length);
            if (prefix < 0)
            {
                return RibResult.Unchanged;
            }

            return RemovePath(prefix, peer) ? RibResult.Ok : RibResult.Unchanged;
        }

        private bool RemovePath(int prefix, int peer)
        {
            int prev = -1;
            for (int p = FirstPath[prefix], guard = 0; p >= 0 && guard <= MaxPeers + 1; p = PathNext[p], guard++)
            {
                if (PathPeer[p] == peer)
                {
                    if (prev < 0)
                    {
                        FirstPath[prefix] = PathNext[p];
                    }
                    else
                    {
                        PathNext[prev] = PathNext[p];
                    }

                    Attributes.Release(PathAttr[p]);
                    PathAttr[p] = -1;
                    PathNext[p] = freePath;
                    freePath = p;
                    pathsInUse--;
                    PeerPathCount[peer]--;
                    Decide(prefix, peer);
                    MaybeFreePrefix(prefix);
                    return true;
                }

                prev = p;
            }

            return false;
        }

        /// <summary>
        /// Removes every path of <paramref name="peer"/> (only the stale ones with <paramref name="onlyStale"/>,
        /// the RFC 4724 §4.2 sweep). Returns the number removed. Walks the whole prefix pool (bounded).
        /// </summary>
        public int RemovePeer(int peer, bool onlyStale)
        {
            int removed = 0;
            for (int i = 0; i < PrefixAddress.Length && PeerPathCount[peer] > 0; i++)
            {
                if ((prefixFlags[i] & FlagInUse) == 0)
                {
                    continue;
                }

                int p = FindPath(i, peer);
                if (p >= 0 && (!onlyStale || (PathFlags[p] & PathStale) != 0))
                {
                    RemovePath(i, peer);
                    removed++;
                }
            }

            return removed;
        }

        /// <summary>Marks every path of <paramref name="peer"/> stale (RFC 4724 §4.2). Returns how many.</summary>
        public int MarkStale(int peer)
        {
            int n = 0;
            for (int i = 0; i < PathPrefix.Length; i++)
            {
                if (PathAttr[i] >= 0 && PathPeer[i] == peer && IsPathInUse(i))
                {
                    PathFlags[i] |= PathStale;
                    n++;
                }
            }

            return n;
        }

        /// <summary>Paths of <paramref name="peer"/> still stale.</summary>
        public int StaleCount(int peer)
        {
            int n = 0;
            for (int i = 0; i < PathPrefix.Length; i++)
            {
                if (PathPeer[i] == peer && (PathFlags[i] & PathStale) != 0 && IsPathInUse(i))
                {
                    n++;
                }
            }

            return n;
        }

        private bool IsPathInUse(int path)
        {
            int prefix = PathPrefix[path];
            return (prefixFlags[prefix] & FlagInUse) != 0 && FindPath(prefix, PathPeer[path]) == path;
        }

        /// <summary>Sets <paramref name="peer"/>'s pending bit (an export to do); keeps PeerPendingCount.</summary>
        public void SetPending(int prefix, int peer)
        {
            uint bit = 1u << peer;
            if ((OutPending[prefix] & bit) == 0)
            {
                OutPending[prefix] |= bit;
                PeerPendingCount[peer]++;
            }
        }

        /// <summary>Clears <paramref name="peer"/>'s pending bit.</summary>
        public void ClearPending(int prefix, int peer)
        {
            uint bit = 1u << peer;
            if ((OutPending[prefix] & bit) != 0)
            {
                OutPending[prefix] &= ~bit;
                PeerPendingCount[peer]--;
                MaybeFreePrefix(prefix);
            }
        }

        /// <summary>Records whether prefix is advertised to <paramref name="peer"/>.</summary>
        public void SetAdvertised(int prefix, int peer, bool advertised)
        {
            uint bit = 1u << peer;
            bool was = (OutAdvertised[prefix] & bit) != 0;
            if (advertised && !was)
            {
                OutAdvertised[prefix] |= bit;
                PeerAdvertisedCount[peer]++;
            }
            else if (!advertised && was)
            {
                OutAdvertised[prefix] &= ~bit;
                PeerAdvertisedCount[peer]--;
            }
        }

        /// <summary>True when prefix is advertised to <paramref name="peer"/>.</summary>
        public bool IsAdvertised(int prefix, int peer)
        {
            return (OutAdvertised[prefix] & (1u << peer)) != 0;
        }

        /// <summary>
        /// Marks every prefix with a best path pending for <paramref name="peer"/> (a new session's initial
        /// dump, a ROUTE-REFRESH, an export policy change). Returns how many.
        /// </summary>
        public int MarkAllPending(int peer)
        {
            int n = 0;
            for (int i = 0; i < PrefixAddress.Length; i++)
            {
                if ((prefixFlags[i] & FlagInUse) != 0 && (Best[i] >= 0 || IsAdvertised(i, peer)))
                {
                    SetPending(i, peer);
                    n++;
                }
            }

            return n;
        }

        /// <summary>Forgets the Adj-RIB-Out of <paramref name="peer"/> (its session ended).</summary>
        public void ResetPeerOut(int peer)
        {
            uint bit = 1u << peer;
            for (int i = 0; i < PrefixAddress.Length; i++)
            {
                if ((prefixFlags[i] & FlagInUse) == 0)
                {
                    continue;
                }

                if ((OutPending[i] & bit) != 0 || (OutAdvertised[i] & bit) != 0)
                {
                    OutPending[i] &= ~bit;
                    OutAdvertised[i] &= ~bit;
                    MaybeFreePrefix(i);
                }
            }

            PeerPendingCount[peer] = 0;
            PeerAdvertisedCount[peer] = 0;
        }

        /// <summary>Re-runs the decision process for every prefix (policy knobs such as always-compare-med changed).</summary>
        public void DecideAll()
        {
            for (int i = 0; i < PrefixAddress.Length; i++)
            {
                if ((prefixFlags[i] & FlagInUse) != 0)
                {
                    Decide(i, -1);
                }
            }
        }

        /// <summary>
        /// Re-runs the decision for <paramref name="prefix"/> after <paramref name="changedPeer"/>'s path changed;
        /// queues the prefix for the routing manager and marks it pending for export when the outcome changed.
        /// </summary>
        private void Decide(int prefix, int changedPeer)
        {
            int oldBest = Best[prefix];
            uint oldMask = EcmpMask[prefix];
            int oldAttr = bestAttr[prefix];
            int best = -1;
            TieBreaker reason;
            for (int p = FirstPath[prefix], guard = 0; p >= 0 && guard <= MaxPeers + 1; p = PathNext[p], guard++)
            {
                if (best < 0 || Selection.Compare(p, best, out reason) < 0)
                {
                    best = p;
                }
            }

            uint mask = 0;
            if (best >= 0 && PathPeer[best] != LocalPeer)
            {
                mask = 1u << PathPeer[best];
                int members = 1;
                // Add equal paths in decision order (lowest router id / address first) up to MaximumPaths.
                for (int round = 0; round < MaxPeers && members < MaximumPaths; round++)
                {
                    int pick = -1;
                    for (int p = FirstPath[prefix], guard = 0; p >= 0 && guard <= MaxPeers + 1; p = PathNext[p], guard++)
                    {
                        if ((mask & (1u << PathPeer[p])) != 0 || PathPeer[p] == LocalPeer || !Selection.MultipathEqual(best, p) || SameNextHop(prefix, mask, p))
                        {
                            continue;
                        }

                        if (pick < 0 || Selection.Compare(p, pick, out reason) < 0)
                        {
                            pick = p;
                        }
                    }

                    if (pick < 0)
                    {
                        break;
                    }

                    mask |= 1u << PathPeer[pick];
                    members++;
                }
            }

            Best[prefix] = best;
            EcmpMask[prefix] = mask;
            bestAttr[prefix] = best >= 0 ? PathAttr[best] : -1;
            bool bestChanged = best != oldBest || bestAttr[prefix] != oldAttr;
            bool changed = bestChanged || mask != oldMask
                || (changedPeer >= 0 && changedPeer < MaxPeers && (((oldMask | mask) >> changedPeer) & 1) != 0);
            if (changed)
            {
                Enqueue(prefix);
            }

            if (bestChanged && ExportMask != 0)
            {
                for (int peer = 0; peer < PeerCapacity; peer++)
                {
                    if ((ExportMask & (1u << peer)) != 0)
                    {
                        SetPending(prefix, peer);
                    }
                }
            }
        }

        private bool SameNextHop(int prefix, uint mask, int candidate)
        {
            uint nh = Attributes.NextHop[PathAttr[candidate]];
            for (int p = FirstPath[prefix], guard = 0; p >= 0 && guard <= MaxPeers + 1; p = PathNext[p], guard++)
            {
                if ((mask & (1u << PathPeer[p])) != 0 && PathPeer[p] != LocalPeer && Attributes.NextHop[PathAttr[p]] == nh)
                {
                    return true;
                }
            }

            return false;
        }

        private void Enqueue(int prefix)
        {
            if ((prefixFlags[prefix] & FlagQueued) != 0 || changeCount >= changeQueue.Length)
            {
                return;
            }

            prefixFlags[prefix] |= FlagQueued;
            changeQueue[(changeHead + changeCount) % changeQueue.Length] = prefix;
            changeCount++;
        }

        /// <summary>
        /// Takes the next prefix whose Loc-RIB entry changed (for the routing manager), -1 when none. The
        /// prefix's current Best/EcmpMask are its new state (Best -1 = withdrawn); read them before the next call.
        /// </summary>
        public int TakeChange()
        {
            if (changeCount == 0)
            {
                return -1;
            }

            int prefix = changeQueue[changeHead];
            changeHead = (changeHead + 1) % changeQueue.Length;
            changeCount--;
            prefixFlags[prefix] &= unchecked((byte)~FlagQueued);
            return prefix;
        }

        /// <summary>Frees <paramref name="prefix"/> when TakeChange's caller is done with it and nothing else holds it.</summary>
        public void ReleaseChanged(int prefix)
        {
            if ((prefixFlags[prefix] & FlagInUse) != 0)
            {
                MaybeFreePrefix(prefix);
            }
        }
    }
}
