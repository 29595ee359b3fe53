namespace VpnAppliance.Hal.Doubles
{
    /// <summary>
    /// Who owns the address:port space a <see cref="MemoryUdpPort"/> binds in (the simulator's
    /// virtual UDP network). Without one, every bind succeeds and ephemeral ports count up from 49152.
    /// </summary>
    public interface IUdpBindRegistry
    {
        /// <summary>
        /// Claims address:port for the port; returns Ok and the resolved endpoint (ephemeral port
        /// chosen when <paramref name="localPort"/> is 0), or AddressInUse/Invalid.
        /// </summary>
        PortResult Register(MemoryUdpPort port, uint localAddress, int localPort, UdpEndpoint resolved);

        /// <summary>Releases whatever the port claimed.</summary>
        void Unregister(MemoryUdpPort port);
    }
}
