using VpnAppliance.Config;
using VpnAppliance.Fib;
using VpnAppliance.Net;

namespace VpnAppliance.Firmware
{
    /// <summary>
    /// Applies the running configuration to the router and the FIB (until the routing manager of the RIB issue
    /// takes the routes over):
    /// <list type="bullet">
    /// <item><c>interfaces lan address</c>: the router's LAN address and prefix, and the connected route of the LAN
    /// subnet (a next-hop group with the LAN member, gateway 0 = on-link);</item>
    /// <item><c>interfaces loopback address</c>: the first one is the router's loopback (router-id) address (the
    /// router has one loopback; further ones are not local addresses yet);</item>
    /// <item><c>vpn tunnel</c> i-th (1-based, up to Capacities.Tunnels): its MSS clamp (<c>mss</c>, else mtu - 40) and
    /// MTU are kept for the tunnel interface; no tunnel interface is attached until the IPsec engine exists, so
    /// routes via tunnels are not installed yet;</item>
    /// <item><c>protocols static route</c>: next hops in the LAN subnet become LAN members of one group per route
    /// (ECMP); next hops via tunnels or the WAN subnet are left out (not routable by the packet plane yet); a route
    /// with no member left is not installed, a blackhole route is installed with an empty group (dropped as
    /// no-route, ICMP net unreachable).</item>
    /// </list>
    /// A new configuration first removes every route the previous one installed. Applying allocates (it runs on a
    /// configuration change, not per packet); a full FIB or group table is counted in <see cref="RoutesRefused"/>.
    /// </summary>
    public sealed class PacketPlaneConfig
    {
        private readonly Router _router;
        private readonly FibTable _fib;
        private readonly NextHopGroupTable _groups;
        private readonly int[] _tunnelMtu;
        private readonly bool[] _tunnelUp;
        private ConfigModel _model;
        private IDynamicRoutes _dynamic;
        private uint[] _installedPrefix;
        private int[] _installedLength;
        private int _installed;
        private int _lanPrefixLength;
        private int _routesRefused;
        private int _routesPending;

        /// <summary>Applies configurations to <paramref name="router"/> and its FIB.</summary>
        public PacketPlaneConfig(Router router, FibTable fib, NextHopGroupTable groups)
        {
            _router = router;
            _fib = fib;
            _groups = groups;
            _tunnelMtu = new int[router.TunnelCount + 1];
            _tunnelUp = new bool[router.TunnelCount + 1];
        }

        /// <summary>Describes what the constructor allocates (the installed-route lists are made per configuration).</summary>
        public static void Account(VpnAppliance.Core.MemoryBudget budget, int tunnels)
        {
            budget.AddObject(10, 6 * 8 + 4 * 4);
            budget.AddValueArray(4, tunnels + 1);
            budget.AddValueArray(1, tunnels + 1);
        }

        /// <summary>
        /// Records whether tunnel <paramref name="tunnelId"/> (router interface id) has an outbound CHILD SA; returns
        /// true when that changed. Routes through a tunnel are installed only while it is up, so an ECMP group holds
        /// only working tunnels (the caller re-applies with <see cref="Reapply"/>).
        /// </summary>
        public bool SetTunnelUp(int tunnelId, bool up)
        {
            if (tunnelId < 1 || tunnelId >= _tunnelUp.Length || _tunnelUp[tunnelId] == up) return false;
            _tunnelUp[tunnelId] = up;
            return true;
        }

        /// <summary>True while tunnel <paramref name="tunnelId"/> is up (as last set).</summary>
        public bool TunnelUp(int tunnelId)
        {
            return tunnelId >= 1 && tunnelId < _tunnelUp.Length && _tunnelUp[tunnelId];
        }

        /// <summary>
        /// The dynamic routing (BGP via the routing manager) that may own FIB entries for the same prefixes as static
        /// routes: entries it owns are neither deleted nor overwritten here unless the static route has the lower
        /// administrative distance, which the routing manager checks with <see cref="StaticDistance"/>.
        /// </summary>
        public void SetDynamicRoutes(IDynamicRoutes dynamic)
        {
            _dynamic = dynamic;
        }

