using VpnAppliance.Wire;

namespace VpnAppliance.Tcp.Tests;

/// <summary>Data transfer against a scripted peer: in-order and out-of-order delivery, window checks, flow control.</summary>
public class DataTests
{
    private static byte[] Bytes(int n, int start = 0)
    {
        var b = new byte[n];
        for (int i = 0; i < n; i++)
        {
            b[i] = (byte)(start + i);
        }

        return b;
    }

    [Fact]
    public void SendIsSegmentedByMssAndAcknowledged()
    {
        var p = new Peer();
        int id = p.Establish(out uint iss, peerWindow: 60000, mss: 1000);
        Assert.Equal(2500, p.Stack.Send(id, Bytes(2500), 0, 2500));
        p.Poll();
        var segs = p.Take();
        // Initial window (RFC 5681 §3.1): min(4*1000, max(2*1000, 4380)) = 4000 -> all 2500 bytes in 3 segments.
        Assert.Equal(new[] { 1000, 1000, 500 }, segs.Select(s => s.Length).ToArray());
        Assert.Equal(iss + 1, segs[0].Seq);
        Assert.Equal(iss + 1001, segs[1].Seq);
        Assert.Equal(Bytes(500, 2000), segs[2].Data);
        Assert.True((segs[2].Flags & TcpFlags.Psh) != 0);
        Assert.Equal(2500, p.Stack.Unacknowledged(id));
        Assert.Equal(p.Now + 1000, p.Stack.NextDeadline); // RTO running (RFC 6298 §5.1)

        p.Now += 40;
        p.Inject(Peer.PeerIss + 1, iss + 2501, TcpFlags.Ack, 60000);
        Assert.Equal(0, p.Stack.Unacknowledged(id));
        Assert.Equal(long.MaxValue, p.Stack.NextDeadline); // RFC 6298 §5.2: all acked, timer off
        Assert.True((p.Stack.TakeEvents(id) & TcpEvent.Writable) != 0);
        // Samples: the SYN (answered at once: 0 ms), then 40 ms: SRTT = 7/8 * 0 + 1/8 * 40 (RFC 6298 §2.3).
        Assert.Equal(5, p.Stack.SmoothedRttMs(id));
    }

    [Fact]
    public void InOrderDataIsDeliveredAndAcknowledgedAtOnce()
    {
        var p = new Peer();
        int id = p.Establish(out uint iss);
        p.Inject(Peer.PeerIss + 1, iss + 1, TcpFlags.Ack | TcpFlags.Psh, data: Bytes(300));
        Seg ack = p.One();
        Assert.Equal(Peer.PeerIss + 301, ack.Ack);
        Assert.Equal(4096 - 300, ack.Window < 4096 ? ack.Window : 4096 - 300 /* SWS may hold the edge */);
        var buf = new byte[1000];
        Assert.Equal(300, p.Stack.Receive(id, buf, 0, 1000));
        Assert.Equal(Bytes(300), buf[..300]);
        Assert.Equal(0, p.Stack.Receive(id, buf, 0, 1000));
    }

    [Fact]
    public void OutOfOrderSegmentsAreHeldAndDeliveredInOrder()
    {
        var p = new Peer();
        int id = p.Establish(out uint iss);
        uint s = Peer.PeerIss + 1;
        byte[] all = Bytes(400);
        // Arrival order: [300,400) [100,200) [0,100) [200,300)
        p.Inject(s + 300, iss + 1, TcpFlags.Ack, data: all[300..400]);
        Assert.Equal(s, p.One().Ack);          // duplicate ACK for the hole
        p.Inject(s + 100, iss + 1, TcpFlags.Ack, data: all[100..200]);
        Assert.Equal(s, p.One().Ack);
        Assert.Equal(0, p.Stack.Available(id));
        p.Inject(s, iss + 1, TcpFlags.Ack, data: all[0..100]);
        Assert.Equal(s + 200, p.One().Ack);
        Assert.Equal(200, p.Stack.Available(id));
        p.Inject(s + 200, iss + 1, TcpFlags.Ack, data: all[200..300]);
        Assert.Equal(s + 400, p.One().Ack);
        var buf = new byte[400];
        Assert.Equal(400, p.Stack.Receive(id, buf, 0, 400));
        Assert.Equal(all, buf);
        Assert.Equal(2, p.Stack.Counters.OutOfOrder);
    }

