using VpnAppliance.Wire;

namespace VpnAppliance.Tcp.Tests;

/// <summary>Retransmission timer (RFC 6298): back-off, limits, Karn's rule, the estimator itself.</summary>
public class TimerTests
{
    [Fact]
    public void SynIsRetransmittedWithExponentialBackoffThenTimesOut()
    {
        var p = new Peer(settings: new TcpSettings { MaximumRetransmissions = 8 });
        p.Stack.Connect(Peer.Local, p.LocalPort, Peer.Remote, Peer.RemotePort, p.Now, out int id);
        uint iss = p.One().Seq;
        long t0 = p.Now;
        var times = new List<long>();
        var rtos = new List<int>();
        for (int i = 0; i < 8; i++)
        {
            p.RunToDeadline();
            Seg syn = p.One();
            Assert.True(syn.Syn);
            Assert.Equal(iss, syn.Seq);
            times.Add(p.Now - t0);
            rtos.Add(p.Stack.RetransmissionTimeoutMs(id));
        }

        // 1 s, then doubling up to the 60 s maximum (RFC 6298 §2.5, §5.5).
        Assert.Equal(new long[] { 1000, 3000, 7000, 15000, 31000, 63000, 123000, 183000 }, times.ToArray());
        Assert.Equal(new[] { 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000 }, rtos.ToArray());

        p.RunToDeadline(); // the 9th expiry exceeds MaximumRetransmissions
        Assert.Empty(p.Take()); // no RST from SYN-SENT
        Assert.Equal(TcpState.Closed, p.Stack.State(id));
        Assert.Equal(TcpResult.TimedOut, p.Stack.EndReason(id));
        Assert.True((p.Stack.TakeEvents(id) & TcpEvent.TimedOut) != 0);
        Assert.Equal(1, p.Stack.Counters.RetransmissionLimit);
        Assert.Equal(8, p.Stack.Counters.Retransmissions);
    }

    [Fact]
    public void DataRetransmissionBacksOffAndANewSampleResetsIt()
    {
        var p = new Peer(settings: new TcpSettings { MinimumRtoMs = 200, InitialRtoMs = 1000 });
        int id = p.Establish(out uint iss, peerWindow: 10000);
        p.Stack.Send(id, new byte[100], 0, 100);
        p.Poll();
        Seg first = p.One();
        long sent = p.Now;
        // SYN sample was 0 ms: RTO = max(min 200, 0 + max(G, 4*0)) = 200.
        Assert.Equal(200, p.Stack.RetransmissionTimeoutMs(id));
        var gaps = new List<long>();
        long last = sent;
        for (int i = 0; i < 4; i++)
        {
            p.RunToDeadline();
            Seg again = p.One();
            Assert.Equal(first.Seq, again.Seq);
            Assert.Equal(100, again.Length);
            gaps.Add(p.Now - last);
            last = p.Now;
        }

        Assert.Equal(new long[] { 200, 400, 800, 1600 }, gaps.ToArray());
        Assert.Equal(3200, p.Stack.RetransmissionTimeoutMs(id));

        // The ACK of a retransmitted segment gives no sample (Karn), but the back-off stays until new data
        // is acknowledged with a sample.
        p.Now += 30;
        p.Inject(Peer.PeerIss + 1, iss + 101, TcpFlags.Ack, 10000);
        Assert.Equal(3200, p.Stack.RetransmissionTimeoutMs(id));
        Assert.Equal(0, p.Stack.SmoothedRttMs(id));

        p.Stack.Send(id, new byte[50], 0, 50);
        p.Poll();
        p.One();
        p.Now += 100;
        p.Inject(Peer.PeerIss + 1, iss + 151, TcpFlags.Ack, 10000);
        // Second sample 100 ms: RTTVAR = 3/4*0 + 1/4*100 = 25, SRTT = 12 (integer), RTO = 12 + 100 -> min 200.
        Assert.Equal(12, p.Stack.SmoothedRttMs(id));
        Assert.Equal(200, p.Stack.RetransmissionTimeoutMs(id));
    }

