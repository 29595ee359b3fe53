namespace VpnAppliance.Tcp
{
    /// <summary>
    /// One slot of the connection pool: the Transmission Control Block of RFC 9293 §3.3.1 plus the timers
    /// and buffers of this implementation. Preallocated by <see cref="TcpStack"/>; reset, never reallocated.
    ///
    /// Send sequence space (RFC 9293 Figure 3), with SND.MAX the highest sequence number sent so far:
    ///
    ///      ISS  DataStart          SND.UNA     SND.NXT      SND.MAX     DataStart + SendBuffer.Count (+1 FIN)
    ///       |SYN| acked data ...      | unacked   | (go-back) |  unsent data         |
    ///
    /// The send buffer holds the bytes from DataStart on: acknowledged bytes are dropped as ACKs arrive, so
    /// DataStart == SND.UNA once the SYN is acknowledged (and until the FIN is). After a timeout SND.NXT goes
    /// back to SND.UNA and the bytes up to SND.MAX are sent again ("go-back-N"; RFC 6298 §5.4 asks only for the
    /// first one, RFC 5681's loss window of one segment keeps the rest paced).
    ///
    /// Receive side: ReceiveBuffer holds the in-order unread bytes (Count) followed by room where out-of-order
    /// bytes are placed at their offset past RCV.NXT (tracked by Assembler). RcvAdv is the right edge of the
    /// window last advertised; it never moves left (RFC 9293 §3.8.6.2.2), and RcvAdv - RCV.NXT is RCV.WND.
    /// </summary>
    internal sealed class TcpConnection
    {
        /// <summary>No deadline.</summary>
        public const long Never = long.MaxValue;

        public readonly int Slot;
        public int Generation = 1;
        public bool InUse;
        public TcpState State;

        /// <summary>Close or Abort was called: the slot is released as soon as the protocol is done with it.</summary>
        public bool UserClosed;

        /// <summary>For a passively opened connection not yet accepted: the listener's slot; else -1.</summary>
        public int Listener = -1;

        public uint LocalAddress;
        public int LocalPort;
        public uint RemoteAddress;
        public int RemotePort;

        public readonly ByteRing SendBuffer;
        public readonly ByteRing ReceiveBuffer;
        public readonly ReceiveAssembler Assembler = new ReceiveAssembler();
        public readonly RetransmissionTimeout Rto;

        // Send sequence variables (RFC 9293 §3.3.1).
        public uint Iss;
        public uint SndUna;
        public uint SndNxt;
        public uint SndMax;
        public int SndWnd;
        public uint SndWl1;
        public uint SndWl2;
        public int MaxSndWnd;
        public int SndMss;
        public uint DataStart;
        public bool FinQueued;

        /// <summary>A zero-window probe byte was sent at SND.MAX: an ACK may cover SND.MAX + 1.</summary>
        public bool ProbeOutstanding;

        // Congestion control (RFC 5681 §3.1).
        public int Cwnd;
        public int Ssthresh;

        /// <summary>Duplicate ACKs in a row (RFC 5681 §2); 3 or more = fast recovery.</summary>
        public int DupAcks;

        // Receive sequence variables (RFC 9293 §3.3.1).
        public uint Irs;
        public uint RcvNxt;
        public uint RcvAdv;
        public bool FinReceived;

        // Timers (absolute ms, Never when stopped).
        public long RetransmitDeadline = Never;
        public int Retransmits;
        public long PersistDeadline = Never;
        public int PersistIntervalMs;
        public long StateDeadline = Never;

        // RTT measurement (RFC 6298 §3, Karn: one segment timed at a time, never a retransmitted one).
        public bool Timing;
        public uint RttSeq;
        public long RttStartMs;
        public bool SynRetransmitted;

        /// <summary>An ACK must be sent (data arrived, window update, unacceptable segment).</summary>
        public bool AckNow;

        /// <summary>When an unacceptable zero-length segment was last answered (ACK-loop throttle).</summary>
        public long LastInvalidAckMs = long.MinValue;

        /// <summary>The user queued data or a FIN, or opened the window, outside OnSegment: Poll must run Output.</summary>
        public bool Pending;

        public TcpEvent Events;

        /// <summary>Why the connection ended (Ok when it closed normally).</summary>
        public TcpResult EndReason;

        public TcpConnection(int slot, int bufferSize, TcpSettings settings)
        {
            Slot = slot;
            SendBuffer = new ByteRing(bufferSize);
            ReceiveBuffer = new ByteRing(bufferSize);
            Rto = new RetransmissionTimeout(settings.InitialRtoMs, settings.MinimumRtoMs, settings.MaximumRtoMs);
        }

        /// <summary>Connection id: generation in the high bits, slot in the low 16 bits.</summary>
        public int Id { get { return (Generation << 16) | Slot; } }

        /// <summary>True in the states where sequence numbers are synchronized and the ACK field is meaningful.</summary>
        public bool IsSynchronized { get { return State >= TcpState.SynReceived; } }

        /// <summary>Highest acknowledgment number that is acceptable: SND.MAX, plus one for a probe byte in flight.</summary>
        public uint AckLimit { get { return ProbeOutstanding ? SndMax + 1 : SndMax; } }

        /// <summary>Sequence number of our FIN (valid when FinQueued): right after the last data byte.</summary>
        public uint FinSeq { get { return DataStart + (uint)SendBuffer.Count; } }

        /// <summary>True when our FIN was sent and acknowledged.</summary>
        public bool FinAcked { get { return FinQueued && SendBuffer.Count == 0 && SndUna == DataStart + 1; } }

        /// <summary>Clears everything for a new connection (buffers kept).</summary>
        public void Reset()
        {
            State = TcpState.Closed;
            UserClosed = false;
            Listener = -1;
            LocalAddress = 0;
            LocalPort = 0;
            RemoteAddress = 0;
            RemotePort = 0;
            SendBuffer.Clear();
            ReceiveBuffer.Clear();
            Assembler.Clear();
            Rto.Reset();
            Iss = 0;
            SndUna = 0;
            SndNxt = 0;
            SndMax = 0;
            SndWnd = 0;
            SndWl1 = 0;
            SndWl2 = 0;
            MaxSndWnd = 0;
            SndMss = 0;
            DataStart = 0;
            FinQueued = false;
            ProbeOutstanding = false;
            LastInvalidAckMs = long.MinValue;
            Cwnd = 0;
            Ssthresh = 0;
            DupAcks = 0;
            Irs = 0;
            RcvNxt = 0;
            RcvAdv = 0;
            FinReceived = false;
            RetransmitDeadline = Never;
            Retransmits = 0;
            PersistDeadline = Never;
            PersistIntervalMs = 0;
            StateDeadline = Never;
            Timing = false;
            RttSeq = 0;
            RttStartMs = 0;
            SynRetransmitted = false;
            AckNow = false;
            Pending = false;
            Events = TcpEvent.None;
            EndReason = TcpResult.Ok;
        }
    }
}
