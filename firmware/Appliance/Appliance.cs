using VpnAppliance.Config;
using VpnAppliance.Core;
using VpnAppliance.Fib;
using VpnAppliance.Hal;
using VpnAppliance.Net;
using VpnAppliance.Tcp;

namespace VpnAppliance.Firmware
{
    /// <summary>
    /// The appliance: one single-threaded event loop (DESIGN.md §2).
    ///
    /// Each <see cref="Poll"/>:
    ///   1. console: reads at most <see cref="ConsoleBytesPerPoll"/> bytes, runs completed lines;
    ///   2. LAN: drains at most <see cref="FramesPerPoll"/> frames into packet buffers and hands them
    ///      to the packet handler (or drops and counts them when none is wired yet);
    ///   3. WAN: the same for the IKE (500) and NAT-T (4500) sockets;
    ///   4. modules in registration order: the router (ARP timers, announcements), the compact TCP (timers,
    ///      pending output, segments to ourselves), ping, then what later issues register (IKE, BGP, ...);
    ///   5. timers due at nowMs (at most <see cref="TimersPerPoll"/>);
    /// and returns the next deadline: nowMs when a batch limit left work pending, else the earliest
    /// of the timers' and modules' deadlines. The host runner sleeps on its sockets until then; the
    /// deterministic simulator jumps its virtual clock to it.
    ///
    /// The packet plane is composed here (firmware/Net and firmware/Tcp READMEs): the router over the packet
    /// pool, the LAN port (a <see cref="DetachedNetPort"/> when the board has none), the FIB and its next-hop
    /// groups is the packet handler; the compact TCP is its local transport and sends through it
    /// (<see cref="TcpModule"/>); ping is its ICMP listener. <see cref="LoadConfig"/> applies the interfaces,
    /// tunnels and static routes to them (<see cref="PacketPlaneConfig"/>).
    ///
    /// Invariants: every pool is allocated in the constructor from the board capacities; Poll does
    /// not allocate unless a console line is executed or a log line is written.
    /// </summary>
    public sealed class Appliance
    {
        /// <summary>Deadline meaning "nothing scheduled".</summary>
        public const long Never = TimerSet.Never;
        /// <summary>Console bytes read per Poll.</summary>
        public const int ConsoleBytesPerPoll = 256;
        /// <summary>LAN frames (and, separately, WAN datagrams per socket) drained per Poll.</summary>
        public const int FramesPerPoll = 32;
        /// <summary>Timers fired per Poll.</summary>
        public const int TimersPerPoll = 64;
        /// <summary>Longest console line.</summary>
        public const int MaxConsoleLine = 512;
        /// <summary>Most modules that can be registered.</summary>
        public const int MaxModules = 16;

        private readonly BoardInfo _board;
        private readonly ApplianceHal _hal;
        private readonly TimerSet _timers;
        private readonly NextHopGroupTable _groups;
        private readonly FibTable _fib;
        private readonly PacketPool _packets;
        private readonly LogRing _log;
        private readonly SerialLineReader _lineReader;
        private readonly byte[] _consoleBuffer;
        private readonly IApplianceModule[] _modules;
        private readonly UdpEndpoint _source;
        private readonly UdpEndpoint _local;
        private readonly ApplianceCounters _counters;
        private readonly DetachedNetPort _detachedLan;
        private readonly Router _router;
        private readonly RouterModule _routerModule;
        private readonly TcpModule _tcpModule;
        private readonly TcpStack _tcp;
        private readonly PingSession _ping;
        private readonly PacketPlaneConfig _planeConfig;
        private readonly bool _isnFromEntropy;
        private RunningConfig _config;
        private IPacketHandler _packetHandler;
        private IConsoleCommands _commands;
        private IConsoleInput _consoleInput;
        private int _moduleCount;
        private bool _consoleClosed;
        private bool _started;
        private IpsecModule _ipsec;
        private BgpModule _bgp;
        private BfdModule _bfd;
        private long _lastNowMs;
        private long _startedAtMs;

