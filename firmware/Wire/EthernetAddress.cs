namespace VpnAppliance.Wire
{
    /// <summary>
    /// A 48-bit Ethernet (MAC) address, either 6 bytes in a buffer or the low 48 bits of a ulong whose bits
    /// 47..40 hold the first octet on the wire (so 02:00:00:00:01:01 is 0x020000000101).
    /// </summary>
    public static class EthernetAddress
    {
        /// <summary>Length of an Ethernet address on the wire.</summary>
        public const int Length = 6;

        /// <summary>ff:ff:ff:ff:ff:ff.</summary>
        public const ulong Broadcast = 0xFFFFFFFFFFFFUL;

        /// <summary>All zero; the ARP request's unknown target hardware address (RFC 5227 §2.1.1 uses it too).</summary>
        public const ulong Unspecified = 0UL;

        /// <summary>Reads the address at buffer[offset .. offset + 6).</summary>
        public static ulong Read(byte[] buffer, int offset)
        {
            return NetworkByteOrder.ReadUInt48(buffer, offset);
        }

        /// <summary>Writes the address at buffer[offset .. offset + 6).</summary>
        public static void Write(byte[] buffer, int offset, ulong address)
        {
            NetworkByteOrder.WriteUInt48(buffer, offset, address);
        }

        /// <summary>True for a group address: the I/G bit, least significant bit of the first octet (IEEE 802 §8.2).</summary>
        public static bool IsMulticast(ulong address)
        {
            return ((address >> 40) & 1UL) != 0;
        }

        /// <summary>True for ff:ff:ff:ff:ff:ff.</summary>
        public static bool IsBroadcast(ulong address)
        {
            return (address & Broadcast) == Broadcast;
        }
    }
}
