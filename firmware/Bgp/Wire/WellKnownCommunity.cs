namespace VpnAppliance.Bgp.Wire
{
    /// <summary>Well-known COMMUNITIES values (RFC 1997 "Well-known Communities"; IANA registry).</summary>
    public static class WellKnownCommunity
    {
        /// <summary>NO_EXPORT 0xFFFFFF01 (65535:65281): do not advertise outside the AS/confederation.</summary>
        public const uint NoExport = 0xFFFFFF01;
        /// <summary>NO_ADVERTISE 0xFFFFFF02 (65535:65282): do not advertise to any peer.</summary>
        public const uint NoAdvertise = 0xFFFFFF02;
        /// <summary>NO_EXPORT_SUBCONFED 0xFFFFFF03 (65535:65283): do not advertise to external peers, confederation members included.</summary>
        public const uint NoExportSubconfed = 0xFFFFFF03;

        /// <summary>Builds the 32-bit community ASN:value.</summary>
        public static uint Make(int asn, int value)
        {
            return ((uint)(asn & 0xFFFF) << 16) | (uint)(value & 0xFFFF);
        }
    }
}
