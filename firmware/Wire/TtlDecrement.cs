namespace VpnAppliance.Wire
{
    /// <summary>
    /// The forwarding rewrite of the IPv4 TTL (RFC 1812 §5.3.1): decrement by one and fix the header checksum
    /// in place with the RFC 1624 incremental update, instead of summing the header again. TTL and protocol
    /// share the 16-bit word at byte 8, so the changed word is (ttl &lt;&lt; 8 | protocol).
    /// </summary>
    public static class TtlDecrement
    {
        /// <summary>
        /// Decrements the TTL of a datagram checked with <see cref="Ipv4Packet.Check"/> (not a header quoted
        /// inside an ICMP error, which must stay as it was received) and updates its checksum. Returns false and changes nothing
        /// when the TTL is 0 or 1: the datagram expires here and the router answers with ICMP time exceeded
        /// (RFC 1812 §5.3.1) instead of forwarding it. False too for a view not made by a Check.
        /// </summary>
        public static bool Apply(Ipv4Packet packet)
        {
            byte[] buffer = packet.Buffer;
            if (buffer == null)
            {
                return false;
            }

            int ttlOffset = packet.Offset + Ipv4Packet.TtlField;
            int ttl = buffer[ttlOffset];
            if (ttl <= 1)
            {
                return false;
            }

            int protocol = buffer[ttlOffset + 1];
            ushort oldWord = (ushort)((ttl << 8) | protocol);
            ushort newWord = (ushort)(((ttl - 1) << 8) | protocol);
            int checksumOffset = packet.Offset + Ipv4Packet.ChecksumField;
            ushort checksum = NetworkByteOrder.ReadUInt16(buffer, checksumOffset);
            buffer[ttlOffset] = (byte)(ttl - 1);
            NetworkByteOrder.WriteUInt16(buffer, checksumOffset, InternetChecksum.Update(checksum, oldWord, newWord));
            return true;
        }
    }
}
