using VpnAppliance.Core;

namespace VpnAppliance.Bfd
{
    /// <summary>
    /// BFD in asynchronous mode (RFC 5880) for single-hop IPv4 sessions (RFC 5881) over the tunnels and the LAN.
    /// Sans-IO: packets come in through <see cref="OnPacket"/> with the receiving interface, addresses and TTL;
    /// packets go out through <see cref="IBfdOutput"/> from a 24-byte buffer of the engine's; time is only
    /// <c>nowMs</c>; <see cref="Poll"/> runs the transmit and detection timers and returns the next deadline.
    ///
    ///   AddSession(interface, peer, local) -> index        Configure(index, tx ms, rx ms, multiplier)
    ///   OnPacket -> §6.8.6 checks -> remote variables -> Final ends a Poll Sequence -> state machine (§6.2)
    ///            -> Poll bit answered at once with Final
    ///   Poll(now) -> detection time expired: Init/Up -> Down, Diag 1 (§6.8.4); periodic transmission (§6.8.7)
    ///   state changes are latched per session: TakeStateChange(out index, out wentDown) for BGP and the routing manager
    ///
    /// Fixed memory: the session pool is allocated by the constructor (<see cref="SessionsFor"/>: one per BGP
    /// neighbour or tunnel, whichever is more); a full pool is <see cref="Full"/>, counted. Steady state allocates
    /// nothing. One thread: the engine is not re-entrant, and the output must not call back into it.
    /// </summary>
    public sealed partial class BfdEngine
    {
        /// <summary>Returned by <see cref="AddSession"/> when every session slot is taken.</summary>
        public const int Full = -1;

        /// <summary>UDP destination port of single-hop BFD Control packets (RFC 5881 §4).</summary>
        public const int ControlPort = 3784;

        /// <summary>First UDP source port a session may use (RFC 5881 §4: 49152..65535).</summary>
        public const int SourcePortBase = 49152;

        /// <summary>IP TTL of every packet sent, and the only TTL accepted (RFC 5881 §5).</summary>
        public const int RequiredTtl = 255;

        /// <summary>Deadline meaning "nothing scheduled".</summary>
        public const long Never = long.MaxValue;

        /// <summary>Transmit interval floor while the session is not Up: 1 s in microseconds (RFC 5880 §6.8.3).</summary>
        public const long SlowTxInterval = 1000000;

        /// <summary>Default desired min TX and required min RX interval, ms (FRR and BIRD also default to 300 ms).</summary>
        public const int DefaultIntervalMs = 300;

        /// <summary>Default detect multiplier.</summary>
        public const int DefaultDetectMult = 3;

        /// <summary>Smallest interval accepted by <see cref="Configure"/>, ms.</summary>
        public const int MinimumIntervalMs = 10;

        /// <summary>Largest interval accepted by <see cref="Configure"/>, ms (keeps microseconds in 32 bits).</summary>
        public const int MaximumIntervalMs = 60000;

        private readonly BfdSession[] _sessions;
        private readonly IBfdOutput _output;
        private readonly BfdRandom _random;
        private readonly BfdCounters _counters;
        private readonly byte[] _tx;
        private int _changeCursor;

        /// <summary>
        /// An engine with <paramref name="capacity"/> session slots sending through <paramref name="output"/>;
        /// <paramref name="seed"/> (from the entropy source) seeds discriminators, source ports and jitter.
        /// </summary>
        public BfdEngine(int capacity, IBfdOutput output, uint seed)
        {
            if (capacity < 1 || output == null)
            {
                throw new System.ArgumentException("capacity");
            }

            _sessions = new BfdSession[capacity];
            for (int i = 0; i < capacity; i++)
            {
                _sessions[i] = new BfdSession();
            }

            _output = output;
            _random = new BfdRandom(seed);
            _counters = new BfdCounters();
            _tx = new byte[BfdControlPacket.MandatoryLength];
        }

        /// <summary>Session slots for a board: max(BgpPeers, Tunnels) (a session per BGP neighbour, or per tunnel without BGP).</summary>
        public static int SessionsFor(Capacities capacities)
        {
            return capacities.BgpPeers > capacities.Tunnels ? capacities.BgpPeers : capacities.Tunnels;
        }

        /// <summary>Describes exactly what the constructor allocates for <paramref name="capacity"/> sessions.</summary>
        public static void Account(MemoryBudget budget, int capacity)
        {
            budget.AddObject(6, 5 * 8 + 4);
            budget.AddReferenceArray(capacity);
            for (int i = 0; i < capacity; i++)
            {
                BfdSession.Account(budget);
            }

            budget.AddObject(1, 4);
            BfdCounters.Account(budget);
            budget.AddValueArray(1, BfdControlPacket.MandatoryLength);
        }

