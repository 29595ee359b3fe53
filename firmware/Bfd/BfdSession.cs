using VpnAppliance.Core;

namespace VpnAppliance.Bfd
{
    /// <summary>
    /// One BFD session (RFC 5880 §6.8.1 state variables) in the engine's fixed pool, keyed by (interface, peer
    /// address, local address). Read-only to callers; the engine changes it. Intervals are microseconds as on the
    /// wire, times are milliseconds of the caller's clock.
    ///
    /// Three sets of timer values are kept (§6.8.3):
    ///   Configured*      what the operator set (<see cref="BfdEngine.Configure"/>);
    ///   DesiredMinTx / RequiredMinRx   what we advertise (bfd.DesiredMinTxInterval, bfd.RequiredMinRxInterval):
    ///                    the configured values, except DesiredMinTx is at least 1 s while not Up;
    ///   TxBasis / RxBasis  what we use ourselves: equal to the advertised values except during a Poll Sequence
    ///                    that raised DesiredMinTx (we keep sending at the old rate) or lowered RequiredMinRx
    ///                    (we keep the old detection time) until the Final arrives.
    /// </summary>
    public sealed class BfdSession
    {
        internal bool InUse;
        internal int InterfaceIdValue;
        internal uint PeerValue;
        internal uint LocalValue;
        internal int SourcePortValue;
        internal uint LocalDiscr;
        internal uint RemoteDiscr;
        internal BfdState StateValue;
        internal BfdState RemoteStateValue;
        internal BfdDiag LocalDiag;
        internal BfdDiag RemoteDiagValue;
        internal bool RemoteDemandMode;
        internal int DetectMultValue;
        internal int RemoteDetectMultValue;
        internal long ConfiguredDesiredMinTx;
        internal long ConfiguredRequiredMinRx;
        internal long DesiredMinTx;
        internal long RequiredMinRx;
        internal long TxBasis;
        internal long RxBasis;
        internal long RemoteMinRx;
        internal long RemoteDesiredMinTx;
        internal bool PollActive;
        internal bool AdminDownConfigured;
        internal int AdminDownPacketsLeft;
        internal long NextTxMs;
        internal long DetectDeadlineMs;
        internal long StateSinceMs;
        internal long LastRxMs;
        internal bool Changed;
        internal bool LeftUp;
        internal long RxCount;
        internal long TxCount;
        internal long UpTransitions;
        internal long DownTransitions;

        /// <summary>Describes one session object for the memory budget.</summary>
        public static void Account(MemoryBudget budget)
        {
            budget.AddObject(35, 6 * 1 + 13 * 4 + 16 * 8);
        }

        /// <summary>True while the slot holds a session.</summary>
        public bool IsActive { get { return InUse; } }

        /// <summary>Interface id (router numbering: 0 LAN, 1..Tunnels tunnels).</summary>
        public int InterfaceId { get { return InterfaceIdValue; } }

        /// <summary>The peer's address (host order).</summary>
        public uint Peer { get { return PeerValue; } }

        /// <summary>Our address on that interface (host order; 0: any of ours).</summary>
        public uint Local { get { return LocalValue; } }

        /// <summary>UDP source port of our packets (49152..65535, RFC 5881 §4).</summary>
        public int SourcePort { get { return SourcePortValue; } }

        /// <summary>bfd.LocalDiscr: our discriminator (nonzero, unique in the engine).</summary>
        public uint LocalDiscriminator { get { return LocalDiscr; } }

        /// <summary>bfd.RemoteDiscr: the peer's discriminator, 0 while unknown.</summary>
        public uint RemoteDiscriminator { get { return RemoteDiscr; } }

        /// <summary>bfd.SessionState.</summary>
        public BfdState State { get { return StateValue; } }

        /// <summary>bfd.RemoteSessionState: the state the peer last reported.</summary>
        public BfdState RemoteState { get { return RemoteStateValue; } }

