using System.Collections;

namespace VpnAppliance.Config
{
    /// <summary>
    /// Azure VPN Gateway (INTEROP.md, column "Azure VPN Gateway"):
    /// reserved ASNs; APIPA BGP addresses only in 169.254.21.0-169.254.22.255; custom IKE policy without
    /// Curve25519 and with integrity/PRF sha1/256/384, DH 2/14/19/20/24; ESP PFS 1/2/14/24; on-premises side
    /// initiates IKE; IKE SA lifetime fixed at 28,800 s.
    /// </summary>
    public sealed class AzureProfile : ICloudProfile
    {
        /// <summary>Keyword.</summary>
        public const string ProfileName = "azure";

        /// <summary>ASNs the branch must not use (pairs first,last): INTEROP.md "ASNs the branch must not use".</summary>
        public static readonly uint[] ReservedAsns = new uint[]
        {
            8074, 8075, 12076, 12076, 65515, 65515, 65517, 65520, 23456, 23456, 64496, 64511, 65535, 65551,
        };

        /// <summary>First Azure APIPA BGP address (169.254.21.0).</summary>
        public static readonly uint ApipaFirst = Ipv4.Of(169, 254, 21, 0);
        /// <summary>Last Azure APIPA BGP address (169.254.22.255).</summary>
        public static readonly uint ApipaLast = Ipv4.Of(169, 254, 22, 255);

        /// <summary>DH groups of an Azure custom IKE policy (no 25519).</summary>
        public static readonly int[] IkeGroups = new int[] { DhGroup.Modp1024, DhGroup.Modp2048, DhGroup.Ecp256, DhGroup.Ecp384, DhGroup.Modp2048s256 };
        /// <summary>PFS groups Azure documents for ESP (1 is not implemented here).</summary>
        public static readonly int[] EspGroups = new int[] { DhGroup.Modp1024, DhGroup.Modp2048, DhGroup.Modp2048s256 };
        /// <summary>Azure's fixed IKE SA lifetime.</summary>
        public const int IkeLifetime = 28800;

        /// <inheritdoc/>
        public string Name { get { return ProfileName; } }

        /// <inheritdoc/>
        public void Validate(ConfigModel model, VpnPeer peer, DiagnosticList d)
        {
            ArrayList neighbors = CloudRules.NeighborsOf(model, peer);
            CloudRules.CheckReservedLocalAs(model, neighbors, ReservedAsns, "azure-reserved-asn", "Azure", d);
            CloudRules.CheckEbgp(model, neighbors, "cloud-same-asn", "Azure peers over eBGP: remote-as must differ from our local AS (Azure's default is 65515)", d);
            TunnelInterface t = model.Tunnels == null ? null : model.Tunnels.FindByPeer(peer.Name);
            if (t != null && t.HasAddress && CloudRules.LinkLocal.Contains(t.Address.Address) && !Ipv4.InRange(t.Address.Address, ApipaFirst, ApipaLast))
            {
                d.Error(t.AddressLine, t.Address.ToString(), "azure-apipa-range", "Azure APIPA BGP addresses must be within 169.254.21.0-169.254.22.255");
            }
            for (int i = 0; i < neighbors.Count; i++)
            {
                BgpNeighbor n = (BgpNeighbor)neighbors[i];
                if (CloudRules.LinkLocal.Contains(n.Address) && !Ipv4.InRange(n.Address, ApipaFirst, ApipaLast))
                {
                    d.Error(n.Line, Ipv4.Format(n.Address), "azure-apipa-range", "Azure APIPA BGP addresses must be within 169.254.21.0-169.254.22.255");
                }
                else if (!CloudRules.LinkLocal.Contains(n.Address) && n.EbgpMultihop < 2)
                {
                    d.Warning(n.Line, Ipv4.Format(n.Address), "azure-multihop", "a GatewaySubnet BGP address is not directly connected: set ebgp-multihop (and a /32 route via the tunnel)");
                }
            }
            IkeGroup ike = CloudRules.IkeGroupOf(model, peer);
            CloudRules.CheckProposals(ike, IkeGroups, true, false, "azure-ike-proposal", "Azure's custom IKE policy", true, d);
            CloudRules.CheckProposals(CloudRules.EspGroupOf(model, peer), EspGroups, true, false, "azure-esp-pfs", "Azure's documented IPsec policy", false, d);
            if (ike != null && ike.Lifetime != IkeLifetime)
            {
                d.Warning(ike.LifetimeLine != 0 ? ike.LifetimeLine : ike.Line, ike.Lifetime.ToString(), "azure-ike-lifetime", "Azure's IKE SA lifetime is fixed at 28800 s");
            }
            if (peer.ConnectionType == ConnectionType.Respond)
            {
                d.Warning(peer.ConnectionTypeLine, "respond", "azure-initiate", "Azure expects the on-premises device to initiate IKE (NAT-T)");
            }
        }
    }
}
