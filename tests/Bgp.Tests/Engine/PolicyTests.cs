using VpnAppliance.Bgp.Policy;
using VpnAppliance.Bgp.Session;
using VpnAppliance.Bgp.Speaker;
using VpnAppliance.Bgp.Wire;
using static VpnAppliance.Bgp.Tests.Engine.Build;

namespace VpnAppliance.Bgp.Tests.Engine;

/// <summary>Import/export policy: prefix lists, RFC 8212, communities, cloud export rules, max-prefix, RFC 7606 treat-as-withdraw.</summary>
public class PolicyTests
{
    private static (BgpSpeaker Speaker, BgpSession Session, Recorder Log) Single(BgpPeerConfig peer, params string[] networks)
    {
        var log = new Recorder();
        var net = new MemoryNet();
        var e = net.Add(A, t => new BgpSpeaker(Caps(), t, log, log));
        e.Speaker.Configure(Settings(65010, 0x0A000001, peer).WithNetworks(networks), net.Now);
        return (e.Speaker, e.Speaker.FindPeer(peer.Address)!, log);
    }

    private static PrefixFilter List(params (string Prefix, int Ge, int Le, bool Permit)[] rules)
    {
        var f = new PrefixFilter("test", rules.Length);
        for (int i = 0; i < rules.Length; i++)
        {
            var parts = rules[i].Prefix.Split('/');
            f.Set(i, Ip(parts[0]), int.Parse(parts[1]), rules[i].Ge, rules[i].Le, rules[i].Permit, false, 0);
        }

        return f;
    }

    [Fact]
    public void EbgpPeerWithoutImportPolicyAcceptsNothing()
    {
        var peer = Peer(B, 65515, 65010, permitAll: false);
        var (s, session, _) = Single(peer);
        Updates.Feed(s, session, Updates.Attrs(B, 65515).Announce("10.1.0.0/16", "10.2.0.0/16"));
        Assert.Equal(0, s.Rib.PeerPathCount[session.Index]);
        Assert.Equal(2, s.PeerStateAt(session.Index).Rfc8212Denied);
    }

    [Fact]
    public void ImportPrefixListWithGeLe()
    {
        var peer = Peer(B, 65515, 65010);
        peer.Import = List(("10.0.0.0/8", 16, 24, true), ("0.0.0.0/0", 0, 32, false));
        var (s, session, _) = Single(peer);
        Updates.Feed(s, session, Updates.Attrs(B, 65515).Announce("10.1.0.0/16", "10.1.2.0/24", "10.0.0.0/8", "10.1.2.128/25", "192.168.0.0/16"));
        Assert.Equal(2, s.Rib.PeerPathCount[session.Index]);
        Assert.Equal(3, s.PeerStateAt(session.Index).ImportDenied);
    }

    [Fact]
    public void CommunityMatchInImportList()
    {
        var peer = Peer(B, 65515, 65010);
        var f = new PrefixFilter("c", 1);
        f.Set(0, 0, 0, 0, 32, true, true, WellKnownCommunity.Make(65515, 100));
        peer.Import = f;
        var (s, session, _) = Single(peer);
        var tagged = Updates.Attrs(B, 65515).Announce("10.1.0.0/16");
        tagged.AddCommunity(WellKnownCommunity.Make(65515, 100));
        Updates.Feed(s, session, tagged);
        Updates.Feed(s, session, Updates.Attrs(B, 65515).Announce("10.2.0.0/16"));
        Assert.Equal(1, s.Rib.PeerPathCount[session.Index]);
        Assert.True(s.Rib.FindPrefix(Ip("10.1.0.0"), 16) >= 0);
    }

    [Fact]
    public void OurAsInThePathIsALoop()
    {
        var (s, session, _) = Single(Peer(B, 65515, 65010));
        Updates.Feed(s, session, Updates.Attrs(B, 65515, 65010).Announce("10.1.0.0/16"));
        Assert.Equal(0, s.Rib.PeerPathCount[session.Index]);
        Assert.Equal(1, s.PeerStateAt(session.Index).AsLoopDenied);
    }

