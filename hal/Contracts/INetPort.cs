namespace VpnAppliance.Hal
{
    /// <summary>
    /// The LAN packet port: Ethernet II frames in and out, without FCS. On a board it is a second
    /// Ethernet controller on SPI (W5500 in MACRAW mode, ENC28J60) driven by a managed driver; on
    /// the host a TAP device or an in-memory link. Non-blocking: the event loop polls it.
    /// </summary>
    public interface INetPort
    {
        /// <summary>Copies the 6-byte MAC address of the port to <paramref name="destination"/>.</summary>
        void GetMacAddress(byte[] destination, int offset);

        /// <summary>True while the physical (or virtual) link is up.</summary>
        bool LinkUp { get; }

        /// <summary>Largest frame the port sends or receives, header included (1514 for a 1500 MTU).</summary>
        int MaxFrameLength { get; }

        /// <summary>
        /// Copies the next received frame into <paramref name="buffer"/> and returns its length;
        /// 0 when no frame is waiting. A frame longer than <paramref name="count"/> is dropped by
        /// the port (counted there) and the next one is tried.
        /// </summary>
        int Receive(byte[] buffer, int offset, int count);

        /// <summary>Queues one frame for transmission; copies it before returning.</summary>
        PortResult Send(byte[] buffer, int offset, int length);
    }
}
