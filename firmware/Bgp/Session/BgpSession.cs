using VpnAppliance.Bgp.Wire;

namespace VpnAppliance.Bgp.Session
{
    /// <summary>
    /// One peer's BGP finite state machine (RFC 4271 §8), sans-IO. Flow:
    /// <code>
    ///  Idle --IdleHold over--&gt; Connect (active open, ConnectRetry) | Active (wait for the peer's open)
    ///  TCP up -&gt; send OPEN -&gt; OpenSent (Hold 240 s) -OPEN ok-&gt; send KEEPALIVE -&gt; OpenConfirm (negotiated Hold)
    ///  -KEEPALIVE-&gt; Established: UPDATE / KEEPALIVE / ROUTE-REFRESH; Hold and Keepalive timers
    ///  any error -&gt; NOTIFICATION, close, Idle with IdleHold back-off (5 s doubling to 120 s, RFC 4271 §8.1.1)
    /// </code>
    /// Up to two TCP connections exist while a collision is resolved (§6.8: the connection opened by the side
    /// with the higher BGP Identifier survives). Time comes in as nowMs; Poll returns the next deadline. The
    /// session talks to its transport through IBgpTransport and to the route engine through IBgpSessionOwner.
    /// This file: state, timers, Poll and the transport events. BgpSession.Messages.cs: received messages.
    /// </summary>
    public sealed partial class BgpSession
    {
        /// <summary>Hold time while waiting for the peer's OPEN: "a large value", 4 minutes suggested (RFC 4271 §8.2.2).</summary>
        public const int OpenHoldSeconds = 240;
        /// <summary>First IdleHold after an error, seconds.</summary>
        public const int IdleHoldFirstSeconds = 5;
        /// <summary>Largest IdleHold, seconds.</summary>
        public const int IdleHoldMaxSeconds = 120;
        /// <summary>A session Established at least this long resets the back-off.</summary>
        public const int StableSeconds = 60;

        /// <summary>Slot of this peer in the speaker (also its bit in the RIB's per-peer masks).</summary>
        public readonly int Index;
        /// <summary>Message and event counters.</summary>
        public readonly BgpSessionCounters Counters = new BgpSessionCounters();
        /// <summary>What the two OPENs negotiated (valid while Established).</summary>
        public readonly SessionParameters Params = new SessionParameters();
        /// <summary>Our OPEN (rebuilt from Config when configured).</summary>
        public readonly OpenMessage LocalOpen = new OpenMessage();

        private readonly IBgpTransport transport;
        private readonly IBgpSessionOwner owner;
        private readonly IBgpLog log;
        private readonly BgpConnection[] pool;
        private readonly BgpConnection[] conns = new BgpConnection[2];
        private readonly byte[] scratch;
        private readonly OpenPolicy openPolicy = new OpenPolicy();
        private readonly ErrorNotification error = new ErrorNotification();

        private BgpPeerConfig config;
        private uint routerId;
        private bool started;
        private bool idle = true;
        private long idleUntil;
        private int idleHoldSeconds;
        private long connectRetryAt = long.MaxValue;
        private long keepaliveAt = long.MaxValue;
        private long establishedAt;
        private long lastChangeAt;
        private BgpConnection established;

        /// <summary>The peer negotiated graceful restart on the current/last session (RFC 4724 §3).</summary>
        public bool PeerGracefulRestart;
        /// <summary>The peer's Restart Time, seconds (RFC 4724 §3).</summary>
        public int PeerRestartTimeSeconds;
        /// <summary>The peer's BGP Identifier from its last accepted OPEN.</summary>
        public uint PeerIdentifier;
        /// <summary>Why the session last went down (log text), null when never.</summary>
        public string LastResetReason;

        /// <summary>
        /// Creates the session for peer slot <paramref name="index"/>. <paramref name="connectionPool"/> is the
        /// speaker's shared pool; <paramref name="sendScratch"/> a buffer of at least 4096 octets used for
        /// OPEN/KEEPALIVE/NOTIFICATION (single-threaded use).
        /// </summary>
        public BgpSession(int index, IBgpTransport transport, IBgpSessionOwner owner, IBgpLog log, BgpConnection[] connectionPool, byte[] sendScratch)
        {
            Index = index;
            this.transport = transport;
            this.owner = owner;
            this.log = log;
            pool = connectionPool;
            scratch = sendScratch;
        }