    [Fact]
    public void Rfc7606TreatAsWithdrawRemovesTheRoutes()
    {
        var (s, session, log) = Single(Peer(B, 65515, 65010));
        Updates.Feed(s, session, Updates.Attrs(B, 65515).Announce("10.1.0.0/16"));
        Assert.Equal(1, s.Rib.PeerPathCount[session.Index]);
        // The same prefix again with an ORIGIN of 7 (RFC 7606 §7.1: treat-as-withdraw).
        var bad = Updates.Encode(Updates.Attrs(B, 65515).Announce("10.1.0.0/16"), Updates.Session4(65515, 65010))[0];
        int originValue = FindAttribute(bad, PathAttributeType.Origin) + 3;
        bad[originValue] = 7;
        s.UpdateReceived(session, bad, 0, bad.Length, 2000);
        Assert.Equal(0, s.Rib.PeerPathCount[session.Index]);
        Assert.Equal(1, s.PeerStateAt(session.Index).TreatAsWithdraw);
        Assert.Contains(log.Lines, l => l.Contains("treated as withdraw"));
    }

    /// <summary>Offset of the attribute of <paramref name="type"/> in an encoded UPDATE (flags octet).</summary>
    private static int FindAttribute(byte[] m, int type)
    {
        int withdrawn = (m[19] << 8) | m[20];
        int p = 21 + withdrawn + 2;
        int end = p + ((m[21 + withdrawn] << 8) | m[22 + withdrawn]);
        while (p < end)
        {
            bool ext = (m[p] & 0x10) != 0;
            int len = ext ? (m[p + 2] << 8) | m[p + 3] : m[p + 2];
            if (m[p + 1] == type) return p;
            p += (ext ? 4 : 3) + len;
        }

        throw new InvalidOperationException("attribute not found");
    }

    [Fact]
    public void MaxPrefixWarningKeepsTheSession()
    {
        var peer = Peer(B, 65515, 65010);
        peer.MaxPrefix = 2;
        var (s, session, log) = Single(peer);
        Updates.Feed(s, session, Updates.Attrs(B, 65515).Announce("10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16", "10.4.0.0/16"));
        Assert.Equal(4, s.Rib.PeerPathCount[session.Index]);
        Assert.Single(log.Lines, l => l.Contains("more than 2 prefixes received (maximum-prefix, warning only)"));
    }

    [Fact]
    public void MaxPrefixTeardownSendsCeaseAndWaitsTheRestartTime()
    {
        var p = Pair.Default(a => { a.MaxPrefix = 2; a.MaxPrefixAction = MaxPrefixAction.Teardown; a.MaxPrefixRestartSeconds = 90; });
        var sb = p.SB.Settings;
        p.SB.Configure(Settings(sb.LocalAs, sb.RouterId, sb.Peers).WithNetworks("10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16"), p.Net.Now);
        Assert.True(p.Net.Run(() => p.AtoB.Counters.Drops == 1, 60_000));
        long down = p.Net.Now;
        p.Net.Advance(10);
        Assert.Contains(p.LogB.Lines, l => l.Contains("NOTIFICATION received: Cease/Maximum Number of Prefixes Reached"));
        Assert.Equal(0, p.SA.Rib.PeerPathCount[p.AtoB.Index]);
        Assert.True(p.Net.Run(() => p.AtoB.Counters.OpensSent > 2 && p.AtoB.State >= BgpState.Connect, 200_000));
        Assert.InRange(p.Net.Now - down, 89_000, 95_000);
    }

    [Fact]
    public void TheSynFilterRefusesTheHeldPeerUnknownSourcesAndOtherPortsPass()
    {
        // A closes on max-prefix and holds B in Idle for 90 s: B's SYNs are refused at the TCP (RST, no
        // handshake) until then; unknown sources always; SYNs to other ports are not the speaker's business.
        var p = Pair.Default(a => { a.MaxPrefix = 2; a.MaxPrefixAction = MaxPrefixAction.Teardown; a.MaxPrefixRestartSeconds = 90; });
        var filter = new VpnAppliance.Bgp.Transport.BgpSynFilter(p.SA);
        Assert.True(filter.Admits(A, 179, B, p.Net.Now));
        long unknown = p.SA.Counters.UnknownPeerConnections;
        Assert.False(filter.Admits(A, 179, Ip("192.0.2.99"), p.Net.Now));
        Assert.Equal(unknown + 1, p.SA.Counters.UnknownPeerConnections);
        Assert.True(filter.Admits(A, 22, Ip("192.0.2.99"), p.Net.Now));

        var sb = p.SB.Settings;
        p.SB.Configure(Settings(sb.LocalAs, sb.RouterId, sb.Peers).WithNetworks("10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16"), p.Net.Now);
        Assert.True(p.Net.Run(() => p.AtoB.Counters.Drops == 1, 60_000));
        long down = p.Net.Now;
        long refused = p.AtoB.Counters.ConnectionsRefused;
        Assert.False(filter.Admits(A, 179, B, down + 1_000));
        Assert.False(filter.Admits(A, 179, B, down + 85_000));
        Assert.Equal(refused + 2, p.AtoB.Counters.ConnectionsRefused);
        Assert.True(filter.Admits(A, 179, B, down + 95_000));
    }

