namespace VpnAppliance.Wire
{
    /// <summary>IPv4 protocol numbers (IANA "Assigned Internet Protocol Numbers") the appliance handles.</summary>
    public static class IpProtocol
    {
        /// <summary>ICMP (RFC 792).</summary>
        public const byte Icmp = 1;

        /// <summary>TCP (RFC 9293).</summary>
        public const byte Tcp = 6;

        /// <summary>UDP (RFC 768).</summary>
        public const byte Udp = 17;

        /// <summary>ESP (RFC 4303); on this appliance always inside UDP 4500.</summary>
        public const byte Esp = 50;
    }
}
