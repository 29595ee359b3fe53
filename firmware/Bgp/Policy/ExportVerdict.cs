namespace VpnAppliance.Bgp.Policy
{
    /// <summary>Why the best path of a prefix is or is not advertised to a peer.</summary>
    public enum ExportVerdict
    {
        /// <summary>Advertise.</summary>
        Advertise = 0,
        /// <summary>No best path.</summary>
        NoRoute = 1,
        /// <summary>Learned from this peer (or internal to internal without reflection, RFC 4271 §9.2.1).</summary>
        SplitHorizon = 2,
        /// <summary>NO_ADVERTISE, or NO_EXPORT toward an external peer (RFC 1997).</summary>
        Community = 3,
        /// <summary>eBGP peer without an export policy (RFC 8212 §3).</summary>
        NoPolicy = 4,
        /// <summary>The export prefix-list denied it.</summary>
        Denied = 5,
        /// <summary>The peer's cloud refuses it (Alibaba: default route, 100.64.0.0/10; Azure: a VNet prefix).</summary>
        CloudRule = 6,
        /// <summary>The path already holds the peer's AS (it would drop it, RFC 4271 §9.1.2).</summary>
        PeerAsInPath = 7,
    }
}
