namespace VpnAppliance.Bgp.Rib
{
    /// <summary>Which step of the decision process (RFC 4271 §9.1.2.2) chose between two paths (tests, <c>show</c>).</summary>
    public enum TieBreaker
    {
        /// <summary>Same path.</summary>
        None = 0,
        /// <summary>A locally originated network beats learned paths (as FRR's weight 32768).</summary>
        LocalOrigin = 1,
        /// <summary>Higher degree of preference: LOCAL_PREF, 100 for external paths (§9.1.1).</summary>
        LocalPref = 2,
        /// <summary>Shorter AS_PATH, an AS_SET counting 1 (§9.1.2.2 a).</summary>
        AsPathLength = 3,
        /// <summary>Lower ORIGIN: IGP &lt; EGP &lt; INCOMPLETE (§9.1.2.2 b).</summary>
        Origin = 4,
        /// <summary>Lower MULTI_EXIT_DISC among paths from the same neighbour AS (or all, with always-compare-med) (§9.1.2.2 c).</summary>
        Med = 5,
        /// <summary>A path from an external peer beats one from an internal peer (§9.1.2.2 d).</summary>
        ExternalOverInternal = 6,
        /// <summary>Lower BGP Identifier of the advertising peer (§9.1.2.2 f).</summary>
        RouterId = 7,
        /// <summary>Lower peer address (§9.1.2.2 g).</summary>
        PeerAddress = 8,
    }
}
