using System;

namespace VpnAppliance.Tcp
{
    /// <summary>
    /// The compact TCP of the appliance: an RFC 9293 subset for its own BGP sessions, which run inside the
    /// IPsec tunnels where the platform's TCP/IP stack cannot reach. Sans-IO: the caller hands in inbound
    /// segments (after its IPv4 layer) with the time, calls <see cref="Poll"/> at <see cref="NextDeadline"/>,
    /// and receives outbound segments through <see cref="ITcpOutput"/>. A fixed pool of connections, each with
    /// a send and a receive buffer of bufferSize bytes, is allocated here once; after that nothing allocates.
    ///
    /// Flow: user calls (Listen/Connect/Send/Receive/Close/Abort) change the TCB and mark it Pending;
    /// OnSegment runs the RFC 9293 §3.10.7 "SEGMENT ARRIVES" steps (TcpStack.Arrival.cs), then the
    /// connection's output; Poll fires the retransmission, persist and TIME-WAIT/FIN-WAIT-2 timers
    /// (TcpStack.Timers.cs) and sends what is pending (TcpStack.Output.cs).
    ///
    /// Left out of the subset: window scaling, SACK, timestamps, urgent data, delayed ACKs (every data
    /// segment is acknowledged at once), data carried on a SYN, IP options and ICMP-driven behaviour.
    /// Connection ids carry a generation, so an id that outlived its connection is refused, never aliased.
    /// </summary>
    public sealed partial class TcpStack
    {
        /// <summary>RFC 6335 §6: the dynamic (ephemeral) port range starts here and ends at 65535.</summary>
        public const int EphemeralPortFirst = 49152;

        /// <summary>RFC 9293 §3.7.1: the send MSS when the peer sent no MSS option.</summary>
        public const int DefaultPeerMss = 536;

        /// <summary>Largest window a 16-bit window field without scaling can advertise (RFC 9293 §3.1).</summary>
        public const int MaximumWindow = 65535;

        private readonly TcpConnection[] _connections;
        private readonly int _bufferSize;
        private readonly TcpSettings _settings;
        private readonly ITcpOutput _output;
        private readonly InitialSequenceNumber _isn;
        private readonly TcpCounters _counters = new TcpCounters();
        private readonly byte[] _out;
        private readonly int _outOffset;
        // Per-peer IP TTL: (ttl << 32) | remote address, 0 = free. One entry per connection slot.
        private readonly long[] _ttlTable;
        private ITcpSynFilter _synFilter;
        private long _now;
        private int _nextEphemeral;
        private int _eventCursor;

        /// <summary>A stack with the default <see cref="TcpSettings"/>.</summary>
        public TcpStack(int connections, int bufferSize, byte[] isnSecret, ITcpOutput output)
            : this(connections, bufferSize, isnSecret, output, new TcpSettings())
        {
        }

        /// <summary>
        /// A stack of <paramref name="connections"/> slots (the board's TcpConnections: sessions plus listeners),
        /// each with send and receive buffers of <paramref name="bufferSize"/> bytes (TcpBufferSize), ISNs keyed
        /// with the 16-byte <paramref name="isnSecret"/> (RFC 6528), segments written to <paramref name="output"/>.
        /// </summary>
        public TcpStack(int connections, int bufferSize, byte[] isnSecret, ITcpOutput output, TcpSettings settings)
        {
            if (connections < 1 || connections > 0xFFFF)
            {
                throw new ArgumentOutOfRangeException("connections");
            }

            if (bufferSize < 1)
            {
                throw new ArgumentOutOfRangeException("bufferSize");
            }

            if (output == null || settings == null)
            {
                throw new ArgumentNullException(output == null ? "output" : "settings");
            }

            if (settings.MaximumSegmentSize < 1 || settings.MaximumSegmentSize > MaximumWindow || settings.OutputHeadroom < 0)
            {
                throw new ArgumentOutOfRangeException("settings");
            }

            _isn = new InitialSequenceNumber(isnSecret);
            _bufferSize = bufferSize;
            _settings = settings;
            _output = output;
            _connections = new TcpConnection[connections];
            for (int i = 0; i < connections; i++)
            {
                _connections[i] = new TcpConnection(i, bufferSize, settings);
            }

            _ttlTable = new long[connections];
            _outOffset = settings.OutputHeadroom;
            _out = new byte[settings.OutputHeadroom + TcpSegmentCodec.SynHeaderLength + settings.MaximumSegmentSize];
            _nextEphemeral = (int)(_isn.Offset(0, 0, 0, 0) % (uint)(65536 - EphemeralPortFirst));
        }

