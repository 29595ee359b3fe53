using VpnAppliance.Bgp.Rib;
using VpnAppliance.Bgp.Session;
using VpnAppliance.Bgp.Wire;

namespace VpnAppliance.Bgp.Speaker
{
    /// <summary>
    /// <c>show bgp summary</c> and <c>show bgp neighbors &lt;ip&gt; [received-routes|advertised-routes]</c> in
    /// FRR's layout, so engineers recognise them. Text is built with strings (console path, not the UPDATE path).
    /// </summary>
    public sealed partial class BgpSpeaker
    {
        /// <summary>Which table <c>show bgp neighbors</c> prints.</summary>
        public const int ShowDetail = 0;
        /// <summary>Routes accepted from the neighbour (post import policy).</summary>
        public const int ShowReceivedRoutes = 1;
        /// <summary>Routes advertised to the neighbour.</summary>
        public const int ShowAdvertisedRoutes = 2;

        private static string Addr(uint a) { return VpnAppliance.Config.Ipv4.Format(a); }

        private static string Right(string s, int width) { return s.Length >= width ? s : s.PadLeft(width); }

        private static string Left(string s, int width) { return s.Length >= width ? s + " " : s.PadRight(width); }

        /// <summary>hh:mm:ss, or "1d02h03m" beyond a day, as FRR prints Up/Down.</summary>
        public static string Duration(long ms)
        {
            if (ms < 0)
            {
                ms = 0;
            }

            long s = ms / 1000;
            long d = s / 86400;
            long h = (s / 3600) % 24;
            long m = (s / 60) % 60;
            long sec = s % 60;
            if (d > 0)
            {
                return d.ToString() + "d" + Two(h) + "h" + Two(m) + "m";
            }

            return Two(h) + ":" + Two(m) + ":" + Two(sec);
        }

        private static string Two(long v) { return v < 10 ? "0" + v.ToString() : v.ToString(); }

        /// <summary>Writes <c>show bgp summary</c>.</summary>
        public void ShowSummary(IBgpTextOutput o, long nowMs)
        {
            o.Write("IPv4 Unicast Summary:\n");
            o.Write("BGP router identifier " + Addr(settings.RouterId) + ", local AS number " + settings.LocalAs.ToString() + " vrf-id 0\n");
            o.Write("RIB entries " + Rib.PrefixCount.ToString() + ", paths " + Rib.PathCount.ToString() + " (capacity " + Rib.PathCapacity.ToString()
                + "), attribute sets " + Rib.Attributes.Count.ToString() + "\n");
            int configured = 0;
            for (int i = 0; i < sessions.Length; i++)
            {
                if (sessions[i].Config != null)
                {
                    configured++;
                }
            }

            o.Write("Peers " + configured.ToString() + "\n\n");
            o.Write("Neighbor        V         AS   MsgRcvd   MsgSent   TblVer  InQ OutQ  Up/Down State/PfxRcd   PfxSnt\n");
            for (int i = 0; i < sessions.Length; i++)
            {
                BgpSession s = sessions[i];
                if (s.Config == null)
                {
                    continue;
                }

                BgpSessionCounters c = s.Counters;
                long rcvd = c.OpensReceived + c.UpdatesReceived + c.KeepalivesReceived + c.NotificationsReceived + c.RouteRefreshReceived;
                long sent = c.OpensSent + c.UpdatesSent + c.KeepalivesSent + c.NotificationsSent + c.RouteRefreshSent;
                string state = s.IsEstablished ? Rib.PeerPathCount[i].ToString() : (s.Config.Shutdown ? "Idle (Admin)" : BgpStateNames.Name(s.State));
                o.Write(Left(Addr(s.Address), 16) + "4 " + Right(s.Config.RemoteAs.ToString(), 10) + Right(rcvd.ToString(), 10) + Right(sent.ToString(), 10)
                    + Right("0", 9) + Right("0", 5) + Right(Rib.PeerPendingCount[i].ToString(), 5) + " " + Right(Duration(nowMs - s.LastChangeMs), 8) + " "
                    + Right(state, 12) + " " + Right(s.IsEstablished ? Rib.PeerAdvertisedCount[i].ToString() : "0", 8) + "\n");
            }

            o.Write("\nTotal number of neighbors " + configured.ToString() + "\n");
        }

