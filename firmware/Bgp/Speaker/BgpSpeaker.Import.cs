using VpnAppliance.Bgp.Policy;
using VpnAppliance.Bgp.Rib;
using VpnAppliance.Bgp.Session;
using VpnAppliance.Bgp.Wire;

namespace VpnAppliance.Bgp.Speaker
{
    /// <summary>
    /// Received UPDATEs into the Adj-RIB-In (RFC 4271 §9.1): decode with the RFC 7606 verdict (session reset -&gt;
    /// NOTIFICATION; treat-as-withdraw -&gt; every prefix withdrawn), End-of-RIB (RFC 4724 §2), withdrawals, then
    /// announcements through the import policy with one interned attribute set per next hop, and max-prefix
    /// (warning or teardown with Cease / Maximum Number of Prefixes Reached, RFC 4486 §4). Allocation-free
    /// except for log lines on errors.
    /// </summary>
    public sealed partial class BgpSpeaker
    {
        /// <inheritdoc/>
        public void UpdateReceived(BgpSession session, byte[] buffer, int offset, int length, long nowMs)
        {
            Counters.UpdatesReceived++;
            int peer = session.Index;
            BgpPeerState st = states[peer];
            BgpPeerConfig cfg = session.Config;
            Rfc7606Action action = decoder.Decode(buffer, offset, length, session.Params, received, decision);
            if (action == Rfc7606Action.SessionReset || action == Rfc7606Action.AfiSafiDisable)
            {
                // RFC 7606 §3: session reset with the NOTIFICATION the decoder chose (AFI/SAFI disable: we carry one family only).
                session.Teardown(decision.Notification, "UPDATE error: " + decision.LogLine, 0, nowMs);
                return;
            }

            if (received.EndOfRib)
            {
                EndOfRibReceived(session, nowMs);
                return;
            }

            bool withdrawAll = action == Rfc7606Action.TreatAsWithdraw;
            if (withdrawAll)
            {
                st.TreatAsWithdraw++;
                if (st.TreatAsWithdraw == 1)
                {
                    log.Write(nowMs, true, session.Prefix() + "UPDATE treated as withdraw (RFC 7606): " + decision.LogLine);
                }
            }

            bool loop = !withdrawAll && ImportPolicy.HasLoop(received, cfg.LocalAs);
            int attrNlri = -1;
            int attrMp = -1;
            for (int i = 0; i < received.PrefixCount; i++)
            {
                uint address = received.PrefixAddress[i];
                int len = received.PrefixLength[i];
                if (!received.IsAnnounced(i) || withdrawAll)
                {
                    Counters.PrefixesWithdrawn++;
                    Rib.Withdraw(peer, address, len);
                    RecheckAzure(peer, address, len);
                    continue;
                }

                Counters.PrefixesAnnounced++;
                ImportVerdict verdict = loop ? ImportVerdict.AsLoop : ImportPolicy.Evaluate(cfg, received, address, len);
                if (verdict != ImportVerdict.Accept)
                {
                    CountRefusal(st, verdict);
                    Rib.Withdraw(peer, address, len);
                    continue;
                }

                bool mp = received.PrefixSectionOf[i] == PrefixSection.MpReach;
                int attr = mp ? attrMp : attrNlri;
                if (attr < 0)
                {
                    RibResult r = Rib.Attributes.Intern(received, mp ? received.MpNextHop : received.NextHop, out attr);
                    if (r != RibResult.Ok)
                    {
                        st.PoolFull++;
                        Rib.Withdraw(peer, address, len);
                        continue;
                    }

                    if (mp)
                    {
                        attrMp = attr;
                    }
                    else
                    {
                        attrNlri = attr;
                    }
                }

                Rib.Attributes.AddRef(attr);
                bool isNew;
                RibResult result = Rib.Announce(peer, address, len, attr, out isNew);
                if (result > RibResult.Unchanged)
                {
                    st.PoolFull++;
                    continue;
                }

                if (isNew)
                {
                    RecheckAzure(peer, address, len);
                }

                if (isNew && cfg.MaxPrefix > 0 && Rib.PeerPathCount[peer] > cfg.MaxPrefix && MaxPrefixExceeded(session, st, nowMs))
                {
                    break;
                }
            }

            // Drop the reference Intern took for this UPDATE (the paths hold their own).
            if (attrNlri >= 0)
            {
                Rib.Attributes.Release(attrNlri);
            }

            if (attrMp >= 0)
            {
                Rib.Attributes.Release(attrMp);
            }
        }

        /// <summary>
        /// A path from an Azure peer appeared or went: the "never send Azure a prefix identical to a VNet" rule
        /// (CloudExportRules) may now decide differently for the Azure peers, even though the best path did not change.
        /// </summary>
        private void RecheckAzure(int peer, uint address, int length)
        {
            if (peerCloud[peer] != CloudKind.Azure)
            {
                return;
            }

            int prefix = Rib.FindPrefix(address, length);
            if (prefix < 0)
            {
                return;
            }

            for (int i = 0; i < sessions.Length; i++)
            {
                if (peerCloud[i] == CloudKind.Azure && (Rib.ExportMask & (1u << i)) != 0)
                {
                    Rib.SetPending(prefix, i);
                }
            }
        }

