using VpnAppliance.Config;

namespace VpnAppliance.Cli
{
    /// <summary>
    /// <c>export cloud &lt;peer&gt;</c>: what to enter on the cloud side for this peer (the cloud's "local network
    /// gateway" / "customer gateway" / "peer VPN gateway"), derived from the running configuration: our public
    /// address and identity, the BGP ASN and peering addresses over the peer's tunnel (APIPA /30 on Azure,
    /// inside CIDR on AWS/Alibaba/GCP), the address space we announce, and the IKE/IPsec policy with
    /// lifetimes and DPD. The pre-shared key is never printed (it is entered on both sides by the operator).
    /// Field names follow the clouds' consoles (INTEROP.md).
    /// </summary>
    public sealed class CloudExport : ICliHandler
    {
        private readonly CliSession _session;

        /// <summary>Export for the running configuration of <paramref name="session"/>.</summary>
        public CloudExport(CliSession session)
        {
            _session = session;
        }

        /// <summary>Runs the command.</summary>
        public void Execute(CliCall call)
        {
            ConfigModel m = _session.Host.Running.Model;
            VpnPeer peer = call.ArgCount == 1 ? m.Peers.Find(call.Arg(0)) : null;
            if (peer == null)
            {
                call.Line(call.ArgCount == 1 ? "% no peer '" + call.Arg(0) + "'" : "% usage: export cloud <peer>");
                return;
            }

            TunnelInterface tunnel = m.Tunnels.FindByPeer(peer.Name);
            BgpNeighbor neighbor = tunnel == null ? null : NeighborOver(m, tunnel);
            string cloud = peer.Profile;
            call.Line("# " + CloudTitle(cloud) + " side of peer " + peer.Name + " (from the running configuration)");
            Field(call, cloud == "azure" ? "local network gateway IP address" : cloud == "aws" ? "customer gateway IP address" : cloud == "gcp" ? "peer VPN gateway interface IP" : "customer gateway / remote IP",
                m.Interfaces.Wan.HasAddress ? Ipv4.Format(m.Interfaces.Wan.Address.Address) : "(no wan address)");
            Field(call, "cloud gateway IP (our vpn peer address)", Ipv4.Format(peer.Address));
            Field(call, "IKE version", "IKEv2");
            Field(call, "our IKE identity", peer.LocalId != null ? peer.LocalId.ToString() : "(wan address)");
            Field(call, "pre-shared key", "****** (the key set with 'vpn peer " + peer.Name + " psk'; enter it on both sides)");
            uint localAs = neighbor != null && neighbor.LocalAs != 0 ? neighbor.LocalAs : m.Bgp.LocalAs;
            if (neighbor != null)
            {
                Field(call, cloud == "azure" ? "BGP ASN (local network gateway)" : "customer gateway BGP ASN", localAs.ToString());
                Field(call, cloud == "azure" ? "BGP peer IP address (APIPA)" : "our BGP address (inside tunnel)", Ipv4.Format(tunnel.Address.Address));
                Field(call, "cloud BGP address", Ipv4.Format(neighbor.Address));
                Field(call, "cloud ASN (our neighbor remote-as)", neighbor.RemoteAs.ToString());
                if (cloud != "azure")
                {
                    Field(call, "tunnel inside CIDR", Ipv4.Format(tunnel.Address.Network) + "/" + tunnel.Address.Length.ToString());
                }
                else
                {
                    Field(call, "Azure custom APIPA BGP IP address", Ipv4.Format(neighbor.Address));
                }

                Field(call, "BGP timers keepalive/hold", neighbor.EffectiveKeepalive.ToString() + "/" + neighbor.EffectiveHold.ToString() + " s");
            }
            else
            {
                Field(call, "BGP", "(no BGP neighbour over this peer's tunnel: static routing)");
            }

            Field(call, "address space (on-premises prefixes)", AddressSpace(m));
            IkeGroup ike = m.IkeGroups.Find(peer.IkeGroup);
            EspGroup esp = m.EspGroups.Find(peer.EspGroup);
            if (ike != null)
            {
                Field(call, "IKE (phase 1) proposals", ike.ProposalText());
                Field(call, "IKE SA lifetime", ike.Lifetime.ToString() + " s");
                Field(call, "DPD interval/timeout", ike.DpdInterval.ToString() + "/" + ike.DpdTimeout.ToString() + " s");
            }

            if (esp != null)
            {
                Field(call, "IPsec (phase 2) proposals", esp.ProposalText());
                Field(call, "IPsec SA lifetime", esp.Lifetime.ToString() + " s");
                Field(call, "PFS", esp.OffersPfs ? "yes (group in the proposal)" : "none");
            }

            Field(call, "traffic selectors", "0.0.0.0/0 <-> 0.0.0.0/0 (route-based)");
            Field(call, "initiator", peer.ConnectionType == ConnectionType.Initiate ? "this appliance initiates" : "the cloud initiates");
        }

        private static void Field(CliCall call, string name, string value)
        {
            call.Line((name + ":").PadRight(44) + " " + value);
        }

        private static string CloudTitle(string cloud)
        {
            switch (cloud)
            {
                case "azure": return "Azure VPN Gateway";
                case "aws": return "AWS Site-to-Site VPN";
                case "gcp": return "GCP HA VPN";
                case "alibaba": return "Alibaba Cloud VPN Gateway";
                default: return "Generic IKEv2 peer";
            }
        }

        // The neighbour over the tunnel: named by `tunnel`, else inside the tunnel's subnet (docs/config.md §5).
        private static BgpNeighbor NeighborOver(ConfigModel m, TunnelInterface t)
        {
            for (int i = 0; i < m.Bgp.Neighbors.Count; i++)
            {
                BgpNeighbor n = m.Bgp.At(i);
                if (n.Tunnel == t.Name || (n.Tunnel == null && t.HasAddress && t.Address.Contains(n.Address)))
                {
                    return n;
                }
            }

            return null;
        }

        private static string AddressSpace(ConfigModel m)
        {
            string s = "";
            for (int i = 0; i < m.Bgp.Networks.Count; i++)
            {
                string p = ((LocatedPrefix)m.Bgp.Networks[i]).Prefix.ToString();
                s = s.Length == 0 ? p : s + ", " + p;
            }

            if (s.Length == 0 && m.Interfaces.Lan.HasAddress)
            {
                s = Ipv4.Format(m.Interfaces.Lan.Address.Network) + "/" + m.Interfaces.Lan.Address.Length.ToString();
            }

            return s.Length == 0 ? "(none)" : s;
        }
    }
}
