using VpnAppliance.Bgp.Policy;
using VpnAppliance.Bgp.Rib;
using VpnAppliance.Bgp.Session;
using VpnAppliance.Bgp.Speaker;
using VpnAppliance.Bgp.Wire;
using static VpnAppliance.Bgp.Tests.Engine.Build;

namespace VpnAppliance.Bgp.Tests.Engine;

/// <summary>Routes between speakers: origination, export attributes, withdrawals, End-of-RIB, multipath, route refresh, show.</summary>
public class RouteExchangeTests
{
    private static Pair Exchange(Action<BgpPeerConfig>? tuneA = null, Action<BgpPeerConfig>? tuneB = null, string[]? networksA = null)
    {
        var pa = Peer(B, 65515, 65010);
        var pb = Peer(A, 65010, 65515);
        tuneA?.Invoke(pa);
        tuneB?.Invoke(pb);
        var p = new Pair(Settings(65010, 0x0A000001, pa).WithNetworks(networksA ?? new[] { "10.1.0.0/16", "10.2.0.0/16" }),
            Settings(65515, 0x0A000002, pb).WithNetworks("192.168.0.0/16"));
        Assert.True(p.Net.Run(() => p.BothEstablished, 60_000));
        p.Net.Advance(100);
        return p;
    }

    [Fact]
    public void OriginatedNetworksReachThePeerWithOurAsAndNextHop()
    {
        var p = Exchange();
        var rib = p.SB.Rib;
        int prefix = rib.FindPrefix(Ip("10.1.0.0"), 16);
        Assert.True(prefix >= 0);
        int best = rib.Best[prefix];
        Assert.Equal(A, rib.Attributes.NextHop[rib.PathAttr[best]]);
        Assert.Equal(65010u, rib.Attributes.FirstAs[rib.PathAttr[best]]);
        Assert.Equal(1, rib.Attributes.PathLength[rib.PathAttr[best]]);
        Assert.Equal(new[] { A }, p.LogB.Routes[(Ip("10.1.0.0"), 16)]);
        Assert.Equal(new[] { B }, p.LogA.Routes[(Ip("192.168.0.0"), 16)]);
        // Both networks share one UPDATE (same attributes), then End-of-RIB.
        Assert.Equal(2, p.BtoA.Counters.UpdatesReceived);
        Assert.True(p.SB.PeerStateAt(p.BtoA.Index).EndOfRibReceived);
        Assert.Equal(2, p.SA.Rib.PeerAdvertisedCount[p.AtoB.Index]);
    }

    [Fact]
    public void PrependAndMedAreAppliedOnExport()
    {
        var p = Exchange(a => { a.Prepend = 2; a.HasMed = true; a.Med = 50; });
        var rib = p.SB.Rib;
        int attr = rib.PathAttr[rib.Best[rib.FindPrefix(Ip("10.1.0.0"), 16)]];
        Assert.Equal(3, rib.Attributes.PathLength[attr]);
        Assert.True((rib.Attributes.Flags[attr] & AttributeFlags.HasMed) != 0);
        Assert.Equal(50u, rib.Attributes.Med[attr]);
    }

    [Fact]
    public void ReconfiguredNetworksAreWithdrawnAndPolicyChangeKeepsTheSession()
    {
        var p = Exchange();
        var s = p.SA.Settings;
        var fewer = Settings(s.LocalAs, s.RouterId, s.Peers).WithNetworks("10.1.0.0/16");
        p.SA.Configure(fewer, p.Net.Now);
        p.Net.Advance(100);
        Assert.True(p.SB.Rib.FindPrefix(Ip("10.2.0.0"), 16) < 0);
        Assert.False(p.LogB.Routes.ContainsKey((Ip("10.2.0.0"), 16)));
        Assert.Equal(1, p.AtoB.Counters.EstablishedTransitions);

        // Export policy change: same session, re-evaluated at once (and a ROUTE-REFRESH asked from the peer).
        var deny = new PrefixFilter("none", 1);
        deny.Set(0, 0, 0, 0, 32, false, false, 0);
        var pa = Peer(B, 65515, 65010);
        pa.Export = deny;
        p.SA.Configure(Settings(65010, 0x0A000001, pa).WithNetworks("10.1.0.0/16"), p.Net.Now);
        p.Net.Advance(100);
        Assert.True(p.BothEstablished);
        Assert.Equal(1, p.AtoB.Counters.EstablishedTransitions);
        Assert.Equal(0, p.SB.Rib.PeerPathCount[p.BtoA.Index]);
        Assert.Equal(1, p.AtoB.Counters.RouteRefreshSent);
        Assert.Equal(1, p.BtoA.Counters.RouteRefreshReceived);
    }