        /// <summary>bfd.LocalDiag: why the session last went down (kept while Up for <c>show</c>).</summary>
        public BfdDiag Diag { get { return LocalDiag; } }

        /// <summary>The Diag the peer last sent.</summary>
        public BfdDiag RemoteDiag { get { return RemoteDiagValue; } }

        /// <summary>True when <see cref="State"/> is Up.</summary>
        public bool IsUp { get { return StateValue == BfdState.Up; } }

        /// <summary>bfd.DetectMult: our detect multiplier.</summary>
        public int DetectMult { get { return DetectMultValue; } }

        /// <summary>The peer's detect multiplier (0 before its first packet).</summary>
        public int RemoteDetectMult { get { return RemoteDetectMultValue; } }

        /// <summary>Configured desired min TX interval, microseconds.</summary>
        public long ConfiguredDesiredMinTxInterval { get { return ConfiguredDesiredMinTx; } }

        /// <summary>Configured required min RX interval, microseconds.</summary>
        public long ConfiguredRequiredMinRxInterval { get { return ConfiguredRequiredMinRx; } }

        /// <summary>bfd.DesiredMinTxInterval as advertised now, microseconds (at least 1 s while not Up, §6.8.3).</summary>
        public long DesiredMinTxInterval { get { return DesiredMinTx; } }

        /// <summary>bfd.RequiredMinRxInterval as advertised now, microseconds.</summary>
        public long RequiredMinRxInterval { get { return RequiredMinRx; } }

        /// <summary>bfd.RemoteMinRxInterval: the peer's Required Min RX Interval, microseconds (1 before its first packet, §6.8.1).</summary>
        public long RemoteMinRxInterval { get { return RemoteMinRx; } }

        /// <summary>The peer's Desired Min TX Interval, microseconds (0 before its first packet).</summary>
        public long RemoteDesiredMinTxInterval { get { return RemoteDesiredMinTx; } }

        /// <summary>
        /// Negotiated transmit interval, microseconds (§6.8.2/§6.8.7): max(our Desired Min TX in use, the peer's
        /// Required Min RX). Periodic packets go out every 75-100 % of it (75-90 % with a detect multiplier of 1).
        /// </summary>
        public long TransmitInterval { get { return TxBasis > RemoteMinRx ? TxBasis : RemoteMinRx; } }

        /// <summary>
        /// Negotiated receive interval, microseconds (§6.8.4): max(our Required Min RX in use, the peer's Desired
        /// Min TX): the agreed transmit interval of the remote system.
        /// </summary>
        public long ReceiveInterval { get { return RxBasis > RemoteDesiredMinTx ? RxBasis : RemoteDesiredMinTx; } }

        /// <summary>Detection time, microseconds (§6.8.4 asynchronous mode): the peer's Detect Mult x <see cref="ReceiveInterval"/>; 0 before its first packet.</summary>
        public long DetectionTime { get { return RemoteDetectMultValue * ReceiveInterval; } }

        /// <summary>True while a Poll Sequence is in progress (§6.5).</summary>
        public bool Polling { get { return PollActive; } }

        /// <summary>True while the session is held in AdminDown by configuration.</summary>
        public bool AdministrativelyDown { get { return AdminDownConfigured; } }

        /// <summary>Time (ms) of the last state change: the uptime base while Up, the downtime base otherwise.</summary>
        public long StateSince { get { return StateSinceMs; } }

        /// <summary>Time (ms) the last accepted packet arrived, -1 when none.</summary>
        public long LastReceived { get { return LastRxMs; } }

        /// <summary>Control packets accepted for this session.</summary>
        public long ReceivedPackets { get { return RxCount; } }

        /// <summary>Control packets sent for this session.</summary>
        public long SentPackets { get { return TxCount; } }

        /// <summary>Transitions to Up.</summary>
        public long UpCount { get { return UpTransitions; } }

        /// <summary>Transitions from Up (or Init) to Down.</summary>
        public long DownCount { get { return DownTransitions; } }
    }
}
