using System.Text;
using VpnAppliance.Core;

namespace VpnAppliance.Bfd.Tests;

/// <summary>Session-level reception rules (RFC 5880 §6.8.6, RFC 5881 §3/§5), the pool, events, memory, allocation, fuzz, show.</summary>
public class EngineTests
{
    private static readonly uint Peer = BfdPair.IpB;
    private static readonly uint Me = BfdPair.IpA;

    private static (BfdEngine Engine, Link Out, int Session) One(int capacity = 2)
    {
        var link = new Link(1) { Record = true };
        var e = new BfdEngine(capacity, link, 42);
        int s = e.AddSession(1, Peer, Me, 0);
        Assert.True(s >= 0);
        return (e, link, s);
    }

    [Fact]
    public void TtlOtherThan255IsDiscarded()
    {
        var (e, _, s) = One();
        var p = Packets.Control(my: 5);
        foreach (int ttl in new[] { 0, 1, 64, 254 })
        {
            Assert.Equal(BfdReceiveResult.BadTtl, e.OnPacket(1, Peer, Me, ttl, p, 0, p.Length, 1));
        }

        Assert.Equal(BfdState.Down, e.Session(s).State);
        Assert.Equal(4, e.Counters.Results(BfdReceiveResult.BadTtl));
        Assert.Equal(BfdReceiveResult.Accepted, e.OnPacket(1, Peer, Me, 255, p, 0, p.Length, 1));
        Assert.Equal(BfdState.Init, e.Session(s).State);
    }

    [Fact]
    public void SessionSelection()
    {
        var (e, _, s) = One();
        var down = Packets.Control(my: 5);
        // Your Discriminator 0: by interface and addresses.
        Assert.Equal(BfdReceiveResult.NoSession, e.OnPacket(2, Peer, Me, 255, down, 0, 24, 1));
        Assert.Equal(BfdReceiveResult.NoSession, e.OnPacket(1, Peer + 7, Me, 255, down, 0, 24, 1));
        Assert.Equal(BfdReceiveResult.NoSession, e.OnPacket(1, Peer, Me + 7, 255, down, 0, 24, 1));
        // Your Discriminator unknown.
        var unknown = Packets.Control(my: 5, your: e.Session(s).LocalDiscriminator ^ 1, state: BfdState.Up);
        Assert.Equal(BfdReceiveResult.NoSession, e.OnPacket(1, Peer, Me, 255, unknown, 0, 24, 1));
        // Our discriminator from another interface or address (RFC 5881 §3).
        var ours = Packets.Control(my: 5, your: e.Session(s).LocalDiscriminator, state: BfdState.Up);
        Assert.Equal(BfdReceiveResult.WrongSession, e.OnPacket(3, Peer, Me, 255, ours, 0, 24, 1));
        Assert.Equal(BfdReceiveResult.WrongSession, e.OnPacket(1, Peer + 1, Me, 255, ours, 0, 24, 1));
        Assert.Equal(BfdState.Down, e.Session(s).State);
        Assert.Equal(0u, e.Session(s).RemoteDiscriminator);
        // And from the peer it is accepted: Down + remote Init -> Up.
        var init = Packets.Control(my: 5, your: e.Session(s).LocalDiscriminator, state: BfdState.Init);
        Assert.Equal(BfdReceiveResult.Accepted, e.OnPacket(1, Peer, Me, 255, init, 0, 24, 1));
        Assert.Equal(BfdState.Up, e.Session(s).State);
        Assert.Equal(5u, e.Session(s).RemoteDiscriminator);
    }

    [Fact]
    public void LocalAddressZeroMatchesAnyOfOurs()
    {
        var link = new Link(1);
        var e = new BfdEngine(2, link, 1);
        int s = e.AddSession(1, Peer, 0, 0);
        var down = Packets.Control(my: 5);
        Assert.Equal(BfdReceiveResult.Accepted, e.OnPacket(1, Peer, Me, 255, down, 0, 24, 1));
        Assert.Equal(BfdState.Init, e.Session(s).State);
    }