    [Fact]
    public void OverlappingAndDuplicateSegmentsDeliverEachByteOnce()
    {
        var p = new Peer();
        int id = p.Establish(out uint iss);
        uint s = Peer.PeerIss + 1;
        byte[] all = Bytes(300);
        p.Inject(s, iss + 1, TcpFlags.Ack, data: all[0..200]);
        p.Inject(s, iss + 1, TcpFlags.Ack, data: all[0..200]);      // pure duplicate
        p.Inject(s + 150, iss + 1, TcpFlags.Ack, data: all[150..300]); // straddles old/new
        var acks = p.Take();
        Assert.Equal(s + 300, acks[^1].Ack);
        var buf = new byte[400];
        Assert.Equal(300, p.Stack.Receive(id, buf, 0, 400));
        Assert.Equal(all, buf[..300]);
        Assert.Equal(1, p.Stack.Counters.OutOfWindow); // wholly old: fails the §3.10.7.4 acceptability test
    }

    [Fact]
    public void OutOfWindowSegmentsAreAcknowledgedAndDropped()
    {
        var p = new Peer(bufferSize: 1000);
        int id = p.Establish(out uint iss);
        uint s = Peer.PeerIss + 1;
        p.Inject(s + 5000, iss + 1, TcpFlags.Ack, data: Bytes(10));   // beyond the window
        Seg a1 = p.One();
        Assert.Equal(s, a1.Ack);
        Assert.Equal(iss + 1, a1.Seq);
        p.Inject(s - 2000, iss + 1, TcpFlags.Ack, data: Bytes(10));   // old
        Assert.Equal(s, p.One().Ack);
        Assert.Equal(0, p.Stack.Available(id));
        Assert.Equal(2, p.Stack.Counters.OutOfWindow);
        // Data running past the right edge is cut at the window.
        p.Inject(s, iss + 1, TcpFlags.Ack | TcpFlags.Fin, data: Bytes(1500));
        Assert.Equal(s + 1000, p.One().Ack);  // the FIN beyond the window is not taken
        Assert.Equal(TcpState.Established, p.Stack.State(id));
        Assert.Equal(1000, p.Stack.Available(id));
    }

    [Fact]
    public void AckOfUnsentDataIsAnsweredAndDropped()
    {
        var p = new Peer();
        int id = p.Establish(out uint iss);
        p.Inject(Peer.PeerIss + 1, iss + 500, TcpFlags.Ack, data: Bytes(10));
        Seg a = p.One();
        Assert.Equal(Peer.PeerIss + 1, a.Ack); // data not taken
        Assert.Equal(0, p.Stack.Available(id));
    }

    [Fact]
    public void SynInEstablishedGetsAChallengeAck()
    {
        // RFC 5961 §4.2.
        var p = new Peer();
        int id = p.Establish(out uint iss);
        p.Inject(Peer.PeerIss + 1, 0, TcpFlags.Syn);
        Seg c = p.One();
        Assert.True(c.AckFlag && !c.Syn && !c.Rst);
        Assert.Equal(Peer.PeerIss + 1, c.Ack);
        Assert.Equal(TcpState.Established, p.Stack.State(id));
    }

    [Fact]
    public void OldAckBeyondTheMaxWindowIsChallenged()
    {
        // RFC 5961 §5.2: SEG.ACK < SND.UNA - MAX.SND.WND -> ACK and drop (the data is not taken).
        var p = new Peer();
        int id = p.Establish(out uint iss, peerWindow: 1000);
        p.Inject(Peer.PeerIss + 1, iss + 1 - 5000, TcpFlags.Ack, 1000, data: Bytes(5));
        Assert.Equal(Peer.PeerIss + 1, p.One().Ack);
        Assert.Equal(0, p.Stack.Available(id));
    }

