using System.Text;
using VpnAppliance.Hal;

namespace VpnAppliance.Ipsec.Ike
{
    // Connections and what the operator can ask for: load the configured connections, initiate, rekey, terminate,
    // and the text of `show ike sa` / `show ipsec sa` (the console's source; strongSwan-like so engineers recognise it).

    public sealed partial class IkeEngine
    {
        /// <summary>
        /// Replaces the configured connections. A connection whose settings did not change (same name and
        /// <see cref="IkeConnectionBuilder.SameSettings"/>) keeps its SAs; others are deleted (DELETE sent) and started
        /// again. Initiator connections start at <paramref name="nowMs"/>.
        /// </summary>
        public void SetConnections(IkeConnection[] connections, int count, long nowMs)
        {
            if (count > MaxConnections) count = MaxConnections;
            int[] map = new int[_sas.Length];
            for (int i = 0; i < _sas.Length; i++) map[i] = -2;
            for (int i = 0; i < _sas.Length; i++)
            {
                IkeSa sa = _sas[i];
                if (sa.State == IkeSaState.Free || sa.Connection < 0) continue;
                IkeConnection old = _connections[sa.Connection];
                int keep = -1;
                for (int c = 0; c < count; c++)
                {
                    if (connections[c].Name == old.Name && IkeConnectionBuilder.SameSettings(old, connections[c])) keep = c;
                }

                map[i] = keep;
            }

            for (int i = 0; i < _sas.Length; i++)
            {
                IkeSa sa = _sas[i];
                if (map[i] == -2) continue;
                if (map[i] >= 0)
                {
                    IkeConnection oldConn = _connections[sa.Connection];
                    IkeConnection newConn = connections[map[i]];
                    if (oldConn.Sa == sa.Index) newConn.Sa = sa.Index;
                    newConn.Establishments = oldConn.Establishments;
                    sa.Connection = map[i];
                    continue;
                }

                // Settings changed or connection removed: tell the peer, drop everything.
                if (sa.State == IkeSaState.Established && sa.Pending == IkeRequestKind.None)
                {
                    SendInformational(sa, IkeRequestKind.DeleteIke, nowMs);
                }

                Log(LogLevel.Info, "IKE_SA " + NameOf(sa) + " closed: configuration changed");
                sa.Connection = -1;
                Release(sa);
            }

            for (int c = 0; c < MaxConnections; c++) _connections[c] = c < count ? connections[c] : null;
            _connectionCount = count;
            for (int c = 0; c < count; c++)
            {
                IkeConnection conn = _connections[c];
                if (conn.Sa < 0 && conn.Initiate) conn.RetryAtMs = nowMs;
            }
        }

        /// <summary>Index of the connection named <paramref name="name"/>, or -1.</summary>
        public int FindConnection(string name)
        {
            for (int c = 0; c < _connectionCount; c++) if (_connections[c].Name == name) return c;
            return -1;
        }

        /// <summary>Index of the connection whose gateway is <paramref name="address"/>, or -1.</summary>
        public int FindConnection(uint address)
        {
            for (int c = 0; c < _connectionCount; c++) if (_connections[c].PeerAddress == address) return c;
            return -1;
        }

        /// <summary>Starts (or restarts) the IKE SA of a connection now. False when unknown or already up/connecting.</summary>
        public bool Initiate(string name, long nowMs)
        {
            int c = FindConnection(name);
            if (c < 0 || _connections[c].Sa >= 0) return false;
            _connections[c].RetryAtMs = long.MaxValue;
            StartInitiator(c, nowMs);
            return true;
        }

        /// <summary>Asks for a CHILD SA rekey of a connection (done at the next Poll when the IKE SA is idle).</summary>
        public bool RequestChildRekey(string name)
        {
            int c = FindConnection(name);
            if (c < 0 || _connections[c].Sa < 0 || _sas[_connections[c].Sa].State != IkeSaState.Established) return false;
            _connections[c].RekeyChildRequested = true;
            return true;
        }

        /// <summary>Asks for an IKE SA rekey of a connection.</summary>
        public bool RequestIkeRekey(string name)
        {
            int c = FindConnection(name);
            if (c < 0 || _connections[c].Sa < 0 || _sas[_connections[c].Sa].State != IkeSaState.Established) return false;
            _connections[c].RekeyIkeRequested = true;
            return true;
        }