        /// <summary>
        /// Writes <c>show bgp neighbors &lt;address&gt;</c> (<paramref name="what"/> = ShowDetail), or its
        /// received-routes / advertised-routes table. False when the neighbour is unknown.
        /// </summary>
        public bool ShowNeighbor(uint address, int what, IBgpTextOutput o, long nowMs)
        {
            BgpSession s = FindPeer(address);
            if (s == null)
            {
                o.Write("% No such neighbor: " + Addr(address) + "\n");
                return false;
            }

            if (what == ShowDetail)
            {
                ShowNeighborDetail(s, o, nowMs);
            }
            else
            {
                ShowRoutes(s, what == ShowReceivedRoutes, o);
            }

            return true;
        }

        private void ShowNeighborDetail(BgpSession s, IBgpTextOutput o, long nowMs)
        {
            BgpPeerConfig cfg = s.Config;
            BgpPeerState st = states[s.Index];
            BgpSessionCounters c = s.Counters;
            o.Write("BGP neighbor is " + Addr(cfg.Address) + ", remote AS " + cfg.RemoteAs.ToString() + ", local AS " + cfg.LocalAs.ToString()
                + (cfg.IsExternal ? ", external link\n" : ", internal link\n"));
            o.Write("  BGP version 4, remote router ID " + Addr(s.PeerIdentifier) + ", local router ID " + Addr(settings.RouterId) + "\n");
            o.Write("  BGP state = " + BgpStateNames.Name(s.State) + (s.IsEstablished ? ", up for " : ", down for ") + Duration(nowMs - s.LastChangeMs) + "\n");
            if (s.IsEstablished)
            {
                o.Write("  Hold time is " + s.Params.HoldTime.ToString() + ", keepalive interval is " + s.Params.KeepaliveTime.ToString() + " seconds\n");
            }

            o.Write("  Configured hold time is " + cfg.HoldTime.ToString() + ", keepalive interval is "
                + (cfg.Keepalive >= 0 ? cfg.Keepalive : cfg.HoldTime / 3).ToString() + " seconds\n");
            o.Write("  Cloud profile " + Policy.CloudDefaults.Name(cfg.Cloud) + ", connect mode " + (cfg.Mode == ConnectMode.Both ? "both" : (cfg.Mode == ConnectMode.Active ? "active" : "passive"))
                + ", TTL " + cfg.Ttl.ToString() + "\n");
            if (s.IsEstablished)
            {
                o.Write("  Neighbor capabilities:\n");
                o.Write("    4 Byte AS: advertised" + (s.Params.FourOctetAs ? " and received\n" : "\n"));
                o.Write("    Route refresh: advertised" + (s.Params.RouteRefresh ? " and received\n" : "\n"));
                o.Write("    Graceful Restart: " + (cfg.GracefulRestart ? "advertised (helper)" : "not advertised") + (s.PeerGracefulRestart ? " and received, restart time " + s.PeerRestartTimeSeconds.ToString() + " s\n" : "\n"));
                o.Write("    Address Family IPv4 Unicast: advertised" + (s.Params.MultiprotocolIpv4 ? " and received\n" : "\n"));
            }

            o.Write("  Message statistics:\n");
            o.Write("                         Sent       Rcvd\n");
            o.Write("    Opens:         " + Right(c.OpensSent.ToString(), 10) + " " + Right(c.OpensReceived.ToString(), 10) + "\n");
            o.Write("    Notifications: " + Right(c.NotificationsSent.ToString(), 10) + " " + Right(c.NotificationsReceived.ToString(), 10) + "\n");
            o.Write("    Updates:       " + Right(c.UpdatesSent.ToString(), 10) + " " + Right(c.UpdatesReceived.ToString(), 10) + "\n");
            o.Write("    Keepalives:    " + Right(c.KeepalivesSent.ToString(), 10) + " " + Right(c.KeepalivesReceived.ToString(), 10) + "\n");
            o.Write("    Route Refresh: " + Right(c.RouteRefreshSent.ToString(), 10) + " " + Right(c.RouteRefreshReceived.ToString(), 10) + "\n");
            o.Write("  For address family: IPv4 Unicast\n");
            o.Write("    Inbound path policy configured: " + (cfg.Import != null ? cfg.Import.Name : (cfg.IsExternal ? "none (RFC 8212: nothing accepted)" : "none")) + "\n");
            o.Write("    Outbound path policy configured: " + (cfg.Export != null ? cfg.Export.Name : (cfg.IsExternal ? "none (RFC 8212: nothing advertised)" : "none")) + "\n");
            o.Write("    " + Rib.PeerPathCount[s.Index].ToString() + " accepted prefixes, " + Rib.StaleCount(s.Index).ToString() + " stale\n");
            o.Write("    " + Rib.PeerAdvertisedCount[s.Index].ToString() + " announced prefixes" + (cfg.AdvertiseLimit > 0 ? " (limit " + cfg.AdvertiseLimit.ToString() + ")" : "") + "\n");
            o.Write("    Denied: import list " + st.ImportDenied.ToString() + ", no policy (RFC 8212) " + st.Rfc8212Denied.ToString() + ", AS loop "
                + st.AsLoopDenied.ToString() + ", treat-as-withdraw " + st.TreatAsWithdraw.ToString() + ", table full " + st.PoolFull.ToString() + "\n");
            if (cfg.MaxPrefix > 0)
            {
                o.Write("    Maximum prefixes allowed " + cfg.MaxPrefix.ToString() + (cfg.MaxPrefixAction == MaxPrefixAction.Warning ? " (warning-only)\n" : "\n"));
            }

            o.Write("  Connections established " + c.EstablishedTransitions.ToString() + "; dropped " + c.Drops.ToString() + "\n");
            o.Write("  Last reset " + (s.LastResetReason == null ? "never" : s.LastResetReason) + "\n");
        }