        /// <summary>Builds every pool from the board's capacities.</summary>
        public Appliance(BoardInfo board, ApplianceHal hal)
        {
            string problem = board.Capacities.Validate();
            if (problem != null)
            {
                throw new System.ArgumentException("board " + board.Name + ": " + problem);
            }

            _board = board;
            _hal = hal;
            Capacities c = board.Capacities;
            _timers = new TimerSet(c.Timers);
            _groups = new NextHopGroupTable(c);
            _fib = new FibTable(c, _groups);
            _packets = new PacketPool(c.PacketBuffers, c.PacketBufferSize);
            _log = new LogRing(c.LogLines, hal.LogSink);
            _lineReader = new SerialLineReader(MaxConsoleLine);
            _consoleBuffer = new byte[ConsoleBytesPerPoll];
            _modules = new IApplianceModule[MaxModules];
            _source = new UdpEndpoint();
            _local = new UdpEndpoint();
            _counters = new ApplianceCounters();
            _commands = new BuiltinCommands(this);

            // The packet plane (firmware/Net README "Wiring").
            _detachedLan = new DetachedNetPort();
            _router = new Router(c, _packets, hal.Lan != null ? hal.Lan : (INetPort)_detachedLan, _fib, _groups);
            _routerModule = new RouterModule(_router);
            _tcpModule = new TcpModule(_router, _packets);
            byte[] isnSecret = new byte[InitialSequenceNumber.SecretLength];
            _isnFromEntropy = FillSecret(hal.Entropy, isnSecret);
            _tcp = new TcpStack(c.TcpConnections, c.TcpBufferSize, isnSecret, _tcpModule, NewTcpSettings());
            _tcpModule.Attach(_tcp);
            _ping = new PingSession(this, _router);
            _planeConfig = new PacketPlaneConfig(_router, _fib, _groups);
            _router.SetLocalTransport(_tcpModule);
            _router.SetIcmpListener(_ping);
            _packetHandler = _routerModule;
            AddModule(_routerModule);
            AddModule(_tcpModule);
            AddModule(_ping);
            if (hal.Crypto != null && hal.Random != null && c.Tunnels > 0 && c.ChildSas > 0 && c.IkeSas > 0)
            {
                _ipsec = new IpsecModule(this, c, hal);
                AddModule(_ipsec);
            }

            if (c.BgpPeers > 0 && c.BgpPaths > 0 && c.TcpConnections > 0)
            {
                _bgp = new BgpModule(this, c);
                AddModule(_bgp);
            }

            if (c.Tunnels > 0)
            {
                byte[] seed = new byte[4];
                FillSecret(hal.Entropy, seed);
                _bfd = new BfdModule(this, c, (uint)(seed[0] | (seed[1] << 8) | (seed[2] << 16) | (seed[3] << 24)));
                AddModule(_bfd);
            }
        }

        /// <summary>
        /// The compact TCP's settings behind the router: the router verified the checksum already (firmware/Tcp
        /// README); the MSS stays the default 1360, right for the BGP sessions inside 1400-byte tunnels.
        /// </summary>
        private static TcpSettings NewTcpSettings()
        {
            TcpSettings s = new TcpSettings();
            s.VerifyChecksum = false;
            return s;
        }

        // RFC 6528 §3: the ISN secret comes from the board's entropy source (bounded retries when it is temporarily
        // exhausted). Without one (some test set-ups) it stays zero: ISNs are then predictable, which Start logs.
        private static bool FillSecret(IEntropySource entropy, byte[] secret)
        {
            if (entropy == null)
            {
                return false;
            }

            int have = 0;
            for (int attempt = 0; attempt < 8 && have < secret.Length; attempt++)
            {
                int n = entropy.Fill(secret, have, secret.Length - have);
                if (n > 0)
                {
                    have += n;
                }
            }

            return have == secret.Length;
        }

