using VpnAppliance.Bgp.Session;
using VpnAppliance.Bgp.Wire;
using static VpnAppliance.Bgp.Tests.Engine.Build;

namespace VpnAppliance.Bgp.Tests.Engine;

/// <summary>The FSM (RFC 4271 §8) between two speakers over the in-memory pipe.</summary>
public class SessionTests
{
    public static IEnumerable<object[]> TimerCombinations()
    {
        // hold A, keepalive A, hold B, keepalive B: cloud defaults (azure 60/180, aws 10/30, gcp 20/60), zero hold, mixed.
        yield return new object[] { 180, -1, 180, -1 };
        yield return new object[] { 180, 60, 30, 10 };
        yield return new object[] { 60, 20, 180, -1 };
        yield return new object[] { 30, -1, 90, 5 };
        yield return new object[] { 0, -1, 180, -1 };
        yield return new object[] { 0, 0, 0, 0 };
        yield return new object[] { 3, -1, 3, 1 };
        yield return new object[] { 90, 50, 90, -1 };
    }

    [Theory]
    [MemberData(nameof(TimerCombinations))]
    public void TwoSpeakersReachEstablishedAndStayUpWithEveryTimerCombination(int holdA, int kaA, int holdB, int kaB)
    {
        var p = Pair.Default(a => { a.HoldTime = holdA; a.Keepalive = kaA; }, b => { b.HoldTime = holdB; b.Keepalive = kaB; });
        Assert.True(p.Net.Run(() => p.BothEstablished, 60_000));
        int hold = Math.Min(holdA, holdB);
        Assert.Equal(hold, p.AtoB.Params.HoldTime);
        Assert.Equal(hold, p.BtoA.Params.HoldTime);

        // Ten hold times (or ten minutes with hold 0) later the sessions are still up: keepalives flowed.
        long keepalivesBefore = p.AtoB.Counters.KeepalivesReceived;
        p.Net.Advance(Math.Max(hold, 60) * 10_000L);
        Assert.True(p.BothEstablished);
        Assert.Equal(1, p.AtoB.Counters.EstablishedTransitions);
        Assert.Equal(1, p.BtoA.Counters.EstablishedTransitions);
        if (hold > 0)
        {
            // Keepalive = configured value capped at hold/3, else hold/3 (RFC 4271 §10).
            int expectB = kaB >= 0 ? Math.Min(kaB, hold / 3) : hold / 3;
            if (expectB > 0)
                Assert.InRange(p.AtoB.Counters.KeepalivesReceived - keepalivesBefore, 10L * Math.Max(hold, 60) / expectB - 2, 10L * Math.Max(hold, 60) / expectB + 2);
        }
        else
        {
            Assert.Equal(keepalivesBefore, p.AtoB.Counters.KeepalivesReceived);
        }
    }

    [Theory]
    [InlineData(0x0A000001u, 0x0A000002u)]
    [InlineData(0x0A000009u, 0x0A000002u)]
    public void CollisionKeepsTheConnectionOpenedByTheHigherIdentifier(uint idA, uint idB)
    {
        // Both sides open at the same instant (ConnectMode.Both): two TCP connections, one OPEN exchange survives (RFC 4271 §6.8).
        var p = Pair.Default(idA: idA, idB: idB);
        Assert.True(p.Net.Run(() => p.BothEstablished, 60_000));
        Assert.True(p.AtoB.Counters.Collisions + p.BtoA.Counters.Collisions >= 1);
        bool aHigher = idA > idB;
        Assert.Equal(aHigher, p.EA.WeOpened(p.AtoB));
        Assert.Equal(!aHigher, p.EB.WeOpened(p.BtoA));
        p.Net.Advance(600_000);
        Assert.True(p.BothEstablished);
        Assert.Equal(1, p.AtoB.Counters.EstablishedTransitions);
    }

    [Fact]
    public void PassiveMeetsActive()
    {
        var p = Pair.Default(a => a.Mode = ConnectMode.Active, b => b.Mode = ConnectMode.Passive);
        Assert.True(p.Net.Run(() => p.BothEstablished, 60_000));
        Assert.True(p.EA.WeOpened(p.AtoB));
        Assert.Equal(0, p.EA.Accepted);
    }

