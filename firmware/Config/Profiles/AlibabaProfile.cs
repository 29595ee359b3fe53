using System.Collections;

namespace VpnAppliance.Config
{
    /// <summary>
    /// Alibaba Cloud VPN Gateway (INTEROP.md; Alibaba "Configure BGP dynamic routing"): local ASN not 45104 and
    /// the same on every connection to the gateway; tunnel CIDR a /30 in 169.254.0.0/16 except
    /// 169.254.0.0/30..169.254.6.0/30 and 169.254.169.252/30; custom IKE policy without GCM or ECP, DH 1/2/5/14.
    /// </summary>
    public sealed class AlibabaProfile : ICloudProfile
    {
        /// <summary>Keyword.</summary>
        public const string ProfileName = "alibaba";
        /// <summary>Alibaba's default gateway ASN, reserved for the cloud side.</summary>
        public static readonly uint[] ReservedAsns = new uint[] { 45104, 45104 };
        /// <summary>DH groups of Alibaba's custom IKE/IPsec policy (1 not implemented here).</summary>
        public static readonly int[] DhGroups = new int[] { DhGroup.Modp1024, DhGroup.Modp1536, DhGroup.Modp2048 };
        /// <summary>Last reserved /30 is 169.254.6.0/30.</summary>
        public const int LastReservedThird = 6;

        /// <inheritdoc/>
        public string Name { get { return ProfileName; } }

        /// <inheritdoc/>
        public void Validate(ConfigModel model, VpnPeer peer, DiagnosticList d)
        {
            ArrayList neighbors = CloudRules.NeighborsOf(model, peer);
            CloudRules.CheckReservedLocalAs(model, neighbors, ReservedAsns, "alibaba-reserved-asn", "Alibaba Cloud", d);
            CloudRules.CheckEbgp(model, neighbors, "cloud-same-asn", "Alibaba Cloud peers over eBGP: remote-as must differ from our local AS", d);
            CloudRules.CheckInsideSlash30(model, peer, "Alibaba Cloud", "alibaba-inside-subnet", "alibaba-inside-range", LastReservedThird, d);
            CheckOneLocalAs(model, peer, neighbors, d);
            CloudRules.CheckProposals(CloudRules.IkeGroupOf(model, peer), DhGroups, false, true, "alibaba-ike-proposal", "Alibaba Cloud's custom IKE policy", true, d);
            CloudRules.CheckProposals(CloudRules.EspGroupOf(model, peer), DhGroups, false, true, "alibaba-esp-proposal", "Alibaba Cloud's IPsec policy", false, d);
        }

        // "If BGP dynamic routing is enabled for multiple IPsec-VPN connections in the same VPN gateway, local ASNs of
        // these connections must be the same": every neighbour over any alibaba tunnel uses the local AS of the first.
        private static void CheckOneLocalAs(ConfigModel model, VpnPeer peer, ArrayList neighbors, DiagnosticList d)
        {
            if (neighbors.Count == 0) return;
            BgpSection bgp = model.Bgp;
            uint reference = 0;
            string referencePeer = null;
            PeerSection peers = model.Peers;
            for (int i = 0; i < peers.Peers.Count && reference == 0; i++)
            {
                VpnPeer p = peers.At(i);
                if (p.Profile != ProfileName) continue;
                ArrayList ns = p == peer ? neighbors : CloudRules.NeighborsOf(model, p);
                if (ns.Count == 0) continue;
                reference = bgp.EffectiveLocalAs((BgpNeighbor)ns[0]);
                referencePeer = p.Name;
            }
            for (int i = 0; i < neighbors.Count; i++)
            {
                BgpNeighbor n = (BgpNeighbor)neighbors[i];
                uint local = bgp.EffectiveLocalAs(n);
                if (local != reference)
                {
                    d.Error(CloudRules.LocalAsLine(bgp, n), local.ToString(), "alibaba-local-as",
                        "all Alibaba Cloud connections must use one local AS; peer '" + referencePeer + "' uses " + reference.ToString());
                }
            }
        }
    }
}