        /// <summary>The lowest administrative distance of a static route for exactly prefix/length, or -1 when none.</summary>
        public int StaticDistance(uint prefix, int length)
        {
            StaticSection statics = _model != null ? _model.Static : null;
            if (statics == null) return -1;
            int best = -1;
            for (int i = 0; i < statics.Routes.Count; i++)
            {
                StaticRoute r = (StaticRoute)statics.Routes[i];
                if (r.Prefix.Network == prefix && r.Prefix.Length == length && (best < 0 || r.Distance < best)) best = r.Distance;
            }

            return best;
        }

        /// <summary>Installs the static route(s) for exactly prefix/length again (the dynamic route that shadowed them is gone).</summary>
        public void ReinstallStatic(uint prefix, int length)
        {
            StaticSection statics = _model != null ? _model.Static : null;
            if (statics == null) return;
            InterfacesSection ifs = _model.Interfaces;
            bool hasLan = ifs != null && ifs.Lan.HasAddress;
            Ipv4Prefix lan = hasLan ? ifs.Lan.Address : default(Ipv4Prefix);
            for (int i = 0; i < statics.Routes.Count; i++)
            {
                StaticRoute r = (StaticRoute)statics.Routes[i];
                if (r.Prefix.Network == prefix && r.Prefix.Length == length) InstallStatic(r, hasLan, lan, _model.Tunnels, true);
            }
        }

        private bool OwnedByDynamic(uint prefix, int length)
        {
            int g;
            return _dynamic != null && _fib.TryGet(prefix, length, out g) && _dynamic.OwnsGroup(g);
        }

        /// <summary>Applies the last configuration again (after tunnel state changes).</summary>
        public void Reapply()
        {
            if (_model != null) Apply(_model);
        }

        /// <summary>Prefix length of the LAN address (0 when none).</summary>
        public int LanPrefixLength { get { return _lanPrefixLength; } }

        /// <summary>Routes of the last configuration the FIB refused (table or group pool full).</summary>
        public int RoutesRefused { get { return _routesRefused; } }

        /// <summary>Static routes of the last configuration not installed because their next hops are not reachable yet (tunnels, WAN).</summary>
        public int RoutesPending { get { return _routesPending; } }

        /// <summary>Routes installed by the last configuration (connected + static).</summary>
        public int RoutesInstalled { get { return _installed; } }

        /// <summary>The configured MTU of tunnel <paramref name="tunnelId"/> (0 when none is configured).</summary>
        public int TunnelMtu(int tunnelId)
        {
            return tunnelId >= 1 && tunnelId < _tunnelMtu.Length ? _tunnelMtu[tunnelId] : 0;
        }

        /// <summary>Replaces what the previous configuration set with what <paramref name="model"/> says.</summary>
        public void Apply(ConfigModel model)
        {
            _model = model;
            for (int i = 0; i < _installed; i++)
            {
                if (!OwnedByDynamic(_installedPrefix[i], _installedLength[i]))
                {
                    _fib.Delete(_installedPrefix[i], _installedLength[i]);
                }
            }

            _installed = 0;
            _routesRefused = 0;
            _routesPending = 0;
            InterfacesSection ifs = model.Interfaces;
            StaticSection statics = model.Static;
            int capacity = 1 + (statics == null ? 0 : statics.Routes.Count) + (model.Tunnels == null ? 0 : model.Tunnels.Tunnels.Count);
            _installedPrefix = new uint[capacity];
            _installedLength = new int[capacity];

            Ipv4Prefix lan = default(Ipv4Prefix);
            bool hasLan = ifs != null && ifs.Lan.HasAddress;
            if (hasLan)
            {
                lan = ifs.Lan.Address;
                _router.SetLanAddress(lan.Address, lan.Length);
                _lanPrefixLength = lan.Length;
                int g = _groups.Create();
                if (g < 0 || _groups.AddMember(g, Router.LanInterface, 0, 1) != FibResult.Ok)
                {
                    _routesRefused++;
                }
                else
                {
                    Install(lan.Network, lan.Length, g);
                }

                if (g >= 0)
                {
                    _groups.Release(g);
                }
            }
            else
            {
                _router.SetLanAddress(0, 0);
                _lanPrefixLength = 0;
            }

            _router.SetLoopbackAddress(ifs != null && ifs.Loopbacks.Count > 0 ? ((LocatedPrefix)ifs.Loopbacks[0]).Prefix.Address : 0);
            ApplyTunnels(model.Tunnels);
            InstallTunnelSubnets(model.Tunnels);
            if (statics != null)
            {
                for (int i = 0; i < statics.Routes.Count; i++)
                {
                    InstallStatic((StaticRoute)statics.Routes[i], hasLan, lan, model.Tunnels, false);
                }
            }
        }