    [Fact]
    public void TwoPassiveSidesNeverConnect()
    {
        var p = Pair.Default(a => a.Mode = ConnectMode.Passive, b => b.Mode = ConnectMode.Passive);
        Assert.False(p.Net.Run(() => p.AtoB.IsEstablished, 300_000));
        Assert.Equal(BgpState.Active, p.AtoB.State);
    }

    [Fact]
    public void ActiveOnlyRefusesThePeersConnection()
    {
        // Azure APIPA: we must open; B (passive here) cannot reach us, only our open works.
        var p = Pair.Default(a => a.Mode = ConnectMode.Active);
        Assert.True(p.Net.Run(() => p.BothEstablished, 60_000));
        Assert.True(p.EA.WeOpened(p.AtoB));
        Assert.True(p.AtoB.Counters.ConnectionsRefused >= 1);
        Assert.Equal(1, p.AtoB.Counters.EstablishedTransitions);
    }

    [Fact]
    public void HoldTimerExpiryClosesWithNotificationAndBacksOff()
    {
        var p = Pair.Default(a => a.HoldTime = 30, b => b.HoldTime = 30);
        Assert.True(p.Net.Run(() => p.BothEstablished, 60_000));
        p.Net.Cut(p.EA, p.EB, silent: true); // the tunnel dies without any close
        long t0 = p.Net.Now;
        int notifications = p.AtoB.Counters.NotificationsSent;
        Assert.True(p.Net.Run(() => !p.AtoB.IsEstablished, 60_000));
        Assert.InRange(p.Net.Now - t0, 20_000, 31_000);
        Assert.Equal(1, p.AtoB.Counters.HoldTimerExpired);
        Assert.Equal(notifications + 1, p.AtoB.Counters.NotificationsSent);
        Assert.Contains(p.LogA.Lines, l => l.Contains("bgp 169.254.21.1: down: hold timer expired") && l.Contains("Hold Timer Expired"));
        Assert.Equal(BgpState.Idle, p.AtoB.State);

        // After the IdleHold back-off the sessions come back once the link does.
        p.Net.Blocked.Clear();
        Assert.True(p.Net.Run(() => p.BothEstablished, 300_000));
    }

    [Fact]
    public void BadPeerAsIsRefusedWithOneClearLine()
    {
        var p = Pair.Default(a => a.RemoteAs = 65516);
        p.Net.Advance(3_000);
        Assert.False(p.AtoB.IsEstablished);
        Assert.Contains(p.LogA.Lines, l => l == "W bgp 169.254.21.1: OPEN rejected: bad peer AS 65515 (expected 65516): set protocols bgp neighbor 169.254.21.1 remote-as (sent NOTIFICATION OPEN Message Error/Bad Peer AS)");
        Assert.Contains(p.LogB.Lines, l => l.Contains("NOTIFICATION received: OPEN Message Error/Bad Peer AS"));
        Assert.True(p.AtoB.Counters.NotificationsSent >= 1);
    }

    [Fact]
    public void IdleHoldBacksOffAfterRepeatedErrors()
    {
        var p = Pair.Default(a => a.RemoteAs = 65516);
        p.Net.Advance(400_000);
        // 5, 10, 20, 40, 80, 120, 120 s between attempts: about 7 OPENs in 400 s, not 80.
        Assert.InRange(p.AtoB.Counters.OpensSent, 4, 20); // two connections per attempt (both sides open)
    }

    [Fact]
    public void ManualStopSendsCeaseAndPeerSeesIt()
    {
        var p = Pair.Default();
        Assert.True(p.Net.Run(() => p.BothEstablished, 60_000));
        p.AtoB.Stop(NotificationCode.CeaseAdministrativeShutdown, p.Net.Now);
        Assert.True(p.Net.Run(() => !p.BtoA.IsEstablished, 5_000));
        Assert.Contains(p.LogB.Lines, l => l.Contains("Cease/Administrative Shutdown"));
        Assert.Equal(BgpState.Idle, p.AtoB.State);
    }

    [Fact]
    public void TunnelDownClosesAtOnce()
    {
        var p = Pair.Default(a => a.TunnelId = 3);
        Assert.True(p.Net.Run(() => p.BothEstablished, 60_000));
        Assert.Equal(1, p.SA.TunnelDown(3, p.Net.Now));
        Assert.False(p.AtoB.IsEstablished);
        Assert.Equal(0, p.SA.TunnelDown(4, p.Net.Now));
    }
}
