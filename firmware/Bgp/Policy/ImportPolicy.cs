using VpnAppliance.Bgp.Session;
using VpnAppliance.Bgp.Wire;

namespace VpnAppliance.Bgp.Policy
{
    /// <summary>
    /// Import rules applied to each announced prefix before it enters the Adj-RIB-In: AS loop (RFC 4271 §9.1.2),
    /// RFC 8212 default deny for external peers without a policy, then the import prefix-list (with its
    /// community conditions, RFC 1997). Rejected prefixes are withdrawn if the peer had sent them before.
    /// </summary>
    public static class ImportPolicy
    {
        /// <summary>True when the UPDATE's AS_PATH holds <paramref name="localAs"/> (the whole UPDATE is refused).</summary>
        public static bool HasLoop(ParsedUpdate u, uint localAs)
        {
            return u.AsPath.Contains(localAs);
        }

        /// <summary>The verdict for prefix address/length of <paramref name="u"/> from a peer configured as <paramref name="peer"/>.</summary>
        public static ImportVerdict Evaluate(BgpPeerConfig peer, ParsedUpdate u, uint address, int length)
        {
            if (peer.Import == null)
            {
                return peer.IsExternal ? ImportVerdict.NoPolicy : ImportVerdict.Accept;
            }

            return peer.Import.Permits(address, length, u.Communities, 0, u.CommunityCount) ? ImportVerdict.Accept : ImportVerdict.Denied;
        }
    }
}