        /// <summary>
        /// Describes every array and object the constructor allocates, for the board budget
        /// (tools/NfCompat --budget) and the test that checks this accounting against real allocation.
        /// </summary>
        public static void Account(MemoryBudget budget, Capacities c)
        {
            // 24 references, 1 int, 3 bools, 1 long.
            budget.AddObject(29, 24 * 8 + 4 + 3 + 8);
            TimerSet.Account(budget, c.Timers);
            NextHopGroupTable.Account(budget, c);
            FibTable.Account(budget, c);
            PacketPool.Account(budget, c.PacketBuffers, c.PacketBufferSize);
            LogRing.Account(budget, c.LogLines);
            budget.AddObject(5, 8 + 4 * 3 + 2);
            budget.AddValueArray(1, MaxConsoleLine);
            budget.AddValueArray(1, ConsoleBytesPerPoll);
            budget.AddReferenceArray(MaxModules);
            budget.AddObject(2, 8);
            budget.AddObject(2, 8);
            ApplianceCounters.Account(budget);
            BuiltinCommands.Account(budget);
            DetachedNetPort.Account(budget);
            Router.Account(budget, c);
            RouterModule.Account(budget);
            TcpModule.Account(budget);
            budget.AddValueArray(1, InitialSequenceNumber.SecretLength);
            TcpStackBudget.AccountSettings(budget);
            TcpStackBudget.Account(budget, c.TcpConnections, c.TcpBufferSize, NewTcpSettings());
            PingSession.Account(budget);
            if (c.BgpPeers > 0 && c.BgpPaths > 0 && c.TcpConnections > 0)
            {
                BgpModule.Account(budget, c);
            }

            if (c.Tunnels > 0)
            {
                budget.AddValueArray(1, 4);
                BfdModule.Account(budget, c);
            }
            PacketPlaneConfig.Account(budget, c.Tunnels);
        }

        /// <summary>The board description.</summary>
        public BoardInfo Board { get { return _board; } }
        /// <summary>The HAL ports.</summary>
        public ApplianceHal Hal { get { return _hal; } }
        /// <summary>Appliance-level timers.</summary>
        public TimerSet Timers { get { return _timers; } }
        /// <summary>The forwarding table (routes -> next-hop group ids).</summary>
        public FibTable Fib { get { return _fib; } }
        /// <summary>The ECMP next-hop groups the FIB's routes point at.</summary>
        public NextHopGroupTable NextHopGroups { get { return _groups; } }
        /// <summary>The packet buffers.</summary>
        public PacketPool Packets { get { return _packets; } }
        /// <summary>The log ring (<c>show log</c>).</summary>
        public LogRing Log { get { return _log; } }
        /// <summary>Port and loop counters.</summary>
        public ApplianceCounters Counters { get { return _counters; } }
        /// <summary>The IPv4 router between the LAN and the tunnel interfaces (<c>show interfaces</c>).</summary>
        public Router Router { get { return _router; } }
        /// <summary>The compact TCP (BGP sessions; tests use it directly).</summary>
        public TcpStack Tcp { get { return _tcp; } }
        /// <summary>The bridge between the TCP and the router (its loopback queue and drop counters).</summary>
        public TcpModule TcpModule { get { return _tcpModule; } }
        /// <summary>The console's ping.</summary>
        public PingSession Ping { get { return _ping; } }
        /// <summary>What the running configuration set in the router and the FIB.</summary>
        public PacketPlaneConfig PlaneConfig { get { return _planeConfig; } }

        /// <summary>BFD sessions (null when the board has no tunnels).</summary>
        public BfdModule Bfd { get { return _bfd; } }

        /// <summary>BGP speaker and routing manager (null when the board has no BGP capacity).</summary>
        public BgpModule Bgp { get { return _bgp; } }

        /// <summary>IKE/ESP (null when the board or HAL has no crypto, no randomness or no tunnels).</summary>
        public IpsecModule Ipsec { get { return _ipsec; } }
        /// <summary>False when the board gave no (or not enough) entropy for the TCP ISN secret (RFC 6528).</summary>
        public bool IsnFromEntropy { get { return _isnFromEntropy; } }
        /// <summary>True once the console stream ended (host stdin EOF): the runner should stop.</summary>
        public bool ConsoleClosed { get { return _consoleClosed; } }
        /// <summary>Registered modules.</summary>
        public int ModuleCount { get { return _moduleCount; } }
        /// <summary>Time of <see cref="Start"/>.</summary>
        public long StartedAtMs { get { return _startedAtMs; } }

