namespace VpnAppliance.Bgp.Rib
{
    /// <summary>
    /// The decision process of RFC 4271 §9.1 as a pairwise comparison: locally originated first, then
    /// LOCAL_PREF (external paths count 100, §9.1.1), AS_PATH length, ORIGIN, MED (same neighbour AS unless
    /// always-compare-med; a missing MED is 0, §9.1.2.2 c), external over internal, lowest BGP Identifier,
    /// lowest peer address. Next-hop reachability (§9.1.2.1) and IGP cost are the routing manager's: the
    /// tunnel under a peer is up while its session is. Multipath: paths that tie through the external/internal
    /// step, come from the same neighbour AS and from different peers and next hops form one ECMP set.
    /// </summary>
    public sealed class BestPathSelection
    {
        /// <summary>Degree of preference of a path without LOCAL_PREF (and of every external path).</summary>
        public const uint DefaultLocalPref = 100;

        private readonly RibTable rib;

        /// <summary>Compare MED between paths from different neighbour ASes too.</summary>
        public bool AlwaysCompareMed;

        /// <summary>Creates the selection over <paramref name="table"/>'s paths and peer facts.</summary>
        public BestPathSelection(RibTable table)
        {
            rib = table;
        }

        /// <summary>Degree of preference of path <paramref name="path"/> (§9.1.1).</summary>
        public uint Preference(int path)
        {
            int peer = rib.PathPeer[path];
            int attr = rib.PathAttr[path];
            AttributeStore a = rib.Attributes;
            if (peer == rib.LocalPeer || rib.PeerExternal[peer] || (a.Flags[attr] & AttributeFlags.HasLocalPref) == 0)
            {
                return DefaultLocalPref;
            }

            return a.LocalPref[attr];
        }

        /// <summary>Negative when path <paramref name="x"/> is better, positive when <paramref name="y"/> is; <paramref name="reason"/> names the deciding step.</summary>
        public int Compare(int x, int y, out TieBreaker reason)
        {
            reason = TieBreaker.None;
            if (x == y)
            {
                return 0;
            }

            AttributeStore a = rib.Attributes;
            int px = rib.PathPeer[x], py = rib.PathPeer[y];
            int ax = rib.PathAttr[x], ay = rib.PathAttr[y];
            bool lx = px == rib.LocalPeer, ly = py == rib.LocalPeer;
            if (lx != ly)
            {
                reason = TieBreaker.LocalOrigin;
                return lx ? -1 : 1;
            }

            uint prefX = Preference(x), prefY = Preference(y);
            if (prefX != prefY)
            {
                reason = TieBreaker.LocalPref;
                return prefX > prefY ? -1 : 1;
            }

            if (a.PathLength[ax] != a.PathLength[ay])
            {
                reason = TieBreaker.AsPathLength;
                return a.PathLength[ax] < a.PathLength[ay] ? -1 : 1;
            }

            if (a.Origin[ax] != a.Origin[ay])
            {
                reason = TieBreaker.Origin;
                return a.Origin[ax] < a.Origin[ay] ? -1 : 1;
            }

            if (AlwaysCompareMed || a.FirstAs[ax] == a.FirstAs[ay])
            {
                uint mx = (a.Flags[ax] & AttributeFlags.HasMed) != 0 ? a.Med[ax] : 0;
                uint my = (a.Flags[ay] & AttributeFlags.HasMed) != 0 ? a.Med[ay] : 0;
                if (mx != my)
                {
                    reason = TieBreaker.Med;
                    return mx < my ? -1 : 1;
                }
            }

            if (!lx)
            {
                bool ex = rib.PeerExternal[px], ey = rib.PeerExternal[py];
                if (ex != ey)
                {
                    reason = TieBreaker.ExternalOverInternal;
                    return ex ? -1 : 1;
                }

                uint ix = rib.PeerRouterId[px], iy = rib.PeerRouterId[py];
                if (ix != iy)
                {
                    reason = TieBreaker.RouterId;
                    return ix < iy ? -1 : 1;
                }

                uint dx = rib.PeerAddress[px], dy = rib.PeerAddress[py];
                if (dx != dy)
                {
                    reason = TieBreaker.PeerAddress;
                    return dx < dy ? -1 : 1;
                }
            }

            return 0;
        }

        /// <summary>True when <paramref name="candidate"/> may share an ECMP set with <paramref name="best"/>.</summary>
        public bool MultipathEqual(int best, int candidate)
        {
            TieBreaker reason;
            int c = Compare(best, candidate, out reason);
            if (c > 0 || (reason != TieBreaker.RouterId && reason != TieBreaker.PeerAddress && reason != TieBreaker.None))
            {
                return false;
            }

            int pb = rib.PathPeer[best], pc = rib.PathPeer[candidate];
            if (pb == rib.LocalPeer || pc == rib.LocalPeer || pb == pc)
            {
                return false;
            }

            AttributeStore a = rib.Attributes;
            int ab = rib.PathAttr[best], ac = rib.PathAttr[candidate];
            return a.FirstAs[ab] == a.FirstAs[ac] && a.NextHop[ab] != a.NextHop[ac];
        }
    }
}
