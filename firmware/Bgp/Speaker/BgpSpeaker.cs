using VpnAppliance.Bgp.Policy;
using VpnAppliance.Bgp.Rib;
using VpnAppliance.Bgp.Session;
using VpnAppliance.Bgp.Wire;
using VpnAppliance.Core;

namespace VpnAppliance.Bgp.Speaker
{
    /// <summary>
    /// The BGP speaker: peers (sessions), RIBs and policy, sans-IO. Flow:
    /// <code>
    ///  transport events -&gt; OnConnected / OnAccepted / OnBytes / OnWritable / OnClosed -&gt; the peer's BgpSession (FSM)
    ///  UPDATE -&gt; decode (RFC 7606) -&gt; import policy -&gt; RibTable (Adj-RIB-In, decision, Loc-RIB)
    ///  Loc-RIB change -&gt; IBgpRouteSink (routing manager -&gt; FIB), and pending bits per Established peer
    ///  Poll(nowMs): timers (FSM, graceful restart), drain changes to the sink, export pending prefixes as
    ///  packed UPDATEs (Adj-RIB-Out), End-of-RIB; returns the next deadline
    /// </code>
    /// Sized once from Capacities (BgpPeers, BgpPaths); nothing is allocated on the UPDATE path.
    /// This file: construction, configuration and the event entry points. Import, export, graceful restart and
    /// show output are in the BgpSpeaker.*.cs files.
    /// </summary>
    public sealed partial class BgpSpeaker : IBgpSessionOwner
    {
        /// <summary>Connections beyond one per peer: room for one collision (RFC 4271 §6.8) at a time.</summary>
        public const int ConnectionSpares = 1;

        /// <summary>Networks we can originate beyond BgpPaths (the prefix pool's headroom).</summary>
        public const int NetworkHeadroom = 64;

        private readonly IBgpTransport transport;
        private readonly IBgpRouteSink sink;
        private readonly IBgpLog log;
        private readonly BgpSession[] sessions;
        private readonly BgpPeerState[] states;
        private readonly CloudKind[] peerCloud;
        private readonly BgpConnection[] connections;
        private readonly byte[] sendScratch = new byte[BgpMessageHeader.MaxMessageLength];
        private readonly UpdateDecoder decoder = new UpdateDecoder(null);
        private readonly ParsedUpdate received = new ParsedUpdate(null);
        private readonly UpdateDecision decision = new UpdateDecision();
        private readonly ParsedUpdate outgoing = new ParsedUpdate(OutgoingCapacities());
        private readonly UpdateEncoder encoder = new UpdateEncoder();
        private readonly ErrorNotification teardown = new ErrorNotification();
        private readonly uint[] sinkNextHops = new uint[RibTable.MaxPeers];
        private readonly uint[] sinkPeers = new uint[RibTable.MaxPeers];
        private BgpSpeakerSettings settings = new BgpSpeakerSettings();
        private readonly uint[] originated;
        private readonly byte[] originatedLength;
        private int originatedCount;

        /// <summary>Adj-RIBs-In, Loc-RIB, Adj-RIB-Out.</summary>
        public readonly RibTable Rib;
        /// <summary>Speaker-wide counters.</summary>
        public readonly BgpSpeakerCounters Counters = new BgpSpeakerCounters();

        /// <summary>
        /// Creates a speaker for <paramref name="capacities"/>.BgpPeers peers (at most 32) and BgpPaths paths,
        /// over <paramref name="bgpTransport"/>, reporting to <paramref name="routeSink"/> (may be null) and
        /// <paramref name="bgpLog"/>.
        /// </summary>
        public BgpSpeaker(Capacities capacities, IBgpTransport bgpTransport, IBgpRouteSink routeSink, IBgpLog bgpLog)
        {
            transport = bgpTransport;
            sink = routeSink;
            log = bgpLog;
            int peers = PeerSlots(capacities);
            int small, large;
            AttributeStore.SizeFor(capacities.BgpPaths, out small, out large);
            Rib = new RibTable(peers, capacities.BgpPaths + NetworkHeadroom, capacities.BgpPaths + NetworkHeadroom, small, large);
            sessions = new BgpSession[peers];
            states = new BgpPeerState[peers];
            peerCloud = new CloudKind[peers + 1];
            connections = new BgpConnection[peers + ConnectionSpares];
            for (int i = 0; i < connections.Length; i++)
            {
                connections[i] = new BgpConnection(BgpConnection.BufferBytes);
            }

            for (int i = 0; i < peers; i++)
            {
                sessions[i] = new BgpSession(i, transport, this, log, connections, sendScratch);
                states[i] = new BgpPeerState();
            }

            originated = new uint[NetworkHeadroom];
            originatedLength = new byte[NetworkHeadroom];
        }