        /// <summary>The peer's configuration.</summary>
        public BgpPeerConfig Config { get { return config; } }

        /// <summary>Peer address.</summary>
        public uint Address { get { return config == null ? 0 : config.Address; } }

        /// <summary>True while the session is Established.</summary>
        public bool IsEstablished { get { return established != null; } }

        /// <summary>Time of the last state change (for "Up/Down" in show output).</summary>
        public long LastChangeMs { get { return lastChangeAt; } }

        /// <summary>Transport handle of the Established connection, -1 otherwise.</summary>
        public int EstablishedHandle { get { return established == null ? -1 : established.Handle; } }

        /// <summary>The FSM state (RFC 4271 §8.2.2), derived from the most advanced connection.</summary>
        public BgpState State
        {
            get
            {
                int best = BgpConnection.Free;
                for (int i = 0; i < 2; i++)
                {
                    if (conns[i] != null && conns[i].Phase > best)
                    {
                        best = conns[i].Phase;
                    }
                }

                switch (best)
                {
                    case BgpConnection.Established: return BgpState.Established;
                    case BgpConnection.OpenConfirm: return BgpState.OpenConfirm;
                    case BgpConnection.OpenSent: return BgpState.OpenSent;
                    case BgpConnection.Connecting: return BgpState.Connect;
                    default: return idle || !started ? BgpState.Idle : BgpState.Active;
                }
            }
        }

        /// <summary>Applies <paramref name="peerConfig"/> (the caller restarts the session when SameSession is false).</summary>
        public void Configure(BgpPeerConfig peerConfig, uint bgpIdentifier)
        {
            config = peerConfig;
            if (peerConfig == null)
            {
                started = false;
                idle = true;
                return;
            }

            routerId = bgpIdentifier;
            BuildLocalOpen();
            openPolicy.LocalAs = peerConfig.LocalAs;
            openPolicy.LocalIdentifier = bgpIdentifier;
            openPolicy.ExpectedPeerAs = peerConfig.RemoteAs;
            openPolicy.RequireIpv4Unicast = true;
        }

        private void BuildLocalOpen()
        {
            LocalOpen.Clear();
            LocalOpen.Version = OpenMessage.Version4;
            LocalOpen.HasFourOctetAs = true;                       // RFC 6793 §3
            LocalOpen.FourOctetAs = config.LocalAs;
            LocalOpen.MyAs = config.LocalAs <= 0xFFFF ? (int)config.LocalAs : (int)CapabilityCode.AsTrans;
            LocalOpen.HoldTime = config.HoldTime;
            LocalOpen.BgpIdentifier = routerId;
            LocalOpen.AddMultiprotocol(CapabilityCode.AfiIpv4, CapabilityCode.SafiUnicast); // RFC 4760 §8
            LocalOpen.RouteRefresh = true;                         // RFC 2918 §2
            if (config.GracefulRestart)
            {
                // RFC 4724 §3: a helper-only (receiving) speaker advertises the capability without families.
                LocalOpen.HasGracefulRestart = true;
                LocalOpen.RestartTime = config.RestartTimeSeconds > CapabilityCode.MaxRestartTime ? CapabilityCode.MaxRestartTime : config.RestartTimeSeconds;
            }
        }

        /// <summary>ManualStart (RFC 4271 §8.1.2 event 1): the session starts connecting at <paramref name="nowMs"/>.</summary>
        public void Start(long nowMs)
        {
            if (started || config == null || config.Shutdown)
            {
                return;
            }

            started = true;
            idle = true;
            idleUntil = nowMs;
            connectRetryAt = nowMs;
            lastChangeAt = nowMs;
        }