        /// <summary>Counters (never reset).</summary>
        public TcpCounters Counters { get { return _counters; } }

        /// <summary>Number of connection slots.</summary>
        public int Capacity { get { return _connections.Length; } }

        /// <summary>Bytes of send and of receive buffer per connection.</summary>
        public int BufferSize { get { return _bufferSize; } }

        /// <summary>Slots in use (listeners, connections, and ended connections the user has not closed yet).</summary>
        public int InUse
        {
            get
            {
                int n = 0;
                for (int i = 0; i < _connections.Length; i++)
                {
                    if (_connections[i].InUse)
                    {
                        n++;
                    }
                }

                return n;
            }
        }

        /// <summary>
        /// Sets the IP TTL of every segment to <paramref name="remoteAddress"/>: those of its connections (active
        /// and passive opens, including the SYN-ACK of a passive open, and the connections open now) and resets:
        /// 1-255, or 0 to go back to the IP layer's default. The BGP speaker uses it for eBGP (TTL 1 for a
        /// directly connected neighbour, the multihop TTL otherwise). Full when the table (one entry per
        /// connection slot) has no room; InvalidArgument for a TTL outside 0-255 or address 0.
        /// </summary>
        public TcpResult SetPeerTtl(uint remoteAddress, int ttl)
        {
            if (remoteAddress == 0 || ttl < 0 || ttl > 255)
            {
                return TcpResult.InvalidArgument;
            }

            int free = -1;
            for (int i = 0; i < _ttlTable.Length; i++)
            {
                long e = _ttlTable[i];
                if (e != 0 && (uint)e == remoteAddress)
                {
                    _ttlTable[i] = ttl == 0 ? 0 : ((long)ttl << 32) | remoteAddress;
                    return TcpResult.Ok;
                }

                if (e == 0 && free < 0)
                {
                    free = i;
                }
            }

            if (ttl == 0)
            {
                return TcpResult.Ok;
            }

            if (free < 0)
            {
                return TcpResult.Full;
            }

            _ttlTable[free] = ((long)ttl << 32) | remoteAddress;
            return TcpResult.Ok;
        }

        /// <summary>Forgets every per-peer TTL (every segment goes back to the IP layer's default).</summary>
        public void ClearPeerTtls()
        {
            for (int i = 0; i < _ttlTable.Length; i++)
            {
                _ttlTable[i] = 0;
            }
        }

        /// <summary>The TTL set for <paramref name="remoteAddress"/> with <see cref="SetPeerTtl"/> (0 = default).</summary>
        public int PeerTtl(uint remoteAddress)
        {
            for (int i = 0; remoteAddress != 0 && i < _ttlTable.Length; i++)
            {
                long e = _ttlTable[i];
                if (e != 0 && (uint)e == remoteAddress)
                {
                    return (int)(e >> 32);
                }
            }

            return 0;
        }

        /// <summary>The IP TTL connection <paramref name="id"/> sends with (0 = default; -1 for an unknown id).</summary>
        public int Ttl(int id)
        {
            TcpConnection c = Find(id);
            return c == null ? -1 : PeerTtl(c.RemoteAddress);
        }

        /// <summary>
        /// Sets the filter asked for every SYN that reaches a listener (null: every SYN is taken while a slot is
        /// free). Refused SYNs are answered with RST and counted in <see cref="TcpCounters.SynsRefused"/>.
        /// </summary>
        public void SetSynFilter(ITcpSynFilter filter)
        {
            _synFilter = filter;
        }