        /// <summary>Prefixes per export batch: BatchPrefixOctets / 5 octets per prefix, with room to spare.</summary>
        public const int ExportBatchPrefixes = 512;

        private static UpdateCapacities OutgoingCapacities()
        {
            UpdateCapacities c = new UpdateCapacities();
            c.Prefixes = ExportBatchPrefixes;
            return c;
        }

        private static int PeerSlots(Capacities c)
        {
            int peers = c.BgpPeers < 1 ? 1 : c.BgpPeers;
            return peers > RibTable.MaxPeers ? RibTable.MaxPeers : peers;
        }

        /// <summary>Static memory of a speaker built for <paramref name="capacities"/> (MemoryBudget pattern).</summary>
        public static void Account(MemoryBudget budget, Capacities capacities)
        {
            int peers = PeerSlots(capacities);
            int small, large;
            AttributeStore.SizeFor(capacities.BgpPaths, out small, out large);
            RibTable.Account(budget, peers, capacities.BgpPaths + NetworkHeadroom, capacities.BgpPaths + NetworkHeadroom, small, large);
            budget.AddObject(24, 24 * 8);
            budget.AddReferenceArray(peers);
            budget.AddReferenceArray(peers);
            budget.AddValueArray(4, peers + 1);
            budget.AddReferenceArray(peers + ConnectionSpares);
            for (int i = 0; i < peers + ConnectionSpares; i++)
            {
                BgpConnection.Account(budget);
            }

            for (int i = 0; i < peers; i++)
            {
                budget.AddObject(40, 40 * 8);              // session fields
                budget.AddObject(16, 16 * 8);              // counters
                budget.AddObject(14, 14 * 4);              // SessionParameters
                budget.AddObject(30, 200);                 // local OPEN
                budget.AddValueArray(4, OpenMessage.FamilyCapacity * 5 + OpenMessage.UnknownCapacity * 3);
                budget.AddValueArray(1, OpenMessage.UnknownBytesCapacity);
                budget.AddObject(16, 16 * 8);              // peer state
            }

            budget.AddValueArray(1, BgpMessageHeader.MaxMessageLength);
            int parsed = new UpdateCapacities().EstimatedBytes();
            budget.AddValueArray(1, parsed);               // received ParsedUpdate
            budget.AddValueArray(1, OutgoingCapacities().EstimatedBytes()); // outgoing ParsedUpdate (one export batch)
            budget.AddValueArray(1, parsed / 8);           // decoder scratch paths, decision
            budget.AddValueArray(4, RibTable.MaxPeers * 2);
            budget.AddValueArray(4, NetworkHeadroom);
            budget.AddValueArray(1, NetworkHeadroom);
        }

        /// <summary>Peer slots.</summary>
        public int PeerCapacity { get { return sessions.Length; } }

        /// <summary>The current settings.</summary>
        public BgpSpeakerSettings Settings { get { return settings; } }

        /// <summary>Session of peer slot <paramref name="index"/> (null config when the slot is unused).</summary>
        public BgpSession SessionAt(int index) { return sessions[index]; }

        /// <summary>Route-engine state of peer slot <paramref name="index"/>.</summary>
        public BgpPeerState PeerStateAt(int index) { return states[index]; }

        /// <summary>The session of the peer at <paramref name="address"/>, or null.</summary>
        public BgpSession FindPeer(uint address)
        {
            for (int i = 0; i < sessions.Length; i++)
            {
                if (sessions[i].Config != null && sessions[i].Address == address)
                {
                    return sessions[i];
                }
            }

            return null;
        }

