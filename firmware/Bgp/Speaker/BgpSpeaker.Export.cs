using VpnAppliance.Bgp.Policy;
using VpnAppliance.Bgp.Rib;
using VpnAppliance.Bgp.Session;
using VpnAppliance.Bgp.Wire;

namespace VpnAppliance.Bgp.Speaker
{
    /// <summary>
    /// Adj-RIB-Out to UPDATE messages for one Established peer (RFC 4271 §9.2). The pending bits are scanned
    /// from the peer's cursor; one batch holds the withdrawals found plus the announcements that share the
    /// first announced prefix's attribute set (so several prefixes go in one UPDATE, §9.2.1.1 packing), capped
    /// so the batch is one message that fits the transport's free room. A batch is built only when the transport has room for a whole message;
    /// the rest waits for OnWritable/Poll. After the initial dump: End-of-RIB (RFC 4724 §2). The cloud's
    /// prefix limit is enforced here with one warning line instead of letting the cloud drop the session.
    /// </summary>
    public sealed partial class BgpSpeaker
    {
        /// <summary>NLRI/withdrawn octets per batch: with at most a large attribute set (1 KB) the UPDATE stays one 4096-octet message.</summary>
        private const int BatchPrefixOctets = 2048;
        /// <summary>Room kept for the header and the path attributes of a batch (a large attribute set encodes in less).</summary>
        private const int AttributeRoom = 1300;
        /// <summary>Least transport room worth building a batch for.</summary>
        private const int MinimumRoom = AttributeRoom + 100;

        private void Export(BgpSession session, long nowMs)
        {
            int peer = session.Index;
            BgpPeerState st = states[peer];
            for (int batch = 0; batch < 1024 && Rib.PeerPendingCount[peer] > 0; batch++)
            {
                int space = session.SendSpace();
                int budget = space - AttributeRoom < BatchPrefixOctets ? space - AttributeRoom : BatchPrefixOctets;
                if (space < MinimumRoom || !ExportBatch(session, st, budget, nowMs))
                {
                    return;
                }
            }

            if (Rib.PeerPendingCount[peer] == 0 && !st.EndOfRibSent && session.SendSpace() >= BgpMessageHeader.MinUpdateLength)
            {
                int n = UpdateEncoder.EncodeEndOfRib(sendScratch, 0);
                if (session.SendUpdate(sendScratch, 0, n, nowMs))
                {
                    st.EndOfRibSent = true;
                }
            }
        }

        /// <summary>Builds and sends one batch; false when nothing could be sent.</summary>
        private bool ExportBatch(BgpSession session, BgpPeerState st, int budget, long nowMs)
        {
            int peer = session.Index;
            BgpPeerConfig cfg = session.Config;
            int capacity = Rib.PrefixCapacity;
            outgoing.Clear();
            int groupAttr = -1;
            bool groupLocal = false;
            int octets = 0;
            int firstSkipped = -1;
            int cursor = st.ScanCursor;
            int scanned = 0;
            for (; scanned < capacity && octets < budget && outgoing.PrefixCount < ExportBatchPrefixes && Rib.PeerPendingCount[peer] > 0; scanned++)
            {
                int i = cursor;
                cursor = cursor + 1 >= capacity ? 0 : cursor + 1;
                if ((Rib.OutPending[i] & (1u << peer)) == 0)
                {
                    continue;
                }

                ExportVerdict verdict = ExportPolicy.Evaluate(Rib, i, peer, cfg, peerCloud, received);
                bool advertised = Rib.IsAdvertised(i, peer);
                if (verdict != ExportVerdict.Advertise)
                {
                    if (advertised)
                    {
                        outgoing.AddPrefix(PrefixSection.Withdrawn, Rib.PrefixAddress[i], Rib.PrefixLength[i]);
                        octets += 5;
                        Rib.SetAdvertised(i, peer, false);
                    }

                    Rib.ClearPending(i, peer);
                    continue;
                }

                if (!advertised && cfg.AdvertiseLimit > 0 && Rib.PeerAdvertisedCount[peer] >= cfg.AdvertiseLimit)
                {
                    st.AdvertiseLimited++;
                    if (!st.AdvertiseLimitWarned)
                    {
                        st.AdvertiseLimitWarned = true;
                        log.Write(nowMs, true, session.Prefix() + "advertising at most " + cfg.AdvertiseLimit.ToString() + " prefixes ("
                            + CloudDefaults.Name(cfg.Cloud) + " limit); the rest is not sent");
                    }

                    Rib.ClearPending(i, peer);
                    continue;
                }

                int best = Rib.Best[i];
                int attr = Rib.PathAttr[best];
                if (groupAttr < 0)
                {
                    groupAttr = attr;
                    groupLocal = Rib.PathPeer[best] == Rib.LocalPeer;
                }
                else if (attr != groupAttr)
                {
                    if (firstSkipped < 0)
                    {
                        firstSkipped = i;
                    }

                    continue;
                }

                outgoing.AddPrefix(PrefixSection.Nlri, Rib.PrefixAddress[i], Rib.PrefixLength[i]);
                octets += 5;
                Rib.SetAdvertised(i, peer, true);
                Rib.ClearPending(i, peer);
            }

            st.ScanCursor = firstSkipped >= 0 ? firstSkipped : cursor;
            if (st.AdvertiseLimited > 0 && outgoing.WithdrawnCount > 0 && Rib.PeerAdvertisedCount[peer] < cfg.AdvertiseLimit)
            {
                // Room under the cloud's limit again: look at the prefixes held back before.
                st.AdvertiseLimited = 0;
                Rib.MarkAllPending(peer);
            }

            if (outgoing.PrefixCount == 0)
            {
                return scanned < capacity;
            }

            if (outgoing.NlriCount > 0)
            {
                uint local = transport.LocalAddress(session.EstablishedHandle);
                if (cfg.LocalAddress != 0)
                {
                    local = cfg.LocalAddress;
                }

                if (!ExportPolicy.Build(Rib.Attributes, groupAttr, groupLocal, cfg, local, outgoing))
                {
                    Counters.ExportTooLarge++;
                }
            }

            encoder.Begin(outgoing, session.Params);
            for (int guard = 0; guard < 8; guard++)
            {
                int n = encoder.Next(sendScratch, 0);
                if (n == 0)
                {
                    break;
                }

                if (n < 0)
                {
                    Counters.ExportTooLarge++;
                    break;
                }

                session.SendUpdate(sendScratch, 0, n, nowMs);
            }

            return true;
        }
    }
}
