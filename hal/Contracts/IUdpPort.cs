namespace VpnAppliance.Hal
{
    /// <summary>
    /// One WAN UDP socket (IKE on 500, IKE and ESP-in-UDP on 4500). The device uses the platform's
    /// socket API (nanoFramework exposes no raw IP, hence ESP is always UDP-encapsulated); the host
    /// uses System.Net.Sockets or an in-memory link. Never blocks: <see cref="DataAvailable"/> is the
    /// readiness check.
    /// </summary>
    public interface IUdpPort
    {
        /// <summary>Binds to address:port (0 = any address; port 0 = ephemeral).</summary>
        PortResult Bind(uint localAddress, int localPort);

        /// <summary>The bound local endpoint (port resolved after an ephemeral bind).</summary>
        void GetLocalEndpoint(UdpEndpoint destination);

        /// <summary>True when at least one datagram can be received without blocking.</summary>
        bool DataAvailable { get; }

        /// <summary>
        /// Copies the next datagram into the buffer, fills <paramref name="source"/> with its sender
        /// and returns its length; returns -1 when nothing is waiting (0 is a valid empty datagram).
        /// A datagram longer than <paramref name="count"/> is truncated to it by the platform, so a
        /// caller passes a buffer at least one byte longer than the largest datagram it accepts and
        /// treats a returned length == count as truncated (dropped and counted).
        /// </summary>
        int ReceiveFrom(byte[] buffer, int offset, int count, UdpEndpoint source);

        /// <summary>Sends one datagram to the destination; copies it before returning.</summary>
        PortResult SendTo(byte[] buffer, int offset, int length, UdpEndpoint destination);

        /// <summary>Closes the socket; later calls return <see cref="PortResult.Closed"/> or -1.</summary>
        void Close();
    }
}
