using System.Text;
using VpnAppliance.Cli;

namespace VpnAppliance.Firmware
{
    /// <summary>
    /// The IPsec operational commands in the CLI: <c>show ike sa</c>, <c>show ipsec sa</c>, <c>rekey ike|child
    /// &lt;peer&gt;</c>, <c>clear ipsec sa &lt;peer&gt;</c>, <c>initiate &lt;peer&gt;</c>. The text comes from
    /// <see cref="IpsecModule.Execute"/>, the same code the built-in console runs.
    /// </summary>
    public sealed class IpsecCommands : ICliHandler
    {
        private readonly IpsecModule _ipsec;

        private IpsecCommands(IpsecModule ipsec)
        {
            _ipsec = ipsec;
        }

        /// <summary>Registers the commands (nothing when the appliance has no IPsec).</summary>
        public static void Register(CliSession session, IpsecModule ipsec)
        {
            if (ipsec == null) return;
            CommandTree tree = session.Operational;
            IpsecCommands h = new IpsecCommands(ipsec);
            tree.Describe("show ike", "IKEv2 state");
            tree.Register("show ike sa", "IKE SAs per connection: state, role, proposal, age, rekey", null, h);
            tree.Describe("show ipsec", "IPsec state");
            tree.Register("show ipsec sa", "CHILD SAs: SPIs, transforms, selectors, counters, lifetimes", null, h);
            tree.Describe("rekey", "start a rekey now");
            tree.Register("rekey ike", "rekey the IKE SA of a peer (CREATE_CHILD_SA)", "<peer>", h);
            tree.Register("rekey child", "rekey the CHILD SA of a peer (CREATE_CHILD_SA)", "<peer>", h);
            tree.Describe("clear ipsec", "delete IPsec state");
            tree.Register("clear ipsec sa", "delete the SAs of a peer (an initiator reconnects)", "<peer>", h);
            tree.Register("initiate", "start the IKE SA of a peer that is down", "<peer>", h);
        }

        /// <summary>Runs the command.</summary>
        public void Execute(CliCall call)
        {
            string command = call.CommandText();
            if (command.StartsWith("rekey") || command.StartsWith("clear") || command == "initiate")
            {
                if (call.ArgCount != 1)
                {
                    call.Usage("<peer>");
                    return;
                }

                command = command + " " + call.Arg(0);
            }

            StringBuilder sb = new StringBuilder();
            if (!_ipsec.Execute(command, sb, call.NowMs))
            {
                call.Line("% not an IPsec command");
                return;
            }

            CliText.Lines(call, sb.ToString());
        }
    }
}
