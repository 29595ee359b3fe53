using VpnAppliance.Bgp.Speaker;
using VpnAppliance.Core;
using VpnAppliance.Fib;
using VpnAppliance.Net;

namespace VpnAppliance.Firmware
{
    // The routing manager: BGP's best paths into the FIB, next to the connected and static routes PacketPlaneConfig
    // installs, with administrative distance deciding a prefix both have (connected 0, static as configured with
    // default 1, eBGP 20: the example's floating static route at 250 only carries traffic while BGP has no route).
    //
    //   BGP best path(s) for P -> each next hop resolved through the FIB (the tunnel's connected /30, a LAN route):
    //   one next-hop group per distinct member set (cached and shared by every prefix with the same ECMP set), so
    //   10k prefixes over two tunnels use one group. A next hop that does not resolve (its tunnel is down) is left
    //   out; no member left = withdrawn.
    //   Tunnel down -> NextHopGroupTable.RemoveInterface: every group drops that tunnel in one operation (traffic
    //   moves to the remaining members at once), then the BGP sessions on the tunnel close and their routes go.
    //
    // Invariant: a FIB entry whose group this manager made (OwnsGroup) is a BGP route; the static side leaves it
    // alone unless its own distance is lower.

    /// <summary>BGP routes into the FIB, tunnel failover, distance arbitration with static routes.</summary>
    public sealed class RoutingManager : IBgpRouteSink, IDynamicRoutes
    {
        /// <summary>Administrative distance of eBGP routes (the common default: FRR, Cisco).</summary>
        public const int EbgpDistance = 20;
        /// <summary>Groups kept for reuse (distinct ECMP member sets).</summary>
        public const int CacheSize = 32;

        private readonly FibTable _fib;
        private readonly NextHopGroupTable _groups;
        private readonly PacketPlaneConfig _plane;
        private readonly bool[] _owned;
        private readonly int[] _cache = new int[CacheSize];
        private int _cacheCount;
        private readonly int[] _iface;
        private readonly uint[] _gateway;
        private long _installed;
        private long _withdrawn;
        private long _unresolved;
        private long _shadowed;
        private long _refused;

        /// <summary>Manages BGP routes in <paramref name="fib"/> over <paramref name="groups"/>; tells <paramref name="plane"/> which entries are dynamic.</summary>
        public RoutingManager(FibTable fib, NextHopGroupTable groups, PacketPlaneConfig plane)
        {
            _fib = fib;
            _groups = groups;
            _plane = plane;
            _owned = new bool[groups.Capacity];
            _iface = new int[groups.PathsPerGroup];
            _gateway = new uint[groups.PathsPerGroup];
            plane.SetDynamicRoutes(this);
        }

        /// <summary>What the constructor allocates.</summary>
        public static void Account(MemoryBudget budget, Capacities c)
        {
            budget.AddObject(14, 14 * 8);
            budget.AddValueArray(1, c.NextHopGroups);
            budget.AddValueArray(4, CacheSize);
            budget.AddValueArray(4, c.PathsPerGroup);
            budget.AddValueArray(4, c.PathsPerGroup);
        }

        /// <summary>BGP routes installed or updated in the FIB.</summary>
        public long Installed { get { return _installed; } }
        /// <summary>BGP routes removed from the FIB.</summary>
        public long Withdrawn { get { return _withdrawn; } }
        /// <summary>Next hops that did not resolve (no route, or via another BGP route).</summary>
        public long Unresolved { get { return _unresolved; } }
        /// <summary>BGP routes not installed because a static route with a lower distance holds the prefix.</summary>
        public long Shadowed { get { return _shadowed; } }
        /// <summary>BGP routes the FIB or the group table refused (full).</summary>
        public long Refused { get { return _refused; } }

        /// <summary>IDynamicRoutes.</summary>
        public int Distance { get { return EbgpDistance; } }

        /// <summary>IDynamicRoutes: true for groups this manager made.</summary>
        public bool OwnsGroup(int group)
        {
            return group >= 0 && group < _owned.Length && _owned[group];
        }