        /// <summary>
        /// RFC 9293 §3.10.1 passive OPEN: waits for connections to <paramref name="localAddress"/> (0 = any of
        /// ours) and <paramref name="localPort"/>. Each connection that reaches ESTABLISHED raises
        /// <see cref="TcpEvent.Acceptable"/> on the listener and is taken with <see cref="Accept"/>.
        /// </summary>
        public TcpResult Listen(uint localAddress, int localPort, out int id)
        {
            id = -1;
            if (localPort < 1 || localPort > 0xFFFF)
            {
                return TcpResult.InvalidArgument;
            }

            for (int i = 0; i < _connections.Length; i++)
            {
                TcpConnection l = _connections[i];
                if (l.InUse && l.State == TcpState.Listen && l.LocalPort == localPort
                    && (l.LocalAddress == localAddress || l.LocalAddress == 0 || localAddress == 0))
                {
                    return TcpResult.AddressInUse;
                }
            }

            TcpConnection c = Allocate();
            if (c == null)
            {
                return TcpResult.Full;
            }

            c.State = TcpState.Listen;
            c.LocalAddress = localAddress;
            c.LocalPort = localPort;
            id = c.Id;
            return TcpResult.Ok;
        }

        /// <summary>
        /// Takes the oldest established connection of listener <paramref name="listenerId"/> (WouldBlock when
        /// none). The connection belongs to the caller from now on (Close or Abort it when done).
        /// </summary>
        public TcpResult Accept(int listenerId, out int id)
        {
            id = -1;
            TcpConnection l = Find(listenerId);
            if (l == null)
            {
                return TcpResult.InvalidId;
            }

            if (l.State != TcpState.Listen)
            {
                return TcpResult.InvalidState;
            }

            for (int i = 0; i < _connections.Length; i++)
            {
                TcpConnection c = _connections[i];
                if (c.InUse && c.Listener == l.Slot && c.State >= TcpState.Established)
                {
                    c.Listener = -1;
                    id = c.Id;
                    return TcpResult.Ok;
                }
            }

            return TcpResult.WouldBlock;
        }

        /// <summary>
        /// RFC 9293 §3.10.1 active OPEN from <paramref name="localAddress"/>:<paramref name="localPort"/> (0 = an
        /// ephemeral port, RFC 6335 §6) to <paramref name="remoteAddress"/>:<paramref name="remotePort"/>: sends
        /// the SYN now. Full when no slot is free (a TIME-WAIT slot is recycled first); AddressInUse when the
        /// 4-tuple exists. <see cref="TcpEvent.Connected"/> is raised on ESTABLISHED.
        /// </summary>
        public TcpResult Connect(uint localAddress, int localPort, uint remoteAddress, int remotePort, long nowMs, out int id)
        {
            id = -1;
            _now = nowMs;
            if (localPort < 0 || localPort > 0xFFFF || remotePort < 1 || remotePort > 0xFFFF || remoteAddress == 0 || localAddress == 0)
            {
                return TcpResult.InvalidArgument;
            }

            if (localPort == 0)
            {
                localPort = ChooseEphemeralPort(localAddress, remoteAddress, remotePort);
                if (localPort == 0)
                {
                    return TcpResult.AddressInUse;
                }
            }
            else if (FindConnection(localAddress, localPort, remoteAddress, remotePort) != null)
            {
                return TcpResult.AddressInUse;
            }

            TcpConnection c = Allocate();
            if (c == null)
            {
                return TcpResult.Full;
            }

            Open(c, localAddress, localPort, remoteAddress, remotePort, nowMs);
            c.State = TcpState.SynSent;
            id = c.Id;
            Output(c);
            return TcpResult.Ok;
        }

        /// <summary>
        /// RFC 9293 §3.10.2 SEND: queues up to <paramref name="count"/> bytes; returns how many were accepted
        /// (0 when the send buffer is full), or the negated <see cref="TcpResult"/> when the connection cannot send
        /// (InvalidId, InvalidState after Close, ConnectionReset, TimedOut, InvalidArgument). Data queued before
        /// ESTABLISHED is sent once the handshake completes; transmission happens in <see cref="Poll"/> or OnSegment.
        /// </summary>
        public int Send(int id, byte[] buffer, int offset, int count)
        {
            TcpConnection c = Find(id);
            if (c == null)
            {
                return -(int)TcpResult.InvalidId;
            }

            if (buffer == null || offset < 0 || count < 0 || offset > buffer.Length - count)
            {
                return -(int)TcpResult.InvalidArgument;
            }

            if (c.FinQueued || c.UserClosed || c.State == TcpState.Listen
                || (c.State != TcpState.SynSent && c.State != TcpState.SynReceived && c.State != TcpState.Established && c.State != TcpState.CloseWait))
            {
                return -(int)(c.State == TcpState.Closed && c.EndReason != TcpResult.Ok ? c.EndReason : TcpResult.InvalidState);
            }

            int n = c.SendBuffer.Append(buffer, offset, count);
            if (n > 0)
            {
                c.Pending = true;
            }

            return n;
        }

