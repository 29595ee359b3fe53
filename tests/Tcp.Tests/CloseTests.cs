using VpnAppliance.Wire;

namespace VpnAppliance.Tcp.Tests;

/// <summary>Closing (RFC 9293 §3.6, Figures 12-14): active, passive, simultaneous; TIME-WAIT bounded; slot release.</summary>
public class CloseTests
{
    [Fact]
    public void ActiveCloseThroughFinWait1FinWait2TimeWait()
    {
        var p = new Peer();
        int id = p.Establish(out uint iss);
        Assert.Equal(TcpResult.Ok, p.Stack.Close(id));
        Assert.Equal(TcpState.FinWait1, p.Stack.State(id));
        Assert.Equal(p.Now, p.Stack.NextDeadline); // FIN pending
        p.Poll();
        Seg fin = p.One();
        Assert.True(fin.Fin && fin.AckFlag);
        Assert.Equal(iss + 1, fin.Seq);

        p.Inject(Peer.PeerIss + 1, iss + 2, TcpFlags.Ack);
        Assert.Equal(TcpState.FinWait2, p.Stack.State(id));
        Assert.Empty(p.Take());

        p.Inject(Peer.PeerIss + 1, iss + 2, TcpFlags.Fin | TcpFlags.Ack);
        Assert.Equal(TcpState.TimeWait, p.Stack.State(id));
        Seg ack = p.One();
        Assert.Equal(Peer.PeerIss + 2, ack.Ack);
        Assert.Equal(iss + 2, ack.Seq);

        // A retransmitted FIN in TIME-WAIT is acknowledged again and restarts the timer.
        p.Now += 1_000;
        p.Inject(Peer.PeerIss + 1, iss + 2, TcpFlags.Fin | TcpFlags.Ack);
        Assert.Equal(Peer.PeerIss + 2, p.One().Ack);
        Assert.Equal(p.Now + p.Settings.TimeWaitMs, p.Stack.NextDeadline);

        p.RunToDeadline();
        Assert.Equal(TcpState.Closed, p.Stack.State(id));
        Assert.Equal(0, p.Stack.InUse);
        Assert.Equal(TcpResult.InvalidId, p.Stack.Close(id)); // the id is stale now
    }

    [Fact]
    public void FinWait1ReceivingFinAndAckTogetherGoesToTimeWait()
    {
        var p = new Peer();
        int id = p.DriveTo(TcpState.FinWait1, out uint iss, out uint peerNxt);
        p.Inject(peerNxt, iss + 2, TcpFlags.Fin | TcpFlags.Ack);
        Assert.Equal(TcpState.TimeWait, p.Stack.State(id));
        Assert.Equal(peerNxt + 1, p.One().Ack);
    }

    [Fact]
    public void PassiveCloseThroughCloseWaitAndLastAck()
    {
        var p = new Peer();
        int id = p.Establish(out uint iss);
        p.Inject(Peer.PeerIss + 1, iss + 1, TcpFlags.Fin | TcpFlags.Ack, data: new byte[] { 9, 8 });
        Assert.Equal(TcpState.CloseWait, p.Stack.State(id));
        Seg ack = p.One();
        Assert.Equal(Peer.PeerIss + 4, ack.Ack); // 2 data + FIN
        TcpEvent e = p.Stack.TakeEvents(id);
        Assert.True((e & TcpEvent.PeerClosed) != 0 && (e & TcpEvent.Readable) != 0);

        var buf = new byte[10];
        Assert.Equal(2, p.Stack.Receive(id, buf, 0, 10));
        Assert.Equal(-(int)TcpResult.EndOfStream, p.Stack.Receive(id, buf, 0, 10));

        // We may still send in CLOSE-WAIT.
        Assert.Equal(3, p.Stack.Send(id, new byte[] { 1, 2, 3 }, 0, 3));
        Assert.Equal(TcpResult.Ok, p.Stack.Close(id));
        Assert.Equal(TcpState.LastAck, p.Stack.State(id));
        p.Poll();
        Seg dataFin = p.One();
        Assert.True(dataFin.Fin);
        Assert.Equal(3, dataFin.Length);
        Assert.Equal(-(int)TcpResult.InvalidState, p.Stack.Send(id, new byte[1], 0, 1));

        p.Inject(Peer.PeerIss + 4, iss + 5, TcpFlags.Ack);
        Assert.Equal(TcpState.Closed, p.Stack.State(id));
        Assert.Equal(0, p.Stack.InUse);
    }

    [Fact]
    public void SimultaneousCloseThroughClosing()
    {
        var p = new Peer();
        int id = p.DriveTo(TcpState.Closing, out uint iss, out uint peerNxt);
        p.Inject(peerNxt, iss + 2, TcpFlags.Ack);
        Assert.Equal(TcpState.TimeWait, p.Stack.State(id));
        p.RunToDeadline();
        Assert.Equal(0, p.Stack.InUse);
    }

    [Fact]
    public void FinIsRetransmittedWithBackoffUntilAcknowledged()
    {
        var p = new Peer();
        int id = p.DriveTo(TcpState.FinWait1, out uint iss, out _);
        long t0 = p.Now;
        p.RunToDeadline();
        Seg again = p.One();
        Assert.True(again.Fin);
        Assert.Equal(iss + 1, again.Seq);
        Assert.Equal(t0 + 1000, p.Now);
        p.RunToDeadline();
        Assert.True(p.One().Fin);
        Assert.Equal(t0 + 3000, p.Now);
    }