        /// <summary>IBgpRouteSink: the best path(s) of a prefix changed (count 0: no BGP route any more).</summary>
        public void OnBestPathChanged(uint prefix, int length, uint[] nextHops, uint[] peerAddresses, int count)
        {
            int n = 0;
            for (int i = 0; i < count; i++)
            {
                if (peerAddresses[i] == 0) continue;                     // our own network: nothing to install
                int iface;
                uint gateway;
                if (!Resolve(nextHops[i], out iface, out gateway))
                {
                    _unresolved++;
                    continue;
                }

                bool duplicate = false;
                for (int k = 0; k < n && !duplicate; k++) duplicate = _iface[k] == iface && _gateway[k] == gateway;
                if (!duplicate && n < _iface.Length)
                {
                    _iface[n] = iface;
                    _gateway[n] = gateway;
                    n++;
                }
            }

            if (n == 0)
            {
                Withdraw(prefix, length);
                return;
            }

            int staticDistance = _plane.StaticDistance(prefix, length);
            if (staticDistance >= 0 && staticDistance <= EbgpDistance)
            {
                _shadowed++;
                Withdraw(prefix, length);
                return;
            }

            int g = GroupFor(n);
            if (g < 0 || _fib.Insert(prefix, length, g) != FibResult.Ok)
            {
                _refused++;
                return;
            }

            _installed++;
        }

        /// <summary>
        /// Tunnel <paramref name="tunnelId"/> (router interface) went down: every next-hop group drops it at once.
        /// Returns the members removed.
        /// </summary>
        public int TunnelDown(int tunnelId)
        {
            return _groups.RemoveInterface(tunnelId);
        }

        private void Withdraw(uint prefix, int length)
        {
            int g;
            if (!_fib.TryGet(prefix, length, out g) || !OwnsGroup(g)) return;
            _withdrawn++;
            if (_plane.StaticDistance(prefix, length) >= 0)
            {
                _plane.ReinstallStatic(prefix, length);     // the floating static route takes over
                if (_fib.TryGet(prefix, length, out g) && !OwnsGroup(g)) return;
            }

            _fib.Delete(prefix, length);
        }

        /// <summary>The interface and gateway a BGP next hop is reached through (recursion over non-BGP routes only).</summary>
        private bool Resolve(uint nextHop, out int iface, out uint gateway)
        {
            iface = -1;
            gateway = 0;
            int g = _fib.Lookup(nextHop);
            if (g < 0 || OwnsGroup(g) || _groups.MemberCount(g) == 0) return false;
            iface = _groups.MemberInterface(g, 0);
            uint via = _groups.MemberGateway(g, 0);
            gateway = via != 0 ? via : nextHop;                  // on-link: the next hop itself
            return true;
        }

        /// <summary>A group holding exactly the members in _iface/_gateway[0..n): a cached one, or a new one.</summary>
        private int GroupFor(int n)
        {
            for (int c = 0; c < _cacheCount; c++)
            {
                int g = _cache[c];
                if (Matches(g, n)) return g;
            }

            Evict();
            int created = _groups.Create();
            if (created < 0) return -1;
            for (int i = 0; i < n; i++)
            {
                if (_groups.AddMember(created, _iface[i], _gateway[i], 1) != FibResult.Ok)
                {
                    _groups.Release(created);
                    return -1;
                }
            }

            if (_cacheCount == CacheSize)
            {
                _groups.Release(created);                        // more distinct ECMP sets than we track: refused
                return -1;
            }

            _owned[created] = true;
            _cache[_cacheCount++] = created;                    // the cache keeps the creator's reference
            return created;
        }

        private bool Matches(int g, int n)
        {
            if (!_groups.IsValid(g) || _groups.MemberCount(g) != n) return false;
            for (int i = 0; i < n; i++)
            {
                bool found = false;
                for (int k = 0; k < n && !found; k++) found = _groups.MemberInterface(g, k) == _iface[i] && _groups.MemberGateway(g, k) == _gateway[i];
                if (!found) return false;
            }

            return true;
        }

        /// <summary>Frees cached groups no route uses any more (only the cache's reference left).</summary>
        private void Evict()
        {
            for (int c = 0; c < _cacheCount; )
            {
                int g = _cache[c];
                if (_groups.RefCount(g) <= 1)
                {
                    _owned[g] = false;
                    _groups.Release(g);
                    _cache[c] = _cache[--_cacheCount];
                    continue;
                }

                c++;
            }
        }
    }
}