        /// <summary>
        /// RFC 9293 §3.10.3 RECEIVE: copies up to <paramref name="count"/> in-order bytes; returns how many
        /// (0 when none is there yet), or the negated <see cref="TcpResult"/>: EndOfStream once the peer's FIN
        /// was reached, ConnectionReset, TimedOut, InvalidId, InvalidState (a listener), InvalidArgument.
        /// Reading may open the window: the update goes out at the next <see cref="Poll"/>.
        /// </summary>
        public int Receive(int id, byte[] buffer, int offset, int count)
        {
            TcpConnection c = Find(id);
            if (c == null)
            {
                return -(int)TcpResult.InvalidId;
            }

            if (buffer == null || offset < 0 || count < 0 || offset > buffer.Length - count)
            {
                return -(int)TcpResult.InvalidArgument;
            }

            if (c.State == TcpState.Listen)
            {
                return -(int)TcpResult.InvalidState;
            }

            if (c.State == TcpState.Closed && c.EndReason != TcpResult.Ok)
            {
                return -(int)c.EndReason; // RFC 9293 §3.10.7.4: outstanding RECEIVEs get "reset"; queues flushed
            }

            int n = c.ReceiveBuffer.Count;
            if (n == 0)
            {
                return c.FinReceived ? -(int)TcpResult.EndOfStream : 0;
            }

            if (n > count)
            {
                n = count;
            }

            c.ReceiveBuffer.CopyOut(0, buffer, offset, n);
            c.ReceiveBuffer.Consume(n);
            // A window update, unless the peer has finished sending (after its FIN it sends no more data, and
            // an ACK to a peer that already released the connection would only draw a RST).
            if (c.State >= TcpState.Established && !c.FinReceived && WindowUpdateDue(c))
            {
                c.AckNow = true;
                c.Pending = true;
            }

            return n;
        }

        /// <summary>
        /// RFC 9293 §3.10.4 CLOSE: no more data from us. A FIN follows the queued data (ESTABLISHED to FIN-WAIT-1,
        /// CLOSE-WAIT to LAST-ACK); a listener stops and resets its unaccepted connections; a connection still in
        /// SYN-SENT, or one that already ended, is released. The slot is released when the close completes
        /// (after TIME-WAIT, or when our FIN is acknowledged in LAST-ACK), unless received data is still unread:
        /// then it stays readable (state Closed) until a second Close or Abort, or until the pool needs the slot.
        /// </summary>
        public TcpResult Close(int id)
        {
            TcpConnection c = Find(id);
            if (c == null)
            {
                return TcpResult.InvalidId;
            }

            switch (c.State)
            {
                case TcpState.Listen:
                    CloseListener(c);
                    return TcpResult.Ok;
                case TcpState.Closed:
                case TcpState.SynSent:
                    Free(c);
                    return TcpResult.Ok;
                case TcpState.SynReceived:
                case TcpState.Established:
                    // SYN-RECEIVED: "queue for processing after entering ESTABLISHED" — the FIN waits until
                    // our SYN is acknowledged (Output sends no data before that).
                    c.UserClosed = true;
                    c.Listener = -1;
                    c.FinQueued = true;
                    if (c.State == TcpState.Established)
                    {
                        c.State = TcpState.FinWait1;
                    }

                    c.Pending = true;
                    return TcpResult.Ok;
                case TcpState.CloseWait:
                    c.UserClosed = true;
                    c.FinQueued = true;
                    c.State = TcpState.LastAck;
                    c.Pending = true;
                    return TcpResult.Ok;
                default:
                    // FIN-WAIT-1/2, CLOSING, LAST-ACK, TIME-WAIT: "error: connection closing".
                    c.UserClosed = true;
                    return TcpResult.InvalidState;
            }
        }

