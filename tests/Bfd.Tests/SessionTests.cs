namespace VpnAppliance.Bfd.Tests;

/// <summary>Two engines back to back (RFC 5880 §6.2 state machine, §6.8 timers) over an in-memory wire and a virtual clock.</summary>
public class SessionTests
{
    [Fact]
    public void ThreeWayHandshakeDownInitUp()
    {
        var pair = new BfdPair();
        pair.AtoB.Record = true;
        long took = pair.RunUntilUp();
        Assert.True(took < 3000, $"took {took} ms");

        // Each side went Down -> Init -> Up, or Down -> Up directly when it heard Init first (§6.2).
        var a = pair.Events.Where(e => e.Side == 'A').Select(e => e.State).ToArray();
        var b = pair.Events.Where(e => e.Side == 'B').Select(e => e.State).ToArray();
        Assert.Equal(BfdState.Up, a[^1]);
        Assert.Equal(BfdState.Up, b[^1]);
        Assert.True(a.Contains(BfdState.Init) || b.Contains(BfdState.Init));
        Assert.All(a.Concat(b), s => Assert.True(s == BfdState.Init || s == BfdState.Up));

        // Discriminators learnt both ways.
        Assert.Equal(pair.SessionB.LocalDiscriminator, pair.SessionA.RemoteDiscriminator);
        Assert.Equal(pair.SessionA.LocalDiscriminator, pair.SessionB.RemoteDiscriminator);
        Assert.Equal(BfdDiag.None, pair.SessionA.Diag);

        // The first packets carried Your Discriminator 0 and State Down.
        var first = pair.AtoB.Log[0].Packet;
        Assert.Equal(BfdState.Down, first.State);
        Assert.Equal(0u, first.YourDiscriminator);

        // Negotiated 300 ms x 3: detection time 900 ms both ways.
        Assert.Equal(300_000, pair.SessionA.TransmitInterval);
        Assert.Equal(900_000, pair.SessionA.DetectionTime);
        Assert.Equal(900_000, pair.SessionB.DetectionTime);
    }

    [Fact]
    public void SlowTransmissionUntilUp()
    {
        // B never answers: A stays Down and sends at the 1 s floor (§6.8.3) with jitter 75-100 % (§6.8.7).
        var pair = new BfdPair(txMs: 100, rxMs: 100);
        pair.BtoA.Cut = true;
        pair.AtoB.Record = true;
        pair.Run(60_000);
        Assert.Equal(BfdState.Down, pair.SessionA.State);
        var log = pair.AtoB.Log.Where(l => l.At > 1000).ToList();
        Assert.True(log.Count > 55);
        Assert.All(log, l => Assert.Equal(1_000_000u, l.Packet.DesiredMinTxInterval));
        Assert.All(log, l => Assert.Equal(100_000u, l.Packet.RequiredMinRxInterval));
        for (int i = 1; i < log.Count; i++)
        {
            Assert.InRange(log[i].At - log[i - 1].At, 750, 1000);
        }
    }

    [Theory]
    [InlineData(100, 3)]
    [InlineData(300, 3)]
    [InlineData(50, 5)]
    [InlineData(100, 1)]
    public void DetectionAfterMultiplierTimesIntervalWhenTheWireIsCut(int intervalMs, int mult)
    {
        var pair = new BfdPair(txMs: intervalMs, rxMs: intervalMs, mult: mult);
        pair.RunUntilUp();
        pair.Run(5_000);
        Assert.True(pair.SessionA.IsUp);
        Assert.Equal(intervalMs * 1000L, pair.SessionA.TransmitInterval);

        pair.BtoA.Cut = true;
        long cut = pair.Now;
        long lastRx = pair.SessionA.LastReceived;
        pair.Events.Clear();
        pair.Run(5 * mult * intervalMs);
        var down = pair.Events.First(e => e.Side == 'A');
        Assert.Equal(BfdState.Down, down.State);
        Assert.Equal(BfdDiag.ControlDetectionTimeExpired, down.Diag);

        // §6.8.4: Detection Time = remote Detect Mult x agreed interval, counted from the last packet received.
        long detection = (long)mult * intervalMs;
        Assert.Equal(lastRx + detection, down.At);
        Assert.InRange(down.At - cut, detection - intervalMs, detection);

        // B hears A go Down with Diag 1 and follows with Diag 3 (neighbor signaled session down).
        var b = pair.Events.First(e => e.Side == 'B');
        Assert.Equal(BfdState.Down, b.State);
        Assert.Equal(BfdDiag.NeighborSignaledSessionDown, b.Diag);
        Assert.Equal(0u, pair.SessionA.RemoteDiscriminator);

        // Healing the wire brings it back Up.
        pair.BtoA.Cut = false;
        pair.RunUntilUp();
        Assert.Equal(1, pair.SessionA.DownCount);
        Assert.Equal(2, pair.SessionA.UpCount);
    }

