using VpnAppliance.Hal;
using VpnAppliance.Ipsec;
using VpnAppliance.Net;

namespace VpnAppliance.Firmware
{
    /// <summary>The router's view (ITunnelTransmit) of one IPsec tunnel interface of the SAD.</summary>
    public sealed class EspTunnelPort : ITunnelTransmit
    {
        private readonly TunnelInterface _tunnel;

        /// <summary>Wraps <paramref name="tunnel"/>.</summary>
        public EspTunnelPort(TunnelInterface tunnel)
        {
            _tunnel = tunnel;
        }

        /// <summary>True while the tunnel has an installed outbound CHILD SA.</summary>
        public bool Up { get { return _tunnel.Up; } }

        /// <summary>Inner MTU.</summary>
        public int Mtu { get { return _tunnel.Mtu; } }

        /// <summary>Encrypts and sends one inner packet.</summary>
        public PortResult Transmit(byte[] buf, int off, int len, long nowMs)
        {
            return _tunnel.Transmit(buf, off, len, nowMs);
        }
    }
}
