using VpnAppliance.Wire;

namespace VpnAppliance.Tcp.Tests;

/// <summary>The fixed pool: typed Full, TIME-WAIT recycling, stale ids.</summary>
public class PoolTests
{
    [Fact]
    public void FullPoolIsATypedCountedResult()
    {
        var p = new Peer(connections: 2);
        Assert.Equal(TcpResult.Ok, p.Stack.Connect(Peer.Local, 40000, Peer.Remote, 179, p.Now, out _));
        Assert.Equal(TcpResult.Ok, p.Stack.Listen(0, 179, out int l));
        Assert.Equal(TcpResult.Full, p.Stack.Connect(Peer.Local, 40001, Peer.Remote, 179, p.Now, out int id));
        Assert.Equal(-1, id);
        Assert.Equal(TcpResult.Full, p.Stack.Listen(0, 180, out _));
        p.Take();
        // A SYN for the listener finds no slot: dropped, counted, no answer (the peer retransmits).
        Assert.Equal(TcpInputResult.Full, p.Inject(Peer.PeerIss, 0, TcpFlags.Syn, fromPort: 50000, toPort: 179));
        Assert.Empty(p.Take());
        Assert.Equal(3, p.Stack.Counters.PoolFull);
        Assert.Equal(TcpState.Listen, p.Stack.State(l));
    }

    [Fact]
    public void TimeWaitSlotIsRecycledWhenThePoolIsFull()
    {
        var p = new Peer(connections: 1);
        int old = p.DriveTo(TcpState.TimeWait, out _, out _);
        Assert.Equal(TcpResult.Ok, p.Stack.Connect(Peer.Local, 40001, Peer.Remote, 179, p.Now, out int fresh));
        Assert.Equal(1, p.Stack.Counters.TimeWaitRecycled);
        Assert.Equal(TcpState.Closed, p.Stack.State(old));
        Assert.Equal(TcpState.SynSent, p.Stack.State(fresh));
        Assert.NotEqual(old, fresh); // same slot, new generation
    }

    [Fact]
    public void ReleasedIdsStayInvalidAfterTheSlotIsReused()
    {
        var p = new Peer(connections: 1);
        p.Stack.Connect(Peer.Local, 40000, Peer.Remote, 179, p.Now, out int a);
        Assert.Equal(TcpResult.Ok, p.Stack.Abort(a));
        p.Stack.Connect(Peer.Local, 40000, Peer.Remote, 179, p.Now, out int b);
        Assert.NotEqual(a, b);
        Assert.Equal(TcpResult.InvalidId, p.Stack.Close(a));
        Assert.Equal(TcpState.Closed, p.Stack.State(a));
        Assert.Equal(TcpState.SynSent, p.Stack.State(b));
    }

    [Fact]
    public void ManyConnectionsUseDistinctSlotsAndAllEstablish()
    {
        var p = new Peer(connections: 8);
        var ids = new int[8];
        for (int i = 0; i < 8; i++)
        {
            Assert.Equal(TcpResult.Ok, p.Stack.Connect(Peer.Local, 41000 + i, Peer.Remote, 179, p.Now, out ids[i]));
        }

        var syns = p.Take();
        for (int i = 0; i < 8; i++)
        {
            p.Inject(Peer.PeerIss, syns[i].Seq + 1, TcpFlags.Syn | TcpFlags.Ack, toPort: 41000 + i);
            Assert.Equal(TcpState.Established, p.Stack.State(ids[i]));
        }

        Assert.Equal(8, p.Stack.InUse);
    }
}
