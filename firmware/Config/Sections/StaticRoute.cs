using System.Collections;

namespace VpnAppliance.Config
{
    /// <summary>A next hop of a static route: a tunnel interface or a gateway address on a connected subnet.</summary>
    public sealed class StaticNextHop
    {
        /// <summary>Tunnel name, or null for an address next hop.</summary>
        public string Tunnel;
        /// <summary>Gateway address (when <see cref="Tunnel"/> is null).</summary>
        public uint Address;
        /// <summary>Line that set it.</summary>
        public int Line;

        /// <summary>Canonical text: <c>tunnel vti0</c> or <c>address a.b.c.d</c>.</summary>
        public override string ToString() { return Tunnel != null ? "tunnel " + Tunnel : "address " + Ipv4.Format(Address); }

        /// <summary>Structural equality.</summary>
        public bool SameAs(StaticNextHop o) { return o.Tunnel == Tunnel && (Tunnel != null || o.Address == Address); }

        /// <summary>Orders tunnels first (by name), then addresses.</summary>
        public static readonly IComparer Order = new HopOrder();

        private sealed class HopOrder : IComparer
        {
            public int Compare(object x, object y)
            {
                StaticNextHop a = (StaticNextHop)x, b = (StaticNextHop)y;
                if ((a.Tunnel == null) != (b.Tunnel == null)) return a.Tunnel != null ? -1 : 1;
                if (a.Tunnel != null) return TunnelSection.ByNumber.Compare(new TunnelInterface(a.Tunnel, 0), new TunnelInterface(b.Tunnel, 0));
                return a.Address == b.Address ? 0 : (a.Address < b.Address ? -1 : 1);
            }
        }
    }

    /// <summary>A static route: prefix, next hops (several = ECMP) or blackhole, administrative distance.</summary>
    public sealed class StaticRoute
    {
        /// <summary>Default administrative distance of a static route.</summary>
        public const int DefaultDistance = 1;

        /// <summary>Destination (host bits zero).</summary>
        public Ipv4Prefix Prefix;
        /// <summary>First line mentioning it.</summary>
        public int Line;
        /// <summary>Next hops (<see cref="StaticNextHop"/>).</summary>
        public readonly ArrayList NextHops = new ArrayList();
        /// <summary>True: drop traffic to the prefix.</summary>
        public bool Blackhole;
        /// <summary>Administrative distance 1..255.</summary>
        public int Distance = DefaultDistance;

        /// <summary>Creates a route.</summary>
        public StaticRoute(Ipv4Prefix prefix, int line) { Prefix = prefix; Line = line; }

        /// <summary>Structural equality.</summary>
        public bool SameAs(StaticRoute o)
        {
            if (!o.Prefix.SameAs(Prefix) || o.Blackhole != Blackhole || o.Distance != Distance || o.NextHops.Count != NextHops.Count) return false;
            Sorting.Sort(NextHops, StaticNextHop.Order);
            Sorting.Sort(o.NextHops, StaticNextHop.Order);
            for (int i = 0; i < NextHops.Count; i++) if (!((StaticNextHop)NextHops[i]).SameAs((StaticNextHop)o.NextHops[i])) return false;
            return true;
        }
    }
}