        private void ShowRoutes(BgpSession s, bool received, IBgpTextOutput o)
        {
            int peer = s.Index;
            o.Write("BGP table version is 0, local router ID is " + Addr(settings.RouterId) + ", vrf id 0\n");
            o.Write("Default local pref 100, local AS " + settings.LocalAs.ToString() + "\n");
            o.Write("Status codes:  s suppressed, d damped, h history, * valid, > best, = multipath,\n");
            o.Write("               i internal, r RIB-failure, S Stale, R Removed\n");
            o.Write("Origin codes:  i - IGP, e - EGP, ? - incomplete\n\n");
            o.Write("   Network          Next Hop            Metric LocPrf Weight Path\n");
            int total = 0;
            for (int i = 0; i < Rib.PrefixCapacity; i++)
            {
                if (!Rib.PrefixInUse(i))
                {
                    continue;
                }

                int path;
                if (received)
                {
                    path = Rib.FindPath(i, peer);
                }
                else
                {
                    path = Rib.IsAdvertised(i, peer) ? Rib.Best[i] : -1;
                }

                if (path < 0)
                {
                    continue;
                }

                total++;
                WriteRouteLine(i, path, o);
            }

            o.Write("\nTotal number of prefixes " + total.ToString() + "\n");
        }

        private void WriteRouteLine(int prefix, int path, IBgpTextOutput o)
        {
            AttributeStore a = Rib.Attributes;
            int attr = Rib.PathAttr[path];
            int peer = Rib.PathPeer[path];
            bool best = Rib.Best[prefix] == path;
            bool multi = !best && peer != Rib.LocalPeer && (Rib.EcmpMask[prefix] & (1u << peer)) != 0;
            string status = Left(((Rib.PathFlags[path] & RibTable.PathStale) != 0 ? "S" : "") + "*" + (best ? ">" : (multi ? "=" : "")), 3);
            a.Load(attr, outgoing);
            string network = Addr(Rib.PrefixAddress[prefix]) + "/" + Rib.PrefixLength[prefix].ToString();
            string nextHop = a.NextHop[attr] == 0 ? "0.0.0.0" : Addr(a.NextHop[attr]);
            string metric = (a.Flags[attr] & AttributeFlags.HasMed) != 0 ? a.Med[attr].ToString() : "";
            string localPref = (a.Flags[attr] & AttributeFlags.HasLocalPref) != 0 ? a.LocalPref[attr].ToString() : "";
            string weight = peer == Rib.LocalPeer ? "32768" : "0";
            string pathText = AsPathText(outgoing.AsPath);
            string origin = a.Origin[attr] == 0 ? "i" : (a.Origin[attr] == 1 ? "e" : "?");
            o.Write(status + Left(network, 17) + Left(nextHop, 17) + Right(metric, 9) + Right(localPref, 7) + Right(weight, 7) + " "
                + (pathText.Length > 0 ? pathText + " " : "") + origin + "\n");
        }

        /// <summary>AS_PATH as FRR prints it: sequences space-separated, sets in braces.</summary>
        public static string AsPathText(AsPath path)
        {
            string text = "";
            for (int s = 0; s < path.SegmentCount; s++)
            {
                bool set = path.SegmentType[s] == AsPath.AsSet || path.SegmentType[s] == AsPath.AsConfedSet;
                string seg = "";
                int end = path.SegmentStart[s] + path.SegmentLength[s];
                for (int i = path.SegmentStart[s]; i < end; i++)
                {
                    seg = seg.Length == 0 ? path.Asns[i].ToString() : seg + (set ? "," : " ") + path.Asns[i].ToString();
                }

                if (set)
                {
                    seg = "{" + seg + "}";
                }

                text = text.Length == 0 ? seg : text + " " + seg;
            }

            return text;
        }
    }
}