    [Fact]
    public void BothDirectionsCutBothSidesDetect()
    {
        var pair = new BfdPair(txMs: 100, rxMs: 100);
        pair.RunUntilUp();
        pair.AtoB.Cut = pair.BtoA.Cut = true;
        pair.Events.Clear();
        pair.Run(1000);
        Assert.Contains(pair.Events, e => e.Side == 'A' && e.State == BfdState.Down && e.Diag == BfdDiag.ControlDetectionTimeExpired);
        Assert.Contains(pair.Events, e => e.Side == 'B' && e.State == BfdState.Down && e.Diag == BfdDiag.ControlDetectionTimeExpired);
        Assert.All(pair.Events, e => Assert.True(e.At - pair.Events[0].At <= 300));
    }

    [Fact]
    public void PeerAdminDownTakesUsDownWithDiag3()
    {
        var pair = new BfdPair();
        pair.RunUntilUp();
        pair.Events.Clear();
        pair.AtoB.Record = true;
        Assert.True(pair.B.SetAdminDown(pair.SB, true, pair.Now));
        pair.Run(5000);
        Assert.Equal(BfdState.AdminDown, pair.SessionB.State);
        Assert.Equal(BfdDiag.AdministrativelyDown, pair.SessionB.Diag);
        Assert.Equal(BfdState.Down, pair.SessionA.State);
        Assert.Equal(BfdDiag.NeighborSignaledSessionDown, pair.SessionA.Diag);
        Assert.Equal(BfdState.AdminDown, pair.SessionA.RemoteState);
        Assert.Equal(BfdDiag.AdministrativelyDown, pair.SessionA.RemoteDiag);

        // B announced AdminDown Detect Mult + 1 times, then fell silent (§6.8.16); A kept sending Down slowly.
        long sentByB = pair.BtoA.SentCount;
        pair.Run(10_000);
        Assert.Equal(sentByB, pair.BtoA.SentCount);
        Assert.Equal(BfdState.Down, pair.SessionA.State);

        // Released: both come back Up.
        Assert.True(pair.B.SetAdminDown(pair.SB, false, pair.Now));
        pair.RunUntilUp();
        Assert.Equal(BfdDiag.None, pair.SessionA.Diag);
    }

    [Fact]
    public void PollFinalWhenTimersChange()
    {
        var pair = new BfdPair(txMs: 300, rxMs: 300);
        pair.RunUntilUp();
        pair.Run(2000);
        pair.AtoB.Record = pair.BtoA.Record = true;

        // A slows its transmission to 1000 ms and asks for 1000 ms reception: a Poll Sequence (§6.5, §6.8.3).
        Assert.True(pair.A.Configure(pair.SA, 1000, 1000, 3, pair.Now));
        Assert.True(pair.SessionA.Polling);
        // Until the Final, A keeps its old (faster) transmit interval; the larger Required Min RX applies at once.
        Assert.Equal(300_000, pair.SessionA.TransmitInterval);
        pair.Run(3000);
        Assert.False(pair.SessionA.Polling);
        Assert.Equal(1_000_000, pair.SessionA.TransmitInterval);
        Assert.Equal(1_000_000, pair.SessionB.TransmitInterval);   // max(B's 300, A's required 1000)
        Assert.Equal(3_000_000, pair.SessionB.DetectionTime);

        var polls = pair.AtoB.Log.Where(l => l.Packet.Poll).ToList();
        var finals = pair.BtoA.Log.Where(l => l.Packet.Final).ToList();
        Assert.NotEmpty(polls);
        Assert.NotEmpty(finals);
        Assert.All(pair.AtoB.Log.Concat(pair.BtoA.Log), l => Assert.False(l.Packet.Poll && l.Packet.Final));
        Assert.True(finals[0].At - polls[0].At <= 2);   // answered at once (plus the wire's 1 ms)
        Assert.All(pair.AtoB.Log.Where(l => l.At > finals[0].At + 1), l => Assert.False(l.Packet.Poll));
        Assert.Equal(1_000_000u, pair.AtoB.Log[^1].Packet.DesiredMinTxInterval);
        Assert.True(pair.SessionA.IsUp && pair.SessionB.IsUp);

        // Back to 100 ms: faster at once, and the session never flaps.
        pair.Events.Clear();
        Assert.True(pair.A.Configure(pair.SA, 100, 100, 3, pair.Now));
        pair.Run(3000);
        Assert.Empty(pair.Events);
        Assert.Equal(300_000, pair.SessionA.TransmitInterval);     // max(100, B's required 300)
        Assert.Equal(300_000, pair.SessionB.TransmitInterval);
    }

