namespace VpnAppliance.Net
{
    /// <summary>
    /// Receives TCP segments addressed to one of the router's own addresses (the appliance's compact TCP, which
    /// carries the BGP sessions inside the tunnels). The router has checked the IPv4 header and the TCP checksum
    /// (pseudo-header included) and does not reassemble: fragments to a local address are dropped. The segment
    /// is only valid during the call.
    /// </summary>
    public interface ILocalTransport
    {
        /// <summary>The TCP segment buf[off .. off + len) from <paramref name="src"/> to <paramref name="dst"/> (host order).</summary>
        void OnSegment(uint src, uint dst, byte[] buf, int off, int len, long nowMs);
    }
}