        /// <summary>
        /// Deletes the SAs of a connection (DELETE sent; `clear ipsec sa`). An initiator connection comes back after
        /// its retry delay.
        /// </summary>
        public bool Terminate(string name, long nowMs)
        {
            int c = FindConnection(name);
            if (c < 0) return false;
            IkeConnection conn = _connections[c];
            for (int i = 0; i < _sas.Length; i++)
            {
                IkeSa sa = _sas[i];
                if (sa.State == IkeSaState.Free || sa.Connection != c) continue;
                if (sa.State == IkeSaState.Established && sa.Pending == IkeRequestKind.None) SendStandaloneDelete(sa, nowMs);
                Release(sa);
            }

            Log(LogLevel.Info, "connection " + conn.Name + " cleared by the operator");
            conn.Sa = -1;
            conn.RetryDelayMs = 0;
            if (conn.Initiate) conn.RetryAtMs = nowMs + _settings.RetryDelayMs;
            return true;
        }

        /// <summary>
        /// Orderly stop (power-down request, VpnSim exit): one DELETE per established IKE SA so the gateways remove
        /// their SAs at once instead of waiting for DPD; nothing is waited for.
        /// </summary>
        public void Shutdown(long nowMs)
        {
            for (int i = 0; i < _sas.Length; i++)
            {
                IkeSa sa = _sas[i];
                if (sa.State != IkeSaState.Established) continue;
                if (sa.Pending != IkeRequestKind.None) sa.ClearPending();
                SendStandaloneDelete(sa, nowMs);
                Release(sa);
            }
        }

        /// <summary>A DELETE of the IKE SA sent once, not waited for (the SA is removed at once).</summary>
        private void SendStandaloneDelete(IkeSa sa, long nowMs)
        {
            SendInformational(sa, IkeRequestKind.DeleteIke, nowMs);
            sa.ClearPending();
        }

        /// <summary>An attempt failed before the IKE SA was up: retry later with back-off (initiators only).</summary>
        private void ConnectionFailed(IkeConnection conn, long nowMs)
        {
            conn.Failures++;
            if (!conn.Initiate) return;
            long delay = conn.RetryDelayMs <= 0 ? _settings.RetryDelayMs : conn.RetryDelayMs * 2;
            if (delay > _settings.RetryDelayMaxMs) delay = _settings.RetryDelayMaxMs;
            conn.RetryDelayMs = delay;
            conn.RetryAtMs = nowMs + delay;
        }

        /// <summary>An established connection went down (peer dead, deleted, expired): restart per DPD action.</summary>
        private void ConnectionDown(IkeConnection conn, long nowMs)
        {
            conn.Sa = -1;
            bool restart = conn.Initiate && conn.DpdAction != VpnAppliance.Config.DpdAction.Clear;
            Log(LogLevel.Warning, "connection " + conn.Name + " down" + (restart ? ", re-establishing" : (conn.Initiate ? "" : ", waiting for the peer")));
            if (restart)
            {
                conn.RetryDelayMs = 0;
                conn.RetryAtMs = nowMs;
            }
        }

        // ------------------------------------------------------------------ show

        /// <summary>`show ike sa`: one block per connection.</summary>
        public void WriteIkeSas(StringBuilder sb, long nowMs)
        {
            sb.Append("Connection       Peer             State        Role       Proposal                              Age    Rekey in\r\n");
            for (int c = 0; c < _connectionCount; c++)
            {
                IkeConnection conn = _connections[c];
                bool any = false;
                for (int i = 0; i < _sas.Length; i++)
                {
                    IkeSa sa = _sas[i];
                    if (sa.State == IkeSaState.Free || sa.Connection != c) continue;
                    any = true;
                    Column(sb, conn.Name, 17);
                    Column(sb, VpnAppliance.Config.Ipv4.Format(sa.PeerAddress) + (sa.PeerPort != 0 && sa.PeerPort != IkePort ? ":" + sa.PeerPort : ""), 17);
                    Column(sb, StateName(sa.State), 13);
                    Column(sb, sa.OriginalInitiator ? "initiator" : "responder", 11);
                    Column(sb, sa.State == IkeSaState.Established || sa.State == IkeSaState.Rekeyed ? sa.Suite.ToString() : "-", 38);
                    Column(sb, sa.EstablishedAtMs > 0 ? Seconds(nowMs - sa.EstablishedAtMs) : "-", 7);
                    sb.Append(sa.RekeyAtMs != long.MaxValue && sa.State == IkeSaState.Established ? Seconds(sa.RekeyAtMs - nowMs) : "-");
                    sb.Append("\r\n");
                    sb.Append("    SPIs ").Append(Hex64(sa.SpiI)).Append("_i ").Append(Hex64(sa.SpiR)).Append("_r");
                    sb.Append(", ").Append(sa.ChildCount).Append(" CHILD SA(s)\r\n");
                }

                if (!any)
                {
                    Column(sb, conn.Name, 17);
                    Column(sb, VpnAppliance.Config.Ipv4.Format(conn.PeerAddress), 17);
                    Column(sb, "down", 13);
                    Column(sb, conn.Initiate ? "initiator" : "responder", 11);
                    sb.Append(conn.LastError != null ? "last error: " + conn.LastError : (conn.Initiate && conn.RetryAtMs != long.MaxValue ?
                        "retry in " + Seconds(conn.RetryAtMs - nowMs) : "waiting for the peer"));
                    sb.Append("\r\n");
                }
            }

            sb.Append("IKE: ").Append(_counters.Established).Append(" established, ").Append(_counters.IkeRekeys).Append(" IKE rekeys, ")
              .Append(_counters.ChildRekeys).Append(" CHILD rekeys, ").Append(_counters.Collisions).Append(" collisions, ")
              .Append(_counters.AuthFailures).Append(" auth failures, ").Append(_counters.Retransmits).Append(" retransmits, ")
              .Append(_counters.PeersDead).Append(" peers dead\r\n");
        }