        /// <summary>
        /// The running configuration (empty until <see cref="LoadConfig"/> succeeds). It is not a
        /// static pool: its size follows the configuration text, so it is not in <see cref="Account"/>.
        /// </summary>
        public RunningConfig Config { get { return _config; } }

        /// <summary>
        /// Parses and validates <paramref name="text"/> and makes it the running configuration only if
        /// it has no error; otherwise the previous configuration stays exactly as it was. Returns the
        /// result with every error and warning (line, token, rule).
        /// </summary>
        public ParseResult LoadConfig(string text)
        {
            if (_config == null)
            {
                _config = new RunningConfig();
            }

            ParseResult result = _config.Replace(text);
            if (result.Ok)
            {
                _planeConfig.Apply(_config.Model);
                if (_ipsec != null)
                {
                    _ipsec.ApplyConfig(_config.Model, _lastNowMs);
                }

                if (_bgp != null)
                {
                    _bgp.ApplyConfig(_config.Model, _lastNowMs);
                }

                if (_bfd != null)
                {
                    _bfd.ApplyConfig(_config.Model, _lastNowMs);
                }
            }

            return result;
        }

        /// <summary>The i-th registered module.</summary>
        public IApplianceModule Module(int i)
        {
            return _modules[i];
        }

        /// <summary>Replaces the consumer of LAN frames and WAN datagrams (the router's <see cref="RouterModule"/> by default).</summary>
        public void SetPacketHandler(IPacketHandler handler)
        {
            _packetHandler = handler;
        }

        /// <summary>Replaces the console command interpreter (the CLI issue plugs in here).</summary>
        public void SetConsoleCommands(IConsoleCommands commands)
        {
            _commands = commands;
        }

        /// <summary>
        /// Hands the raw console bytes to <paramref name="input"/> (the CLI: it needs escapes, Tab and '?') instead
        /// of the line reader and <see cref="IConsoleCommands"/>; null restores the line reader.
        /// </summary>
        public void SetConsoleInput(IConsoleInput input)
        {
            _consoleInput = input;
        }

        /// <summary>Registers a module; false when <see cref="MaxModules"/> are registered.</summary>
        public bool AddModule(IApplianceModule module)
        {
            if (_moduleCount == _modules.Length || module == null)
            {
                return false;
            }

            _modules[_moduleCount++] = module;
            return true;
        }

        /// <summary>Marks the start of operation and logs the banner line.</summary>
        public void Start(long nowMs)
        {
            _started = true;
            _startedAtMs = nowMs;
            _log.Write(nowMs, LogLevel.Info, "system", FirmwareVersion.Product + " " + FirmwareVersion.Text + " on " + _board.Name + " started");
            if (!_isnFromEntropy)
            {
                _log.Write(nowMs, LogLevel.Warning, "tcp", "no entropy source: TCP initial sequence numbers are predictable (RFC 6528)");
            }
        }

        /// <summary>
        /// Orderly stop: tells the VPN peers (IKE DELETE) so they drop their SAs at once. The appliance can still be
        /// polled afterwards (initiators would reconnect).
        /// </summary>
        public void Shutdown(long nowMs)
        {
            if (_ipsec != null)
            {
                _ipsec.Engine.Shutdown(nowMs);
            }

            _log.Write(nowMs, LogLevel.Info, "system", "shutdown");
        }

        /// <summary>Runs one turn of the event loop; returns the next deadline (see class comment).</summary>
        public long Poll(long nowMs)
        {
            if (!_started)
            {
                Start(nowMs);
            }

            _counters.Polls++;
            _lastNowMs = nowMs;
            bool pending = PollConsole(nowMs);
            pending |= PollLan(nowMs);
            pending |= PollWan(_hal.WanIke, nowMs);
            pending |= PollWan(_hal.WanNatT, nowMs);

            long next = Never;
            for (int i = 0; i < _moduleCount; i++)
            {
                long d = _modules[i].Poll(nowMs);
                if (d < next)
                {
                    next = d;
                }
            }

            // Modules after the TCP (BGP) may have left segments pending in it.
            long tcpNext = _tcpModule.Deadline(nowMs);
            if (tcpNext < next)
            {
                next = tcpNext;
            }

            if (_timers.Fire(nowMs, TimersPerPoll) == TimersPerPoll)
            {
                pending = true;
            }

            if (_timers.NextDeadline < next)
            {
                next = _timers.NextDeadline;
            }

            if (pending || next < nowMs)
            {
                next = nowMs;
            }

            return next;
        }

