namespace VpnAppliance.Net
{
    /// <summary>
    /// Receives the ICMP messages addressed to the router that it does not answer itself: echo replies (the
    /// CLI's ping), destination unreachable (fragmentation needed for path MTU discovery, RFC 1191) and time
    /// exceeded. Echo requests are answered by the router. The message (checksum verified) is only valid during the call.
    /// </summary>
    public interface ILocalIcmp
    {
        /// <summary>The ICMP message buf[off .. off + len) from <paramref name="src"/> to <paramref name="dst"/>.</summary>
        void OnIcmp(uint src, uint dst, byte[] buf, int off, int len, long nowMs);
    }
}
