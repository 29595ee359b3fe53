using System.Text;
using VpnAppliance.Cli;

namespace VpnAppliance.Firmware
{
    /// <summary>
    /// The BGP operational commands in the CLI: <c>show bgp summary</c>, <c>show bgp neighbors &lt;ip&gt;
    /// [received-routes|advertised-routes]</c>, <c>clear bgp &lt;ip&gt; [soft]</c>. The text comes from
    /// <see cref="BgpModule.Execute"/>, the same code the built-in console runs.
    /// </summary>
    public sealed class BgpCommands : ICliHandler
    {
        private readonly BgpModule _bgp;

        private BgpCommands(BgpModule bgp)
        {
            _bgp = bgp;
        }

        /// <summary>Registers the commands (nothing when the appliance has no BGP).</summary>
        public static void Register(CliSession session, BgpModule bgp)
        {
            if (bgp == null) return;
            CommandTree tree = session.Operational;
            BgpCommands h = new BgpCommands(bgp);
            tree.Describe("show bgp", "BGP state");
            tree.Register("show bgp summary", "neighbors, states, prefixes received and sent", null, h);
            tree.Register("show bgp neighbors", "one neighbor in detail, or its routes", "<a.b.c.d> [received-routes|advertised-routes]", h);
            tree.Describe("clear bgp", "reset a BGP session");
            tree.Register("clear bgp", "reset a session, or ask for its routes again (soft)", "<a.b.c.d> [soft]", h);
        }

        /// <summary>Runs the command.</summary>
        public void Execute(CliCall call)
        {
            string command = call.CommandText();
            for (int i = 0; i < call.ArgCount; i++) command = command + " " + call.Arg(i);
            StringBuilder sb = new StringBuilder();
            if (!_bgp.Execute(command, sb, call.NowMs))
            {
                call.Usage(command.StartsWith("clear") ? "<a.b.c.d> [soft]" : "<a.b.c.d> [received-routes|advertised-routes]");
                return;
            }

            CliText.Lines(call, sb.ToString());
        }
    }

    /// <summary>Writes multi-line text to a CLI call line by line (CR LF or LF separated).</summary>
    public static class CliText
    {
        /// <summary>Each line of <paramref name="text"/> as one output line.</summary>
        public static void Lines(CliCall call, string text)
        {
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
