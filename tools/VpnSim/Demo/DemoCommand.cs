using System.Diagnostics;
using VpnAppliance.Boards;
using VpnAppliance.Hal.Sim;

namespace VpnAppliance.VpnSim.Demo;

/// <summary>
/// `VpnSim demo`: the whole product in one narrated run on the in-memory network, no root, no network, virtual
/// time (about a minute of wall clock at most): a branch appliance and an Azure VPN gateway (two instances of the
/// same firmware, active-active) build their tunnels, a LAN host pings a VNet host through them, one gateway
/// instance fails and traffic moves to the other, then it returns. Every `show` output is the firmware's own
/// console output (typed on its serial port). Exit code 0 only when every step succeeded.
/// </summary>
public static class DemoCommand
{
    private sealed class Steps
    {
        public int Passed;
        public int Failed;

        public void Check(string what, bool ok, string detail = "")
        {
            if (ok) Passed++;
            else Failed++;
            Console.WriteLine($"  [{(ok ? "ok" : "FAILED")}] {what}{(detail.Length > 0 ? ": " + detail : "")}");
        }
    }

    public static int Run(long seed)
    {
        var wall = Stopwatch.StartNew();
        string root = BoardCatalog.FindRepoRoot(AppContext.BaseDirectory);
        var net = new DemoNetwork(root, seed);
        Simulation sim = net.Sim;
        var steps = new Steps();
        uint vnetHost = UdpNetwork.Address(DemoNetwork.VnetHostIp);

        Say("Edge VPN appliance demo (virtual time; every 'show' below is the firmware's own serial console output)");
        Say("");
        Say("The lab: branch1 (LAN 192.168.10.0/24, WAN 198.18.0.2) runs boards/native-sim/example.conf: two IKEv2");
        Say("tunnels to an Azure VPN gateway in active-active mode, modelled by two instances of the same firmware");
        Say("(azure-gw-a 198.18.1.10, azure-gw-b 198.18.1.11) in front of the VNet 10.1.0.0/16.");
        Say("Hosts: lan-host " + DemoNetwork.LanHostIp + " behind branch1, vnet-host " + DemoNetwork.VnetHostIp + " in the VNet.");

        Section("1. Tunnels: branch1 initiates IKE_SA_INIT + IKE_AUTH to both instances");
        bool tunnels = sim.RunUntil(() => TunnelsUp(net) == 2, 30_000);
        steps.Check("both tunnels up", tunnels, $"after {sim.NowMs} ms of virtual time");
        Show(net.Branch, sim, "show ike sa");
        Show(net.Branch, sim, "show ipsec sa");

        Section("2. BGP over the tunnels: branch1 (AS 65010) opens to both instances' APIPA addresses (AS 65515)");
        bool bgpUp = sim.RunUntil(() => BgpRoutes(net) , sim.NowMs + 30_000);
        steps.Check("BGP established with both instances and 10.1.0.0/16 learned over both tunnels (ECMP)", bgpUp,
            $"after {sim.NowMs} ms");
        Show(net.Branch, sim, "show bgp summary");
        Show(net.Branch, sim, "show ip route");
        Show(net.GatewayA, sim, "show bgp neighbors 169.254.21.2 received-routes");

        Section("3. Traffic: lan-host pings vnet-host through the tunnels (ECMP over vti0 and vti1)");
        int sent = PingSeries(net, sim, vnetHost, 1, 10, 200);
        int got = Replies(net, 1, 10);
        steps.Check("ping lan-host -> vnet-host", got == sent, $"{got}/{sent} replies");
        Show(net.Branch, sim, "show ip route explain 10.1.0.4");

        // Fail the instance that carries the ping flow (flows are sticky to one tunnel), so the move is visible.
        int carrying = net.Branch.Appliance.Router.Counters(1).TxPackets >= net.Branch.Appliance.Router.Counters(2).TxPackets ? 0 : 1;
        DemoNode failed = carrying == 0 ? net.GatewayA : net.GatewayB;
        string other = carrying == 0 ? "azure-gw-b" : "azure-gw-a";
        Section($"4. Failure: {failed.Name} (carrying the ping flow on vti{carrying}) loses its Internet link");
        long cutAt = sim.NowMs;
        failed.Wan.Link.Cut();
        ushort first = 100;
        int n = 0;
        bool movedToB = false;
        long lossStart = -1;
        long lossEnd = -1;
        // one ping every 500 ms for up to 120 s until the tunnel to gw-a is declared dead and traffic flows via gw-b
        for (ushort seq = first; seq < first + 240; seq++)
        {
            net.LanHost.Ping(vnetHost, seq);
            n++;
            sim.RunFor(500);
            bool answered = net.LanHost.Replies.ContainsKey(seq);
            if (!answered && lossStart < 0) lossStart = sim.NowMs - 500;
            if (answered && lossStart >= 0 && lossEnd < 0) lossEnd = sim.NowMs - 500;
            if (!net.Branch.Appliance.Ipsec!.Sad.Tunnel(carrying).Up && answered)
            {
                movedToB = true;
                break;
            }
        }

        long outage = lossStart < 0 ? 0 : (lossEnd < 0 ? sim.NowMs - lossStart : lossEnd - lossStart);
        steps.Check($"{failed.Name}'s tunnel detected dead (DPD) and withdrawn", !net.Branch.Appliance.Ipsec!.Sad.Tunnel(carrying).Up,
            $"{(sim.NowMs - cutAt) / 1000} s after the cut");
        steps.Check($"traffic moved to {other}", movedToB, lossStart < 0 ? "no ping lost" : $"pings lost for {outage / 1000.0:F1} s " +
            "(DPD: 10 s without traffic, then retransmissions; Azure documents 60-90 s for unplanned failover)");
        Show(net.Branch, sim, "show ike sa");
        Show(net.Branch, sim, "show ip route");

        Section($"5. Recovery: {failed.Name}'s link returns; branch1 re-establishes the tunnel (INITIAL_CONTACT)");
        failed.Wan.Link.Restore();
        bool back = sim.RunUntil(() => TunnelsUp(net) == 2 && BgpRoutes(net), sim.NowMs + 240_000);
        steps.Check("both tunnels and BGP sessions up again, ECMP restored", back, $"{(back ? "after " + (sim.NowMs - cutAt) / 1000 + " s" : "no")}");
        int sent2 = PingSeries(net, sim, vnetHost, 1000, 10, 200);
        int got2 = Replies(net, 1000, 10);
        steps.Check("ping lan-host -> vnet-host", got2 == sent2, $"{got2}/{sent2} replies");
        Show(net.Branch, sim, "show bgp summary");
        Show(net.Branch, sim, "show ip route");

        Section("Log of branch1");
        Show(net.Branch, sim, "show log");

        Say("");
        Say($"demo: {steps.Passed + steps.Failed} checks, {steps.Passed} passed, {steps.Failed} failed " +
            $"({sim.NowMs / 1000} s virtual, {wall.ElapsedMilliseconds} ms wall)");
        return steps.Failed == 0 ? 0 : 1;
    }