        /// <summary>
        /// ManualStop (event 2): NOTIFICATION Cease with <paramref name="ceaseSubcode"/> (RFC 4486) on every
        /// connection past the TCP open, close, stay Idle until Start.
        /// </summary>
        public void Stop(int ceaseSubcode, long nowMs)
        {
            for (int i = 0; i < 2; i++)
            {
                if (conns[i] != null)
                {
                    error.Set(NotificationCode.Cease, ceaseSubcode);
                    DropWithNotification(conns[i], error, "administratively stopped", false, false, nowMs);
                }
            }

            started = false;
            idle = true;
            connectRetryAt = long.MaxValue;
        }

        /// <summary>
        /// Closes the session at once without NOTIFICATION (RFC 4271 §8.1.3 event 18 TcpConnectionFails);
        /// reconnect after IdleHold. <paramref name="forwardingAlive"/> false (the tunnel under it is gone) removes
        /// the routes at once instead of keeping them stale: graceful restart (RFC 4724) assumes forwarding
        /// continues, which a dead tunnel cannot do.
        /// </summary>
        public void TransportLost(string reason, bool forwardingAlive, long nowMs)
        {
            for (int i = 0; i < 2; i++)
            {
                if (conns[i] != null)
                {
                    Drop(conns[i], reason, true, forwardingAlive, nowMs);
                }
            }
        }

        /// <summary>
        /// Closes the session with a NOTIFICATION (RFC 7606 session reset, max-prefix teardown, ...), logs
        /// <paramref name="reason"/> and stays Idle <paramref name="idleSeconds"/> (0 = the normal back-off).
        /// </summary>
        public void Teardown(ErrorNotification notification, string reason, int idleSeconds, long nowMs)
        {
            for (int i = 0; i < 2; i++)
            {
                if (conns[i] != null)
                {
                    DropWithNotification(conns[i], notification, reason, true, false, nowMs);
                }
            }

            if (idleSeconds > 0)
            {
                idle = true;
                idleUntil = nowMs + idleSeconds * 1000L;
                connectRetryAt = idleUntil;
            }
        }

        /// <summary>Runs due timers; returns the next deadline (long.MaxValue = none).</summary>
        public long Poll(long nowMs)
        {
            if (!started)
            {
                return long.MaxValue;
            }

            for (int i = 0; i < 2; i++)
            {
                BgpConnection c = conns[i];
                if (c != null && c.Phase >= BgpConnection.OpenSent && nowMs >= c.HoldDeadline)
                {
                    // RFC 4271 §6.5: Hold Timer Expired, no data.
                    Counters.HoldTimerExpired++;
                    error.Set(NotificationCode.HoldTimerExpired, 0);
                    // A session ended by our NOTIFICATION is not a graceful restart (RFC 4724 §4.2 covers TCP
                    // failures; RFC 8538's N bit is not negotiated): the routes go at once, so traffic moves to
                    // the remaining ECMP members instead of into a dead path for the restart time.
                    DropWithNotification(c, error, "hold timer expired", true, false, nowMs);
                }
            }

            BgpConnection k = KeepaliveConnection();
            if (k != null && nowMs >= keepaliveAt)
            {
                if (SendKeepalive(k))
                {
                    keepaliveAt = KeepaliveInterval() > 0 ? nowMs + KeepaliveInterval() * 1000L : long.MaxValue;
                }
                else
                {
                    keepaliveAt = nowMs + 1000;
                }
            }

            if (idle && nowMs >= idleUntil)
            {
                idle = false;
                lastChangeAt = nowMs;
            }

            if (!idle && nowMs >= connectRetryAt)
            {
                ConnectRetryExpired(nowMs);
            }

            return NextDeadline();
        }

