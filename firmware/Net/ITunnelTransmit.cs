using VpnAppliance.Hal;

namespace VpnAppliance.Net
{
    /// <summary>
    /// The encrypting side of a route-based tunnel interface, as the router sees it (the IPsec issue implements
    /// it with ESP over UDP 4500). The router hands it whole inner IPv4 packets that already fit <see cref="Mtu"/>
    /// (fragmented before entry when DF is clear); the implementation copies what it needs before returning.
    /// </summary>
    public interface ITunnelTransmit
    {
        /// <summary>True while an outbound CHILD SA is installed; the router drops (InterfaceDown) otherwise.</summary>
        bool Up { get; }

        /// <summary>Largest inner IPv4 packet the tunnel carries (e.g. 1400 for Azure, 1399 for AWS; INTEROP.md).</summary>
        int Mtu { get; }

        /// <summary>Encrypts and sends the inner IPv4 packet buf[off .. off + len).</summary>
        PortResult Transmit(byte[] buf, int off, int len, long nowMs);
    }
}
