using VpnAppliance.Boards;
using VpnAppliance.Config;
using VpnAppliance.Firmware;
using VpnAppliance.Hal;
using VpnAppliance.Hal.Crypto.Host;
using VpnAppliance.Hal.Crypto.Managed;
using VpnAppliance.Hal.Doubles;
using VpnAppliance.Hal.Sim;

namespace VpnAppliance.VpnSim.Demo;

/// <summary>One appliance of the demo: the firmware on a simulated board, with its console and WAN host.</summary>
public sealed class DemoNode
{
    public required string Name { get; init; }
    public required Appliance Appliance { get; init; }
    public required MemorySerial Console { get; init; }
    public required UdpHost Wan { get; init; }
    public required MemoryNetPort Lan { get; init; }

    /// <summary>
    /// Types <paramref name="command"/> on the serial console and returns what the firmware printed (the same code a
    /// USB-serial session runs), after letting the simulation run <paramref name="settleMs"/>.
    /// </summary>
    public string Run(Simulation sim, string command, long settleMs = 20)
    {
        Console.ClearOutput();
        Console.PushText(command + "\r\n");
        sim.RunFor(settleMs);
        string text = Console.OutputText();
        Console.ClearOutput();
        return text;
    }
}

/// <summary>
/// The demo's world on the in-memory network: a WAN (UDP network), the branch appliance with its LAN switch and a
/// LAN host, and the Azure VPN gateway modelled by two instances of the same firmware (azure profile, AS 65515) on
/// one VNet switch with a VNet host.
/// </summary>
public sealed class DemoNetwork
{
    public const string LanHostIp = "192.168.10.10";
    public const string VnetHostIp = "10.1.0.4";

    public Simulation Sim { get; }
    public DemoNode Branch { get; }
    public DemoNode GatewayA { get; }
    public DemoNode GatewayB { get; }
    public SimIpHost LanHost { get; }
    public SimIpHost VnetHost { get; }

    public DemoNetwork(string repoRoot, long seed)
    {
        Sim = new Simulation(seed);
        UdpNetwork wan = Sim.AddUdpNetwork("internet");
        EthernetSwitch lan = Sim.AddSwitch("branch-lan");
        EthernetSwitch vnet = Sim.AddSwitch("vnet");
        BoardProfile board = BoardCatalog.Find(repoRoot, "native-sim");
        string branchConfig = File.ReadAllText(Path.Combine(repoRoot, "boards", "native-sim", "example.conf"));

        Branch = Node("branch1", board, wan, "198.18.0.2", lan, 0x02_00_00_00_10_01, branchConfig, seed + 1, latencyMs: 12);
        GatewayA = Node("azure-gw-a", board, wan, "198.18.1.10", vnet, 0x02_00_00_00_20_01, GatewayConfig("a", "198.18.1.10", "10.1.0.2",
            "169.254.21.1", "sim-only-key-A-7f3c1e"), seed + 2, latencyMs: 8);
        GatewayB = Node("azure-gw-b", board, wan, "198.18.1.11", vnet, 0x02_00_00_00_20_02, GatewayConfig("b", "198.18.1.11", "10.1.0.3",
            "169.254.22.1", "sim-only-key-B-52a9d0"), seed + 3, latencyMs: 9);

        LanHost = new SimIpHost("lan-host", lan.AddPort("lan-host", 0x02_00_00_00_10_0A), UdpNetwork.Address(LanHostIp), UdpNetwork.Address("192.168.10.1"));
        VnetHost = new SimIpHost("vnet-host", vnet.AddPort("vnet-host", 0x02_00_00_00_20_0A), UdpNetwork.Address(VnetHostIp), UdpNetwork.Address("10.1.0.2"));
        Sim.AddNode(LanHost.Poll);
        Sim.AddNode(VnetHost.Poll);
    }