    [Fact]
    public void ZeroWindowThenWindowUpdate()
    {
        // Receiver side: a full buffer advertises 0; reading opens it and a window update goes out
        // once the gain reaches min(buffer / 2, MSS) (RFC 9293 §3.8.6.2.2).
        var p = new Peer(bufferSize: 2000);
        int id = p.Establish(out uint iss);
        uint s = Peer.PeerIss + 1;
        p.Inject(s, iss + 1, TcpFlags.Ack, data: Bytes(1000));
        p.Inject(s + 1000, iss + 1, TcpFlags.Ack, data: Bytes(1000));
        var acks = p.Take();
        Assert.Equal(0, acks[^1].Window);
        Assert.Equal(s + 2000, acks[^1].Ack);

        // More data while the window is zero is not acceptable; the ACK repeats window 0.
        p.Inject(s + 2000, iss + 1, TcpFlags.Ack, data: Bytes(10));
        Seg zero = p.One();
        Assert.Equal(0, zero.Window);
        Assert.Equal(s + 2000, zero.Ack);

        var buf = new byte[2000];
        Assert.Equal(500, p.Stack.Receive(id, buf, 0, 500));
        Assert.Equal(long.MaxValue, p.Stack.NextDeadline); // 500 < min(1000, 1360): no update yet (SWS)
        Assert.Equal(600, p.Stack.Receive(id, buf, 0, 600));
        Assert.Equal(p.Now, p.Stack.NextDeadline);
        p.Poll();
        Seg update = p.One();
        Assert.Equal(1100, update.Window);
        Assert.Equal(s + 2000, update.Ack);
    }

    [Fact]
    public void PersistTimerProbesAZeroWindowWithBackoffAndResumes()
    {
        // Sender side (RFC 9293 §3.8.6.1): the peer's window is 0; probes of one byte go out on the persist
        // timer, backing off; when the window opens the data flows.
        var p = new Peer();
        int id = p.Establish(out uint iss, peerWindow: 0);
        byte[] data = Bytes(3000);
        Assert.Equal(3000, p.Stack.Send(id, data, 0, 3000));
        p.Poll();
        Assert.Empty(p.Take());
        long t0 = p.Now;
        var probeTimes = new List<long>();
        for (int i = 0; i < 4; i++)
        {
            p.RunToDeadline();
            Seg probe = p.One();
            Assert.Equal(1, probe.Length);
            Assert.Equal(iss + 1, probe.Seq);
            Assert.Equal(data[0], probe.Data[0]);
            probeTimes.Add(p.Now - t0);
            p.Inject(Peer.PeerIss + 1, iss + 1, TcpFlags.Ack, 0); // still closed
            Assert.Empty(p.Take());
        }

        Assert.Equal(new long[] { 1000, 3000, 7000, 15000 }, probeTimes.ToArray());
        Assert.Equal(TcpState.Established, p.Stack.State(id));
        Assert.Equal(4, p.Stack.Counters.WindowProbes);

        // The peer opens its window: data resumes at SND.UNA.
        p.Inject(Peer.PeerIss + 1, iss + 1, TcpFlags.Ack, 8000);
        var segs = p.Take();
        Assert.NotEmpty(segs);
        Assert.Equal(iss + 1, segs[0].Seq);
    }

    [Fact]
    public void ProbeByteAcceptedByThePeerAdvancesSndUna()
    {
        var p = new Peer();
        int id = p.Establish(out uint iss, peerWindow: 0);
        p.Stack.Send(id, Bytes(10), 0, 10);
        p.Poll();
        p.RunToDeadline();
        Assert.Equal(1, p.One().Length);
        p.Inject(Peer.PeerIss + 1, iss + 2, TcpFlags.Ack, 100); // took the byte, window open
        var segs = p.Take();
        Assert.Single(segs);
        Assert.Equal(iss + 2, segs[0].Seq);
        Assert.Equal(9, segs[0].Length);
    }

    [Fact]
    public void ReceiveAndSendValidateArguments()
    {
        var p = new Peer();
        int id = p.Establish(out _);
        Assert.Equal(-(int)TcpResult.InvalidArgument, p.Stack.Send(id, new byte[4], 2, 5));
        Assert.Equal(-(int)TcpResult.InvalidArgument, p.Stack.Receive(id, null!, 0, 1));
        Assert.Equal(-(int)TcpResult.InvalidId, p.Stack.Send(id + 1, new byte[4], 0, 4));
        Assert.Equal(-(int)TcpResult.InvalidId, p.Stack.Receive(12345678, new byte[4], 0, 4));
        Assert.Equal(TcpState.Closed, p.Stack.State(-5));
    }

    [Fact]
    public void SendBufferBoundsWhatIsAccepted()
    {
        var p = new Peer(bufferSize: 1000);
        int id = p.Establish(out _, peerWindow: 0);
        Assert.Equal(1000, p.Stack.Send(id, Bytes(1500), 0, 1500));
        Assert.Equal(0, p.Stack.Send(id, Bytes(10), 0, 10));
        Assert.Equal(0, p.Stack.SendSpace(id));
    }
}