        private void ConnectRetryExpired(long nowMs)
        {
            connectRetryAt = nowMs + config.ConnectRetrySeconds * 1000L;
            if (config.Mode == ConnectMode.Passive || HasConnectionPast(BgpConnection.Free))
            {
                // A connection exists: keep it (its own timers rule). Connecting: restart the attempt below.
                BgpConnection c = Outgoing();
                if (c == null || c.Phase != BgpConnection.Connecting)
                {
                    return;
                }

                Drop(c, null, false, false, nowMs);
            }

            int slot = FreeSlot();
            BgpConnection fresh = slot < 0 ? null : TakeFromPool();
            if (fresh == null)
            {
                return;
            }

            int handle = transport.Connect(config.LocalAddress, config.Address, config.Ttl, nowMs);
            if (handle < 0)
            {
                ReturnToPool(fresh);
                return;
            }

            fresh.Handle = handle;
            fresh.Outgoing = true;
            fresh.Phase = BgpConnection.Connecting;
            conns[slot] = fresh;
            lastChangeAt = nowMs;
            if (transport.IsConnected(handle))
            {
                OnConnected(handle, nowMs);
            }
        }

        /// <summary>The next instant Poll has work.</summary>
        public long NextDeadline()
        {
            if (!started)
            {
                return long.MaxValue;
            }

            long next = long.MaxValue;
            if (idle)
            {
                next = idleUntil;
            }
            else if (connectRetryAt < next)
            {
                next = connectRetryAt;
            }

            for (int i = 0; i < 2; i++)
            {
                if (conns[i] != null && conns[i].Phase >= BgpConnection.OpenSent && conns[i].HoldDeadline < next)
                {
                    next = conns[i].HoldDeadline;
                }
            }

            if (KeepaliveConnection() != null && keepaliveAt < next)
            {
                next = keepaliveAt;
            }

            return next;
        }

        /// <summary>True when <paramref name="handle"/> is one of this session's connections.</summary>
        public bool Owns(int handle)
        {
            return Find(handle) != null;
        }

        /// <summary>TcpConnectionConfirmed (event 17) for our active open: send OPEN, enter OpenSent.</summary>
        public void OnConnected(int handle, long nowMs)
        {
            BgpConnection c = Find(handle);
            if (c == null || c.Phase != BgpConnection.Connecting)
            {
                return;
            }

            SendOpenOn(c, nowMs);
        }

        /// <summary>
        /// True when a passive open from the peer would be taken now: the session runs, is not active-only and
        /// is not held in Idle (RFC 4271 §8.2.2; e.g. after a max-prefix close). The TCP's SYN filter asks it.
        /// </summary>
        public bool Accepts(long nowMs)
        {
            return started && config.Mode != ConnectMode.Active && !(idle && nowMs < idleUntil);
        }

        /// <summary>
        /// Tcp_CR_Acked (event 16): the peer opened a connection to us. Returns false when it is refused
        /// (passive opens not allowed, session stopped, no free connection); the caller then closes it.
        /// </summary>
        public bool OnAccepted(int handle, long nowMs)
        {
            if (!Accepts(nowMs))
            {
                // Idle refuses every connection while IdleHold runs (RFC 4271 §8.2.2 Idle state).
                Counters.ConnectionsRefused++;
                return false;
            }

            int slot = FreeSlot();
            if (slot < 0)
            {
                // Both slots busy: an outgoing attempt still connecting gives way to the peer's connection.
                BgpConnection o = Outgoing();
                if (o != null && o.Phase == BgpConnection.Connecting)
                {
                    Drop(o, null, false, false, nowMs);
                    slot = FreeSlot();
                }
            }

            BgpConnection c = slot < 0 ? null : TakeFromPool();
            if (c == null)
            {
                Counters.ConnectionsRefused++;
                return false;
            }

            c.Handle = handle;
            c.Outgoing = false;
            conns[slot] = c;
            if (idle)
            {
                idle = false;
            }

            SendOpenOn(c, nowMs);
            return true;
        }

        /// <summary>
        /// Stream bytes on <paramref name="handle"/>: reassembled into messages and processed. Returns the octets
        /// consumed (fewer than <paramref name="length"/> only when the connection was closed meanwhile).
        /// </summary>
        public int OnBytes(int handle, byte[] buffer, int offset, int length, long nowMs)
        {
            int consumed = 0;
            for (int guard = 0; guard < 1 + length; guard++)
            {
                BgpConnection c = Find(handle);
                if (c == null || c.Phase < BgpConnection.OpenSent)
                {
                    return consumed;
                }

                consumed += c.Reassembler.Write(buffer, offset + consumed, length - consumed);
                if (!ProcessMessages(c, nowMs))
                {
                    return consumed;
                }

                if (consumed >= length)
                {
                    return consumed;
                }
            }

            return consumed;
        }

