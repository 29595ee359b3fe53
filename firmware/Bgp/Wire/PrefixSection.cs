namespace VpnAppliance.Bgp.Wire
{
    /// <summary>Where a prefix of a ParsedUpdate came from / goes to (RFC 4271 §4.3 fields, RFC 4760 attributes).</summary>
    public static class PrefixSection
    {
        /// <summary>Withdrawn Routes field.</summary>
        public const byte Withdrawn = 0;
        /// <summary>Network Layer Reachability Information field.</summary>
        public const byte Nlri = 1;
        /// <summary>Withdrawn Routes of MP_UNREACH_NLRI (IPv4 unicast).</summary>
        public const byte MpUnreach = 2;
        /// <summary>NLRI of MP_REACH_NLRI (IPv4 unicast).</summary>
        public const byte MpReach = 3;

        /// <summary>True for sections that announce routes.</summary>
        public static bool IsAnnouncement(int section)
        {
            return section == Nlri || section == MpReach;
        }
    }
}
