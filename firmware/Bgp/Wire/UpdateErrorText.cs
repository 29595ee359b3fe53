namespace VpnAppliance.Bgp.Wire
{
    /// <summary>
    /// One log line per UpdateErrorReason: what was wrong, the action and the rule. Literals only, so logging a
    /// decision allocates nothing.
    /// </summary>
    public static class UpdateErrorText
    {
        /// <summary>The log line for <paramref name="reason"/>.</summary>
        public static string Describe(UpdateErrorReason reason)
        {
            switch (reason)
            {
                case UpdateErrorReason.None: return "UPDATE ok";
                case UpdateErrorReason.WithdrawnRoutesLengthOverrun: return "UPDATE Withdrawn Routes Length overruns the message: session reset (RFC 4271 6.3)";
                case UpdateErrorReason.TotalAttributeLengthOverrun: return "UPDATE Total Path Attribute Length overruns the message: session reset (RFC 4271 6.3)";
                case UpdateErrorReason.WithdrawnRoutesMalformed: return "UPDATE Withdrawn Routes malformed (prefix length > 32 or overrun): session reset (RFC 7606 5.3)";
                case UpdateErrorReason.NlriMalformed: return "UPDATE NLRI malformed (prefix length > 32 or overrun): session reset (RFC 7606 5.3)";
                case UpdateErrorReason.DuplicateMpReach: return "UPDATE has MP_REACH_NLRI twice: session reset (RFC 7606 3g)";
                case UpdateErrorReason.DuplicateMpUnreach: return "UPDATE has MP_UNREACH_NLRI twice: session reset (RFC 7606 3g)";
                case UpdateErrorReason.UnrecognizedWellKnownAttribute: return "UPDATE carries an unrecognized well-known attribute: session reset (RFC 4271 6.3)";
                case UpdateErrorReason.MpReachMalformed: return "MP_REACH_NLRI malformed (length or next-hop length): session reset or AFI/SAFI disable (RFC 7606 7.11)";
                case UpdateErrorReason.MpReachNlriMalformed: return "MP_REACH_NLRI prefix malformed: session reset or AFI/SAFI disable (RFC 7606 5.3, 7.11)";
                case UpdateErrorReason.MpUnreachMalformed: return "MP_UNREACH_NLRI too short: session reset or AFI/SAFI disable (RFC 7606 7.12)";
                case UpdateErrorReason.MpUnreachNlriMalformed: return "MP_UNREACH_NLRI prefix malformed: session reset or AFI/SAFI disable (RFC 7606 5.3, 7.12)";
                case UpdateErrorReason.AttributeLengthOverrunNlriUnlocatable: return "attribute length overruns the path attributes and MP NLRI cannot be located: session reset (RFC 7606 3, 4)";
                case UpdateErrorReason.PrefixCapacityExceeded: return "UPDATE has more prefixes than the decoder holds: session reset with Cease / Out of Resources (local capacity)";
                case UpdateErrorReason.AttributeFlagsConflict: return "attribute flags contradict the attribute type: treat-as-withdraw (RFC 7606 3c)";
                case UpdateErrorReason.AttributeLengthOverrun: return "attribute length overruns the path attributes: treat-as-withdraw (RFC 7606 4)";
                case UpdateErrorReason.MissingOrigin: return "ORIGIN missing: treat-as-withdraw (RFC 7606 3d)";
                case UpdateErrorReason.MissingAsPath: return "AS_PATH missing: treat-as-withdraw (RFC 7606 3d)";
                case UpdateErrorReason.MissingNextHop: return "NEXT_HOP missing: treat-as-withdraw (RFC 7606 3d)";
                case UpdateErrorReason.OriginMalformed: return "ORIGIN malformed (length not 1 or undefined value): treat-as-withdraw (RFC 7606 7.1)";
                case UpdateErrorReason.AsPathMalformed: return "AS_PATH malformed (segment overrun, empty or unknown segment): treat-as-withdraw (RFC 7606 7.2)";
                case UpdateErrorReason.AsPathFirstAsMismatch: return "AS_PATH does not start with the peer AS: treat-as-withdraw (RFC 4271 6.3, RFC 7606 7.2)";
                case UpdateErrorReason.AsPathConfedFromExternal: return "AS_PATH has confederation segments from an external peer: treat-as-withdraw (RFC 7606 7.2)";
                case UpdateErrorReason.NextHopMalformed: return "NEXT_HOP length not 4: treat-as-withdraw (RFC 7606 7.3)";
                case UpdateErrorReason.NextHopInvalid: return "next hop is not a unicast host address or is our own address: treat-as-withdraw (RFC 4271 6.3, RFC 7606 7.3)";
                case UpdateErrorReason.MedMalformed: return "MULTI_EXIT_DISC length not 4: treat-as-withdraw (RFC 7606 7.4)";
                case UpdateErrorReason.LocalPrefMalformed: return "LOCAL_PREF length not 4: treat-as-withdraw (RFC 7606 7.5)";
                case UpdateErrorReason.CommunitiesMalformed: return "COMMUNITIES length not a non-zero multiple of 4: treat-as-withdraw (RFC 7606 7.8)";
                case UpdateErrorReason.OriginatorIdMalformed: return "ORIGINATOR_ID length not 4: treat-as-withdraw (RFC 7606 7.9)";
                case UpdateErrorReason.ClusterListMalformed: return "CLUSTER_LIST length not a non-zero multiple of 4: treat-as-withdraw (RFC 7606 7.10)";
                case UpdateErrorReason.ExtendedCommunitiesMalformed: return "EXTENDED COMMUNITIES length not a non-zero multiple of 8: treat-as-withdraw (RFC 7606 7.14)";
                case UpdateErrorReason.LargeCommunityMalformed: return "LARGE_COMMUNITY length not a non-zero multiple of 12: treat-as-withdraw (RFC 8092 6)";
                case UpdateErrorReason.AsPathCapacityExceeded: return "AS_PATH longer than the decoder holds: treat-as-withdraw (local capacity)";
                case UpdateErrorReason.CommunityCapacityExceeded: return "more communities than the decoder holds: treat-as-withdraw (local capacity)";
                case UpdateErrorReason.DuplicateAttribute: return "attribute repeated, later copies discarded (RFC 7606 3g)";
                case UpdateErrorReason.AggregatorMalformed: return "AGGREGATOR length wrong for the AS width: attribute discarded (RFC 7606 7.7)";
                case UpdateErrorReason.AtomicAggregateMalformed: return "ATOMIC_AGGREGATE length not 0: attribute discarded (RFC 7606 7.6)";
                case UpdateErrorReason.LocalPrefFromExternal: return "LOCAL_PREF from an external peer ignored (RFC 7606 7.5)";
                case UpdateErrorReason.As4PathMalformed: return "AS4_PATH malformed: attribute discarded (RFC 6793 6)";
                case UpdateErrorReason.As4AggregatorMalformed: return "AS4_AGGREGATOR length not 8: attribute discarded (RFC 6793 6)";
                case UpdateErrorReason.As4AttributeOnFourOctetSession: return "AS4_PATH/AS4_AGGREGATOR on a 4-octet AS session ignored (RFC 6793 4.1)";
                case UpdateErrorReason.As4PathIgnored: return "AS4_PATH ignored by the AS path reconstruction (RFC 6793 4.2.3)";
                case UpdateErrorReason.MpFamilyNotNegotiated: return "MP_REACH/MP_UNREACH for a family not negotiated: ignored (RFC 4760 6)";
                case UpdateErrorReason.TransitCapacityExceeded: return "optional transitive attribute not kept for passing on: discarded (local capacity)";
                default: return "UPDATE error";
            }
        }
    }
}
