using VpnAppliance.Wire;

namespace VpnAppliance.Tcp.Tests;

/// <summary>RST processing in every state (RFC 9293 §3.10.7, RFC 5961 §3) and RST generation (§3.10.7.1).</summary>
public class ResetTests
{
    public static TheoryData<TcpState> SynchronizedStates => new()
    {
        TcpState.SynReceived, TcpState.Established, TcpState.FinWait1, TcpState.FinWait2, TcpState.CloseWait,
        TcpState.Closing, TcpState.LastAck, TcpState.TimeWait,
    };

    [Theory]
    [MemberData(nameof(SynchronizedStates))]
    public void ExactRstEndsTheConnection(TcpState state)
    {
        var p = new Peer();
        int id = p.DriveTo(state, out uint iss, out uint peerNxt);
        p.Inject(peerNxt, 0, TcpFlags.Rst);
        Assert.Empty(p.Take()); // a RST is never answered
        if (state == TcpState.TimeWait)
        {
            // RFC 1337 §3 F1: TIME-WAIT ignores RST; the timer ends it.
            Assert.Equal(TcpState.TimeWait, p.Stack.State(id));
            p.RunToDeadline();
            Assert.Equal(0, p.Stack.InUse);
            return;
        }

        Assert.Equal(TcpState.Closed, p.Stack.State(id));
        bool userClosed = state is TcpState.FinWait1 or TcpState.FinWait2 or TcpState.Closing or TcpState.LastAck or TcpState.TimeWait;
        if (userClosed)
        {
            Assert.Equal(0, p.Stack.InUse); // the user had closed: released at once
        }
        else
        {
            Assert.Equal(1, p.Stack.InUse); // kept until the user's Close/Abort, with the reason
            Assert.True((p.Stack.TakeEvents(id) & TcpEvent.Reset) != 0);
            Assert.Equal(TcpResult.ConnectionReset, p.Stack.EndReason(id));
            Assert.Equal(-(int)TcpResult.ConnectionReset, p.Stack.Receive(id, new byte[4], 0, 4));
            Assert.Equal(-(int)TcpResult.ConnectionReset, p.Stack.Send(id, new byte[4], 0, 4));
            Assert.Equal(TcpResult.Ok, p.Stack.Close(id));
            Assert.Equal(0, p.Stack.InUse);
        }

        Assert.Equal(1, p.Stack.Counters.ResetsAccepted);
    }

    [Theory]
    [MemberData(nameof(SynchronizedStates))]
    public void InWindowRstThatIsNotExactGetsAChallengeAck(TcpState state)
    {
        // RFC 5961 §3.2: in the window but not RCV.NXT -> <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>, no reset.
        var p = new Peer();
        int id = p.DriveTo(state, out _, out uint peerNxt);
        p.Inject(peerNxt + 100, 0, TcpFlags.Rst);
        Seg challenge = p.One();
        Assert.True(challenge.AckFlag && !challenge.Rst);
        Assert.Equal(peerNxt, challenge.Ack);
        Assert.Equal(state, p.Stack.State(id));
        Assert.Equal(1, p.Stack.Counters.ChallengeAcks);
    }

    [Theory]
    [MemberData(nameof(SynchronizedStates))]
    public void OutOfWindowRstIsIgnoredSilently(TcpState state)
    {
        var p = new Peer();
        int id = p.DriveTo(state, out _, out uint peerNxt);
        p.Inject(peerNxt + 100_000, 0, TcpFlags.Rst);
        p.Inject(peerNxt - 1, 0, TcpFlags.Rst);
        Assert.Empty(p.Take());
        Assert.Equal(state, p.Stack.State(id));
    }