        /// <summary>
        /// RFC 9293 §3.10.5 ABORT: sends a RST when the connection is synchronized, drops all queued data and
        /// releases the slot at once. A listener is closed as by <see cref="Close"/>.
        /// </summary>
        public TcpResult Abort(int id)
        {
            TcpConnection c = Find(id);
            if (c == null)
            {
                return TcpResult.InvalidId;
            }

            if (c.State == TcpState.Listen)
            {
                CloseListener(c);
                return TcpResult.Ok;
            }

            AbortConnection(c);
            return TcpResult.Ok;
        }

        /// <summary>RFC 9293 §3.10.6 STATUS: the state; Closed for an unknown, stale or ended id.</summary>
        public TcpState State(int id)
        {
            TcpConnection c = Find(id);
            return c == null ? TcpState.Closed : c.State;
        }

        /// <summary>Events raised since the last call, and clears them (None for an unknown id).</summary>
        public TcpEvent TakeEvents(int id)
        {
            TcpConnection c = Find(id);
            if (c == null)
            {
                return TcpEvent.None;
            }

            TcpEvent e = c.Events;
            c.Events = TcpEvent.None;
            return e;
        }

        /// <summary>
        /// Takes the events of the next connection or listener that has any, scanning round-robin from where the
        /// last call stopped (so one busy connection cannot starve the others). False when no slot has events.
        /// </summary>
        public bool TakeNextEvent(out int id, out TcpEvent events)
        {
            int n = _connections.Length;
            for (int k = 0; k < n; k++)
            {
                int slot = _eventCursor + k;
                if (slot >= n)
                {
                    slot -= n;
                }

                TcpConnection c = _connections[slot];
                if (c.InUse && c.Events != TcpEvent.None)
                {
                    id = c.Id;
                    events = c.Events;
                    c.Events = TcpEvent.None;
                    _eventCursor = slot + 1 == n ? 0 : slot + 1;
                    return true;
                }
            }

            id = -1;
            events = TcpEvent.None;
            return false;
        }

        /// <summary>Events raised and not taken yet, left in place.</summary>
        public TcpEvent PeekEvents(int id)
        {
            TcpConnection c = Find(id);
            return c == null ? TcpEvent.None : c.Events;
        }

        /// <summary>Why the connection ended: Ok (closed normally or still open), ConnectionReset or TimedOut.</summary>
        public TcpResult EndReason(int id)
        {
            TcpConnection c = Find(id);
            return c == null ? TcpResult.InvalidId : c.EndReason;
        }

        /// <summary>In-order bytes ready for <see cref="Receive"/>.</summary>
        public int Available(int id)
        {
            TcpConnection c = Find(id);
            return c == null ? 0 : c.ReceiveBuffer.Count;
        }

        /// <summary>Free bytes in the send buffer (what <see cref="Send"/> would accept now).</summary>
        public int SendSpace(int id)
        {
            TcpConnection c = Find(id);
            return c == null ? 0 : c.SendBuffer.Free;
        }

        /// <summary>Bytes queued and not yet acknowledged by the peer.</summary>
        public int Unacknowledged(int id)
        {
            TcpConnection c = Find(id);
            return c == null ? 0 : c.SendBuffer.Count;
        }

        /// <summary>Local address of the connection (0 for an unknown id).</summary>
        public uint LocalAddress(int id)
        {
            TcpConnection c = Find(id);
            return c == null ? 0 : c.LocalAddress;
        }

        /// <summary>Local port (0 for an unknown id).</summary>
        public int LocalPort(int id)
        {
            TcpConnection c = Find(id);
            return c == null ? 0 : c.LocalPort;
        }

        /// <summary>Remote address (0 for a listener or an unknown id).</summary>
        public uint RemoteAddress(int id)
        {
            TcpConnection c = Find(id);
            return c == null ? 0 : c.RemoteAddress;
        }

        /// <summary>Remote port (0 for a listener or an unknown id).</summary>
        public int RemotePort(int id)
        {
            TcpConnection c = Find(id);
            return c == null ? 0 : c.RemotePort;
        }