    [Fact]
    public void UnansweredDataEndsWithResetAndTimedOut()
    {
        var p = new Peer(settings: new TcpSettings { MaximumRetransmissions = 3, MinimumRtoMs = 100 });
        int id = p.Establish(out _, peerWindow: 10000);
        p.Stack.Send(id, new byte[10], 0, 10);
        p.Poll();
        p.Take();
        for (int i = 0; i < 3; i++)
        {
            p.RunToDeadline();
            Assert.Equal(10, p.One().Length);
        }

        p.RunToDeadline();
        Seg rst = p.One();
        Assert.True(rst.Rst);
        Assert.Equal(TcpState.Closed, p.Stack.State(id));
        Assert.Equal(-(int)TcpResult.TimedOut, p.Stack.Receive(id, new byte[1], 0, 1));
        Assert.Equal(TcpResult.Ok, p.Stack.Abort(id));
        Assert.Equal(0, p.Stack.InUse);
    }

    [Fact]
    public void EstimatorFollowsRfc6298()
    {
        var rto = new RetransmissionTimeout(1000, 1, 60000);
        Assert.Equal(1000, rto.RtoMs);                  // §2.1
        rto.Sample(100);                                // §2.2: SRTT 100, RTTVAR 50, RTO 100 + 4*50
        Assert.Equal(100, rto.SrttMs);
        Assert.Equal(50, rto.RttvarMs);
        Assert.Equal(300, rto.RtoMs);
        rto.Sample(200);                                // §2.3: RTTVAR = 37.5 + 25 = 62.5, SRTT = 87.5 + 25 = 112.5
        Assert.Equal(112, rto.SrttMs);
        Assert.Equal(62, rto.RttvarMs);
        Assert.Equal(112 + 250, rto.RtoMs);
        rto.BackOff();
        Assert.Equal(724, rto.RtoMs);
        for (int i = 0; i < 20; i++)
        {
            rto.BackOff();
        }

        Assert.Equal(60000, rto.RtoMs);                 // §2.5 / §5.5 cap
        rto.Sample(10);
        Assert.True(rto.RtoMs < 1000);

        var floor = new RetransmissionTimeout(1000, 1000, 60000);
        floor.Sample(5);
        Assert.Equal(1000, floor.RtoMs);                // §2.4: at least 1 s

        var syn = new RetransmissionTimeout(1000, 1000, 60000);
        syn.BackOff();
        syn.AfterSynRetransmission();
        Assert.Equal(3000, syn.RtoMs);                  // §5.7
    }

    [Fact]
    public void KarnSkipsTheSampleOfARetransmittedSyn()
    {
        var p = new Peer();
        p.Stack.Connect(Peer.Local, p.LocalPort, Peer.Remote, Peer.RemotePort, p.Now, out int id);
        uint iss = p.One().Seq;
        p.RunToDeadline();
        p.One();
        p.Now += 7;
        p.Inject(Peer.PeerIss, iss + 1, TcpFlags.Syn | TcpFlags.Ack, mss: 1000);
        Assert.Equal(TcpState.Established, p.Stack.State(id));
        Assert.Equal(0, p.Stack.SmoothedRttMs(id));
        Assert.Equal(3000, p.Stack.RetransmissionTimeoutMs(id)); // RFC 6298 §5.7
    }
}

/// <summary>Fast retransmit on the third duplicate ACK (RFC 5681 §3.2).</summary>
public class FastRetransmitTests
{
    [Fact]
    public void ThirdDuplicateAckResendsTheFirstUnacknowledgedSegment()
    {
        var p = new Peer(bufferSize: 16384);
        int id = p.Establish(out uint iss, peerWindow: 20000, mss: 1000);
        p.Stack.Send(id, new byte[4000], 0, 4000);
        p.Poll();
        Assert.Equal(4, p.Take().Count); // IW = 4000
        uint una = iss + 1;
        p.Inject(Peer.PeerIss + 1, una + 1000, TcpFlags.Ack, 20000); // first segment acked, second lost
        p.Take();
        for (int i = 0; i < 2; i++)
        {
            p.Inject(Peer.PeerIss + 1, una + 1000, TcpFlags.Ack, 20000);
        }

        Assert.DoesNotContain(p.Take(), s => s.Seq == una + 1000);
        p.Inject(Peer.PeerIss + 1, una + 1000, TcpFlags.Ack, 20000); // third duplicate
        var resent = p.Take().Where(s => s.Seq == una + 1000).ToList();
        Assert.Single(resent);
        Assert.Equal(1000, resent[0].Length);
        Assert.Equal(1, p.Stack.Counters.FastRetransmits);
        Assert.Equal(0, p.Stack.Counters.Timeouts);
    }
}