    [Fact]
    public void AnActiveOnlyPeerIsNeverAdmitted()
    {
        var p = Pair.Default(a => a.Mode = ConnectMode.Active, b => b.Mode = ConnectMode.Passive);
        Assert.True(p.Net.Run(() => p.BothEstablished, 60_000));
        Assert.False(new VpnAppliance.Bgp.Transport.BgpSynFilter(p.SA).Admits(A, 179, B, p.Net.Now));
        Assert.True(new VpnAppliance.Bgp.Transport.BgpSynFilter(p.SB).Admits(B, 179, A, p.Net.Now));
    }

    private static Pair CloudPair(CloudKind cloud, int limit, params string[] networksA)
    {
        var pa = Peer(B, 65515, 65010);
        pa.Cloud = cloud;
        pa.AdvertiseLimit = limit;
        var pb = Peer(A, 65010, 65515);
        var p = new Pair(Settings(65010, 0x0A000001, pa).WithNetworks(networksA), Settings(65515, 0x0A000002, pb).WithNetworks("10.100.0.0/16"));
        Assert.True(p.Net.Run(() => p.BothEstablished, 60_000));
        p.Net.Advance(100);
        return p;
    }

    [Fact]
    public void AlibabaNeverGetsTheDefaultRouteNorSharedAddressSpace()
    {
        var p = CloudPair(CloudKind.Alibaba, 50, "0.0.0.0/0", "100.64.0.0/10", "100.70.1.0/24", "10.1.0.0/16");
        Assert.Equal(1, p.SB.Rib.PeerPathCount[p.BtoA.Index]);
        Assert.True(p.SB.Rib.FindPrefix(Ip("10.1.0.0"), 16) >= 0);
    }

    [Fact]
    public void AzureNeverGetsItsOwnVnetPrefixBackEvenFromAnotherPeer()
    {
        // A learns 10.100.0.0/16 from Azure (B) and also originates it: identical to the VNet: not sent to B.
        var p = CloudPair(CloudKind.Azure, 4000, "10.100.0.0/16", "10.100.5.0/24", "10.1.0.0/16");
        Assert.True(p.SB.Rib.FindPrefix(Ip("10.100.5.0"), 24) >= 0);
        Assert.True(p.SB.Rib.FindPrefix(Ip("10.1.0.0"), 16) >= 0);
        Assert.Equal(2, p.SB.Rib.PeerPathCount[p.BtoA.Index]);
    }

    [Fact]
    public void AdvertisedPrefixesAreCappedAtTheCloudLimitWithOneWarning()
    {
        var nets = Enumerable.Range(1, 60).Select(i => $"10.{i}.0.0/16").ToArray();
        var p = CloudPair(CloudKind.Alibaba, 50, nets);
        Assert.Equal(50, p.SB.Rib.PeerPathCount[p.BtoA.Index]);
        Assert.Single(p.LogA.Lines, l => l.Contains("advertising at most 50 prefixes (alibaba limit)"));
        Assert.Equal(10, p.SA.PeerStateAt(p.AtoB.Index).AdvertiseLimited);

        // Ten networks fewer: the ten held back go out now, still at most 50.
        var s = p.SA.Settings;
        p.SA.Configure(Settings(s.LocalAs, s.RouterId, s.Peers).WithNetworks(nets.Skip(10).ToArray()), p.Net.Now);
        p.Net.Advance(100);
        Assert.Equal(50, p.SB.Rib.PeerPathCount[p.BtoA.Index]);
        Assert.True(p.SB.Rib.FindPrefix(Ip("10.60.0.0"), 16) >= 0);
    }