        /// <summary>Current retransmission timeout of the connection in ms (RFC 6298), 0 for an unknown id.</summary>
        public int RetransmissionTimeoutMs(int id)
        {
            TcpConnection c = Find(id);
            return c == null ? 0 : c.Rto.RtoMs;
        }

        /// <summary>Smoothed RTT of the connection in ms (0 before a sample).</summary>
        public int SmoothedRttMs(int id)
        {
            TcpConnection c = Find(id);
            return c == null ? 0 : c.Rto.SrttMs;
        }

        /// <summary>The send window the peer last advertised (SND.WND).</summary>
        public int SendWindow(int id)
        {
            TcpConnection c = Find(id);
            return c == null ? 0 : c.SndWnd;
        }

        /// <summary>The send MSS in use (the peer's MSS option, or 536, capped by ours).</summary>
        public int SendMss(int id)
        {
            TcpConnection c = Find(id);
            return c == null ? 0 : c.SndMss;
        }

        /// <summary>
        /// The earliest time <see cref="Poll"/> must run: a timer, or the last time seen when user calls left
        /// output pending. <see cref="long.MaxValue"/> when nothing is scheduled.
        /// </summary>
        public long NextDeadline
        {
            get
            {
                long next = TcpConnection.Never;
                for (int i = 0; i < _connections.Length; i++)
                {
                    TcpConnection c = _connections[i];
                    if (!c.InUse)
                    {
                        continue;
                    }

                    if (c.Pending)
                    {
                        return _now;
                    }

                    if (c.RetransmitDeadline < next)
                    {
                        next = c.RetransmitDeadline;
                    }

                    if (c.PersistDeadline < next)
                    {
                        next = c.PersistDeadline;
                    }

                    if (c.StateDeadline < next)
                    {
                        next = c.StateDeadline;
                    }
                }

                return next;
            }
        }

        private TcpConnection Find(int id)
        {
            int slot = id & 0xFFFF;
            if (id < 0 || slot >= _connections.Length)
            {
                return null;
            }

            TcpConnection c = _connections[slot];
            return c.InUse && c.Id == id ? c : null;
        }

        private TcpConnection FindConnection(uint localAddress, int localPort, uint remoteAddress, int remotePort)
        {
            for (int i = 0; i < _connections.Length; i++)
            {
                TcpConnection c = _connections[i];
                if (c.InUse && c.State != TcpState.Listen && c.State != TcpState.Closed && c.LocalPort == localPort && c.RemotePort == remotePort
                    && c.LocalAddress == localAddress && c.RemoteAddress == remoteAddress)
                {
                    return c;
                }
            }

            return null;
        }

        private TcpConnection FindListener(uint localAddress, int localPort)
        {
            TcpConnection wildcard = null;
            for (int i = 0; i < _connections.Length; i++)
            {
                TcpConnection c = _connections[i];
                if (c.InUse && c.State == TcpState.Listen && c.LocalPort == localPort)
                {
                    if (c.LocalAddress == localAddress)
                    {
                        return c;
                    }

                    if (c.LocalAddress == 0)
                    {
                        wildcard = c;
                    }
                }
            }

            return wildcard;
        }

        // A free slot, else the TIME-WAIT slot closest to expiry (bounded TIME-WAIT), else a slot the user
        // closed that only keeps unread data, else null (counted).
        private TcpConnection Allocate()
        {
            TcpConnection oldest = null;
            TcpConnection closed = null;
            for (int i = 0; i < _connections.Length; i++)
            {
                TcpConnection c = _connections[i];
                if (!c.InUse)
                {
                    c.Reset();
                    c.InUse = true;
                    return c;
                }

                if (c.State == TcpState.TimeWait && (oldest == null || c.StateDeadline < oldest.StateDeadline))
                {
                    oldest = c;
                }
                else if (c.State == TcpState.Closed && c.UserClosed && closed == null)
                {
                    closed = c;
                }
            }

            if (oldest == null)
            {
                oldest = closed;
            }

            if (oldest == null)
            {
                _counters.PoolFull++;
                return null;
            }

            _counters.TimeWaitRecycled++;
            Free(oldest);
            oldest.Reset();
            oldest.InUse = true;
            return oldest;
        }

