using System.Text;
using VpnAppliance.Cli;

namespace VpnAppliance.Firmware
{
    /// <summary>
    /// The CLI side of the modules' console commands (<see cref="ITextCommands"/>): registers each command in the
    /// operational tree and passes the typed words (keywords expanded from abbreviations, then the arguments) to the
    /// module. IPsec: <c>show ike sa</c>, <c>show ipsec sa</c>, <c>rekey ike|child &lt;peer&gt;</c>,
    /// <c>clear ipsec sa &lt;peer&gt;</c>, <c>initiate &lt;peer&gt;</c>. BGP: <c>show bgp summary</c>,
    /// <c>show bgp neighbors &lt;ip&gt; [received-routes|advertised-routes]</c>, <c>clear bgp &lt;ip&gt; [soft]</c>.
    /// BFD: <c>show bfd peers [brief]</c>.
    /// </summary>
    public sealed class ModuleCommands : ICliHandler
    {
        private readonly ITextCommands _module;
        private readonly string _usage;

        private ModuleCommands(ITextCommands module, string usage)
        {
            _module = module;
            _usage = usage;
        }

        /// <summary>Registers the commands of the modules the appliance has.</summary>
        public static void Register(CliSession session, Appliance appliance)
        {
            CommandTree tree = session.Operational;
            if (appliance.Ipsec != null)
            {
                ITextCommands m = appliance.Ipsec;
                tree.Describe("show ike", "IKEv2 state");
                tree.Register("show ike sa", "IKE SAs per connection: state, role, proposal, age, rekey", null, new ModuleCommands(m, null));
                tree.Describe("show ipsec", "IPsec state");
                tree.Register("show ipsec sa", "CHILD SAs: SPIs, transforms, selectors, counters, lifetimes", null, new ModuleCommands(m, null));
                tree.Describe("rekey", "start a rekey now");
                tree.Register("rekey ike", "rekey the IKE SA of a peer (CREATE_CHILD_SA)", "<peer>", new ModuleCommands(m, "<peer>"));
                tree.Register("rekey child", "rekey the CHILD SA of a peer (CREATE_CHILD_SA)", "<peer>", new ModuleCommands(m, "<peer>"));
                tree.Describe("clear ipsec", "delete IPsec state");
                tree.Register("clear ipsec sa", "delete the SAs of a peer (an initiator reconnects)", "<peer>", new ModuleCommands(m, "<peer>"));
                tree.Register("initiate", "start the IKE SA of a peer that is down", "<peer>", new ModuleCommands(m, "<peer>"));
            }

            if (appliance.Bgp != null)
            {
                ITextCommands m = appliance.Bgp;
                tree.Describe("show bgp", "BGP state");
                tree.Register("show bgp summary", "neighbors, states, prefixes received and sent", null, new ModuleCommands(m, null));
                string u = "<a.b.c.d> [received-routes|advertised-routes]";
                tree.Register("show bgp neighbors", "one neighbor in detail, or its routes", u, new ModuleCommands(m, u));
                tree.Describe("clear bgp", "reset a BGP session");
                tree.Register("clear bgp", "reset a session, or ask for its routes again (soft)", "<a.b.c.d> [soft]", new ModuleCommands(m, "<a.b.c.d> [soft]"));
            }

            if (appliance.Bfd != null)
            {
                tree.Describe("show bfd", "BFD state");
                tree.Register("show bfd peers", "BFD sessions: state, intervals, diagnostics", "[brief]", new ModuleCommands(appliance.Bfd, "[brief]"));
            }
        }

        /// <summary>Runs the command.</summary>
        public void Execute(CliCall call)
        {
            string command = call.CommandText();
            for (int i = 0; i < call.ArgCount; i++) command = command + " " + call.Arg(i);
            StringBuilder sb = new StringBuilder();
            if (!_module.Execute(command, sb, call.NowMs))
            {
                call.Usage(_usage != null ? _usage : "");
                return;
            }

            string text = sb.ToString();
            int start = 0;
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] != '\n') continue;
                int end = i > start && text[i - 1] == '\r' ? i - 1 : i;
                call.Line(text.Substring(start, end - start));
                start = i + 1;
            }

            if (start < text.Length) call.Line(text.Substring(start));
        }
    }
}
