using VpnAppliance.Cli.Store;
using VpnAppliance.Config;

namespace VpnAppliance.Cli
{
    /// <summary>
    /// The operational commands the CLI itself provides: <c>configure</c>, <c>show configuration [secrets]</c>,
    /// <c>save</c>, <c>reload</c>, <c>factory-reset</c>, <c>export cloud &lt;peer&gt;</c>, <c>exit</c>. The appliance
    /// registers the commands over its data (version, interfaces, routes, log, ping), the engines theirs.
    /// </summary>
    public sealed class OperationalCommands : ICliHandler
    {
        private const int Configure = 0;
        private const int ShowConfiguration = 1;
        private const int Save = 2;
        private const int Reload = 3;
        private const int FactoryReset = 4;
        private const int Exit = 5;
        private const int ShowSecrets = 6;
        private const int ReloadNow = 7;
        private const int FactoryResetNow = 8;

        private readonly CliSession _session;
        private readonly int _kind;

        private OperationalCommands(CliSession session, int kind)
        {
            _session = session;
            _kind = kind;
        }

        /// <summary>Registers the built-in operational commands in <paramref name="tree"/>.</summary>
        public static void Register(CliSession session, CommandTree tree)
        {
            tree.Describe("show", "show information");
            tree.Describe("export", "values to enter on other systems");
            tree.Register("configure", "enter configuration mode", null, new OperationalCommands(session, Configure));
            tree.Register("show configuration", "running configuration (secrets masked)", "", new OperationalCommands(session, ShowConfiguration));
            tree.Register("show configuration secrets", "running configuration with secrets (asks for the password)", null, new OperationalCommands(session, ShowSecrets));
            tree.Register("save", "save the running configuration in flash", null, new OperationalCommands(session, Save));
            tree.Register("reload", "restart the appliance (asks to confirm)", null, new OperationalCommands(session, Reload));
            tree.Register("factory-reset", "erase the saved configuration and password, then restart (asks to confirm)", null, new OperationalCommands(session, FactoryReset));
            tree.Register("exit", "log out", null, new OperationalCommands(session, Exit));
            tree.Register("export cloud", "values to enter on the cloud side for a peer", "<peer>", new CloudExport(session));
        }

        /// <summary>Runs the command.</summary>
        public void Execute(CliCall call)
        {
            switch (_kind)
            {
                case Configure:
                    _session.EnterConfiguration();
                    call.Line("Entering configuration mode" + (_session.Candidate.Changed ? " (the candidate has uncommitted changes)" : ""));
                    return;
                case ShowConfiguration:
                    if (call.ArgCount > 0)
                    {
                        call.Usage("[secrets]");
                        return;
                    }

                    call.Out.Write(ConfigText.Print(_session.Host.Running.Model));
                    return;
                case ShowSecrets:
                    call.Reauthenticate(new OperationalCommands(_session, ShowSecrets + 100));
                    return;
                case ShowSecrets + 100:
                    call.Out.Write(ConfigText.PrintForStorage(_session.Host.Running.Model));
                    return;
                case Save:
                    StoreResult r = _session.Save();
                    call.Line(r == StoreResult.Ok
                        ? "saved (flash slot " + _session.Store.CurrentSlot.ToString() + ", sequence " + _session.Store.Sequence.ToString() + ")"
                        : "% save failed: " + CliSession.StoreResultText(r));
                    return;
                case Reload:
                    call.Confirm((_session.Host.Running.StorageText != _session.Stored.ConfigText ? "The running configuration is not saved. " : "") + "Reload?",
                        new OperationalCommands(_session, ReloadNow));
                    return;
                case ReloadNow:
                    call.Line("reloading");
                    _session.Halt();
                    _session.Host.Reload(call.NowMs);
                    return;
                case FactoryReset:
                    call.Confirm("Erase the saved configuration and the password, then reload?", new OperationalCommands(_session, FactoryResetNow));
                    return;
                case FactoryResetNow:
                    StoreResult e = _session.EraseStore();
                    if (e != StoreResult.Ok)
                    {
                        call.Line("% factory reset failed: " + CliSession.StoreResultText(e));
                        return;
                    }

                    call.Line("flash erased; reloading");
                    _session.Halt();
                    _session.Host.Reload(call.NowMs);
                    return;
                case Exit:
                    _session.EndSession(call.NowMs);
                    return;
            }
        }
    }
}