        // Releases the slot; the generation moves on so that old ids no longer resolve.
        private void Free(TcpConnection c)
        {
            c.Reset();
            c.InUse = false;
            c.Generation = c.Generation >= 0x7FFF ? 1 : c.Generation + 1;
        }

        // The protocol is done with the connection. An unaccepted child, or a connection the user closed with
        // nothing left to read, is released; otherwise the slot stays (state Closed, reason and events kept)
        // until Close or Abort. Bytes the peer sent and we acknowledged are never dropped just because the
        // user closed its sending side first (a half-close): they stay readable, and such a slot is recycled
        // when the pool is full.
        private void Terminate(TcpConnection c, TcpResult reason, TcpEvent events)
        {
            if (c.Listener >= 0 || (c.UserClosed && (reason != TcpResult.Ok || c.ReceiveBuffer.Count == 0)))
            {
                Free(c);
                return;
            }

            c.State = TcpState.Closed;
            c.EndReason = reason;
            c.Events |= events | TcpEvent.Closed;
            c.RetransmitDeadline = TcpConnection.Never;
            c.PersistDeadline = TcpConnection.Never;
            c.StateDeadline = TcpConnection.Never;
            c.Pending = false;
            c.AckNow = false;
            c.SendBuffer.Clear();
            if (reason != TcpResult.Ok)
            {
                c.ReceiveBuffer.Clear(); // "all segment queues should be flushed" (RST, user timeout)
                c.Assembler.Clear();
            }
        }

        private void AbortConnection(TcpConnection c)
        {
            // RFC 9293 §3.10.5: in SYN-RECEIVED, ESTABLISHED, FIN-WAIT-1/2, CLOSE-WAIT send <SEQ=SND.NXT><CTL=RST>.
            if (c.State == TcpState.SynReceived || c.State == TcpState.Established || c.State == TcpState.FinWait1
                || c.State == TcpState.FinWait2 || c.State == TcpState.CloseWait)
            {
                SendReset(c.LocalAddress, c.LocalPort, c.RemoteAddress, c.RemotePort, c.SndNxt, 0, false);
            }

            Free(c);
        }

        private void CloseListener(TcpConnection l)
        {
            for (int i = 0; i < _connections.Length; i++)
            {
                TcpConnection c = _connections[i];
                if (c.InUse && c.Listener == l.Slot)
                {
                    AbortConnection(c);
                }
            }

            Free(l);
        }

        // Sets up the TCB of a new connection (active or passive): ISN per RFC 6528, RTO per RFC 6298 §2.1,
        // initial window per RFC 5681 §3.1.
        private void Open(TcpConnection c, uint localAddress, int localPort, uint remoteAddress, int remotePort, long nowMs)
        {
            c.LocalAddress = localAddress;
            c.LocalPort = localPort;
            c.RemoteAddress = remoteAddress;
            c.RemotePort = remotePort;
            c.Iss = _isn.Next(localAddress, localPort, remoteAddress, remotePort, nowMs);
            c.SndUna = c.Iss;
            c.SndNxt = c.Iss;
            c.SndMax = c.Iss;
            c.DataStart = c.Iss + 1;
            c.SndMss = DefaultPeerMss < _settings.MaximumSegmentSize ? DefaultPeerMss : _settings.MaximumSegmentSize;
            c.Ssthresh = MaximumWindow;
            c.PersistIntervalMs = _settings.PersistInitialMs;
        }

        // RFC 6335 §6 / RFC 6056 §3.3.1-style: walk the dynamic range from a secret-keyed start until a free 4-tuple.
        private int ChooseEphemeralPort(uint localAddress, uint remoteAddress, int remotePort)
        {
            int range = 65536 - EphemeralPortFirst;
            for (int i = 0; i < range; i++)
            {
                int port = EphemeralPortFirst + _nextEphemeral;
                _nextEphemeral = _nextEphemeral + 1 == range ? 0 : _nextEphemeral + 1;
                if (FindConnection(localAddress, port, remoteAddress, remotePort) == null && FindListener(localAddress, port) == null)
                {
                    return port;
                }
            }

            return 0;
        }
    }
}