        private static void CountRefusal(BgpPeerState st, ImportVerdict verdict)
        {
            if (verdict == ImportVerdict.NoPolicy)
            {
                st.Rfc8212Denied++;
            }
            else if (verdict == ImportVerdict.AsLoop)
            {
                st.AsLoopDenied++;
            }
            else
            {
                st.ImportDenied++;
            }
        }

        /// <summary>Applies the max-prefix action; true when the session was torn down (stop processing).</summary>
        private bool MaxPrefixExceeded(BgpSession session, BgpPeerState st, long nowMs)
        {
            BgpPeerConfig cfg = session.Config;
            if (cfg.MaxPrefixAction == MaxPrefixAction.Warning)
            {
                if (!st.MaxPrefixWarned)
                {
                    st.MaxPrefixWarned = true;
                    log.Write(nowMs, true, session.Prefix() + "more than " + cfg.MaxPrefix.ToString() + " prefixes received (maximum-prefix, warning only)");
                }

                return false;
            }

            // RFC 4486 §4: Cease / Maximum Number of Prefixes Reached, data AFI, SAFI, upper bound.
            teardown.Clear();
            NotificationMessage.SetMaxPrefixes(teardown, CapabilityCode.AfiIpv4, CapabilityCode.SafiUnicast, (uint)cfg.MaxPrefix);
            session.Teardown(teardown, "more than " + cfg.MaxPrefix.ToString() + " prefixes received (maximum-prefix): session closed for "
                + cfg.MaxPrefixRestartSeconds.ToString() + " s", cfg.MaxPrefixRestartSeconds, nowMs);
            return true;
        }

        /// <inheritdoc/>
        public void SessionEstablished(BgpSession session, long nowMs)
        {
            int peer = session.Index;
            BgpPeerState st = states[peer];
            st.NewSession();
            Rib.PeerRouterId[peer] = session.PeerIdentifier;
            Rib.PeerAddress[peer] = session.Address;
            Rib.PeerExternal[peer] = session.Config.IsExternal;
            if (st.RestartDeadline != long.MaxValue)
            {
                // RFC 4724 §4.2: the peer is back; its stale routes wait for End-of-RIB (or the stale timer).
                st.RestartDeadline = long.MaxValue;
                st.StaleDeadline = nowMs + session.Config.StaleTimeSeconds * 1000L;
            }

            Rib.ExportMask |= 1u << peer;
            Rib.MarkAllPending(peer);
            Export(session, nowMs);
        }

        /// <inheritdoc/>
        public void SessionDown(BgpSession session, bool keepStale, long nowMs)
        {
            int peer = session.Index;
            BgpPeerState st = states[peer];
            Rib.ExportMask &= ~(1u << peer);
            Rib.ResetPeerOut(peer);
            int restart = session.PeerRestartTimeSeconds;
            if (keepStale && restart > 0 && Rib.PeerPathCount[peer] > 0)
            {
                int n = Rib.MarkStale(peer);
                st.RestartDeadline = nowMs + restart * 1000L;
                st.StaleDeadline = long.MaxValue;
                log.Write(nowMs, false, session.Prefix() + "graceful restart: keeping " + n.ToString() + " routes as stale for up to " + restart.ToString() + " s");
                return;
            }

            st.RestartDeadline = long.MaxValue;
            st.StaleDeadline = long.MaxValue;
            Rib.RemovePeer(peer, false);
        }

        /// <inheritdoc/>
        public void RouteRefreshReceived(BgpSession session, int afi, int safi, long nowMs)
        {
            // RFC 2918 §4: re-advertise the Adj-RIB-Out (here: re-evaluate and resend every prefix).
            Rib.MarkAllPending(session.Index);
            Export(session, nowMs);
        }

        private void EndOfRibReceived(BgpSession session, long nowMs)
        {
            BgpPeerState st = states[session.Index];
            st.EndOfRibReceived = true;
            if (st.StaleDeadline != long.MaxValue)
            {
                SweepStale(session, "End-of-RIB received", nowMs);
            }
        }

        private void SweepStale(BgpSession session, string why, long nowMs)
        {
            BgpPeerState st = states[session.Index];
            st.StaleDeadline = long.MaxValue;
            st.RestartDeadline = long.MaxValue;
            int n = Rib.RemovePeer(session.Index, true);
            st.StaleSwept += n;
            if (n > 0)
            {
                log.Write(nowMs, false, session.Prefix() + "graceful restart: " + why + ", " + n.ToString() + " stale routes removed");
            }
        }

        /// <summary>RFC 4724 §4.2 timers of peer <paramref name="index"/>; returns the next deadline.</summary>
        private long GracefulRestartTimers(int index, long nowMs)
        {
            BgpPeerState st = states[index];
            if (nowMs >= st.RestartDeadline)
            {
                SweepStale(sessions[index], "restart time over", nowMs);
            }
            else if (nowMs >= st.StaleDeadline)
            {
                SweepStale(sessions[index], "stale timer over without End-of-RIB", nowMs);
            }

            return st.RestartDeadline < st.StaleDeadline ? st.RestartDeadline : st.StaleDeadline;
        }
    }
}
