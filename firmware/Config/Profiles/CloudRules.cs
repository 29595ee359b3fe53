using System.Collections;

namespace VpnAppliance.Config
{
    /// <summary>Checks several cloud profiles share: ASN lists, inside /30 ranges, proposal allow-lists.</summary>
    public static class CloudRules
    {
        /// <summary>169.254.0.0/16, link-local (RFC 3927), where every cloud puts inside-tunnel addresses.</summary>
        public static readonly Ipv4Prefix LinkLocal = new Ipv4Prefix(0xA9FE0000, 16);

        /// <summary>The BGP neighbours whose session runs over <paramref name="peer"/>'s tunnel.</summary>
        public static ArrayList NeighborsOf(ConfigModel model, VpnPeer peer)
        {
            ArrayList list = new ArrayList();
            BgpSection bgp = model.Bgp;
            TunnelInterface t = model.Tunnels == null ? null : model.Tunnels.FindByPeer(peer.Name);
            if (bgp == null || t == null) return list;
            for (int i = 0; i < bgp.Neighbors.Count; i++)
            {
                BgpNeighbor n = bgp.At(i);
                if (BgpSection.TunnelOf(model, n) == t) list.Add(n);
            }
            return list;
        }

        /// <summary>Line where a neighbour's local AS comes from (its override, else the global statement).</summary>
        public static int LocalAsLine(BgpSection bgp, BgpNeighbor n) { return n.LocalAs != 0 ? n.LocalAsLine : bgp.LocalAsLine; }

        /// <summary>
        /// Error <paramref name="rule"/> when a neighbour's local AS falls in one of <paramref name="ranges"/>
        /// (pairs first,last).
        /// </summary>
        public static void CheckReservedLocalAs(ConfigModel model, ArrayList neighbors, uint[] ranges, string rule, string cloud, DiagnosticList d)
        {
            BgpSection bgp = model.Bgp;
            for (int i = 0; i < neighbors.Count; i++)
            {
                BgpNeighbor n = (BgpNeighbor)neighbors[i];
                uint local = bgp.EffectiveLocalAs(n);
                for (int r = 0; r + 1 < ranges.Length; r += 2)
                {
                    if (local >= ranges[r] && local <= ranges[r + 1])
                    {
                        d.Error(LocalAsLine(bgp, n), local.ToString(), rule, cloud + " reserves AS " + RangeText(ranges[r], ranges[r + 1]) + "; choose another local AS (INTEROP.md)");
                        break;
                    }
                }
            }
        }

        /// <summary>Error when a neighbour over a cloud tunnel has remote-as = local AS (the cloud speaks eBGP only).</summary>
        public static void CheckEbgp(ConfigModel model, ArrayList neighbors, string rule, string message, DiagnosticList d)
        {
            BgpSection bgp = model.Bgp;
            for (int i = 0; i < neighbors.Count; i++)
            {
                BgpNeighbor n = (BgpNeighbor)neighbors[i];
                uint local = bgp.EffectiveLocalAs(n);
                if (n.RemoteAs != 0 && n.RemoteAs == local)
                {
                    d.Error(n.RemoteAsLine, n.RemoteAs.ToString(), rule, message);
                }
            }
        }

        /// <summary>
        /// The inside address must be in a /30 inside 169.254.0.0/16 (<paramref name="subnetRule"/>) and that /30
        /// must not be 169.254.0.0/30..169.254.<paramref name="lastReservedThird"/>.0/30 nor 169.254.169.252/30
        /// (<paramref name="rangeRule"/>). With lastReservedThird &lt; 0 only the subnet rule applies.
        /// </summary>
        public static void CheckInsideSlash30(ConfigModel model, VpnPeer peer, string cloud, string subnetRule, string rangeRule, int lastReservedThird, DiagnosticList d)
        {
            TunnelInterface t = model.Tunnels == null ? null : model.Tunnels.FindByPeer(peer.Name);
            if (t == null || !t.HasAddress) return;
            string token = t.Address.ToString();
            if (t.Address.Length != 30 || !LinkLocal.Contains(t.Address.Address))
            {
                d.Error(t.AddressLine, token, subnetRule, "inside-tunnel address must be in a /30 inside 169.254.0.0/16 (" + cloud + ", INTEROP.md)");
                return;
            }
            if (lastReservedThird < 0) return;
            uint net = t.Address.Network;
            bool low = net >= Ipv4.Of(169, 254, 0, 0) && net <= Ipv4.Of(169, 254, lastReservedThird, 0);
            bool meta = net == Ipv4.Of(169, 254, 169, 252);
            if (low || meta)
            {
                d.Error(t.AddressLine, token, rangeRule, "inside-tunnel /30 must not be in 169.254.0.0/30-169.254." + lastReservedThird.ToString()
                    + ".0/30 or 169.254.169.252/30");
            }
        }

        /// <summary>
        /// Checks every proposal of <paramref name="group"/> against an allow-list; <paramref name="asError"/> selects
        /// error or warning. <paramref name="allowedGroups"/> null = any DH group.
        /// </summary>
        public static void CheckProposals(ProposalGroup group, int[] allowedGroups, bool allowGcm, bool allowSha512, string rule, string cloud, bool asError, DiagnosticList d)
        {
            if (group == null) return;
            for (int i = 0; i < group.Proposals.Count; i++)
            {
                Proposal p = group.ProposalAt(i);
                string bad = null;
                if (!allowGcm && p.IsAead) bad = "AES-GCM";
                else if (!allowSha512 && (p.Integrity == IntegrityAlgorithm.HmacSha2_512_256 || p.Prf == PrfAlgorithm.HmacSha2_512)) bad = "SHA-512";
                else if (allowedGroups != null)
                {
                    for (int g = 0; g < p.DhGroups.Length && bad == null; g++)
                    {
                        if (!Contains(allowedGroups, p.DhGroups[g])) bad = DhGroup.Name(p.DhGroups[g]) + " (group " + p.DhGroups[g].ToString() + ")";
                    }
                }
                if (bad == null) continue;
                string msg = cloud + " does not accept " + bad + " in " + group.Name + (allowedGroups != null ? "; DH groups it accepts: " + GroupList(allowedGroups) : "") + " (INTEROP.md)";
                if (asError) d.Error(p.Line, p.ToString(), rule, msg);
                else d.Warning(p.Line, p.ToString(), rule, msg);
            }
        }

        private static bool Contains(int[] a, int v)
        {
            for (int i = 0; i < a.Length; i++) if (a[i] == v) return true;
            return false;
        }

        private static string GroupList(int[] a)
        {
            System.Text.StringBuilder sb = new System.Text.StringBuilder();
            for (int i = 0; i < a.Length; i++)
            {
                if (i > 0) sb.Append(',');
                sb.Append(a[i]);
            }
            return sb.ToString();
        }

        private static string RangeText(uint first, uint last)
        {
            return first == last ? first.ToString() : first.ToString() + "-" + last.ToString();
        }

        /// <summary>The peer's IKE group, or null.</summary>
        public static IkeGroup IkeGroupOf(ConfigModel model, VpnPeer peer)
        {
            return peer.IkeGroup == null || model.IkeGroups == null ? null : model.IkeGroups.Find(peer.IkeGroup);
        }

        /// <summary>The peer's ESP group, or null.</summary>
        public static EspGroup EspGroupOf(ConfigModel model, VpnPeer peer)
        {
            return peer.EspGroup == null || model.EspGroups == null ? null : model.EspGroups.Find(peer.EspGroup);
        }
    }
}
