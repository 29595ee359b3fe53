namespace VpnAppliance.Firmware
{
    /// <summary>
    /// Consumes packets the appliance drained from a port. The packet lives in the appliance's
    /// PacketPool buffer <paramref name="buffer"/>; the handler owns it from this call on and must
    /// release it to the pool (possibly later, e.g. while waiting for ARP).
    /// </summary>
    public interface IPacketHandler
    {
        /// <summary>A frame from the LAN port: <c>pool.Data[pool.Offset(buffer) ..+ length]</c>.</summary>
        void OnLanFrame(int buffer, int length, long nowMs);

        /// <summary>
        /// A datagram from a WAN socket (<paramref name="localPort"/> 500 or 4500) sent by
        /// <paramref name="sourceAddress"/>:<paramref name="sourcePort"/>.
        /// </summary>
        void OnWanDatagram(int localPort, uint sourceAddress, int sourcePort, int buffer, int length, long nowMs);
    }
}
