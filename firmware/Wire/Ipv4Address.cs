namespace VpnAppliance.Wire
{
    /// <summary>
    /// IPv4 addresses are uint in host order throughout the firmware: 10.0.1.2 is 0x0A000102, the first octet
    /// on the wire in bits 31..24. The views convert with <see cref="NetworkByteOrder"/>.
    /// </summary>
    public static class Ipv4Address
    {
        /// <summary>Length of an IPv4 address on the wire.</summary>
        public const int Length = 4;

        /// <summary>255.255.255.255, the limited broadcast address (RFC 919).</summary>
        public const uint Broadcast = 0xFFFFFFFFu;

        /// <summary>0.0.0.0.</summary>
        public const uint Unspecified = 0u;

        /// <summary>The address a.b.c.d (each octet masked to 8 bits).</summary>
        public static uint FromOctets(int a, int b, int c, int d)
        {
            return ((uint)(a & 0xFF) << 24) | ((uint)(b & 0xFF) << 16) | ((uint)(c & 0xFF) << 8) | (uint)(d & 0xFF);
        }

        /// <summary>True for 224.0.0.0/4 (RFC 5771).</summary>
        public static bool IsMulticast(uint address)
        {
            return (address & 0xF0000000u) == 0xE0000000u;
        }
    }
}