    [Fact]
    public void SessionLossWithoutGracefulRestartRemovesTheRoutes()
    {
        var p = Exchange(a => a.GracefulRestart = false, b => b.GracefulRestart = false);
        Assert.True(p.LogB.Routes.ContainsKey((Ip("10.1.0.0"), 16)));
        p.Net.Cut(p.EA, p.EB, silent: false);
        p.Net.Advance(10);
        Assert.False(p.BtoA.IsEstablished);
        Assert.False(p.LogB.Routes.ContainsKey((Ip("10.1.0.0"), 16)));
        Assert.Equal(0, p.SB.Rib.PeerPathCount[p.BtoA.Index]);
    }

    [Fact]
    public void RouteRefreshResendsOurRoutes()
    {
        var p = Exchange();
        long before = p.BtoA.Counters.UpdatesReceived;
        Assert.True(p.SB.RequestRouteRefresh(A));
        p.Net.Advance(100);
        Assert.Equal(1, p.AtoB.Counters.RouteRefreshReceived);
        Assert.True(p.BtoA.Counters.UpdatesReceived > before);
    }

    [Fact]
    public void ShowOutputLooksLikeFrr()
    {
        var p = Exchange();
        var o = new Recorder();
        p.SA.ShowSummary(o, p.Net.Now);
        string text = o.Text.ToString();
        Assert.Contains("BGP router identifier 10.0.0.1, local AS number 65010", text);
        Assert.Contains("Neighbor        V         AS   MsgRcvd   MsgSent", text);
File.WriteAllText("/tmp/art-bgp/show-summary.txt", text);
        Assert.Matches(@"169\.254\.21\.1    4      65515 +\d+ +\d+ +0 +0 +0 00:00:0\d +1 +2\n", text.Replace("\r", ""));
        
        o.Text.Clear();
        Assert.True(p.SA.ShowNeighbor(B, BgpSpeaker.ShowDetail, o, p.Net.Now));
        Assert.Contains("BGP neighbor is 169.254.21.1, remote AS 65515, local AS 65010, external link", o.Text.ToString());
        Assert.Contains("BGP state = Established", o.Text.ToString());
        o.Text.Clear();
        p.SB.ShowNeighbor(A, BgpSpeaker.ShowReceivedRoutes, o, p.Net.Now);
        Assert.Contains("*> 10.1.0.0/16      169.254.21.2", o.Text.ToString());
        Assert.Contains(" 65010 i\n", o.Text.ToString());
        Assert.Contains("Total number of prefixes 2", o.Text.ToString());
        o.Text.Clear();
        p.SA.ShowNeighbor(B, BgpSpeaker.ShowAdvertisedRoutes, o, p.Net.Now);
        Assert.Contains("*> 10.2.0.0/16      0.0.0.0", o.Text.ToString());
        Assert.Contains("32768 i", o.Text.ToString());
    }

    [Fact]
    public void EqualPathsFromTwoTunnelsFormOneEcmpSet()
    {
        // Azure active-active: two gateway instances (B and C, same AS) announce the same VNet over two tunnels.
        var net = new MemoryNet();
        var log = new Recorder();
        var pa1 = Peer(B, 65515, 65010);
        var pa2 = Peer(C, 65515, 65010);
        var settingsA = Settings(65010, 0x0A000001, pa1, pa2);
        settingsA.MaximumPaths = 4;
        var ea = net.Add(A, t => new BgpSpeaker(Caps(), t, log, log));
        var eb = net.Add(B, t => new BgpSpeaker(Caps(), t, new Recorder(), new Recorder()));
        var ec = net.Add(C, t => new BgpSpeaker(Caps(), t, new Recorder(), new Recorder()));
        ea.Speaker.Configure(settingsA, net.Now);
        eb.Speaker.Configure(Settings(65515, 0x0A0000B1, Peer(A, 65010, 65515)).WithNetworks("10.50.0.0/16"), net.Now);
        ec.Speaker.Configure(Settings(65515, 0x0A0000C1, Peer(A, 65010, 65515)).WithNetworks("10.50.0.0/16"), net.Now);
        Assert.True(net.Run(() => ea.Speaker.FindPeer(B)!.IsEstablished && ea.Speaker.FindPeer(C)!.IsEstablished, 60_000));
        net.Advance(100);
        Assert.Equal(new[] { B, C }.OrderBy(x => x), log.Routes[(Ip("10.50.0.0"), 16)].OrderBy(x => x));

        // One tunnel fails: the set shrinks to the other next hop at once.
        Assert.True(ea.Speaker.PeerDown(B, net.Now));
        ea.Speaker.Poll(net.Now);
        Assert.Equal(new[] { C }, log.Routes[(Ip("10.50.0.0"), 16)]);

        // maximum-paths 1: a single best path (lowest router id, RFC 4271 §9.1.2.2 f).
        Assert.True(net.Run(() => ea.Speaker.FindPeer(B)!.IsEstablished, 300_000));
        net.Advance(100);
        settingsA.MaximumPaths = 1;
        ea.Speaker.Configure(settingsA, net.Now);
        ea.Speaker.Poll(net.Now);
        Assert.Equal(new[] { B }, log.Routes[(Ip("10.50.0.0"), 16)]);
    }
}
