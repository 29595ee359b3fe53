using static VpnAppliance.Bgp.Tests.Engine.Build;

namespace VpnAppliance.Bgp.Tests.Engine;

/// <summary>Graceful restart helper (RFC 4724 §4.2): stale routes kept across a session loss, swept at End-of-RIB or when the restart time is over.</summary>
public class GracefulRestartTests
{
    private static Pair Up()
    {
        var pa = Peer(B, 65515, 65010);
        var pb = Peer(A, 65010, 65515);
        var p = new Pair(Settings(65010, 1, pa).WithNetworks("10.1.0.0/16", "10.2.0.0/16"), Settings(65515, 2, pb));
        Assert.True(p.Net.Run(() => p.BothEstablished, 60_000));
        p.Net.Advance(100);
        Assert.True(p.BtoA.PeerGracefulRestart);
        Assert.Equal(2, p.SB.Rib.PeerPathCount[p.BtoA.Index]);
        return p;
    }

    [Fact]
    public void StaleRoutesStayUntilEndOfRibThenTheMissingOnesGo()
    {
        var p = Up();
        p.Net.Cut(p.EA, p.EB, silent: false);
        p.Net.Advance(10);
        Assert.False(p.BtoA.IsEstablished);
        Assert.Equal(2, p.SB.Rib.StaleCount(p.BtoA.Index));
        Assert.True(p.LogB.Routes.ContainsKey((Ip("10.2.0.0"), 16)));
        Assert.Contains(p.LogB.Lines, l => l.Contains("graceful restart: keeping 2 routes as stale for up to 120 s"));

        // A comes back with one network only; its End-of-RIB sweeps the other.
        var s = p.SA.Settings;
        p.SA.Configure(Settings(s.LocalAs, s.RouterId, s.Peers).WithNetworks("10.1.0.0/16"), p.Net.Now);
        Assert.True(p.Net.Run(() => p.BothEstablished, 120_000));
        Assert.True(p.Net.Run(() => p.SB.PeerStateAt(p.BtoA.Index).EndOfRibReceived, 10_000));
        p.Net.Advance(10);
        Assert.Equal(0, p.SB.Rib.StaleCount(p.BtoA.Index));
        Assert.Equal(1, p.SB.Rib.PeerPathCount[p.BtoA.Index]);
        Assert.True(p.LogB.Routes.ContainsKey((Ip("10.1.0.0"), 16)));
        Assert.False(p.LogB.Routes.ContainsKey((Ip("10.2.0.0"), 16)));
        Assert.Contains(p.LogB.Lines, l => l.Contains("End-of-RIB received, 1 stale routes removed"));
    }

    [Fact]
    public void StaleRoutesGoWhenThePeerDoesNotComeBackInTime()
    {
        var p = Up();
        p.Net.Cut(p.EA, p.EB, silent: false);
        p.Net.Blocked.Add((A, B));
        p.Net.Advance(119_000);
        Assert.Equal(2, p.SB.Rib.PeerPathCount[p.BtoA.Index]);
        p.Net.Advance(2_000);
        Assert.Equal(0, p.SB.Rib.PeerPathCount[p.BtoA.Index]);
        Assert.Empty(p.LogB.Routes);
    }

    [Fact]
    public void WithoutTheCapabilityRoutesGoAtOnce()
    {
        var pa = Peer(B, 65515, 65010);
        pa.GracefulRestart = false;
        var p = new Pair(Settings(65010, 1, pa).WithNetworks("10.1.0.0/16"), Settings(65515, 2, Peer(A, 65010, 65515)));
        Assert.True(p.Net.Run(() => p.BothEstablished, 60_000));
        p.Net.Advance(100);
        Assert.False(p.BtoA.PeerGracefulRestart);
        p.Net.Cut(p.EA, p.EB, silent: false);
        p.Net.Advance(10);
        Assert.Equal(0, p.SB.Rib.PeerPathCount[p.BtoA.Index]);
    }

    [Fact]
    public void NotificationEndsWithoutStaleRoutes()
    {
        var p = Up();
        p.AtoB.Stop(VpnAppliance.Bgp.Wire.NotificationCode.CeaseAdministrativeReset, p.Net.Now);
        p.Net.Advance(10);
        Assert.Equal(0, p.SB.Rib.PeerPathCount[p.BtoA.Index]);
    }
}
