namespace VpnAppliance.Net
{
    /// <summary>
    /// What the <see cref="ArpCache"/> asks its owner (the router) to do: it is sans-IO and never sends a frame or
    /// touches a packet buffer itself.
    /// </summary>
    public interface IArpEvents
    {
        /// <summary>Broadcast an ARP request for <paramref name="target"/> (a new resolution, a retry or a re-probe).</summary>
        void SendArpRequest(uint target, long nowMs);

        /// <summary>A packet waiting for <paramref name="nextHop"/> can go: its link address is <paramref name="mac"/>. The owner takes the buffer back.</summary>
        void ReleaseResolved(int buffer, int offset, int length, uint nextHop, ulong mac, long nowMs);

        /// <summary>
        /// A waiting packet (at buffer/offset/length) is dropped for <paramref name="reason"/>; the owner counts it
        /// and frees the buffer.
        /// </summary>
        void ReleaseDropped(int buffer, int offset, int length, DropReason reason, long nowMs);
    }
}