    [Fact]
    public void AdminDownSessionRecordsTheRemoteButDiscards()
    {
        var (e, link, s) = One();
        Assert.True(e.SetAdminDown(s, true, 0));
        var init = Packets.Control(my: 9, state: BfdState.Down, tx: 2_000_000);
        Assert.Equal(BfdReceiveResult.AdminDown, e.OnPacket(1, Peer, Me, 255, init, 0, 24, 1));
        Assert.Equal(BfdState.AdminDown, e.Session(s).State);
        Assert.Equal(9u, e.Session(s).RemoteDiscriminator);
        Assert.Equal(2_000_000, e.Session(s).RemoteDesiredMinTxInterval);
        Assert.Equal(0, e.Session(s).ReceivedPackets);
        // Our AdminDown packets carry Diag 7.
        Assert.All(link.Log, l => { Assert.Equal(BfdState.AdminDown, l.Packet.State); Assert.Equal(BfdDiag.AdministrativelyDown, l.Packet.Diag); });
    }

    [Fact]
    public void PollIsAnsweredAtOnceWithFinal()
    {
        var (e, link, s) = One();
        e.Poll(0);
        link.Log.Clear();
        var poll = Packets.Control(my: 5, state: BfdState.Down, flags: BfdControlPacket.PollBit);
        Assert.Equal(BfdReceiveResult.Accepted, e.OnPacket(1, Peer, Me, 255, poll, 0, 24, 10));
        var answer = Assert.Single(link.Log);
        Assert.True(answer.Packet.Final);
        Assert.False(answer.Packet.Poll);
        Assert.Equal(5u, answer.Packet.YourDiscriminator);
        Assert.Equal(10, answer.At);
    }

    [Fact]
    public void PoolFullIsTypedAndCounted()
    {
        var e = new BfdEngine(3, new Link(1), 7);
        var ids = new HashSet<uint>();
        var ports = new List<int>();
        for (int i = 0; i < 3; i++)
        {
            int s = e.AddSession(1 + i, Peer + (uint)i, Me, 0);
            Assert.Equal(i, s);
            Assert.NotEqual(0u, e.Session(s).LocalDiscriminator);
            Assert.True(ids.Add(e.Session(s).LocalDiscriminator));
            Assert.InRange(e.Session(s).SourcePort, 49152, 65535);
        }

        Assert.Equal(BfdEngine.Full, e.AddSession(9, Peer + 9, Me, 0));
        Assert.Equal(1, e.Counters.SessionsFull);
        Assert.Equal(1, e.AddSession(2, Peer + 1, Me, 0));          // existing
        Assert.Equal(-2, e.AddSession(1, 0, Me, 0));
        Assert.True(e.RemoveSession(1));
        Assert.False(e.RemoveSession(1));
        Assert.Equal(1, e.AddSession(9, Peer + 9, Me, 0));
        Assert.Equal(3, e.ActiveSessions);
    }

    [Fact]
    public void DiscriminatorsStayUniqueOverManyAddsAndRemoves()
    {
        var e = new BfdEngine(16, new Link(1), 3);
        var rng = new Random(1);
        for (int round = 0; round < 5000; round++)
        {
            int s = e.AddSession(1, (uint)rng.Next(1, 40), Me, round);
            if (s < 0)
            {
                e.RemoveSession(rng.Next(0, 16));
                continue;
            }

            var seen = new HashSet<uint>();
            for (int i = 0; i < 16; i++)
            {
                if (e.Session(i).IsActive)
                {
                    Assert.True(seen.Add(e.Session(i).LocalDiscriminator));
                }
            }
        }
    }

    [Fact]
    public void ConfigureRejectsBadValues()
    {
        var (e, _, s) = One();
        Assert.False(e.Configure(s, 9, 300, 3, 0));
        Assert.False(e.Configure(s, 300, 60_001, 3, 0));
        Assert.False(e.Configure(s, 300, 300, 0, 0));
        Assert.False(e.Configure(s, 300, 300, 256, 0));
        Assert.False(e.Configure(7, 300, 300, 3, 0));
        Assert.True(e.Configure(s, 10, 60_000, 255, 0));
        Assert.Equal(1_000_000, e.Session(s).DesiredMinTxInterval);   // not Up: 1 s floor
        Assert.Equal(60_000_000, e.Session(s).RequiredMinRxInterval);
        Assert.False(e.SetAdminDown(5, true, 0));
        Assert.Null(e.Session(-1));
    }