        /// <summary>TcpConnectionFails (event 18) / the peer closed: the connection is gone.</summary>
        public void OnClosed(int handle, long nowMs)
        {
            BgpConnection c = Find(handle);
            if (c != null)
            {
                Drop(c, c.Phase == BgpConnection.Connecting ? null : ReasonConnectionClosed, c.Phase >= BgpConnection.OpenSent, true, nowMs);
            }
        }

        /// <summary>Octets the Established connection can take now (0 when not Established).</summary>
        public int SendSpace()
        {
            return established == null ? 0 : transport.SendSpace(established.Handle);
        }

        /// <summary>Sends one UPDATE (complete message) on the Established connection; false when it did not fit.</summary>
        public bool SendUpdate(byte[] buffer, int offset, int length, long nowMs)
        {
            if (established == null || !transport.Send(established.Handle, buffer, offset, length))
            {
                Counters.SendBlocked++;
                return false;
            }

            Counters.UpdatesSent++;
            // RFC 4271 §4.4: an UPDATE also tells the peer we are alive; the keepalive timer restarts.
            if (KeepaliveInterval() > 0)
            {
                keepaliveAt = nowMs + KeepaliveInterval() * 1000L;
            }

            return true;
        }

        /// <summary>Sends ROUTE-REFRESH for IPv4 unicast (RFC 2918 §3) when negotiated; false otherwise.</summary>
        public bool SendRouteRefresh()
        {
            if (established == null || !Params.RouteRefresh)
            {
                return false;
            }

            int n = RouteRefreshMessage.Encode(scratch, 0, CapabilityCode.AfiIpv4, CapabilityCode.SafiUnicast, RouteRefreshMessage.SubtypeRequest);
            if (!transport.Send(established.Handle, scratch, 0, n))
            {
                Counters.SendBlocked++;
                return false;
            }

            Counters.RouteRefreshSent++;
            return true;
        }

        // ---- internals ----

        private int KeepaliveInterval()
        {
            int hold = Params.HoldTime;
            if (hold == 0)
            {
                return 0; // RFC 4271 §4.4: no KEEPALIVE when the Hold Time is zero.
            }

            int third = hold / 3;
            int k = config.Keepalive >= 0 ? config.Keepalive : third;
            return k > third ? third : (k == 0 ? 0 : k);
        }

        private BgpConnection KeepaliveConnection()
        {
            for (int i = 0; i < 2; i++)
            {
                if (conns[i] != null && conns[i].Phase >= BgpConnection.OpenConfirm)
                {
                    return conns[i];
                }
            }

            return null;
        }

        private BgpConnection Find(int handle)
        {
            for (int i = 0; i < 2; i++)
            {
                if (conns[i] != null && conns[i].Handle == handle)
                {
                    return conns[i];
                }
            }

            return null;
        }

        private BgpConnection Outgoing()
        {
            for (int i = 0; i < 2; i++)
            {
                if (conns[i] != null && conns[i].Outgoing)
                {
                    return conns[i];
                }
            }

            return null;
        }

        private BgpConnection Other(BgpConnection c)
        {
            return conns[0] == c ? conns[1] : conns[0];
        }

        private bool HasConnectionPast(int phase)
        {
            return (conns[0] != null && conns[0].Phase > phase) || (conns[1] != null && conns[1].Phase > phase);
        }

        private int FreeSlot()
        {
            return conns[0] == null ? 0 : (conns[1] == null ? 1 : -1);
        }

        private BgpConnection TakeFromPool()
        {
            for (int i = 0; i < pool.Length; i++)
            {
                if (pool[i].Phase == BgpConnection.Free && pool[i].Handle < 0)
                {
                    pool[i].Handle = int.MaxValue; // reserved until the caller sets the real handle
                    return pool[i];
                }
            }

            return null;
        }