        /// <summary>
        /// Applies <paramref name="newSettings"/>: removed peers get NOTIFICATION Cease/Peer De-configured; peers
        /// whose session settings changed are restarted (Cease/Other Configuration Change); peers whose only change
        /// is policy keep their session and are re-advertised (and asked for a ROUTE-REFRESH, RFC 2918) at once;
        /// new peers start. Originated networks are re-synced. Returns the number of peers not configured for lack
        /// of slots (also counted).
        /// </summary>
        public int Configure(BgpSpeakerSettings newSettings, long nowMs)
        {
            bool identityChanged = newSettings.LocalAs != settings.LocalAs || newSettings.RouterId != settings.RouterId;
            settings = newSettings;
            int maximumPaths = newSettings.MaximumPaths < 1 ? 1 : newSettings.MaximumPaths;
            bool decide = Rib.Selection.AlwaysCompareMed != newSettings.AlwaysCompareMed || Rib.MaximumPaths != maximumPaths;
            Rib.MaximumPaths = maximumPaths;
            Rib.Selection.AlwaysCompareMed = newSettings.AlwaysCompareMed;

            // Peers gone from the configuration (or all, when our AS / identifier changed).
            for (int i = 0; i < sessions.Length; i++)
            {
                BgpSession s = sessions[i];
                if (s.Config == null)
                {
                    continue;
                }

                BgpPeerConfig wanted = FindConfig(newSettings, s.Address);
                if (wanted == null || identityChanged || !wanted.SameSession(s.Config))
                {
                    s.Stop(wanted == null ? NotificationCode.CeasePeerDeconfigured : NotificationCode.CeaseOtherConfigurationChange, nowMs);
                    if (wanted == null)
                    {
                        ClearPeer(i);
                    }
                }
            }

            int missing = 0;
            for (int k = 0; k < newSettings.Peers.Length; k++)
            {
                BgpPeerConfig pc = newSettings.Peers[k];
                BgpSession s = FindPeer(pc.Address);
                if (s == null)
                {
                    s = FreeSession();
                    if (s == null)
                    {
                        missing++;
                        Counters.PeersNotConfigured++;
                        log.Write(nowMs, true, "bgp " + VpnAppliance.Config.Ipv4.Format(pc.Address) + ": not configured: only " + sessions.Length.ToString() + " BGP peers fit this board (capacity bgpPeers)");
                        continue;
                    }
                }

                bool policyChanged = s.Config != null && s.IsEstablished && PolicyChanged(s.Config, pc);
                s.Configure(pc, newSettings.RouterId);
                peerCloud[s.Index] = pc.Cloud;
                Rib.PeerAddress[s.Index] = pc.Address;
                Rib.PeerExternal[s.Index] = pc.IsExternal;
                if (pc.Shutdown)
                {
                    continue;
                }

                s.Start(nowMs);
                if (policyChanged)
                {
                    // Soft reconfiguration: re-evaluate our export and ask the peer to resend (RFC 2918 §3).
                    Rib.MarkAllPending(s.Index);
                    s.SendRouteRefresh();
                }
            }

            SyncNetworks(nowMs);
            if (decide)
            {
                Rib.DecideAll();
            }

            return missing;
        }

        private static bool PolicyChanged(BgpPeerConfig a, BgpPeerConfig b)
        {
            return a.Import != b.Import || a.Export != b.Export || a.Prepend != b.Prepend || a.HasMed != b.HasMed || a.Med != b.Med
                || a.ExportCommunities != b.ExportCommunities || a.Cloud != b.Cloud || a.AdvertiseLimit != b.AdvertiseLimit;
        }

        private static BgpPeerConfig FindConfig(BgpSpeakerSettings s, uint address)
        {
            for (int i = 0; i < s.Peers.Length; i++)
            {
                if (s.Peers[i].Address == address)
                {
                    return s.Peers[i];
                }
            }

            return null;
        }

        private BgpSession FreeSession()
        {
            for (int i = 0; i < sessions.Length; i++)
            {
                if (sessions[i].Config == null)
                {
                    return sessions[i];
                }
            }

            return null;
        }

        private void ClearPeer(int index)
        {
            Rib.ExportMask &= ~(1u << index);
            Rib.RemovePeer(index, false);
            Rib.ResetPeerOut(index);
            sessions[index].Configure(null, 0);
            states[index] = new BgpPeerState();
            peerCloud[index] = CloudKind.Generic;
        }

