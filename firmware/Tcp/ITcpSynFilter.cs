namespace VpnAppliance.Tcp
{
    /// <summary>
    /// Asked for every SYN that reaches a listener, before a connection slot is taken: false answers the SYN
    /// with a RST (RFC 9293 §3.10.7.1, as a closed port does) and counts it in
    /// <see cref="TcpCounters.SynsRefused"/>. The BGP speaker refuses sources that are not configured
    /// neighbours and neighbours it will not accept now (active-only, Idle hold after a max-prefix close),
    /// so such attempts cost neither a handshake nor a slot. Must not call back into the stack.
    /// </summary>
    public interface ITcpSynFilter
    {
        /// <summary>True when a connection from <paramref name="remoteAddress"/> to <paramref name="localAddress"/>:<paramref name="localPort"/> may be opened now.</summary>
        bool Admits(uint localAddress, int localPort, uint remoteAddress, long nowMs);
    }
}
