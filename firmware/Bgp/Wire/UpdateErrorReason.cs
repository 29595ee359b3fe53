namespace VpnAppliance.Bgp.Wire
{
    /// <summary>
    /// Every error the UPDATE decoder can find, one per rule it applies. UpdateErrorText gives the log line and
    /// the RFC rule; the action chosen is recorded next to the reason in UpdateDecision.
    /// </summary>
    public enum UpdateErrorReason
    {
        /// <summary>No error.</summary>
        None = 0,

        // ---- session reset (RFC 4271 §6.3 where RFC 7606 keeps it) ----
        /// <summary>Withdrawn Routes Length runs past the message (RFC 4271 §6.3, RFC 7606 §4).</summary>
        WithdrawnRoutesLengthOverrun,
        /// <summary>Total Path Attribute Length runs past the message (RFC 4271 §6.3, RFC 7606 §4).</summary>
        TotalAttributeLengthOverrun,
        /// <summary>A withdrawn prefix has length &gt; 32 or overruns the field (RFC 7606 §3 k, §5.3).</summary>
        WithdrawnRoutesMalformed,
        /// <summary>An NLRI prefix has length &gt; 32 or overruns the field (RFC 7606 §5.3).</summary>
        NlriMalformed,
        /// <summary>MP_REACH_NLRI appears twice (RFC 7606 §3 g).</summary>
        DuplicateMpReach,
        /// <summary>MP_UNREACH_NLRI appears twice (RFC 7606 §3 g).</summary>
        DuplicateMpUnreach,
        /// <summary>A well-known attribute this speaker does not know (RFC 4271 §6.3).</summary>
        UnrecognizedWellKnownAttribute,
        /// <summary>MP_REACH_NLRI too short or next-hop length wrong for IPv4 unicast (RFC 7606 §7.11, RFC 4760 §7).</summary>
        MpReachMalformed,
        /// <summary>An IPv4 prefix inside MP_REACH_NLRI is malformed (RFC 7606 §5.3, §7.11).</summary>
        MpReachNlriMalformed,
        /// <summary>MP_UNREACH_NLRI too short (RFC 7606 §7.12, RFC 4760 §7).</summary>
        MpUnreachMalformed,
        /// <summary>An IPv4 prefix inside MP_UNREACH_NLRI is malformed (RFC 7606 §5.3, §7.12).</summary>
        MpUnreachNlriMalformed,
        /// <summary>An attribute overran the attributes and an MP attribute may be hidden behind it (RFC 7606 §3, §4, §5.1).</summary>
        AttributeLengthOverrunNlriUnlocatable,
        /// <summary>More prefixes than ParsedUpdate holds (a local capacity, only when configured below one message's worth).</summary>
        PrefixCapacityExceeded,

        // ---- treat-as-withdraw ----
        /// <summary>Optional/Transitive flags contradict the attribute type (RFC 7606 §3 c).</summary>
        AttributeFlagsConflict,
        /// <summary>The last attribute's length runs past Total Path Attribute Length, or fewer octets than a header remain (RFC 7606 §4).</summary>
        AttributeLengthOverrun,
        /// <summary>ORIGIN missing while routes are announced (RFC 7606 §3 d).</summary>
        MissingOrigin,
        /// <summary>AS_PATH missing while routes are announced (RFC 7606 §3 d).</summary>
        MissingAsPath,
        /// <summary>NEXT_HOP missing while the NLRI field is not empty (RFC 7606 §3 d).</summary>
        MissingNextHop,
        /// <summary>ORIGIN length not 1 or value above 2 (RFC 7606 §7.1).</summary>
        OriginMalformed,
        /// <summary>AS_PATH segment overrun, empty segment, unknown type or dangling octet (RFC 7606 §7.2).</summary>
        AsPathMalformed,
        /// <summary>eBGP AS_PATH does not start with the peer's AS (RFC 4271 §6.3, RFC 7606 §7.2).</summary>
        AsPathFirstAsMismatch,
        /// <summary>AS_CONFED segments from an external peer (RFC 7606 §7.2, RFC 5065 §5.3).</summary>
        AsPathConfedFromExternal,
        /// <summary>NEXT_HOP length not 4 (RFC 7606 §7.3).</summary>
        NextHopMalformed,
        /// <summary>NEXT_HOP (or the MP next hop) is not a unicast host address (0/8, 127/8, 224/4 and above) or is our own address (RFC 4271 §6.3, RFC 7606 §7.3).</summary>
        NextHopInvalid,
        /// <summary>MULTI_EXIT_DISC length not 4 (RFC 7606 §7.4).</summary>
        MedMalformed,
        /// <summary>LOCAL_PREF length not 4 on an internal session (RFC 7606 §7.5).</summary>
        LocalPrefMalformed,
        /// <summary>COMMUNITIES length not a non-zero multiple of 4 (RFC 7606 §7.8).</summary>
        CommunitiesMalformed,
        /// <summary>ORIGINATOR_ID length not 4 (RFC 7606 §7.9).</summary>
        OriginatorIdMalformed,
        /// <summary>CLUSTER_LIST length not a non-zero multiple of 4 (RFC 7606 §7.10).</summary>
        ClusterListMalformed,
        /// <summary>EXTENDED COMMUNITIES length not a non-zero multiple of 8 (RFC 7606 §7.14).</summary>
        ExtendedCommunitiesMalformed,
        /// <summary>LARGE_COMMUNITY length not a non-zero multiple of 12 (RFC 8092 §6).</summary>
        LargeCommunityMalformed,
        /// <summary>AS_PATH longer than ParsedUpdate holds (local capacity).</summary>
        AsPathCapacityExceeded,
        /// <summary>More communities / large communities than ParsedUpdate holds (local capacity).</summary>
        CommunityCapacityExceeded,

        // ---- attribute discard ----
        /// <summary>An attribute other than MP_REACH/MP_UNREACH repeated: later copies dropped (RFC 7606 §3 g).</summary>
        DuplicateAttribute,
        /// <summary>AGGREGATOR length not 6 (2-octet session) or 8 (4-octet session) (RFC 7606 §7.7).</summary>
        AggregatorMalformed,
        /// <summary>ATOMIC_AGGREGATE length not 0 (RFC 7606 §7.6).</summary>
        AtomicAggregateMalformed,
        /// <summary>LOCAL_PREF from an external peer: ignored (RFC 7606 §7.5, RFC 4271 §5.1.5).</summary>
        LocalPrefFromExternal,
        /// <summary>AS4_PATH malformed (RFC 6793 §6).</summary>
        As4PathMalformed,
        /// <summary>AS4_AGGREGATOR length not 8 (RFC 6793 §6).</summary>
        As4AggregatorMalformed,
        /// <summary>AS4_PATH/AS4_AGGREGATOR on a 4-octet session are ignored (RFC 6793 §4.1).</summary>
        As4AttributeOnFourOctetSession,
        /// <summary>AS4_PATH ignored by the RFC 6793 §4.2.3 reconstruction (AGGREGATOR not AS_TRANS, or longer than AS_PATH).</summary>
        As4PathIgnored,
        /// <summary>MP_REACH/MP_UNREACH for a family not negotiated: its routes are ignored (RFC 4760 §6).</summary>
        MpFamilyNotNegotiated,
        /// <summary>An optional transitive attribute could not be kept for passing on (local capacity).</summary>
        TransitCapacityExceeded,
    }
}
