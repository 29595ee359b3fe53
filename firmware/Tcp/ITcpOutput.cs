namespace VpnAppliance.Tcp
{
    /// <summary>
    /// Where the stack writes the segments it sends (the IP layer: it adds the IPv4 header and routes the
    /// packet, here into a tunnel). buffer[offset .. offset + length) is one complete TCP segment with its
    /// checksum already computed over the pseudo-header of <paramref name="source"/> and <paramref name="destination"/>.
    /// The buffer belongs to the stack and is reused: copy what you keep before returning. Bytes
    /// buffer[offset - TcpSettings.OutputHeadroom .. offset) are free for an IP header written in place.
    /// <paramref name="nowMs"/> is the time of the stack call that produced the segment (the router's SendLocal
    /// takes it). <paramref name="ttl"/> is the IP TTL the connection asks for (1-255), 0 for the IP layer's
    /// default. An implementation must not call back into the stack (queue a locally delivered segment).
    /// </summary>
    public interface ITcpOutput
    {
        /// <summary>Sends one TCP segment from <paramref name="source"/> to <paramref name="destination"/> (host-order IPv4 addresses) with IP TTL <paramref name="ttl"/> (0 = default).</summary>
        void SendSegment(uint source, uint destination, byte[] buffer, int offset, int length, int ttl, long nowMs);
    }
}
