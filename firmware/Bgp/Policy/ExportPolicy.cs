using VpnAppliance.Bgp.Rib;
using VpnAppliance.Bgp.Session;
using VpnAppliance.Bgp.Wire;

namespace VpnAppliance.Bgp.Policy
{
    /// <summary>
    /// Export toward one peer (RFC 4271 §9.2, §5.1): which prefixes (Evaluate) and with which attributes
    /// (Build). Evaluate: a best path exists; not back to the peer it came from, not internal to internal;
    /// NO_ADVERTISE / NO_EXPORT (RFC 1997); RFC 8212 default deny; the export prefix-list; the cloud's refusals;
    /// not to a peer whose AS is already in the path. Build, toward an external peer: our AS prepended (1 +
    /// as-path-prepend times, §5.1.2), NEXT_HOP = our address on the session (§5.1.3), MED not passed on from
    /// another AS but set when configured (§5.1.4), LOCAL_PREF dropped by the encoder (§5.1.5); toward an
    /// internal peer: LOCAL_PREF filled in, next hop self. Always: 65517:65517 removed, configured communities
    /// added, LARGE_COMMUNITY and unknown optional transitive attributes passed on (Partial bit already set).
    /// </summary>
    public static class ExportPolicy
    {
        /// <summary>Decides whether prefix <paramref name="prefix"/>'s best path goes to <paramref name="peer"/>.</summary>
        public static ExportVerdict Evaluate(RibTable rib, int prefix, int peer, BgpPeerConfig config, CloudKind[] peerCloud, ParsedUpdate scratch)
        {
            int best = rib.Best[prefix];
            if (best < 0)
            {
                return ExportVerdict.NoRoute;
            }

            int from = rib.PathPeer[best];
            if (from == peer)
            {
                return ExportVerdict.SplitHorizon;
            }

            bool toExternal = config.IsExternal;
            if (from != rib.LocalPeer && !rib.PeerExternal[from] && !toExternal)
            {
                return ExportVerdict.SplitHorizon;
            }

            int attr = rib.PathAttr[best];
            AttributeStore a = rib.Attributes;
            int flags = a.Flags[attr];
            if ((flags & AttributeFlags.NoAdvertise) != 0 || (toExternal && (flags & AttributeFlags.NoExport) != 0))
            {
                return ExportVerdict.Community;
            }

            if (toExternal && config.Export == null)
            {
                return ExportVerdict.NoPolicy;
            }

            uint address = rib.PrefixAddress[prefix];
            int length = rib.PrefixLength[prefix];
            if (config.Export != null)
            {
                bool permit;
                if (config.Export.HasCommunityRules)
                {
                    a.Load(attr, scratch);
                    permit = config.Export.Permits(address, length, scratch.Communities, 0, scratch.CommunityCount);
                }
                else
                {
                    permit = config.Export.Permits(address, length, null, 0, 0);
                }

                if (!permit)
                {
                    return ExportVerdict.Denied;
                }
            }

            if (CloudExportRules.RefusesPrefix(config.Cloud, address, length))
            {
                return ExportVerdict.CloudRule;
            }

            if (config.Cloud == CloudKind.Azure)
            {
                for (int p = rib.FirstPath[prefix], guard = 0; p >= 0 && guard <= RibTable.MaxPeers + 1; p = rib.PathNext[p], guard++)
                {
                    int pp = rib.PathPeer[p];
                    if (pp != rib.LocalPeer && peerCloud[pp] == CloudKind.Azure)
                    {
                        return ExportVerdict.CloudRule;
                    }
                }
            }

            if (toExternal && from != rib.LocalPeer && a.FirstAs[attr] == config.RemoteAs)
            {
                return ExportVerdict.PeerAsInPath;
            }

            return ExportVerdict.Advertise;
        }

        /// <summary>
        /// Fills <paramref name="u"/>'s attributes (prefixes untouched) for attribute set <paramref name="attr"/>
        /// sent to the peer of <paramref name="config"/> from <paramref name="localAddress"/>. False when a capacity of
        /// <paramref name="u"/> was exceeded (the caller skips the group).
        /// </summary>
        public static bool Build(AttributeStore store, int attr, bool locallyOriginated, BgpPeerConfig config, uint localAddress, ParsedUpdate u)
        {
            bool ok = store.Load(attr, u);
            RemoveCommunity(u, CloudExportRules.AzureLoopCommunity);
            if (config.ExportCommunities != null)
            {
                for (int i = 0; i < config.ExportCommunities.Length; i++)
                {
                    if (!u.HasCommunity(config.ExportCommunities[i]))
                    {
                        ok &= u.AddCommunity(config.ExportCommunities[i]);
                    }
                }
            }

            if (localAddress != 0)
            {
                u.SetNextHop(localAddress);
            }

            if (config.IsExternal)
            {
                for (int i = 0; i <= config.Prepend; i++)
                {
                    ok &= u.AsPath.Prepend(config.LocalAs);
                }

                if (!locallyOriginated)
                {
                    u.SetAbsent(PathAttributeType.MultiExitDisc);
                }

                u.SetAbsent(PathAttributeType.LocalPref);
            }
            else if (!u.Has(PathAttributeType.LocalPref))
            {
                u.SetLocalPref(BestPathSelection.DefaultLocalPref);
            }

            if (config.HasMed)
            {
                u.SetMed(config.Med);
            }

            return ok;
        }

        private static void RemoveCommunity(ParsedUpdate u, uint community)
        {
            int w = 0;
            for (int r = 0; r < u.CommunityCount; r++)
            {
                if (u.Communities[r] != community)
                {
                    u.Communities[w++] = u.Communities[r];
                }
            }

            u.CommunityCount = w;
            if (w == 0)
            {
                u.SetAbsent(PathAttributeType.Communities);
            }
        }
    }
}
