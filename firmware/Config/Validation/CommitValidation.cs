namespace VpnAppliance.Config.Validation
{
    /// <summary>
    /// Checks run at <c>commit</c> on top of the parser's own validation (docs/cli.md "Validation at commit"):
    /// <list type="bullet">
    /// <item><c>board-tunnels</c>, <c>board-peers</c>, <c>board-routes</c>, <c>board-bgp-peers</c>: more objects
    /// than the board's pools hold (the message gives both numbers);</item>
    /// <item><c>neighbor-unreachable</c>: a BGP neighbour that is in no connected subnet (LAN, WAN, a tunnel's
    /// inside subnet) and under no static route, so its session could never open;</item>
    /// <item><c>duplicate-remote-id</c>: two peers expecting the same remote IKE identity (RFC 7296 §2.15: the
    /// responder picks the peer by identity, so the second could never be chosen).</item>
    /// </list>
    /// Errors name the configuration line, the path and the rule; they block the commit, warnings do not.
    /// </summary>
    public static class CommitValidation
    {
        /// <summary>Adds the diagnostics of <paramref name="model"/> against <paramref name="limits"/> (may be null).</summary>
        public static void Check(ConfigModel model, BoardLimits limits, DiagnosticList d)
        {
            if (limits != null)
            {
                CheckLimits(model, limits, d);
            }

            CheckNeighbors(model, d);
            CheckIdentities(model, d);
        }

        private static void CheckLimits(ConfigModel model, BoardLimits limits, DiagnosticList d)
        {
            int tunnels = model.Tunnels.Tunnels.Count;
            if (limits.Tunnels >= 0 && tunnels > limits.Tunnels)
            {
                d.Error(model.Tunnels.At(limits.Tunnels).Line, "vpn tunnel", "board-tunnels",
                    tunnels.ToString() + " tunnels configured, board " + limits.Board + " has " + limits.Tunnels.ToString());
            }

            int peers = model.Peers.Peers.Count;
            if (limits.IkeSas >= 0 && peers > limits.IkeSas)
            {
                d.Error(model.Peers.At(limits.IkeSas).Line, "vpn peer", "board-peers",
                    peers.ToString() + " peers configured, board " + limits.Board + " has " + limits.IkeSas.ToString() + " IKE SAs");
            }

            // Routes the FIB holds from the configuration alone: connected (LAN, WAN, each tunnel, loopbacks),
            // static routes, originated networks. BGP-learned routes come on top at run time.
            int routes = model.Static.Routes.Count + tunnels + model.Interfaces.Loopbacks.Count + model.Bgp.Networks.Count;
            routes += model.Interfaces.Lan.HasAddress ? 1 : 0;
            routes += model.Interfaces.Wan.HasAddress ? 1 : 0;
            if (limits.Routes >= 0 && routes > limits.Routes)
            {
                d.Error(0, "protocols static", "board-routes",
                    routes.ToString() + " routes from the configuration, board " + limits.Board + " has " + limits.Routes.ToString());
            }

            int neighbors = model.Bgp.Neighbors.Count;
            if (limits.BgpPeers >= 0 && neighbors > limits.BgpPeers)
            {
                d.Error(model.Bgp.At(limits.BgpPeers).Line, "protocols bgp neighbor", "board-bgp-peers",
                    neighbors.ToString() + " BGP neighbours configured, board " + limits.Board + " has " + limits.BgpPeers.ToString());
            }
        }

        private static void CheckNeighbors(ConfigModel model, DiagnosticList d)
        {
            for (int i = 0; i < model.Bgp.Neighbors.Count; i++)
            {
                BgpNeighbor n = model.Bgp.At(i);
                bool connected = Connected(model, n.Address);
                if (!connected && !Reachable(model, n.Address))
                {
                    d.Error(n.Line, Ipv4.Format(n.Address), "neighbor-unreachable",
                        "protocols bgp neighbor " + Ipv4.Format(n.Address) + ": not in a connected subnet (lan, wan, a tunnel) nor under a static route");
                }
                else if (!connected && n.EbgpMultihop == 0 && n.RemoteAs != 0 && n.RemoteAs != model.Bgp.EffectiveLocalAs(n))
                {
                    // The session's TTL is 1 unless ebgp-multihop says otherwise: a router on the way drops it.
                    d.Warning(n.Line, Ipv4.Format(n.Address), "ebgp-multihop-missing",
                        "eBGP neighbour " + Ipv4.Format(n.Address) + " is reached through a static route, not a connected subnet: its TCP is sent with TTL 1; set ebgp-multihop <ttl>");
                }
            }
        }

        // In a connected subnet: the LAN, the WAN or a tunnel's inside subnet.
        private static bool Connected(ConfigModel model, uint a)
        {
            InterfacesSection ifs = model.Interfaces;
            return (ifs.Lan.HasAddress && ifs.Lan.Address.Contains(a)) || (ifs.Wan.HasAddress && ifs.Wan.Address.Contains(a))
                || model.Tunnels.FindContaining(a) != null;
        }

        private static bool Reachable(ConfigModel model, uint a)
        {
            if (Connected(model, a))
            {
                return true;
            }

            for (int i = 0; i < model.Static.Routes.Count; i++)
            {
                StaticRoute r = (StaticRoute)model.Static.Routes[i];
                if (!r.Blackhole && r.Prefix.Contains(a))
                {
                    return true;
                }
            }

            return false;
        }

        private static void CheckIdentities(ConfigModel model, DiagnosticList d)
        {
            PeerSection peers = model.Peers;
            for (int i = 0; i < peers.Peers.Count; i++)
            {
                string a = RemoteIdentity(peers.At(i));
                for (int j = 0; j < i; j++)
                {
                    if (a == RemoteIdentity(peers.At(j)))
                    {
                        d.Error(peers.At(i).Line, peers.At(i).Name, "duplicate-remote-id",
                            "vpn peer " + peers.At(i).Name + ": remote identity " + a + " is also expected from peer " + peers.At(j).Name);
                        break;
                    }
                }
            }
        }

        // The identity the peer must present: remote-id, else its address (docs/config.md §3 vpn peer).
        private static string RemoteIdentity(VpnPeer p)
        {
            return p.RemoteId != null ? p.RemoteId.ToString() : Ipv4.Format(p.Address);
        }
    }
}
