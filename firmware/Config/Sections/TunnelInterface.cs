using System.Collections;

namespace VpnAppliance.Config
{
    /// <summary>
    /// A route-based tunnel interface (<c>vti0</c>, ...): one per connection (peer). Carries the inside
    /// address (BGP runs over it), MTU, TCP MSS clamp and optional narrowed traffic selectors
    /// (default 0.0.0.0/0 both ways, what every cloud uses; RFC 7296 §2.9).
    /// </summary>
    public sealed class TunnelInterface
    {
        /// <summary>Default tunnel MTU (Azure's advice: MTU 1400 / MSS 1350; INTEROP.md).</summary>
        public const int DefaultMtu = 1400;

        /// <summary>Interface name <c>vtiN</c>.</summary>
        public string Name;
        /// <summary>First line mentioning it.</summary>
        public int Line;
        /// <summary>Peer (connection) name.</summary>
        public string Peer;
        /// <summary>Line of the peer statement.</summary>
        public int PeerLine;
        /// <summary>True when an inside address is set.</summary>
        public bool HasAddress;
        /// <summary>Our inside address with prefix length (e.g. 169.254.21.2/30).</summary>
        public Ipv4Prefix Address;
        /// <summary>Line of the address statement.</summary>
        public int AddressLine;
        /// <summary>IP MTU of the tunnel.</summary>
        public int Mtu = DefaultMtu;
        /// <summary>Line of the mtu statement.</summary>
        public int MtuLine;
        /// <summary>TCP MSS clamp (0 = MTU - 40).</summary>
        public int Mss;
        /// <summary>Line of the mss statement.</summary>
        public int MssLine;
        /// <summary>Local traffic selectors (<see cref="LocatedPrefix"/>); empty = 0.0.0.0/0.</summary>
        public readonly ArrayList LocalTs = new ArrayList();
        /// <summary>Remote traffic selectors; empty = 0.0.0.0/0.</summary>
        public readonly ArrayList RemoteTs = new ArrayList();

        /// <summary>Creates a tunnel with defaults.</summary>
        public TunnelInterface(string name, int line) { Name = name; Line = line; }

        /// <summary>The MSS actually clamped to.</summary>
        public int EffectiveMss { get { return Mss != 0 ? Mss : Mtu - 40; } }

        /// <summary>Structural equality.</summary>
        public bool SameAs(TunnelInterface o)
        {
            if (o.Name != Name || o.Peer != Peer || o.HasAddress != HasAddress || (HasAddress && !o.Address.SameAs(Address))) return false;
            if (o.Mtu != Mtu || o.Mss != Mss) return false;
            Sorting.Sort(LocalTs, LocatedPrefix.Order);
            Sorting.Sort(RemoteTs, LocatedPrefix.Order);
            Sorting.Sort(o.LocalTs, LocatedPrefix.Order);
            Sorting.Sort(o.RemoteTs, LocatedPrefix.Order);
            return LocatedPrefix.SameList(LocalTs, o.LocalTs) && LocatedPrefix.SameList(RemoteTs, o.RemoteTs);
        }
    }
}
