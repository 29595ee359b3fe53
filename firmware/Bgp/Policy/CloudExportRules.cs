namespace VpnAppliance.Bgp.Policy
{
    /// <summary>
    /// What each cloud refuses to receive (INTEROP.md "Refused prefixes", "Communities"): Alibaba never takes
    /// 0.0.0.0/0 nor anything in 100.64.0.0/10 (RFC 6598 shared space); Azure refuses a prefix identical to one
    /// of its VNets, i.e. identical to one an Azure peer advertises to us; Azure's internal loop tag 65517:65517
    /// must never be originated toward anyone.
    /// </summary>
    public static class CloudExportRules
    {
        /// <summary>100.64.0.0/10 (RFC 6598).</summary>
        public const uint SharedAddressSpace = 0x64400000;
        /// <summary>The community Azure uses internally (65517:65517).</summary>
        public const uint AzureLoopCommunity = (65517u << 16) | 65517u;

        /// <summary>True when <paramref name="cloud"/> refuses address/length by prefix alone.</summary>
        public static bool RefusesPrefix(CloudKind cloud, uint address, int length)
        {
            if (cloud != CloudKind.Alibaba)
            {
                return false;
            }

            if (length == 0)
            {
                return true;
            }

            return length >= 10 && (address & PrefixFilter.Mask(10)) == SharedAddressSpace;
        }
    }
}
