using VpnAppliance.Bgp.Policy;
using VpnAppliance.Bgp.Session;
using VpnAppliance.Bgp.Speaker;
using VpnAppliance.Config;
using static VpnAppliance.Bgp.Tests.Engine.Build;

namespace VpnAppliance.Bgp.Tests.Engine;

/// <summary>From the configuration text to the speaker: cloud defaults, tunnels, filters, reconfiguration.</summary>
public class ConfigReaderTests
{
    private const string Text = """
        set interfaces lan address 192.168.10.1/24
        set interfaces wan address 198.18.0.2/24
        set interfaces loopback address 10.255.0.1/32
        set vpn ike-group IKE proposal aes256-sha256-modp2048
        set vpn esp-group ESP proposal aes256gcm16
        set vpn peer az address 198.18.1.10
        set vpn peer az profile azure
        set vpn peer az psk "a sufficiently long shared key"
        set vpn peer az ike-group IKE
        set vpn peer az esp-group ESP
        set vpn peer aws address 198.18.1.20
        set vpn peer aws profile aws
        set vpn peer aws psk "another sufficiently long key"
        set vpn peer aws ike-group IKE
        set vpn peer aws esp-group ESP
        set vpn tunnel vti0 peer az
        set vpn tunnel vti0 address 169.254.21.2/30
        set vpn tunnel vti3 peer aws
        set vpn tunnel vti3 address 169.254.100.2/30
        set policy prefix-list IN rule 10 action permit
        set policy prefix-list IN rule 10 prefix 10.0.0.0/8
        set policy prefix-list IN rule 10 le 24
        set policy prefix-list IN rule 5 action deny
        set policy prefix-list IN rule 5 prefix 10.99.0.0/16
        set policy prefix-list IN rule 5 le 32
        set policy prefix-list OUT rule 10 action permit
        set policy prefix-list OUT rule 10 prefix 192.168.10.0/24
        set protocols bgp local-as 65010
        set protocols bgp maximum-paths 2
        set protocols bgp network 192.168.10.0/24
        set protocols bgp neighbor 169.254.21.1 remote-as 65515
        set protocols bgp neighbor 169.254.21.1 prefix-list import IN
        set protocols bgp neighbor 169.254.21.1 prefix-list export OUT
        set protocols bgp neighbor 169.254.100.1 remote-as 64512
        set protocols bgp neighbor 169.254.100.1 prefix-list import IN
        set protocols bgp neighbor 169.254.100.1 prefix-list export OUT
        set protocols bgp neighbor 169.254.100.1 ebgp-multihop 2
        set protocols bgp neighbor 169.254.100.1 connect-mode active
        set protocols bgp neighbor 169.254.100.1 graceful-restart disable
        """;

    private static ConfigModel Model(string text)
    {
        var r = ConfigText.Parse(text);
        Assert.True(r.Ok, string.Join(" | ", (object[])r.Errors));
        return r.Model;
    }

    [Fact]
    public void CloudDefaultsTunnelsAndFiltersAreResolved()
    {
        var s = BgpConfigReader.Read(Model(Text), null);
        Assert.Equal(65010u, s.LocalAs);
        Assert.Equal(Ip("10.255.0.1"), s.RouterId);
        Assert.Equal(2, s.MaximumPaths);
        Assert.Equal(Ip("192.168.10.0"), s.NetworkAddress.Single());
        var az = s.Peers.Single(p => p.Address == Ip("169.254.21.1"));
        Assert.Equal(CloudKind.Azure, az.Cloud);
        Assert.Equal(180, az.HoldTime);
        Assert.Equal(4000, az.AdvertiseLimit);
        Assert.Equal(0, az.TunnelId);
        Assert.Equal(Ip("169.254.21.2"), az.LocalAddress);
        Assert.Equal(1, az.Ttl);
        Assert.True(az.GracefulRestart);
        var aws = s.Peers.Single(p => p.Address == Ip("169.254.100.1"));
        Assert.Equal(CloudKind.Aws, aws.Cloud);
        Assert.Equal(30, aws.HoldTime);
        Assert.Equal(100, aws.AdvertiseLimit);
        Assert.Equal(3, aws.TunnelId);
        Assert.Equal(2, aws.Ttl);
        Assert.Equal(ConnectMode.Active, aws.Mode);
        Assert.False(aws.GracefulRestart);
        // Rules in number order: 5 denies 10.99/16 before 10 permits 10/8 le 24.
        Assert.False(az.Import!.Permits(Ip("10.99.1.0"), 24, null, 0, 0));
        Assert.True(az.Import.Permits(Ip("10.1.0.0"), 16, null, 0, 0));
        Assert.False(az.Import.Permits(Ip("10.1.1.128"), 25, null, 0, 0));
        Assert.True(az.Export!.Permits(Ip("192.168.10.0"), 24, null, 0, 0));
        Assert.False(az.Export.Permits(Ip("192.168.10.0"), 25, null, 0, 0));
    }

    [Fact]
    public void UnchangedPolicyReusesFiltersAndTheSessionStays()
    {
        var first = BgpConfigReader.Read(Model(Text), null);
        var second = BgpConfigReader.Read(Model(Text), first);
        Assert.Same(first.Peers[0].Import, second.Peers[0].Import);
        var changed = BgpConfigReader.Read(Model(Text.Replace("rule 10 le 24", "rule 10 le 23")), first);
        Assert.NotSame(first.Peers[0].Import, changed.Peers[0].Import);

        var net = new MemoryNet();
        var log = new Recorder();
        var e = net.Add(Ip("169.254.21.2"), t => new BgpSpeaker(Caps(), t, log, log));
        Assert.Equal(0, e.Speaker.Configure(first, net.Now));
        Assert.Equal(2, e.Speaker.Settings.Peers.Length);
        e.Speaker.Configure(second, net.Now);
        Assert.Equal(0, e.Speaker.FindPeer(Ip("169.254.21.1"))!.Counters.NotificationsSent);
    }

    [Fact]
    public void MorePeersThanSlotsAreCountedAndLogged()
    {
        var s = BgpConfigReader.Read(Model(Text), null);
        var net = new MemoryNet();
        var log = new Recorder();
        var e = net.Add(Ip("169.254.21.2"), t => new BgpSpeaker(Caps(peers: 1), t, log, log));
        Assert.Equal(1, e.Speaker.Configure(s, net.Now));
        Assert.Contains(log.Lines, l => l.Contains("only 1 BGP peers fit this board"));
    }
}
