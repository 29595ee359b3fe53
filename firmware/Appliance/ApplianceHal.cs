using VpnAppliance.Hal;
using VpnAppliance.Hal.Crypto;

namespace VpnAppliance.Firmware
{
    /// <summary>
    /// The HAL ports a board hands to the appliance. A port the board lacks is null (the appliance
    /// then counts and skips that part: e.g. a board image without its SPI LAN driver yet).
    /// </summary>
    public sealed class ApplianceHal
    {
        /// <summary>LAN Ethernet port.</summary>
        public INetPort Lan;
        /// <summary>WAN UDP socket for IKE (port 500).</summary>
        public IUdpPort WanIke;
        /// <summary>WAN UDP socket for IKE and ESP in UDP (port 4500, RFC 3948).</summary>
        public IUdpPort WanNatT;
        /// <summary>Console byte stream.</summary>
        public ISerialPort Console;
        /// <summary>Configuration store.</summary>
        public IFlashStore Flash;
        /// <summary>Log output besides the ring buffer.</summary>
        public ILogSink LogSink;
        /// <summary>Entropy for the DRBG.</summary>
        public IEntropySource Entropy;
        /// <summary>Crypto primitives.</summary>
        public ICryptoProvider Crypto;
        /// <summary>Random bits for keys, nonces and SPIs (a DRBG seeded from <see cref="Entropy"/>); IPsec needs it.</summary>
        public IRandom Random;
    }
}
