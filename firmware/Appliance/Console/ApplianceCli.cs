using VpnAppliance.Cli;
using VpnAppliance.Cli.Store;
using VpnAppliance.Config;
using VpnAppliance.Config.Validation;
using VpnAppliance.Core;
using VpnAppliance.Hal.Crypto;

namespace VpnAppliance.Firmware
{
    /// <summary>
    /// The field CLI wired into the appliance: it receives the raw console bytes (<see cref="IConsoleInput"/>),
    /// runs its timers as a module (login back-off, inactivity timeout, commit-confirm rollback), commits to the
    /// appliance's running configuration (<see cref="Appliance.LoadConfig"/>), persists in the board's flash
    /// (<see cref="ConfigStore"/> on <see cref="ApplianceHal.Flash"/>) and registers the operational commands over
    /// the appliance's data: <c>show version</c>, <c>show system</c>, <c>show interfaces</c>, <c>show log</c>,
    /// <c>show ip route [explain]</c>, <c>ping</c>.
    ///
    /// Boot order (a board's entry and VpnSim): build the appliance, <see cref="LoadSaved"/> (the newest valid
    /// flash record), else a first-boot configuration, then <see cref="Attach"/>.
    /// Engines register their commands afterwards on <see cref="Session"/>.Operational (docs/cli.md).
    /// </summary>
    public sealed class ApplianceCli : IConsoleInput, IApplianceModule, ICliHost, IInterfaceNames
    {
        /// <summary>Boards with a smaller heap budget get a smaller history, rollback ring and candidate.</summary>
        public const long SmallHeapBytes = 1024 * 1024;

        private readonly Appliance _appliance;
        private readonly CliSession _session;
        private readonly ConfigStore _store;
        private bool _reloadRequested;

        private ApplianceCli(Appliance appliance, CliSettings settings, ConfigStore store)
        {
            _appliance = appliance;
            _store = store;
            if (_appliance.Config == null)
            {
                _appliance.LoadConfig("");
            }

            if (appliance.Board.HeapBudgetBytes < SmallHeapBytes)
            {
                // A board without PSRAM (about 100 KB of heap, DESIGN.md §5): keep the session's own buffers small.
                settings.HistoryLines = settings.HistoryLines < 8 ? settings.HistoryLines : 8;
                settings.RollbackDepth = settings.RollbackDepth < 2 ? settings.RollbackDepth : 2;
                settings.CandidateLines = settings.CandidateLines < 400 ? settings.CandidateLines : 400;
                settings.MaxLine = settings.MaxLine < 256 ? settings.MaxLine : 256;
            }

            if (settings.Limits == null)
            {
                settings.Limits = LimitsOf(appliance.Board);
            }

            ICryptoProvider crypto = appliance.Hal.Crypto;
            IMac hmac = crypto == null ? null : crypto.CreateHmac(HashAlgorithm.Sha256);
            _session = new CliSession(settings, appliance.Hal.Console, this, store, hmac, appliance.Hal.Entropy);
            ApplianceCommands.Register(_session, appliance);
            RouteCommands.Register(_session, appliance.Fib, appliance.NextHopGroups, this);
            ModuleCommands.Register(_session, appliance);
        }

        /// <summary>The limits commit validation checks a configuration against on <paramref name="board"/> (its capacities).</summary>
        public static BoardLimits LimitsOf(BoardInfo board)
        {
            Capacities c = board.Capacities;
            BoardLimits limits = new BoardLimits();
            limits.Board = board.Name;
            limits.Tunnels = c.Tunnels;
            limits.IkeSas = c.IkeSas;
            limits.Routes = c.Routes;
            limits.BgpPeers = c.BgpPeers;
            return limits;
        }