        private void SyncNetworks(long nowMs)
        {
            // Withdraw networks no longer configured.
            for (int i = originatedCount - 1; i >= 0; i--)
            {
                if (!HasNetwork(settings, originated[i], originatedLength[i]))
                {
                    Rib.Withdraw(Rib.LocalPeer, originated[i], originatedLength[i]);
                    originated[i] = originated[originatedCount - 1];
                    originatedLength[i] = originatedLength[originatedCount - 1];
                    originatedCount--;
                }
            }

            for (int i = 0; i < settings.NetworkAddress.Length; i++)
            {
                uint address = settings.NetworkAddress[i] & PrefixFilter.Mask(settings.NetworkLength[i]);
                int length = settings.NetworkLength[i];
                if (IsOriginated(address, length))
                {
                    continue;
                }

                if (originatedCount >= originated.Length)
                {
                    Counters.NetworksNotInstalled++;
                    continue;
                }

                // RFC 4271 §5.1.1: ORIGIN IGP for a network statement; empty AS_PATH (§5.1.2); next hop set on export.
                received.Clear();
                received.SetOrigin(0);
                received.SetPresent(PathAttributeType.AsPath);
                int attr;
                bool isNew;
                if (Rib.Attributes.Intern(received, 0, out attr) != RibResult.Ok
                    || Rib.Announce(Rib.LocalPeer, address, length, attr, out isNew) > RibResult.Unchanged)
                {
                    Counters.NetworksNotInstalled++;
                    log.Write(nowMs, true, "bgp: network " + VpnAppliance.Config.Ipv4.Format(address) + "/" + length.ToString() + " not originated: BGP table full");
                    continue;
                }

                originated[originatedCount] = address;
                originatedLength[originatedCount] = (byte)length;
                originatedCount++;
            }
        }

        private bool IsOriginated(uint address, int length)
        {
            for (int i = 0; i < originatedCount; i++)
            {
                if (originated[i] == address && originatedLength[i] == length)
                {
                    return true;
                }
            }

            return false;
        }

        private static bool HasNetwork(BgpSpeakerSettings s, uint address, int length)
        {
            for (int i = 0; i < s.NetworkAddress.Length; i++)
            {
                if (s.NetworkLength[i] == length && (s.NetworkAddress[i] & PrefixFilter.Mask(length)) == address)
                {
                    return true;
                }
            }

            return false;
        }

        // ---- transport events ----

        private BgpSession SessionOf(int handle)
        {
            for (int i = 0; i < sessions.Length; i++)
            {
                if (sessions[i].Config != null && sessions[i].Owns(handle))
                {
                    return sessions[i];
                }
            }

            return null;
        }

        /// <summary>Our active open on <paramref name="handle"/> completed.</summary>
        public void OnConnected(int handle, long nowMs)
        {
            BgpSession s = SessionOf(handle);
            if (s != null)
            {
                s.OnConnected(handle, nowMs);
            }
        }

        /// <summary>
        /// True when <paramref name="remoteAddress"/> is a configured neighbour whose session takes a passive open
        /// now (<see cref="BgpSession.Accepts"/>); refused SYNs are counted like refused connections.
        /// </summary>
        public bool Admits(uint remoteAddress, long nowMs)
        {
            BgpSession s = FindPeer(remoteAddress);
            if (s == null)
            {
                Counters.UnknownPeerConnections++;
                return false;
            }

            if (!s.Accepts(nowMs))
            {
                s.Counters.ConnectionsRefused++;
                return false;
            }

            return true;
        }

        /// <summary>
        /// The transport accepted a connection from <paramref name="remoteAddress"/> on port 179. Returns false when
        /// it is refused (unknown address, passive open not allowed, no room): the transport then closes it.
        /// </summary>
        public bool OnAccepted(int handle, uint remoteAddress, long nowMs)
        {
            BgpSession s = FindPeer(remoteAddress);
            if (s == null)
            {
                Counters.UnknownPeerConnections++;
                return false;
            }

            return s.OnAccepted(handle, nowMs);
        }

        /// <summary>Stream bytes arrived on <paramref name="handle"/>; returns the octets consumed.</summary>
        public int OnBytes(int handle, byte[] buffer, int offset, int length, long nowMs)
        {
            BgpSession s = SessionOf(handle);
            if (s == null)
            {
                return length;
            }

            int n = s.OnBytes(handle, buffer, offset, length, nowMs);
            return n;
        }

        /// <summary>The transport has room again on <paramref name="handle"/>: continue exporting.</summary>
        public void OnWritable(int handle, long nowMs)
        {
            BgpSession s = SessionOf(handle);
            if (s != null && s.IsEstablished)
            {
                Export(s, nowMs);
            }
        }