    [Fact]
    public void StateChangesAreLatchedOncePerSession()
    {
        var e = new BfdEngine(2, new Link(1), 1);
        int s = e.AddSession(1, Peer, Me, 0);
        var down = Packets.Control(my: 5);
        e.OnPacket(1, Peer, Me, 255, down, 0, 24, 1);               // Down -> Init
        var init = Packets.Control(my: 5, your: e.Session(s).LocalDiscriminator, state: BfdState.Init);
        e.OnPacket(1, Peer, Me, 255, init, 0, 24, 2);               // Init -> Up
        Assert.True(e.TakeStateChange(out int i, out bool wentDown));
        Assert.Equal(s, i);
        Assert.Equal(BfdState.Up, e.Session(i).State);
        Assert.False(wentDown);
        Assert.False(e.TakeStateChange(out i, out _));
        Assert.Equal(-1, i);

        // A flap between two takes: Up -> Down (peer says Down) -> Init -> Up, reported once, Up, wentDown.
        uint ours = e.Session(s).LocalDiscriminator;
        e.OnPacket(1, Peer, Me, 255, Packets.Control(my: 5, your: ours, state: BfdState.Down), 0, 24, 3);
        e.OnPacket(1, Peer, Me, 255, Packets.Control(my: 5, your: ours, state: BfdState.Down), 0, 24, 4);
        e.OnPacket(1, Peer, Me, 255, Packets.Control(my: 5, your: ours, state: BfdState.Up), 0, 24, 5);
        Assert.True(e.TakeStateChange(out i, out wentDown));
        Assert.Equal(BfdState.Up, e.Session(i).State);
        Assert.True(wentDown);
        Assert.Equal(1, e.Session(i).DownCount);
        Assert.False(e.TakeStateChange(out _, out wentDown));
        Assert.False(wentDown);

        // Down and taken: wentDown once, not again.
        e.OnPacket(1, Peer, Me, 255, Packets.Control(my: 5, your: ours, state: BfdState.AdminDown), 0, 24, 6);
        Assert.True(e.TakeStateChange(out i, out wentDown));
        Assert.True(wentDown);
        Assert.Equal(BfdDiag.NeighborSignaledSessionDown, e.Session(i).Diag);
    }

    [Fact]
    public void AccountMatchesAllocation()
    {
        var link = new Link(1);
        foreach (int n in new[] { 1, 4, 16, 64 })
        {
            _ = new BfdEngine(n, link, 1);
            long before = GC.GetAllocatedBytesForCurrentThread();
            var e = new BfdEngine(n, link, 1);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            var budget = new MemoryBudget();
            BfdEngine.Account(budget, n);
            Assert.Equal(budget.HostBytes, allocated);
            GC.KeepAlive(e);
        }
    }

    [Fact]
    public void SessionsForBoard()
    {
        Assert.Equal(8, BfdEngine.SessionsFor(new Capacities { BgpPeers = 8, Tunnels = 4 }));
        Assert.Equal(6, BfdEngine.SessionsFor(new Capacities { BgpPeers = 2, Tunnels = 6 }));
    }

