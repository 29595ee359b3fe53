namespace VpnAppliance.Ipsec
{
    /// <summary>
    /// One SAD slot: a CHILD SA pair (RFC 7296 §2.17: "a single CHILD_SA negotiation may result in ... two
    /// unidirectional SAs"), the tunnel interface it belongs to and the peer's WAN endpoint.
    /// </summary>
    public sealed class ChildSaPair
    {
        private readonly EspSecurityAssociation _inbound;
        private readonly EspSecurityAssociation _outbound;

        internal ChildSaPair(int index, int replayWindow)
        {
            Index = index;
            _inbound = new EspSecurityAssociation(replayWindow);
            _outbound = new EspSecurityAssociation(replayWindow);
        }

        /// <summary>Slot index (0 .. ChildSas - 1).</summary>
        public int Index { get; private set; }

        /// <summary>Bumped each time the slot is freed, so stale handles are refused.</summary>
        public int Generation { get; internal set; }

        /// <summary>Life cycle state.</summary>
        public ChildSaState State { get; internal set; }

        /// <summary>Tunnel interface id the pair belongs to.</summary>
        public int TunnelId { get; internal set; }

        /// <summary>Receiving SA (SPI allocated by us).</summary>
        public EspSecurityAssociation Inbound { get { return _inbound; } }

        /// <summary>Sending SA (SPI chosen by the peer).</summary>
        public EspSecurityAssociation Outbound { get { return _outbound; } }

        /// <summary>Peer WAN address, host order.</summary>
        public uint PeerAddress { get; internal set; }

        /// <summary>Peer UDP port.</summary>
        public int PeerPort { get; internal set; }

        /// <summary>nowMs of Reserve (the reservation timeout counts from here).</summary>
        public long ReservedAtMs { get; internal set; }

        /// <summary>Install order (higher = newer), so a tunnel can fall back to its newest remaining pair.</summary>
        public long InstallSerial { get; internal set; }

        /// <summary>The soft-lifetime event was handed to IKE (<see cref="SecurityAssociationDatabase.TakeRekeyRequest"/>).</summary>
        public bool RekeyReported { get; internal set; }

        /// <summary>Installed with <see cref="ChildSaParameters.DeferOutbound"/> and no inbound packet seen on it yet.</summary>
        public bool OutboundDeferred { get; internal set; }

        /// <summary>The hard-lifetime event was handed to IKE (<see cref="SecurityAssociationDatabase.TakeExpired"/>).</summary>
        public bool ExpiryReported { get; internal set; }

        /// <summary>True when either direction reached a soft limit.</summary>
        public bool SoftExpired { get { return _inbound.SoftExpired || _outbound.SoftExpired; } }

        /// <summary>True when either direction reached a hard limit: the pair passes no more traffic.</summary>
        public bool HardExpired { get { return _inbound.HardExpired || _outbound.HardExpired; } }

        /// <summary>True when the pair may carry traffic.</summary>
        public bool IsUsable { get { return State == ChildSaState.Installed && !HardExpired; } }
    }
}
