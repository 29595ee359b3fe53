using VpnAppliance.Bgp.Speaker;
using VpnAppliance.Tcp;

namespace VpnAppliance.Bgp.Transport
{
    /// <summary>
    /// The compact TCP's SYN filter for port 179: a SYN is answered (SYN-ACK) only when the speaker would take
    /// the connection (a configured neighbour, not active-only, not held in Idle after a max-prefix close);
    /// otherwise the TCP answers it with RST at once, without a handshake or a connection slot. SYNs to other
    /// ports pass.
    /// </summary>
    public sealed class BgpSynFilter : ITcpSynFilter
    {
        private readonly BgpSpeaker speaker;

        /// <summary>The filter for <paramref name="bgpSpeaker"/>'s listener.</summary>
        public BgpSynFilter(BgpSpeaker bgpSpeaker)
        {
            speaker = bgpSpeaker;
        }

        /// <inheritdoc/>
        public bool Admits(uint localAddress, int localPort, uint remoteAddress, long nowMs)
        {
            return localPort != BgpTcpTransport.BgpPort || speaker.Admits(remoteAddress, nowMs);
        }
    }
}
