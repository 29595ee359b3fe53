namespace VpnAppliance.Wire
{
    /// <summary>EtherType values (IEEE 802 numbers registry) the appliance handles or recognises.</summary>
    public static class EtherType
    {
        /// <summary>Values below this are IEEE 802.3 length fields, not EtherTypes (IEEE 802.3 §3.2.6).</summary>
        public const int Minimum = 0x0600;

        /// <summary>Internet Protocol version 4 (RFC 894).</summary>
        public const int Ipv4 = 0x0800;

        /// <summary>Address Resolution Protocol (RFC 826).</summary>
        public const int Arp = 0x0806;

        /// <summary>IEEE 802.1Q VLAN tag.</summary>
        public const int Vlan = 0x8100;

        /// <summary>Internet Protocol version 6 (RFC 2464).</summary>
        public const int Ipv6 = 0x86DD;
    }
}