    [Fact]
    public void GoingUpStartsAPollThatMovesToTheFastRate()
    {
        var pair = new BfdPair(txMs: 100, rxMs: 100);
        pair.AtoB.Record = true;
        pair.RunUntilUp();
        Assert.Contains(pair.AtoB.Log, l => l.Packet.State == BfdState.Up && l.Packet.Poll && l.Packet.DesiredMinTxInterval == 100_000);
        Assert.Equal(100_000, pair.SessionA.TransmitInterval);
        Assert.Equal(300_000, pair.SessionA.DetectionTime);
    }

    [Theory]
    [InlineData(3, 75, 100)]
    [InlineData(1, 75, 90)]
    public void JitterStaysWithinTheRfcBounds(int mult, int minPercent, int maxPercent)
    {
        var pair = new BfdPair(txMs: 200, rxMs: 200, mult: mult, seedA: 12345);
        pair.RunUntilUp();
        pair.Run(1000);
        pair.AtoB.Record = true;
        pair.Run(200_000);
        var times = pair.AtoB.Log.Select(l => l.At).ToList();
        Assert.True(times.Count > 800);
        var gaps = times.Zip(times.Skip(1), (x, y) => y - x).ToList();
        Assert.All(gaps, g => Assert.InRange(g, 200 * minPercent / 100, 200 * maxPercent / 100));
        // The jitter is really random over the whole range, not stuck at one end.
        Assert.True(gaps.Min() <= 200 * minPercent / 100 + 4);
        Assert.True(gaps.Max() >= 200 * maxPercent / 100 - 4);
        Assert.True(pair.SessionA.IsUp);
    }

    [Fact]
    public void PeerAskingForNoPacketsGetsNone()
    {
        // §6.8.7: Required Min RX 0 means "send me no periodic packets".
        var sent = new Link(1);
        var e = new BfdEngine(2, sent, 9);
        int s = e.AddSession(1, BfdPair.IpB, BfdPair.IpA, 0);
        e.Poll(0);
        long before = sent.SentCount;
        var p = Packets.Control(state: BfdState.Down, my: 77, rx: 0);
        Assert.Equal(BfdReceiveResult.Accepted, e.OnPacket(1, BfdPair.IpB, BfdPair.IpA, 255, p, 0, p.Length, 10));
        Assert.Equal(BfdState.Init, e.Session(s).State);
        long afterTrigger = sent.SentCount;
        Assert.True(afterTrigger > before);
        for (long t = 10; t < 5000; t += 10)
        {
            e.Poll(t);
        }

        // Silent after the triggered state announcement; the peer's detection timer (3 s) expired meanwhile.
        Assert.Equal(afterTrigger, sent.SentCount);
        Assert.Equal(BfdState.Down, e.Session(s).State);
    }
}

/// <summary>The remote's Demand mode (RFC 5880 §6.6, §6.8.7): we stop periodic packets while both are Up, and resume.</summary>
public class DemandTests
{
    [Fact]
    public void PeerInDemandModeSilencesOurPeriodicPacketsUntilItLeavesIt()
    {
        var link = new Link(1) { Record = true };
        var e = new BfdEngine(1, link, 3);
        uint peer = BfdPair.IpB, me = BfdPair.IpA;
        int s = e.AddSession(1, peer, me, 0);
        e.Configure(s, 100, 100, 3, 0);
        e.OnPacket(1, peer, me, 255, Packets.Control(my: 8, state: BfdState.Down), 0, 24, 1);
        uint ours = e.Session(s).LocalDiscriminator;
        e.OnPacket(1, peer, me, 255, Packets.Control(my: 8, your: ours, state: BfdState.Up, tx: 100_000, rx: 100_000), 0, 24, 2);
        Assert.True(e.Session(s).IsUp);

        // Remote Up with D set (it keeps sending to us; we must stop periodic transmission).
        var demand = Packets.Control(my: 8, your: ours, state: BfdState.Up, flags: BfdControlPacket.DemandBit | BfdControlPacket.FinalBit, tx: 100_000, rx: 100_000);
        long t = 3;
        for (; t < 600; t++)
        {
            if (t % 100 == 0)
            {
                e.OnPacket(1, peer, me, 255, demand, 0, 24, t);
            }

            e.Poll(t);
        }

        long sent = link.SentCount;
        for (; t < 2000; t++)
        {
            if (t % 100 == 0)
            {
                e.OnPacket(1, peer, me, 255, demand, 0, 24, t);
            }

            e.Poll(t);
        }

        Assert.Equal(sent, link.SentCount);
        Assert.True(e.Session(s).IsUp);

        // D cleared: periodic packets resume.
        var normal = Packets.Control(my: 8, your: ours, state: BfdState.Up, tx: 100_000, rx: 100_000);
        for (; t < 3000; t++)
        {
            if (t % 100 == 0)
            {
                e.OnPacket(1, peer, me, 255, normal, 0, 24, t);
            }

            e.Poll(t);
        }

        Assert.InRange(link.SentCount - sent, 9, 14);
    }
}