        /// <summary>Writes text to the console (no newline added); silently drops without a console.</summary>
        public void ConsoleWrite(string text)
        {
            ISerialPort console = _hal.Console;
            if (console == null || text.Length == 0)
            {
                return;
            }

            byte[] bytes = new byte[text.Length];
            for (int i = 0; i < text.Length; i++)
            {
                char ch = text[i];
                bytes[i] = ch < 128 ? (byte)ch : (byte)'?';
            }

            console.Write(bytes, 0, bytes.Length);
        }

        private bool PollConsole(long nowMs)
        {
            ISerialPort console = _hal.Console;
            if (console == null || _consoleClosed)
            {
                return false;
            }

            int n = console.Read(_consoleBuffer, 0, _consoleBuffer.Length);
            if (n < 0)
            {
                _consoleClosed = true;
                return false;
            }

            if (_consoleInput != null)
            {
                _consoleInput.OnConsoleBytes(_consoleBuffer, 0, n, nowMs);
                return n == _consoleBuffer.Length;
            }

            for (int i = 0; i < n; i++)
            {
                int r = _lineReader.Feed(_consoleBuffer[i]);
                if (r == 1)
                {
                    string line = _lineReader.TakeLine();
                    _counters.ConsoleLines++;
                    _commands.Execute(line, nowMs);
                }
                else if (r == 2)
                {
                    ConsoleWrite("% line too long (max " + MaxConsoleLine.ToString() + " characters)\r\n");
                }
            }

            return n == _consoleBuffer.Length;
        }

        private bool PollLan(long nowMs)
        {
            INetPort lan = _hal.Lan;
            if (lan == null)
            {
                return false;
            }

            for (int i = 0; i < FramesPerPoll; i++)
            {
                int buffer = _packets.Allocate();
                if (buffer == PacketPool.Full)
                {
                    _counters.RxNoBuffer++;
                    return true;
                }

                int length = lan.Receive(_packets.Data, _packets.Offset(buffer), _packets.BufferSize);
                if (length <= 0)
                {
                    _packets.Release(buffer);
                    return false;
                }

                _counters.LanRxFrames++;
                if (_packetHandler == null)
                {
                    _counters.RxNoHandler++;
                    _packets.Release(buffer);
                }
                else
                {
                    _packetHandler.OnLanFrame(buffer, length, nowMs);
                }
            }

            return true;
        }

        private bool PollWan(IUdpPort port, long nowMs)
        {
            if (port == null)
            {
                return false;
            }

            for (int i = 0; i < FramesPerPoll; i++)
            {
                if (!port.DataAvailable)
                {
                    return false;
                }

                int buffer = _packets.Allocate();
                if (buffer == PacketPool.Full)
                {
                    _counters.RxNoBuffer++;
                    return true;
                }

                int length = port.ReceiveFrom(_packets.Data, _packets.Offset(buffer), _packets.BufferSize, _source);
                if (length < 0)
                {
                    _packets.Release(buffer);
                    return false;
                }

                _counters.WanRxDatagrams++;
                if (length == _packets.BufferSize)
                {
                    // IUdpPort: a datagram that fills the buffer may have been truncated.
                    _counters.WanRxTruncated++;
                    _packets.Release(buffer);
                }
                else if (_packetHandler == null)
                {
                    _counters.RxNoHandler++;
                    _packets.Release(buffer);
                }
                else
                {
                    port.GetLocalEndpoint(_local);
                    _packetHandler.OnWanDatagram(_local.Port, _source.Address, _source.Port, buffer, length, nowMs);
                }
            }

            return true;
        }
    }
}
