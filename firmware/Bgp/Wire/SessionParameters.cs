namespace VpnAppliance.Bgp.Wire
{
    /// <summary>
    /// What the two OPENs negotiated and what the UPDATE codec needs to know about the session: AS number
    /// width, IPv4 unicast in MP_REACH/MP_UNREACH, internal or external peer. Negotiate() derives it from our
    /// OPEN and the peer's; tests and the FSM may also set fields directly.
    /// </summary>
    public sealed class SessionParameters
    {
        /// <summary>Both sides sent the 4-octet AS capability: AS_PATH/AGGREGATOR carry 4-octet ASes (RFC 6793 §4.1).</summary>
        public bool FourOctetAs;
        /// <summary>IPv4 unicast is enabled on the session (both listed it, or neither sent Multiprotocol capabilities: RFC 4760 §8 / RFC 4271 default).</summary>
        public bool Ipv4Unicast = true;
        /// <summary>Both sides listed IPv4 unicast in Multiprotocol capabilities, so MP_REACH/MP_UNREACH may carry it (RFC 4760 §8).</summary>
        public bool MultiprotocolIpv4;
        /// <summary>The peer is in another AS (eBGP): LOCAL_PREF is ignored (RFC 7606 §7.5) and the first AS is checked.</summary>
        public bool External = true;
        /// <summary>Our AS.</summary>
        public uint LocalAs;
        /// <summary>The peer's AS.</summary>
        public uint PeerAs;
        /// <summary>Our address on the session; a NEXT_HOP equal to it is semantically wrong (RFC 4271 §6.3). 0 = unknown.</summary>
        public uint LocalAddress;
        /// <summary>Check that an eBGP peer's AS_PATH starts with its AS (RFC 4271 §6.3); off for route servers (RFC 7947 §2.2.2.1).</summary>
        public bool EnforceFirstAs = true;
        /// <summary>Answer MP_REACH/MP_UNREACH errors with "AFI/SAFI disable" instead of "session reset" (RFC 7606 §7.11 allows either).</summary>
        public bool AfiSafiDisableOnMpError;
        /// <summary>Both sides sent Route Refresh (RFC 2918 §2).</summary>
        public bool RouteRefresh;
        /// <summary>Both sides sent Enhanced Route Refresh (RFC 7313 §3.1).</summary>
        public bool EnhancedRouteRefresh;
        /// <summary>Negotiated Hold Time: the smaller of the two (RFC 4271 §4.2).</summary>
        public int HoldTime;
        /// <summary>KEEPALIVE interval: a third of the Hold Time, 0 when Hold Time is 0 (RFC 4271 §4.4).</summary>
        public int KeepaliveTime;
        /// <summary>Largest UPDATE we may send (4096 without RFC 8654).</summary>
        public int MaxMessageLength = BgpMessageHeader.MaxMessageLength;

        /// <summary>Fills this from our OPEN and the peer's accepted OPEN.</summary>
        public void Negotiate(OpenMessage local, OpenMessage peer)
        {
            FourOctetAs = local.HasFourOctetAs && peer.HasFourOctetAs;
            LocalAs = local.HasFourOctetAs ? local.FourOctetAs : (uint)local.MyAs;
            PeerAs = peer.EffectiveAs;
            External = LocalAs != PeerAs;
            bool localMp = local.MultiprotocolCount > 0;
            bool peerMp = peer.MultiprotocolCount > 0;
            MultiprotocolIpv4 = local.HasMultiprotocol(CapabilityCode.AfiIpv4, CapabilityCode.SafiUnicast)
                && peer.HasMultiprotocol(CapabilityCode.AfiIpv4, CapabilityCode.SafiUnicast);
            Ipv4Unicast = MultiprotocolIpv4 || (!localMp && !peerMp)
                || (!localMp && peer.HasMultiprotocol(CapabilityCode.AfiIpv4, CapabilityCode.SafiUnicast))
                || (!peerMp && local.HasMultiprotocol(CapabilityCode.AfiIpv4, CapabilityCode.SafiUnicast));
            RouteRefresh = local.RouteRefresh && peer.RouteRefresh;
            EnhancedRouteRefresh = local.EnhancedRouteRefresh && peer.EnhancedRouteRefresh;
            HoldTime = local.HoldTime < peer.HoldTime ? local.HoldTime : peer.HoldTime;
            KeepaliveTime = HoldTime / 3;
            MaxMessageLength = BgpMessageHeader.MaxMessageLength;
        }
    }
}
