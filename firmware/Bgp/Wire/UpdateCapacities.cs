namespace VpnAppliance.Bgp.Wire
{
    /// <summary>
    /// Sizes of a ParsedUpdate's arrays. The defaults hold any UPDATE of 4096 octets for the prefixes (every
    /// prefix takes at least one octet, so 4096 - 23 bounds them) and generous but finite amounts of path
    /// data; a board may lower them (see UpdateErrorReason.*CapacityExceeded for what happens then).
    /// </summary>
    public sealed class UpdateCapacities
    {
        /// <summary>Most prefixes one 4096-octet UPDATE can carry: 4096 - 19 - 2 - 2 octets of one-octet prefixes.</summary>
        public const int PrefixesPerMessage = BgpMessageHeader.MaxMessageLength - BgpMessageHeader.MinUpdateLength;

        /// <summary>Prefixes (withdrawn, NLRI, MP_REACH, MP_UNREACH together).</summary>
        public int Prefixes = PrefixesPerMessage;
        /// <summary>ASes in the AS path.</summary>
        public int AsPathAsns = 256;
        /// <summary>Segments in the AS path.</summary>
        public int AsPathSegments = 32;
        /// <summary>COMMUNITIES values.</summary>
        public int Communities = 128;
        /// <summary>LARGE_COMMUNITY values (3 words each).</summary>
        public int LargeCommunities = 32;
        /// <summary>Octets of optional transitive attributes kept verbatim to pass on (headers included).</summary>
        public int TransitOctets = 512;
        /// <summary>Optional transitive attributes kept verbatim.</summary>
        public int TransitAttributes = 8;

        /// <summary>Bytes of managed arrays one ParsedUpdate with these capacities holds (for board budgets).</summary>
        public int EstimatedBytes()
        {
            return Prefixes * 6 + AsPathAsns * 4 * 2 + AsPathSegments * 9 * 2 + Communities * 4 + LargeCommunities * 12
                + TransitOctets + TransitAttributes * 12;
        }
    }
}
