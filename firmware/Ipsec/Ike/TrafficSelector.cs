namespace VpnAppliance.Ipsec.Ike
{
    /// <summary>
    /// One traffic selector (RFC 7296 §3.13.1): type 7 TS_IPV4_ADDR_RANGE (16 octets) or 8 TS_IPV6_ADDR_RANGE
    /// (40 octets). Addresses live in preallocated 16-octet arrays; IPv4 uses the first 4.
    /// </summary>
    public sealed class TrafficSelector
    {
        /// <summary>TS_IPV4_ADDR_RANGE (RFC 7296 §3.13.1).</summary>
        public const byte TsIpv4AddressRange = 7;
        /// <summary>TS_IPV6_ADDR_RANGE (RFC 7296 §3.13.1).</summary>
        public const byte TsIpv6AddressRange = 8;
        /// <summary>Selector Length of an IPv4 range.</summary>
        public const int Ipv4Length = 16;
        /// <summary>Selector Length of an IPv6 range.</summary>
        public const int Ipv6Length = 40;

        /// <summary>TS Type (7 or 8).</summary>
        public byte TsType;
        /// <summary>IP Protocol ID (0 = any, RFC 7296 §3.13.1).</summary>
        public byte IpProtocolId;
        /// <summary>Start Port (0 with End Port 65535 = any port).</summary>
        public ushort StartPort;
        /// <summary>End Port.</summary>
        public ushort EndPort;
        /// <summary>Starting Address, network order, 4 or 16 octets used.</summary>
        public readonly byte[] StartAddress = new byte[16];
        /// <summary>Ending Address, network order, 4 or 16 octets used.</summary>
        public readonly byte[] EndAddress = new byte[16];

        /// <summary>Octets of each address for <see cref="TsType"/> (4, 16, or 0 if the type is unknown).</summary>
        public int AddressLength
        {
            get { return TsType == TsIpv4AddressRange ? 4 : TsType == TsIpv6AddressRange ? 16 : 0; }
        }

        /// <summary>Sets an IPv4 range selector (addresses as big-endian 32-bit values).</summary>
        public void SetIpv4(byte protocol, uint start, uint end, ushort startPort, ushort endPort)
        {
            TsType = TsIpv4AddressRange;
            IpProtocolId = protocol;
            StartPort = startPort;
            EndPort = endPort;
            VpnAppliance.Wire.NetworkByteOrder.WriteUInt32(StartAddress, 0, start);
            VpnAppliance.Wire.NetworkByteOrder.WriteUInt32(EndAddress, 0, end);
        }
    }
}
