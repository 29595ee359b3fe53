namespace VpnAppliance.Net
{
    /// <summary>
    /// Receives UDP datagrams addressed to one of the router's own addresses (BFD control on port 3784, RFC 5881).
    /// The router has checked the IPv4 header and the UDP length and checksum (pseudo-header included) and does not
    /// reassemble: fragments to a local address are dropped; broadcasts are not offered. The data is only valid
    /// during the call. The listener must not send through the router from inside the call to one of the router's
    /// own addresses (that would re-enter it).
    /// </summary>
    public interface ILocalUdp
    {
        /// <summary>
        /// The UDP data buf[off .. off + len) that arrived on interface <paramref name="interfaceId"/> (0 LAN,
        /// 1..Tunnels, loopback) from <paramref name="src"/>:<paramref name="srcPort"/> to
        /// <paramref name="dst"/>:<paramref name="dstPort"/> (host order) with IP TTL <paramref name="ttl"/> as
        /// received. Returns true when a service listens on <paramref name="dstPort"/> (the datagram is consumed,
        /// whatever that service did with it); false makes the router answer ICMP port unreachable (RFC 1122 §3.2.2.1).
        /// </summary>
        bool OnUdp(int interfaceId, uint src, uint dst, int ttl, int srcPort, int dstPort, byte[] buf, int off, int len, long nowMs);
    }
}