    [Fact]
    public void NoExportNoAdvertiseAndAzureTagAreHonoured()
    {
        // A hears three prefixes from B (a cloud) and passes them to C (another eBGP peer).
        var net = new MemoryNet();
        var logA = new Recorder();
        var ea = net.Add(A, t => new BgpSpeaker(Caps(), t, logA, logA));
        var ec = net.Add(C, t => new BgpSpeaker(Caps(), t, new Recorder(), new Recorder()));
        var toB = Peer(B, 65515, 65010);
        var toC = Peer(C, 65020, 65010);
        toC.ExportCommunities = new[] { WellKnownCommunity.Make(65010, 7) };
        ea.Speaker.Configure(Settings(65010, 1, toB, toC), net.Now);
        ec.Speaker.Configure(Settings(65020, 3, Peer(A, 65010, 65020)), net.Now);
        Assert.True(net.Run(() => ea.Speaker.FindPeer(C)!.IsEstablished, 60_000));
        var fromB = ea.Speaker.FindPeer(B)!;
        var noExport = Updates.Attrs(B, 65515).Announce("10.1.0.0/16");
        noExport.AddCommunity(WellKnownCommunity.NoExport);
        var noAdvertise = Updates.Attrs(Ip("169.254.21.9"), 65515).Announce("10.2.0.0/16");
        noAdvertise.AddCommunity(WellKnownCommunity.NoAdvertise);
        var tagged = Updates.Attrs(Ip("169.254.21.8"), 65515).Announce("10.3.0.0/16");
        tagged.AddCommunity(CloudExportRules.AzureLoopCommunity);
        tagged.AddLargeCommunity(65515, 1, 2);
        Updates.Feed(ea.Speaker, fromB, noExport, net.Now);
        Updates.Feed(ea.Speaker, fromB, noAdvertise, net.Now);
        Updates.Feed(ea.Speaker, fromB, tagged, net.Now);
        net.Advance(100);
        var rc = ec.Speaker.Rib;
        Assert.Equal(1, rc.PathCount);
        int attr = rc.PathAttr[rc.Best[rc.FindPrefix(Ip("10.3.0.0"), 16)]];
        var back = new ParsedUpdate(null);
        rc.Attributes.Load(attr, back);
        Assert.False(back.HasCommunity(CloudExportRules.AzureLoopCommunity));
        Assert.True(back.HasCommunity(WellKnownCommunity.Make(65010, 7)));
        Assert.Equal(1, back.LargeCommunityCount);
        Assert.Equal("65010 65515", BgpSpeaker.AsPathText(back.AsPath));
    }

    [Fact]
    public void UnknownOptionalTransitiveAttributeIsPassedOnWithThePartialBit()
    {
        var net = new MemoryNet();
        var ea = net.Add(A, t => new BgpSpeaker(Caps(), t, new Recorder(), new Recorder()));
        var ec = net.Add(C, t => new BgpSpeaker(Caps(), t, new Recorder(), new Recorder()));
        ea.Speaker.Configure(Settings(65010, 1, Peer(B, 65515, 65010), Peer(C, 65020, 65010)), net.Now);
        ec.Speaker.Configure(Settings(65020, 3, Peer(A, 65010, 65020)), net.Now);
        Assert.True(net.Run(() => ea.Speaker.FindPeer(C)!.IsEstablished, 60_000));
        var u = Updates.Attrs(B, 65515).Announce("10.9.0.0/16");
        var raw = new byte[] { 0xC0, 0x63, 0x02, 0xAB, 0xCD }; // optional transitive type 99, unknown here
        Assert.True(u.AddTransit(raw, 0, raw.Length, 0));
        var m = Updates.Encode(u, Updates.Session4(65515, 65010))[0];
        var fromB = ea.Speaker.FindPeer(B)!;
        fromB.Params.FourOctetAs = true;
        fromB.Params.PeerAs = 65515;
        fromB.Params.LocalAs = 65010;
        ea.Speaker.UpdateReceived(fromB, m, 0, m.Length, net.Now);
        net.Advance(100);
        var rc = ec.Speaker.Rib;
        var back = new ParsedUpdate(null);
        rc.Attributes.Load(rc.PathAttr[rc.Best[rc.FindPrefix(Ip("10.9.0.0"), 16)]], back);
        Assert.Equal(1, back.TransitCount);
        Assert.Equal(99, back.TransitType[0]);
        Assert.Equal(0xE0, back.TransitBytes[back.TransitOffset[0]]); // Optional | Transitive | Partial
    }

    [Fact]
    public void EbgpPeerWithoutExportPolicyIsSentNothing()
    {
        var p = Pair.Default(a => a.Export = null);
        var sb = p.SA.Settings;
        p.SA.Configure(Settings(sb.LocalAs, sb.RouterId, sb.Peers).WithNetworks("10.1.0.0/16"), p.Net.Now);
        Assert.True(p.Net.Run(() => p.BothEstablished, 60_000));
        p.Net.Advance(100);
        Assert.Equal(0, p.SB.Rib.PeerPathCount[p.BtoA.Index]);
        Assert.True(p.SB.PeerStateAt(p.BtoA.Index).EndOfRibReceived);
    }
}