    [Fact]
    public void SteadyStateAllocatesNothing()
    {
        var pair = new BfdPair(txMs: 100, rxMs: 100);
        pair.RecordEvents = false;
        pair.RunUntilUp();
        pair.Run(5_000);
        // Including a Poll Sequence and a detection/recovery cycle in the measured window.
        long before = GC.GetAllocatedBytesForCurrentThread();
        pair.Run(60_000);
        pair.A.Configure(pair.SA, 200, 200, 3, pair.Now);
        pair.Run(10_000);
        pair.BtoA.Cut = true;
        pair.Run(2_000);
        pair.BtoA.Cut = false;
        pair.Run(10_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.True(pair.SessionA.IsUp);
        Assert.True(pair.AtoB.SentCount > 600);
    }

    [Fact]
    public void FuzzNeverCrashesNorMovesAnUpSessionWrongly()
    {
        var pair = new BfdPair(txMs: 100, rxMs: 100);
        pair.RunUntilUp();
        var a = pair.SessionA;
        uint ours = a.LocalDiscriminator;
        var valid = new byte[24];
        new BfdControlPacket
        {
            State = BfdState.Up, DetectMult = 3, MyDiscriminator = a.RemoteDiscriminator, YourDiscriminator = ours,
            DesiredMinTxInterval = 100_000, RequiredMinRxInterval = 100_000,
        }.Emit(valid, 0, 24);
        var rng = new Random(5881);
        var buf = new byte[48];
        long now = pair.Now;
        for (int i = 0; i < 100_000; i++)
        {
            int len;
            if (i % 3 == 0)
            {
                len = rng.Next(0, 49);
                rng.NextBytes(buf);
            }
            else
            {
                Array.Copy(valid, buf, 24);
                len = 24;
                int flips = rng.Next(1, 4);
                for (int f = 0; f < flips; f++)
                {
                    buf[rng.Next(0, 24)] ^= (byte)(1 << rng.Next(0, 8));
                }
            }

            int ttl = rng.Next(0, 4) == 0 ? rng.Next(0, 256) : 255;
            uint src = rng.Next(0, 4) == 0 ? (uint)rng.Next() : Peer;
            int iface = rng.Next(0, 4) == 0 ? rng.Next(0, 5) : 1;
            BfdState before = a.State;
            var result = pair.A.OnPacket(iface, src, Me, ttl, buf, 0, len, now);
            if (result != BfdReceiveResult.Accepted)
            {
                Assert.Equal(before, a.State);
                continue;
            }

            // Accepted only from the peer, on its interface, with TTL 255 and our discriminator or a Down/AdminDown state.
            Assert.Equal(255, ttl);
            Assert.Equal(Peer, src);
            Assert.Equal(1, iface);
            BfdControlPacket.Parse(buf, 0, len, out var p);
            Assert.True(p.YourDiscriminator == ours || (p.YourDiscriminator == 0 && (p.State == BfdState.Down || p.State == BfdState.AdminDown)));
            if (before == BfdState.Up && (p.State == BfdState.Init || p.State == BfdState.Up))
            {
                Assert.Equal(BfdState.Up, a.State);
            }

            if (a.State != BfdState.Up)
            {
                // A valid Down/AdminDown from the peer: the RFC's transition, then restore the session for the next round.
                Assert.True(p.State == BfdState.Down || p.State == BfdState.AdminDown);
                Assert.Equal(BfdDiag.NeighborSignaledSessionDown, a.Diag);
                pair.A.OnPacket(1, Peer, Me, 255, Packets.Control(my: p.MyDiscriminator, state: BfdState.Down), 0, 24, now);
                pair.A.OnPacket(1, Peer, Me, 255, Packets.Control(my: p.MyDiscriminator, your: ours, state: BfdState.Init), 0, 24, now);
                Assert.Equal(BfdState.Up, a.State);
            }
        }

        Assert.True(pair.A.Counters.Discarded > 50_000);
    }

    [Fact]
    public void ShowPeers()
    {
        var pair = new BfdPair(txMs: 100, rxMs: 100);
        pair.RunUntilUp();
        pair.Run(65_000);
        var sb = new StringBuilder();
        BfdShow.WritePeers(pair.A, 4, pair.Now, sb);
        string text = sb.ToString();
        Assert.Contains("peer 169.254.21.1 local-address 169.254.21.2 interface tun1", text);
        Assert.Contains("Status: up", text);
        Assert.Contains("Uptime: 01m0", text);
        Assert.Contains("Diagnostics: ok", text);
        Assert.Contains("Transmission interval: 100ms", text);
        Assert.Contains("Negotiated: tx 100ms, detect 300ms", text);
        sb.Clear();
        BfdShow.WriteBrief(pair.A, 4, pair.Now, sb);
        Assert.Matches(@"169\.254\.21\.1\s+tun1\s+up\s+01m0\ds\s+100msx3\s+ok", sb.ToString());
        Assert.Equal("1d00h00m01s", BfdShow.Duration(86_401_000));
        Assert.Equal("lan", BfdShow.InterfaceName(0, 4));
        Assert.Equal("if5", BfdShow.InterfaceName(5, 4));
        Assert.Equal("no-session", BfdReceiveResults.Name(BfdReceiveResult.NoSession));
    }
}

/// <summary>Static memory of the BFD engine and its router binding under the nanoFramework model (board sizes).</summary>
public class BudgetTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Theory]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(16)]
    public void FitsSmallBoards(int sessions)
    {
        var budget = new MemoryBudget();
        BfdRouterBinding.Account(budget, sessions);
        output.WriteLine($"bfd sessions={sessions}: nano={budget.NanoBytes} bytes host={budget.HostBytes} bytes");
        Assert.True(budget.NanoBytes < 600 * sessions + 1024, budget.NanoBytes.ToString());
    }
}