        /// <summary>The connection <paramref name="handle"/> ended (peer close, reset, timeout).</summary>
        public void OnClosed(int handle, long nowMs)
        {
            BgpSession s = SessionOf(handle);
            if (s != null)
            {
                s.OnClosed(handle, nowMs);
            }
        }

        /// <summary>
        /// The tunnel <paramref name="tunnelId"/> went down: every session over it is closed at once (no
        /// NOTIFICATION can pass) and its routes are removed (no graceful restart: nothing forwards through a dead
        /// tunnel), so the FIB fails over to the remaining ECMP members. Returns the sessions closed.
        /// </summary>
        public int TunnelDown(int tunnelId, long nowMs)
        {
            int n = 0;
            for (int i = 0; i < sessions.Length; i++)
            {
                BgpSession s = sessions[i];
                if (s.Config == null || s.Config.TunnelId != tunnelId)
                {
                    continue;
                }

                if (s.State != BgpState.Idle)
                {
                    s.TransportLost("tunnel vti" + tunnelId.ToString() + " down", false, nowMs);
                    n++;
                }

                // Routes kept stale for a graceful restart (the session was lost earlier) go too: they would point
                // into the dead tunnel, and the same routes re-learned later would not change the best path.
                BgpPeerState st = states[i];
                if (st.RestartDeadline != long.MaxValue || st.StaleDeadline != long.MaxValue)
                {
                    SweepStale(s, "tunnel vti" + tunnelId.ToString() + " down", nowMs);
                }
            }

            return n;
        }

        /// <summary>Closes the session of the peer at <paramref name="address"/> at once (its path is known to be dead); false when unknown.</summary>
        public bool PeerDown(uint address, long nowMs)
        {
            BgpSession s = FindPeer(address);
            if (s == null)
            {
                return false;
            }

            s.TransportLost("peer unreachable", false, nowMs);
            return true;
        }

        /// <summary>Asks the peer at <paramref name="address"/> to send its routes again (ROUTE-REFRESH, RFC 2918); false when not possible.</summary>
        public bool RequestRouteRefresh(uint address)
        {
            BgpSession s = FindPeer(address);
            return s != null && s.SendRouteRefresh();
        }

        /// <summary>
        /// Runs every timer, hands Loc-RIB changes to the sink and exports pending prefixes. Returns the next
        /// deadline (long.MaxValue = none).
        /// </summary>
        public long Poll(long nowMs)
        {
            long next = long.MaxValue;
            for (int i = 0; i < sessions.Length; i++)
            {
                BgpSession s = sessions[i];
                if (s.Config == null)
                {
                    continue;
                }

                long d = s.Poll(nowMs);
                if (d < next)
                {
                    next = d;
                }

                d = GracefulRestartTimers(i, nowMs);
                if (d < next)
                {
                    next = d;
                }

                if (s.IsEstablished)
                {
                    Export(s, nowMs);
                }
            }

            DrainChanges();
            return next;
        }

        private void DrainChanges()
        {
            for (int guard = 0; guard < Rib.PrefixCapacity; guard++)
            {
                int p = Rib.TakeChange();
                if (p < 0)
                {
                    return;
                }

                int count = 0;
                int best = Rib.Best[p];
                if (best >= 0)
                {
                    if (Rib.PathPeer[best] == Rib.LocalPeer)
                    {
                        sinkNextHops[0] = 0;
                        sinkPeers[0] = 0;
                        count = 1;
                    }
                    else
                    {
                        uint mask = Rib.EcmpMask[p];
                        for (int path = Rib.FirstPath[p], g = 0; path >= 0 && g <= RibTable.MaxPeers + 1; path = Rib.PathNext[path], g++)
                        {
                            int peer = Rib.PathPeer[path];
                            if (peer != Rib.LocalPeer && (mask & (1u << peer)) != 0 && count < sinkNextHops.Length)
                            {
                                sinkNextHops[count] = Rib.Attributes.NextHop[Rib.PathAttr[path]];
                                sinkPeers[count] = Rib.PeerAddress[peer];
                                count++;
                            }
                        }
                    }
                }

                Counters.SinkChanges++;
                if (sink != null)
                {
                    sink.OnBestPathChanged(Rib.PrefixAddress[p], Rib.PrefixLength[p], sinkNextHops, sinkPeers, count);
                }

                Rib.ReleaseChanged(p);
            }
        }
    }
}