    /// <summary>10.1.0.0/16 is in the branch's FIB through a BGP group with both tunnels.</summary>
    private static bool BgpRoutes(DemoNetwork net)
    {
        var a = net.Branch.Appliance;
        if (a.Bgp == null || !a.Fib.TryGet(UdpNetwork.Address("10.1.0.0"), 16, out int g) || !a.Bgp.Routing.OwnsGroup(g)) return false;
        return a.NextHopGroups.MemberCount(g) == 2;
    }

    private static int TunnelsUp(DemoNetwork net)
    {
        var sad = net.Branch.Appliance.Ipsec!.Sad;
        return (sad.Tunnel(0).Up ? 1 : 0) + (sad.Tunnel(1).Up ? 1 : 0);
    }

    private static int PingSeries(DemoNetwork net, Simulation sim, uint target, int firstSeq, int count, int intervalMs)
    {
        for (int i = 0; i < count; i++)
        {
            net.LanHost.Ping(target, (ushort)(firstSeq + i));
            sim.RunFor(intervalMs);
        }

        sim.RunFor(1000);
        return count;
    }

    private static int Replies(DemoNetwork net, int firstSeq, int count)
    {
        int n = 0;
        for (int i = 0; i < count; i++) if (net.LanHost.Replies.ContainsKey((ushort)(firstSeq + i))) n++;
        return n;
    }

    private static void Section(string title)
    {
        Console.WriteLine();
        Console.WriteLine("== " + title);
    }

    private static void Say(string text) => Console.WriteLine(text);

    private static void Show(DemoNode node, Simulation sim, string command)
    {
        Console.WriteLine($"{node.Name}> {command}");
        string output = node.Run(sim, command).Replace("\r\n", "\n").TrimEnd('\n', ' ');
        var lines = output.Split('\n').ToList();
        if (lines.Count > 0 && lines[0].Trim() == command) lines.RemoveAt(0);                 // the console's echo
        if (lines.Count > 0 && lines[^1].TrimEnd().EndsWith('>')) lines.RemoveAt(lines.Count - 1); // the next prompt
        foreach (string line in lines) Console.WriteLine("  " + line);
    }
}