    [Fact]
    public void FinWait2IsBounded()
    {
        var p = new Peer();
        int id = p.DriveTo(TcpState.FinWait2, out _, out _);
        long t = p.Now;
        p.RunToDeadline();
        Assert.Equal(t + p.Settings.FinWait2TimeoutMs, p.Now);
        Assert.Equal(TcpState.Closed, p.Stack.State(id));
        Assert.Equal(0, p.Stack.InUse);
    }

    [Fact]
    public void DataStillArrivesInFinWaitStates()
    {
        var p = new Peer();
        int id = p.DriveTo(TcpState.FinWait2, out uint iss, out uint peerNxt);
        p.Inject(peerNxt, iss + 2, TcpFlags.Ack, data: new byte[] { 5, 6, 7 });
        Assert.Equal(peerNxt + 3, p.One().Ack);
        Assert.Equal(3, p.Stack.Available(id));
    }

    [Fact]
    public void CloseInSynSentReleasesAndAbortSendsReset()
    {
        var p = new Peer();
        int a = p.DriveTo(TcpState.SynSent, out _, out _);
        Assert.Equal(TcpResult.Ok, p.Stack.Close(a));
        Assert.Equal(0, p.Stack.InUse);
        Assert.Empty(p.Take());

        int b = p.Establish(out uint iss);
        Assert.Equal(TcpResult.Ok, p.Stack.Abort(b));
        Seg rst = p.One();
        Assert.True(rst.Rst);
        Assert.Equal(iss + 1, rst.Seq);
        Assert.Equal(0, p.Stack.InUse);
        Assert.Equal(TcpState.Closed, p.Stack.State(b));
    }

    [Fact]
    public void CloseInSynReceivedSendsFinAfterTheHandshake()
    {
        var p = new Peer();
        int id = p.DriveTo(TcpState.SynReceived, out uint iss, out uint peerNxt);
        Assert.Equal(TcpResult.Ok, p.Stack.Close(id));
        p.Poll();
        Assert.Empty(p.Take());
        p.Inject(peerNxt, iss + 1, TcpFlags.Ack);
        Assert.Equal(TcpState.FinWait1, p.Stack.State(id));
        Assert.True(p.One().Fin);
    }

    [Fact]
    public void ClosingAListenerResetsItsUnacceptedConnections()
    {
        var p = new Peer();
        p.Stack.Listen(0, 179, out int l);
        p.Inject(Peer.PeerIss, 0, TcpFlags.Syn, fromPort: 50000, toPort: 179);
        Seg synAck = p.One();
        Assert.Equal(2, p.Stack.InUse);
        Assert.Equal(TcpResult.Ok, p.Stack.Close(l));
        Seg rst = p.One();
        Assert.True(rst.Rst);
        Assert.Equal(synAck.Seq + 1, rst.Seq);
        Assert.Equal(0, p.Stack.InUse);
    }
}

/// <summary>Data received before the close stays readable after the connection ends (half-close).</summary>
public class HalfCloseTests
{
    [Fact]
    public void UnreadDataSurvivesTimeWaitAndIsReleasedByASecondClose()
    {
        var p = new Peer();
        int id = p.DriveTo(TcpState.FinWait2, out uint iss, out uint peerNxt);
        p.Inject(peerNxt, iss + 2, TcpFlags.Ack | TcpFlags.Fin, data: new byte[] { 1, 2, 3 });
        Assert.Equal(TcpState.TimeWait, p.Stack.State(id));
        p.Take();
        var buf = new byte[8];
        Assert.Equal(1, p.Stack.Receive(id, buf, 0, 1));
        p.Poll();
        Assert.Empty(p.Take()); // no window update after the peer's FIN
        p.RunToDeadline();      // TIME-WAIT ends; two bytes still unread
        Assert.Equal(TcpState.Closed, p.Stack.State(id));
        Assert.Equal(2, p.Stack.Receive(id, buf, 0, 8));
        Assert.Equal(-(int)TcpResult.EndOfStream, p.Stack.Receive(id, buf, 0, 8));
        Assert.Equal(TcpResult.Ok, p.Stack.Close(id));
        Assert.Equal(0, p.Stack.InUse);
    }

    [Fact]
    public void AClosedSlotWithUnreadDataIsRecycledWhenThePoolIsFull()
    {
        var p = new Peer(connections: 1);
        int id = p.DriveTo(TcpState.FinWait2, out uint iss, out uint peerNxt);
        p.Inject(peerNxt, iss + 2, TcpFlags.Ack | TcpFlags.Fin, data: new byte[] { 1, 2, 3 });
        p.RunToDeadline();
        Assert.Equal(TcpState.Closed, p.Stack.State(id));
        Assert.Equal(TcpResult.Ok, p.Stack.Connect(Peer.Local, 40001, Peer.Remote, 179, p.Now, out int fresh));
        Assert.Equal(TcpState.Closed, p.Stack.State(id));
        Assert.Equal(TcpState.SynSent, p.Stack.State(fresh));
    }
}
