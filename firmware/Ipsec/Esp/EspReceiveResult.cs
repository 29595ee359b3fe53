namespace VpnAppliance.Ipsec
{
    /// <summary>
    /// Where the receive path left a datagram, filled by <see cref="EspReceiver.Receive"/> into a caller-owned
    /// instance (no allocation). Offsets are into the caller's buffer.
    /// </summary>
    public sealed class EspReceiveResult
    {
        /// <summary>What the datagram was.</summary>
        public EspReceiveKind Kind;
        /// <summary>Why it was dropped (None otherwise).</summary>
        public EspDropReason Reason;
        /// <summary>Inner: the tunnel interface id the SA belongs to; -1 otherwise.</summary>
        public int TunnelId;
        /// <summary>Inner: handle of the CHILD SA pair that accepted it; -1 otherwise.</summary>
        public int Handle;
        /// <summary>Inner: the IPv4 packet; Ike: the IKE message after the marker (RFC 7296 §3.1 header first).</summary>
        public int Offset;
        /// <summary>Bytes at <see cref="Offset"/>.</summary>
        public int Length;

        /// <summary>Clears every field.</summary>
        public void Reset()
        {
            Kind = EspReceiveKind.Dropped;
            Reason = EspDropReason.None;
            TunnelId = -1;
            Handle = -1;
            Offset = 0;
            Length = 0;
        }
    }
}