        private static void ReturnToPool(BgpConnection c)
        {
            c.Reset();
        }

        private void SendOpenOn(BgpConnection c, long nowMs)
        {
            int n = LocalOpen.Encode(scratch, 0);
            if (!transport.Send(c.Handle, scratch, 0, n))
            {
                Counters.SendBlocked++;
                Drop(c, "OPEN could not be sent", true, false, nowMs);
                return;
            }

            Counters.OpensSent++;
            c.Phase = BgpConnection.OpenSent;
            c.HoldDeadline = nowMs + OpenHoldSeconds * 1000L;
            lastChangeAt = nowMs;
        }

        private bool SendKeepalive(BgpConnection c)
        {
            int n = KeepaliveMessage.Encode(scratch, 0);
            if (!transport.Send(c.Handle, scratch, 0, n))
            {
                Counters.SendBlocked++;
                return false;
            }

            Counters.KeepalivesSent++;
            return true;
        }

        private void DropWithNotification(BgpConnection c, ErrorNotification notification, string reason, bool isError, bool transportLoss, long nowMs)
        {
            if (c.Phase >= BgpConnection.OpenSent)
            {
                int n = notification.EncodeNotification(scratch, 0);
                if (transport.Send(c.Handle, scratch, 0, n))
                {
                    Counters.NotificationsSent++;
                }
            }

            if (reason != null && c.Phase >= BgpConnection.OpenSent)
            {
                reason = reason + " (sent NOTIFICATION " + NotificationNames.Code(notification.Code) + "/" + NotificationNames.Subcode(notification.Code, notification.Subcode) + ")";
            }

            Drop(c, reason, isError, transportLoss, nowMs);
        }

        /// <summary>Closes <paramref name="c"/>; ends the Established session if it was that one; schedules IdleHold after errors.</summary>
        private void Drop(BgpConnection c, string reason, bool isError, bool transportLoss, long nowMs)
        {
            bool wasEstablished = c == established;
            bool stable = wasEstablished && nowMs - establishedAt >= StableSeconds * 1000L;
            transport.Close(c.Handle);
            for (int i = 0; i < 2; i++)
            {
                if (conns[i] == c)
                {
                    conns[i] = null;
                }
            }

            ReturnToPool(c);
            if (wasEstablished)
            {
                established = null;
                keepaliveAt = long.MaxValue;
                Counters.Drops++;
                LastResetReason = reason;
                lastChangeAt = nowMs;
                // RFC 4724 §4.2: on a TCP failure (not a NOTIFICATION we or the peer sent) a helper keeps the routes as stale.
                bool keepStale = PeerGracefulRestart && config.GracefulRestart && transportLoss;
                owner.SessionDown(this, keepStale, nowMs);
            }

            if (reason != null)
            {
                log.Write(nowMs, isError, Prefix() + (wasEstablished ? "down: " : "") + reason);
            }

            if (started && conns[0] == null && conns[1] == null && connectRetryAt == long.MaxValue)
            {
                connectRetryAt = nowMs + config.ConnectRetrySeconds * 1000L;
            }

            if (isError && started && conns[0] == null && conns[1] == null)
            {
                if (stable)
                {
                    idleHoldSeconds = 0;
                }

                idleHoldSeconds = idleHoldSeconds == 0 ? IdleHoldFirstSeconds : (idleHoldSeconds * 2 > IdleHoldMaxSeconds ? IdleHoldMaxSeconds : idleHoldSeconds * 2);
                int wait = idleHoldSeconds;
                idle = true;
                idleUntil = nowMs + wait * 1000L;
                connectRetryAt = idleUntil;
            }
        }

        /// <summary>Reason text of a TCP loss.</summary>
        public const string ReasonConnectionClosed = "connection lost";

        /// <summary>The log prefix <c>bgp a.b.c.d: </c>.</summary>
        public string Prefix()
        {
            return "bgp " + VpnAppliance.Config.Ipv4.Format(Address) + ": ";
        }
    }
}
