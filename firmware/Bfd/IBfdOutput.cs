namespace VpnAppliance.Bfd
{
    /// <summary>
    /// Where the engine puts the BFD Control packets it sends. The implementation wraps buf[off .. off + len) in
    /// UDP from <paramref name="sourcePort"/> (49152..65535, fixed per session, RFC 5881 §4) to port 3784 and IPv4
    /// from <paramref name="source"/> to <paramref name="destination"/> with TTL 255 (RFC 5881 §5), and sends it
    /// out of interface <paramref name="interfaceId"/> itself (single hop: not re-routed). The buffer is the
    /// engine's and only valid during the call; the implementation must not call back into the engine.
    /// </summary>
    public interface IBfdOutput
    {
        /// <summary>Sends one Control packet; false when it could not be sent (counted by the engine).</summary>
        bool Send(int interfaceId, uint source, uint destination, int sourcePort, byte[] buf, int off, int len, long nowMs);
    }
}