        /// <summary>`show ipsec sa`: every CHILD SA with SPIs, transforms, selectors, counters and lifetimes.</summary>
        public void WriteIpsecSas(StringBuilder sb, long nowMs)
        {
            for (int c = 0; c < _connectionCount; c++)
            {
                IkeConnection conn = _connections[c];
                TunnelInterface tunnel = _sad.Tunnel(conn.TunnelId);
                sb.Append(conn.Name).Append(" (").Append(conn.TunnelName).Append(", ").Append(tunnel != null && tunnel.Up ? "up" : "down").Append(")\r\n");
                for (int i = 0; i < _sas.Length; i++)
                {
                    IkeSa sa = _sas[i];
                    if (sa.State == IkeSaState.Free || sa.Connection != c) continue;
                    for (int k = 0; k < sa.ChildCount; k++)
                    {
                        ChildSaPair p = _sad.Get(sa.Children[k]);
                        if (p == null || p.State != ChildSaState.Installed) continue;
                        bool current = tunnel != null && tunnel.OutboundHandle == sa.Children[k];
                        sb.Append("  ").Append(current ? "* " : "  ");
                        sb.Append("in ").Append(Hex32(p.Inbound.Spi)).Append(" out ").Append(Hex32(p.Outbound.Spi));
                        sb.Append("  ").Append(EspName(p.Outbound)).Append(" udp-encap ").Append(VpnAppliance.Config.Ipv4.Format(p.PeerAddress)).Append(':').Append(p.PeerPort);
                        sb.Append("\r\n      ").Append(TsText(conn));
                        sb.Append("\r\n      in ").Append(p.Inbound.Counters.Packets).Append(" pkts ").Append(p.Inbound.Counters.Bytes).Append(" bytes, out ")
                          .Append(p.Outbound.Counters.Packets).Append(" pkts ").Append(p.Outbound.Counters.Bytes).Append(" bytes, drops ")
                          .Append(p.Inbound.Counters.TotalDrops);
                        long age = nowMs - p.Inbound.InstalledAtMs;
                        sb.Append(", age ").Append(Seconds(age));
                        if (p.Inbound.Lifetime.SoftTimeMs > 0) sb.Append(", rekey in ").Append(Seconds(p.Inbound.Lifetime.SoftTimeMs - age));
                        if (p.Inbound.Lifetime.HardTimeMs > 0) sb.Append(", expires in ").Append(Seconds(p.Inbound.Lifetime.HardTimeMs - age));
                        sb.Append("\r\n");
                    }
                }
            }
        }

        private static string EspName(EspSecurityAssociation sa)
        {
            string s = sa.IsAead ? "aes" + sa.KeyBits + "gcm16" : "aes" + sa.KeyBits;
            if (!sa.IsAead)
            {
                string integ = VpnAppliance.Config.Proposal.IntegrityName((VpnAppliance.Config.IntegrityAlgorithm)sa.Integrity);
                s += "-" + (integ != null ? integ : "integ" + sa.Integrity);
            }

            return sa.ExtendedSequenceNumbers ? s + "-esn" : s;
        }

        private static string StateName(IkeSaState s)
        {
            switch (s)
            {
                case IkeSaState.InitSent: return "connecting";
                case IkeSaState.AuthSent: return "authenticating";
                case IkeSaState.InitReplied: return "half-open";
                case IkeSaState.Established: return "established";
                case IkeSaState.Rekeyed: return "rekeyed";
                case IkeSaState.Deleting: return "deleting";
                case IkeSaState.Rekeying: return "rekeying";
            }

            return "free";
        }

        private static void Column(StringBuilder sb, string text, int width)
        {
            sb.Append(text);
            for (int i = text.Length; i < width; i++) sb.Append(' ');
            if (text.Length >= width) sb.Append(' ');
        }

        private static string Seconds(long ms)
        {
            if (ms < 0) ms = 0;
            return (ms / 1000).ToString() + "s";
        }

        private static string Hex64(ulong v)
        {
            return Hex32((uint)(v >> 32)) + Hex32((uint)v);
        }
    }
}
