namespace VpnAppliance.Bgp.Wire
{
    /// <summary>KEEPALIVE message: the 19-octet header alone (RFC 4271 §4.4).</summary>
    public static class KeepaliveMessage
    {
        /// <summary>Writes a KEEPALIVE at buffer[offset]; returns its length (19).</summary>
        public static int Encode(byte[] buffer, int offset)
        {
            BgpMessageHeader.Write(buffer, offset, BgpMessageHeader.KeepaliveLength, BgpMessageType.Keepalive);
            return BgpMessageHeader.KeepaliveLength;
        }
    }
}