    /// <summary>An Azure gateway instance's configuration: VNet 10.1.0.0/16, the branch as a responder-only peer.</summary>
    public static string GatewayConfig(string instance, string wanIp, string vnetIp, string bgpIp, string psk) => $@"
set system host-name azure-gw-{instance}
set interfaces lan address {vnetIp}/16
set interfaces wan address {wanIp}/24
set vpn ike-group AZURE proposal aes256gcm16-prfsha384-ecp384,aes256-sha256-modp2048
set vpn ike-group AZURE lifetime 28800
set vpn ike-group AZURE dpd interval 10
set vpn ike-group AZURE dpd timeout 45
set vpn esp-group AZURE proposal aes256gcm16 aes256-sha256-modp2048
set vpn esp-group AZURE lifetime 3600
set vpn peer branch1 address 198.18.0.2
set vpn peer branch1 psk ""{psk}""
set vpn peer branch1 ike-group AZURE
set vpn peer branch1 esp-group AZURE
set vpn peer branch1 connection-type respond
set vpn tunnel vti0 peer branch1
set vpn tunnel vti0 address {bgpIp}/30
set vpn tunnel vti0 mtu 1400
set protocols static route 192.168.10.0/24 next-hop tunnel vti0
set protocols static route 192.168.10.0/24 distance 250
set policy prefix-list VNET rule 10 action permit
set policy prefix-list VNET rule 10 prefix 10.1.0.0/16
set policy prefix-list BRANCHES rule 10 action permit
set policy prefix-list BRANCHES rule 10 prefix 192.168.0.0/16
set policy prefix-list BRANCHES rule 10 le 24
set protocols bgp local-as 65515
set protocols bgp router-id {vnetIp}
set protocols bgp network 10.1.0.0/16
set protocols bgp neighbor {BranchBgpIp(bgpIp)} remote-as 65010
set protocols bgp neighbor {BranchBgpIp(bgpIp)} tunnel vti0
set protocols bgp neighbor {BranchBgpIp(bgpIp)} timers keepalive 60
set protocols bgp neighbor {BranchBgpIp(bgpIp)} timers hold 180
set protocols bgp neighbor {BranchBgpIp(bgpIp)} connect-mode passive
set protocols bgp neighbor {BranchBgpIp(bgpIp)} prefix-list import BRANCHES
set protocols bgp neighbor {BranchBgpIp(bgpIp)} prefix-list export VNET
";

    /// <summary>The branch's APIPA address on the same /30 (x.x.x.1 -> x.x.x.2).</summary>
    private static string BranchBgpIp(string gatewayBgpIp) => gatewayBgpIp[..gatewayBgpIp.LastIndexOf('.')] + ".2";

    private DemoNode Node(string name, BoardProfile board, UdpNetwork wan, string wanIp, EthernetSwitch lanSwitch, ulong mac,
        string config, long seed, int latencyMs)
    {
        UdpHost host = wan.AddHost(name, UdpNetwork.Address(wanIp), latencyMs);
        MemoryUdpPort ike = host.CreatePort();
        MemoryUdpPort natt = host.CreatePort(256, 256);
        ike.Bind(host.Address, 500);
        natt.Bind(host.Address, 4500);
        MemoryNetPort lan = lanSwitch.AddPort(name, mac, rxCapacity: 256, txCapacity: 256);
        var console = new MemorySerial(4096, 1 << 20);
        var entropy = new SeededEntropy(seed);
        var hal = new ApplianceHal
        {
            Lan = lan,
            WanIke = ike,
            WanNatT = natt,
            Console = console,
            Entropy = entropy,
            Crypto = new HostCryptoProvider(),
            Random = new ManagedCryptoProvider().CreateRandom(entropy),
            LogSink = null,
        };
        var appliance = new Appliance(board.ToBoardInfo(), hal);
        ParseResult parsed = appliance.LoadConfig(config);
        if (!parsed.Ok)
        {
            throw new InvalidOperationException($"{name}: configuration refused: {string.Join("; ", parsed.Errors.Select(e => e.ToString()))}");
        }

        // The field CLI on the serial console (login off: the demo types as an operator who is logged in).
        ApplianceCli.Attach(appliance, new VpnAppliance.Cli.CliSettings { LoginRequired = false });
        Sim.AddNode(appliance.Poll);
        return new DemoNode { Name = name, Appliance = appliance, Console = console, Wan = host, Lan = lan };
    }
}
