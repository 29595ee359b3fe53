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

/// <summary>Event polling for the BGP speaker: per id and round-robin over the table.</summary>
public class EventTests
{
    [Fact]
    public void TakeNextEventVisitsEveryConnectionWithEvents()
    {
        var p = new Peer(connections: 4);
        p.Stack.Listen(0, 179, out int l);
        int a = p.Establish(out uint issA);
        p.Inject(Peer.PeerIss, 0, VpnAppliance.Wire.TcpFlags.Syn, fromPort: 50001, toPort: 179);
        Seg synAck = p.One();
        p.Inject(Peer.PeerIss + 1, synAck.Seq + 1, VpnAppliance.Wire.TcpFlags.Ack, fromPort: 50001, toPort: 179);
        p.Inject(Peer.PeerIss + 1, issA + 1, VpnAppliance.Wire.TcpFlags.Ack, data: new byte[] { 1 });

        var seen = new Dictionary<int, TcpEvent>();
        while (p.Stack.TakeNextEvent(out int id, out TcpEvent e))
        {
            seen.Add(id, e);
        }

        Assert.Equal(TcpEvent.Acceptable, seen[l]);
        Assert.Equal(TcpEvent.Connected | TcpEvent.Readable, seen[a]);
        Assert.Equal(3, seen.Count);
        Assert.Contains(seen, kv => kv.Key != l && kv.Key != a && kv.Value == TcpEvent.Connected); // the unaccepted child
        Assert.False(p.Stack.TakeNextEvent(out _, out _));
    }

    [Fact]
    public void UncheckedChecksumModeSkipsOnlyTheChecksum()
    {
        var settings = new TcpSettings { VerifyChecksum = false };
        var p = new Peer(settings: settings);
        p.Stack.Listen(0, 179, out _);
        byte[] seg = Seg.Build(Peer.Remote, Peer.Local, 50000, 179, 1, 0, VpnAppliance.Wire.TcpFlags.Syn, 1000);
        seg[16] ^= 0xFF; // checksum field
        Assert.Equal(TcpInputResult.Processed, p.Stack.OnSegment(Peer.Remote, Peer.Local, seg, 0, seg.Length, p.Now));
        Assert.Equal(TcpInputResult.Malformed, p.Stack.OnSegment(Peer.Remote, Peer.Local, seg, 0, 19, p.Now));
    }
}
