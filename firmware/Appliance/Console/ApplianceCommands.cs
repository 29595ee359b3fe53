using VpnAppliance.Cli;
using VpnAppliance.Config;
using VpnAppliance.Core;

namespace VpnAppliance.Firmware
{
    /// <summary>
    /// The operational commands over the appliance's own data: <c>show version</c>, <c>show system</c>,
    /// <c>show interfaces</c> (their text is the built-in console's, <see cref="BuiltinCommands"/>), <c>show log</c>
    /// and <c>ping &lt;addr&gt; [source &lt;addr&gt;] [count &lt;n&gt;]</c> (runs in the background; Ctrl-C stops it).
    /// </summary>
    public sealed class ApplianceCommands : ICliHandler, ICliBackground
    {
        private const int Builtin = 0;
        private const int Log = 1;
        private const int Ping = 2;

        private readonly Appliance _appliance;
        private readonly BuiltinCommands _builtin;
        private readonly int _kind;

        private ApplianceCommands(Appliance appliance, BuiltinCommands builtin, int kind)
        {
            _appliance = appliance;
            _builtin = builtin;
            _kind = kind;
        }

        /// <summary>Registers the commands in the session's operational tree.</summary>
        public static void Register(CliSession session, Appliance appliance)
        {
            BuiltinCommands builtin = new BuiltinCommands(appliance);
            CommandTree tree = session.Operational;
            tree.Register("show version", "firmware version, board, uptime", null, new ApplianceCommands(appliance, builtin, Builtin));
            tree.Register("show system", "capacities, memory budget, counters, modules", null, new ApplianceCommands(appliance, builtin, Builtin));
            tree.Register("show interfaces", "addresses and counters per interface, drops, TCP", null, new ApplianceCommands(appliance, builtin, Builtin));
            tree.Register("show log", "recent log lines", null, new ApplianceCommands(appliance, builtin, Log));
            tree.Register("ping", "ICMP echo, one per second", "<a.b.c.d> [source <a.b.c.d>] [count <1-" + PingSession.MaxCount.ToString() + ">]",
                new ApplianceCommands(appliance, builtin, Ping));
        }

        /// <summary>ICliBackground: a ping is running.</summary>
        public bool Active { get { return _appliance.Ping.Active; } }

        /// <summary>ICliBackground: Ctrl-C.</summary>
        public void Abort(long nowMs)
        {
            _appliance.Ping.Stop();
        }

        /// <summary>Runs the command.</summary>
        public void Execute(CliCall call)
        {
            switch (_kind)
            {
                case Builtin:
                    _builtin.Execute(call.CommandText(), call.NowMs);
                    return;
                case Log:
                    LogRing log = _appliance.Log;
                    for (int i = 0; i < log.Count; i++)
                    {
                        call.Line(log.Format(i));
                    }

                    return;
                case Ping:
                    StartPing(call);
                    return;
            }
        }

        private void StartPing(CliCall call)
        {
            uint target = 0;
            uint source = 0;
            uint count = 5;
            bool ok = call.ArgCount % 2 == 1 && Ipv4.TryParse(call.Arg(0), out target);
            for (int i = 1; ok && i < call.ArgCount; i += 2)
            {
                if (call.Arg(i) == "source")
                {
                    ok = Ipv4.TryParse(call.Arg(i + 1), out source);
                }
                else if (call.Arg(i) == "count")
                {
                    ok = Numbers.TryParseUInt(call.Arg(i + 1), out count) && count >= 1 && count <= PingSession.MaxCount;
                }
                else
                {
                    ok = false;
                }
            }

            if (!ok)
            {
                call.Usage("<a.b.c.d> [source <a.b.c.d>] [count <1-" + PingSession.MaxCount.ToString() + ">]");
                return;
            }

            if (source != 0 && (_appliance.Config == null || !_appliance.Config.Model.Interfaces.IsLocalAddress(source)))
            {
                call.Line("% source " + Ipv4.Format(source) + " is not an address of this appliance");
                return;
            }

            if (!_appliance.Ping.Start(target, source, (int)count, call.NowMs))
            {
                call.Line("% a ping is already running");
                return;
            }

            call.RunInBackground(this);
        }
    }
}