        /// <summary>Router interface id of the tunnel named <paramref name="name"/> (the i-th tunnel is i + 1), 0 when unknown.</summary>
        public static int TunnelId(TunnelSection tunnels, string name)
        {
            if (tunnels == null) return 0;
            for (int i = 0; i < tunnels.Tunnels.Count; i++) if (tunnels.At(i).Name == name) return i + 1;
            return 0;
        }

        /// <summary>The inside-tunnel subnet of each up tunnel (e.g. the APIPA /30 of the BGP peering) routes into it.</summary>
        private void InstallTunnelSubnets(TunnelSection tunnels)
        {
            if (tunnels == null) return;
            for (int i = 0; i < tunnels.Tunnels.Count && i + 1 < _tunnelUp.Length; i++)
            {
                TunnelInterface t = tunnels.At(i);
                if (!t.HasAddress || !TunnelUp(i + 1) || t.Address.Length >= 32) continue;
                int g = _groups.Create();
                if (g < 0 || _groups.AddMember(g, i + 1, 0, 1) != FibResult.Ok) _routesRefused++;
                else Install(t.Address.Network, t.Address.Length, g);
                if (g >= 0) _groups.Release(g);
            }
        }

        private void ApplyTunnels(TunnelSection tunnels)
        {
            for (int id = 1; id < _tunnelMtu.Length; id++)
            {
                TunnelInterface t = tunnels != null && id <= tunnels.Tunnels.Count ? tunnels.At(id - 1) : null;
                _tunnelMtu[id] = t == null ? 0 : t.Mtu;
                _router.SetTunnelMss(id, t == null ? 0 : t.EffectiveMss);
            }
        }

        private void InstallStatic(StaticRoute route, bool hasLan, Ipv4Prefix lan, TunnelSection tunnels, bool replacingDynamic)
        {
            if (!replacingDynamic && OwnedByDynamic(route.Prefix.Network, route.Prefix.Length) && route.Distance >= _dynamic.Distance)
            {
                return; // a dynamic route with a lower distance holds the prefix (the routing manager decided)
            }

            int g = _groups.Create();
            if (g < 0)
            {
                _routesRefused++;
                return;
            }

            int members = 0;
            for (int k = 0; k < route.NextHops.Count; k++)
            {
                StaticNextHop hop = (StaticNextHop)route.NextHops[k];
                if (hop.Tunnel == null && hasLan && lan.Contains(hop.Address) && _groups.AddMember(g, Router.LanInterface, hop.Address, 1) == FibResult.Ok)
                {
                    members++;
                }
                else if (hop.Tunnel != null)
                {
                    int id = TunnelId(tunnels, hop.Tunnel);
                    if (TunnelUp(id) && _groups.AddMember(g, id, 0, 1) == FibResult.Ok) members++;
                }
            }

            if (members == 0 && !route.Blackhole)
            {
                _routesPending++;
            }
            else
            {
                Install(route.Prefix.Network, route.Prefix.Length, g);
            }

            _groups.Release(g);
        }

        private void Install(uint prefix, int length, int group)
        {
            if (_installed == _installedPrefix.Length)
            {
                for (int i = 0; i < _installed; i++)
                {
                    if (_installedPrefix[i] == prefix && _installedLength[i] == length)
                    {
                        if (_fib.Insert(prefix, length, group) != FibResult.Ok) _routesRefused++;
                        return;
                    }
                }
            }

            if (_fib.Insert(prefix, length, group) == FibResult.Ok)
            {
                _installedPrefix[_installed] = prefix;
                _installedLength[_installed] = length;
                _installed++;
            }
            else
            {
                _routesRefused++;
            }
        }
    }
}