        /// <summary>Number of session slots.</summary>
        public int Capacity { get { return _sessions.Length; } }

        /// <summary>Engine-wide counters.</summary>
        public BfdCounters Counters { get { return _counters; } }

        /// <summary>The session in slot <paramref name="index"/> (check <see cref="BfdSession.IsActive"/>); null for a bad index.</summary>
        public BfdSession Session(int index)
        {
            return index >= 0 && index < _sessions.Length ? _sessions[index] : null;
        }

        /// <summary>Sessions in use.</summary>
        public int ActiveSessions
        {
            get
            {
                int n = 0;
                for (int i = 0; i < _sessions.Length; i++)
                {
                    if (_sessions[i].InUse)
                    {
                        n++;
                    }
                }

                return n;
            }
        }

        /// <summary>
        /// The session for (interface, peer, local), created Down with the defaults (300 ms x 3) when absent, with
        /// a fresh random nonzero discriminator unique in the engine (RFC 5880 §6.8.1) and a random source port
        /// (RFC 5881 §4). Returns its index, or <see cref="Full"/> (counted) or -2 for a zero peer address.
        /// </summary>
        public int AddSession(int interfaceId, uint peer, uint local, long nowMs)
        {
            if (peer == 0)
            {
                return -2;
            }

            int existing = FindSession(interfaceId, peer, local);
            if (existing >= 0)
            {
                return existing;
            }

            for (int i = 0; i < _sessions.Length; i++)
            {
                BfdSession s = _sessions[i];
                if (s.InUse)
                {
                    continue;
                }

                s.InUse = true;
                s.InterfaceIdValue = interfaceId;
                s.PeerValue = peer;
                s.LocalValue = local;
                s.LocalDiscr = NewDiscriminator();
                s.SourcePortValue = SourcePortBase + _random.Below(65536 - SourcePortBase);
                s.RemoteDiscr = 0;
                s.StateValue = BfdState.Down;
                s.RemoteStateValue = BfdState.Down;
                s.LocalDiag = BfdDiag.None;
                s.RemoteDiagValue = BfdDiag.None;
                s.RemoteDemandMode = false;
                s.DetectMultValue = DefaultDetectMult;
                s.RemoteDetectMultValue = 0;
                s.ConfiguredDesiredMinTx = DefaultIntervalMs * 1000L;
                s.ConfiguredRequiredMinRx = DefaultIntervalMs * 1000L;
                s.DesiredMinTx = SlowTxInterval;
                s.RequiredMinRx = s.ConfiguredRequiredMinRx;
                s.TxBasis = s.DesiredMinTx;
                s.RxBasis = s.RequiredMinRx;
                s.RemoteMinRx = 1;                 // §6.8.1: bfd.RemoteMinRxInterval starts at 1 (microsecond)
                s.RemoteDesiredMinTx = 0;
                s.PollActive = false;
                s.AdminDownConfigured = false;
                s.AdminDownPacketsLeft = 0;
                s.NextTxMs = nowMs;
                s.DetectDeadlineMs = Never;
                s.StateSinceMs = nowMs;
                s.LastRxMs = -1;
                s.Changed = false;
                s.LeftUp = false;
                s.RxCount = 0;
                s.TxCount = 0;
                s.UpTransitions = 0;
                s.DownTransitions = 0;
                return i;
            }

            _counters.SessionsFull++;
            return Full;
        }

