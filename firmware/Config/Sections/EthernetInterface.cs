namespace VpnAppliance.Config
{
    /// <summary>The LAN or WAN port: address/prefix, MTU, and (WAN only) the default gateway.</summary>
    public sealed class EthernetInterface
    {
        /// <summary>Default MTU (Ethernet).</summary>
        public const int DefaultMtu = 1500;

        /// <summary><c>lan</c> or <c>wan</c>.</summary>
        public readonly string Name;
        /// <summary>True when an address is configured.</summary>
        public bool HasAddress;
        /// <summary>Interface address with its prefix length (host bits = our address).</summary>
        public Ipv4Prefix Address;
        /// <summary>Line of the address statement.</summary>
        public int AddressLine;
        /// <summary>IP MTU.</summary>
        public int Mtu = DefaultMtu;
        /// <summary>True when a gateway is configured (WAN).</summary>
        public bool HasGateway;
        /// <summary>Default gateway on the WAN subnet.</summary>
        public uint Gateway;
        /// <summary>Line of the gateway statement.</summary>
        public int GatewayLine;

        /// <summary>Creates an unconfigured port.</summary>
        public EthernetInterface(string name) { Name = name; }

        /// <summary>Structural equality.</summary>
        public bool SameAs(EthernetInterface o)
        {
            return o.HasAddress == HasAddress && (!HasAddress || o.Address.SameAs(Address)) && o.Mtu == Mtu
                && o.HasGateway == HasGateway && (!HasGateway || o.Gateway == Gateway);
        }
    }
}
