using System.Runtime.CompilerServices;
using System.Text;
using VpnAppliance.Boards;
using VpnAppliance.VpnSim.Demo;

namespace VpnAppliance.Cli.Tests;

/// <summary>
/// Golden transcripts of the VPN commands (IKE, IPsec, BGP, BFD) on a running appliance: the demo's network
/// (branch + two Azure gateway instances, deterministic seed, virtual time) with tunnels and BGP up; each
/// command is typed on the branch's serial console and the exact output compared with Golden/NAME.out
/// (CLI_GOLDEN_UPDATE=1 rewrites it).
/// </summary>
public class VpnCommandTranscriptTests
{
    private static readonly string[] BranchScript =
    {
        "show ike sa",
        "show ipsec sa",
        "sh ike sa",
        "show bgp summary",
        "show bgp neighbors 169.254.21.1",
        "show bgp neighbors 169.254.21.1 received-routes",
        "show bgp neighbors 169.254.21.1 advertised-routes",
        "show bgp neighbors 192.0.2.1",
        "show ip route",
        "show ip route explain 10.1.0.4",
        "show bfd peers",
        "rekey child azure-gw-a",
        "show ipsec sa",
        "rekey ike azure-gw-b",
        "show ike sa",
        "rekey ike",
        "rekey child nosuchpeer",
        "clear bgp 169.254.22.1 soft",
        "clear bgp 169.254.22.1",
        "show bgp summary",
        "clear ipsec sa azure-gw-b",
        "show ike sa",
        "initiate azure-gw-b",
        "show ike sa",
    };

    [Fact]
    public void Vpn_commands_on_the_branch()
    {
        string root = BoardCatalog.FindRepoRoot(SourceDir());
        var net = new DemoNetwork(root, seed: 1);
        Assert.True(net.Sim.RunUntil(() =>
        {
            var a = net.Branch.Appliance;
            return a.Ipsec!.Sad.Tunnel(0).Up && a.Ipsec.Sad.Tunnel(1).Up &&
                a.Fib.TryGet(0x0A010000, 16, out int g) && a.Bgp!.Routing.OwnsGroup(g) && a.NextHopGroups.MemberCount(g) == 2;
        }, 30_000), "tunnels and BGP did not come up");

        var transcript = new StringBuilder();
        foreach (string line in BranchScript)
        {
            transcript.Append("### ").Append(line).Append('\n');
            transcript.Append(net.Branch.Run(net.Sim, line, settleMs: 3000).Replace("\r\n", "\n"));
        }

        Compare("vpn-commands", transcript.ToString());
    }

    private static void Compare(string name, string actual)
    {
        string outPath = Path.Combine(AppContext.BaseDirectory, "Golden", name + ".out");
        if (Environment.GetEnvironmentVariable("CLI_GOLDEN_UPDATE") == "1")
        {
            File.WriteAllText(Path.Combine(SourceDir(), "Golden", name + ".out"), actual);
            return;
        }

        Assert.True(File.Exists(outPath), $"no golden output {name}.out (run with CLI_GOLDEN_UPDATE=1)");
        Assert.Equal(File.ReadAllText(outPath), actual);
    }

    private static string SourceDir([CallerFilePath] string file = "") => Path.GetDirectoryName(file)!;
}