        /// <summary>Index of the session for (interface, peer, local), -1 when none.</summary>
        public int FindSession(int interfaceId, uint peer, uint local)
        {
            for (int i = 0; i < _sessions.Length; i++)
            {
                BfdSession s = _sessions[i];
                if (s.InUse && s.InterfaceIdValue == interfaceId && s.PeerValue == peer && s.LocalValue == local)
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>
        /// Frees a session slot (no event is latched; the caller knows). Send it AdminDown first
        /// (<see cref="SetAdminDown"/>) and remove it a detection time later to let the peer know (§6.8.16).
        /// </summary>
        public bool RemoveSession(int index)
        {
            BfdSession s = Session(index);
            if (s == null || !s.InUse)
            {
                return false;
            }

            s.InUse = false;
            s.Changed = false;
            s.NextTxMs = Never;
            s.DetectDeadlineMs = Never;
            return true;
        }

        /// <summary>
        /// Sets the session's desired min TX and required min RX intervals (ms, <see cref="MinimumIntervalMs"/>..
        /// <see cref="MaximumIntervalMs"/>) and detect multiplier (1..255). A change while Up starts a Poll Sequence
        /// (RFC 5880 §6.5, §6.8.3). False (nothing changed) for a bad index or value.
        /// </summary>
        public bool Configure(int index, int desiredMinTxMs, int requiredMinRxMs, int detectMult, long nowMs)
        {
            BfdSession s = Session(index);
            if (s == null || !s.InUse || !IsValidInterval(desiredMinTxMs) || !IsValidInterval(requiredMinRxMs)
                || detectMult < 1 || detectMult > 255)
            {
                return false;
            }

            s.ConfiguredDesiredMinTx = desiredMinTxMs * 1000L;
            s.ConfiguredRequiredMinRx = requiredMinRxMs * 1000L;
            s.DetectMultValue = detectMult;
            ApplyIntervals(s, nowMs);
            return true;
        }

        /// <summary>True for an interval <see cref="Configure"/> accepts (ms).</summary>
        public static bool IsValidInterval(int ms)
        {
            return ms >= MinimumIntervalMs && ms <= MaximumIntervalMs;
        }

        /// <summary>
        /// Holds the session AdminDown (Diag 7) or releases it to Down (RFC 5880 §6.8.16). While AdminDown the
        /// engine sends Detect Mult more AdminDown packets at the negotiated interval, so that the peer learns
        /// it before its detection time, then falls silent. False for a bad index.
        /// </summary>
        public bool SetAdminDown(int index, bool adminDown, long nowMs)
        {
            BfdSession s = Session(index);
            if (s == null || !s.InUse)
            {
                return false;
            }

            if (adminDown == s.AdminDownConfigured)
            {
                return true;
            }

            s.AdminDownConfigured = adminDown;
            if (adminDown)
            {
                ChangeState(s, BfdState.AdminDown, BfdDiag.AdministrativelyDown, nowMs);
                s.DetectDeadlineMs = Never;
                s.AdminDownPacketsLeft = s.DetectMultValue + 1;
            }
            else
            {
                ChangeState(s, BfdState.Down, s.LocalDiag, nowMs);
                s.AdminDownPacketsLeft = 0;
            }

            s.NextTxMs = nowMs;
            return true;
        }

        /// <summary>
        /// The next session whose state changed since it was last taken (state and <see cref="BfdSession.Diag"/>
        /// are on the session); false when none. Each session latches one pending change: the current state is
        /// what counts, and <paramref name="wentDown"/> says whether it left Up meanwhile: the "path failed"
        /// signal for BGP, also for a session that went Down and Up again between two calls (reported once, Up,
        /// with wentDown true).
        /// </summary>
        public bool TakeStateChange(out int index, out bool wentDown)
        {
            int n = _sessions.Length;
            for (int k = 0; k < n; k++)
            {
                int i = (_changeCursor + k) % n;
                BfdSession s = _sessions[i];
                if (s.InUse && s.Changed)
                {
                    s.Changed = false;
                    wentDown = s.LeftUp;
                    s.LeftUp = false;
                    _changeCursor = (i + 1) % n;
                    index = i;
                    return true;
                }
            }

            index = -1;
            wentDown = false;
            return false;
        }

        /// <summary>Earliest transmit or detection deadline of any session; <see cref="Never"/> when idle.</summary>
        public long NextDeadline
        {
            get
            {
                long next = Never;
                for (int i = 0; i < _sessions.Length; i++)
                {
                    BfdSession s = _sessions[i];
                    if (!s.InUse)
                    {
                        continue;
                    }

                    if (s.NextTxMs < next)
                    {
                        next = s.NextTxMs;
                    }

                    if (s.DetectDeadlineMs < next)
                    {
                        next = s.DetectDeadlineMs;
                    }
                }

                return next;
            }
        }

        // §6.8.1: bfd.LocalDiscr is nonzero and unique among the local system's sessions; random so that a
        // restarted appliance does not reuse the discriminators the peer still holds.
        private uint NewDiscriminator()
        {
            for (int attempt = 0; attempt < 64; attempt++)
            {
                uint d = _random.Next();
                if (d != 0 && FindByDiscriminator(d) < 0)
                {
                    return d;
                }
            }

            // Unreachable in practice (pool << 2^32); a linear probe keeps it total.
            uint probe = 1;
            while (FindByDiscriminator(probe) >= 0)
            {
                probe++;
            }

            return probe;
        }

        private int FindByDiscriminator(uint discriminator)
        {
            for (int i = 0; i < _sessions.Length; i++)
            {
                if (_sessions[i].InUse && _sessions[i].LocalDiscr == discriminator)
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