        /// <summary>
        /// Loads the newest valid configuration saved in the board's flash into <paramref name="appliance"/>.
        /// Returns the parse result, or null when the flash holds none (or the board has no flash).
        /// </summary>
        public static ParseResult LoadSaved(Appliance appliance)
        {
            if (appliance.Hal.Flash == null)
            {
                return null;
            }

            StoredState s = StoredState.Load(new ConfigStore(appliance.Hal.Flash));
            return s.Loaded ? appliance.LoadConfig(s.ConfigText) : null;
        }

        /// <summary>Creates the CLI, makes it the console of <paramref name="appliance"/> and registers it as a module.</summary>
        public static ApplianceCli Attach(Appliance appliance, CliSettings settings)
        {
            ConfigStore store = appliance.Hal.Flash == null ? null : new ConfigStore(appliance.Hal.Flash);
            ApplianceCli cli = new ApplianceCli(appliance, settings, store);
            appliance.SetConsoleInput(cli);
            appliance.AddModule(cli);
            return cli;
        }

        /// <summary>The CLI session (register engine commands on its Operational tree).</summary>
        public CliSession Session { get { return _session; } }

        /// <summary>True after <c>reload</c> or <c>factory-reset</c>: the runner restarts the appliance.</summary>
        public bool ReloadRequested { get { return _reloadRequested; } }

        /// <summary>"cli".</summary>
        public string Name { get { return "cli"; } }

        /// <summary>IConsoleInput.</summary>
        public void OnConsoleBytes(byte[] buffer, int offset, int count, long nowMs)
        {
            _session.Feed(buffer, offset, count, nowMs);
        }

        /// <summary>IApplianceModule: the session's timers.</summary>
        public long Poll(long nowMs)
        {
            long next = _session.Poll(nowMs);
            return next == CliSession.Never ? Appliance.Never : next;
        }

        /// <summary>ICliHost.</summary>
        public RunningConfig Running { get { return _appliance.Config; } }

        /// <summary>ICliHost: applies through the appliance (packet plane included).</summary>
        public ParseResult Apply(string text, long nowMs)
        {
            ParseResult r = _appliance.LoadConfig(text);
            if (r.Ok)
            {
                _appliance.Log.Write(nowMs, VpnAppliance.Hal.LogLevel.Info, "cli", "configuration committed (generation " + _appliance.Config.Generation.ToString() + ")");
            }

            return r;
        }

        /// <summary>ICliHost.</summary>
        public void Reload(long nowMs)
        {
            _appliance.Log.Write(nowMs, VpnAppliance.Hal.LogLevel.Info, "cli", "reload requested from the console");
            _reloadRequested = true;
        }

        /// <summary>ICliHost.</summary>
        public string HostName
        {
            get
            {
                string h = _appliance.Config == null ? null : _appliance.Config.Model.System.HostName;
                return h == null ? "" : h;
            }
        }

        /// <summary>IInterfaceNames.</summary>
        public string InterfaceName(int interfaceId)
        {
            return _appliance.Router.InterfaceName(interfaceId);
        }

        /// <summary>IInterfaceNames: BGP routes are the groups the routing manager made.</summary>
        public string DynamicOrigin(uint prefix, int length, int group)
        {
            BgpModule bgp = _appliance.Bgp;
            if (bgp == null || !bgp.Routing.OwnsGroup(group)) return null;
            return "bgp (eBGP, distance " + RoutingManager.EbgpDistance.ToString() + "; best path(s) in 'show bgp neighbors <ip> received-routes')";
        }

        /// <summary>IInterfaceNames: tunnel interface i (1-based) carries the i-th configured tunnel (PacketPlaneConfig).</summary>
        public string TunnelName(int interfaceId)
        {
            TunnelSection t = _appliance.Config == null ? null : _appliance.Config.Model.Tunnels;
            if (t == null || interfaceId < 1 || interfaceId > _appliance.Router.TunnelCount || interfaceId > t.Tunnels.Count)
            {
                return null;
            }

            return t.At(interfaceId - 1).Name;
        }
    }
}