    [Fact]
    public void RstInSynSentNeedsAnAcceptableAck()
    {
        var p = new Peer();
        int id = p.DriveTo(TcpState.SynSent, out uint iss, out _);
        p.Inject(0, 0, TcpFlags.Rst);                                 // no ACK: dropped
        p.Inject(0, iss + 5, TcpFlags.Rst | TcpFlags.Ack);            // unacceptable ACK: dropped
        Assert.Equal(TcpState.SynSent, p.Stack.State(id));
        p.Inject(0, iss + 1, TcpFlags.Rst | TcpFlags.Ack);            // "connection refused"
        Assert.Equal(TcpState.Closed, p.Stack.State(id));
        Assert.Equal(TcpResult.ConnectionReset, p.Stack.EndReason(id));
        Assert.True((p.Stack.TakeEvents(id) & (TcpEvent.Reset | TcpEvent.Closed)) == (TcpEvent.Reset | TcpEvent.Closed));
        Assert.Empty(p.Take());
    }

    [Fact]
    public void RstOfAPassiveSynReceivedReturnsToListen()
    {
        var p = new Peer();
        p.Stack.Listen(0, 179, out int l);
        p.Inject(Peer.PeerIss, 0, TcpFlags.Syn, fromPort: 50000, toPort: 179);
        p.One();
        Assert.Equal(2, p.Stack.InUse);
        p.Inject(Peer.PeerIss + 1, 0, TcpFlags.Rst, fromPort: 50000, toPort: 179);
        Assert.Equal(1, p.Stack.InUse);
        Assert.Equal(TcpState.Listen, p.Stack.State(l));
        Assert.Equal(TcpResult.WouldBlock, p.Stack.Accept(l, out _));
    }

    [Fact]
    public void SegmentForNoConnectionIsAnsweredWithRst()
    {
        var p = new Peer();
        // With ACK: <SEQ=SEG.ACK><CTL=RST>.
        Assert.Equal(TcpInputResult.NoConnection, p.Inject(5000, 777, TcpFlags.Ack, data: new byte[3]));
        Seg r1 = p.One();
        Assert.True(r1.Rst && !r1.AckFlag);
        Assert.Equal(777u, r1.Seq);
        // Without ACK: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> (SYN counts one).
        p.Inject(5000, 0, TcpFlags.Syn);
        Seg r2 = p.One();
        Assert.True(r2.Rst && r2.AckFlag);
        Assert.Equal(0u, r2.Seq);
        Assert.Equal(5001u, r2.Ack);
        // A RST is never answered.
        p.Inject(5000, 0, TcpFlags.Rst);
        Assert.Empty(p.Take());
        Assert.Equal(3, p.Stack.Counters.NoConnection);
    }

    [Fact]
    public void AckToAListenerIsReset()
    {
        var p = new Peer();
        p.Stack.Listen(0, 179, out _);
        p.Inject(1, 4242, TcpFlags.Ack, fromPort: 50000, toPort: 179);
        Seg r = p.One();
        Assert.True(r.Rst);
        Assert.Equal(4242u, r.Seq);
        Assert.Equal(1, p.Stack.InUse);
    }

    [Fact]
    public void BadAckInSynReceivedIsReset()
    {
        var p = new Peer();
        p.Stack.Listen(0, 179, out _);
        p.Inject(Peer.PeerIss, 0, TcpFlags.Syn, fromPort: 50000, toPort: 179);
        Seg synAck = p.One();
        p.Inject(Peer.PeerIss + 1, synAck.Seq + 50, TcpFlags.Ack, fromPort: 50000, toPort: 179);
        Seg r = p.One();
        Assert.True(r.Rst);
        Assert.Equal(synAck.Seq + 50, r.Seq);
    }
}

/// <summary>LISTEN ignores a RST (RFC 9293 §3.10.7.2 first check).</summary>
public class ListenResetTests
{
    [Fact]
    public void RstToAListenerIsIgnored()
    {
        var p = new Peer();
        p.Stack.Listen(0, 179, out int l);
        p.Inject(1, 0, TcpFlags.Rst, fromPort: 50000, toPort: 179);
        p.Inject(1, 5, TcpFlags.Rst | TcpFlags.Ack, fromPort: 50000, toPort: 179);
        Assert.Empty(p.Take());
        Assert.Equal(TcpState.Listen, p.Stack.State(l));
        Assert.Equal(1, p.Stack.InUse);
    }
}
