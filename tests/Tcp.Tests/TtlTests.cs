using VpnAppliance.Wire;

namespace VpnAppliance.Tcp.Tests;

/// <summary>
/// Per-peer IP TTL (eBGP: 1 to a directly connected neighbour, the multihop TTL otherwise): every segment of a
/// connection, active or passive, and the resets to that address carry it; 0 is the IP layer's default.
/// </summary>
public class TtlTests
{
    [Fact]
    public void WithoutAPeerTtlSegmentsAskForTheDefault()
    {
        var p = new Peer();
        p.Stack.Connect(Peer.Local, p.LocalPort, Peer.Remote, Peer.RemotePort, p.Now, out int id);
        Assert.Equal(0, p.One().Ttl);
        Assert.Equal(0, p.Stack.Ttl(id));
        Assert.Equal(0, p.Stack.PeerTtl(Peer.Remote));
    }

    [Fact]
    public void ActiveOpenUsesThePeerTtlForEverySegment()
    {
        var p = new Peer();
        Assert.Equal(TcpResult.Ok, p.Stack.SetPeerTtl(Peer.Remote, 1));
        p.Stack.Connect(Peer.Local, p.LocalPort, Peer.Remote, Peer.RemotePort, p.Now, out int id);
        Seg syn = p.One();
        Assert.Equal(1, syn.Ttl);
        p.Inject(Peer.PeerIss, syn.Seq + 1, TcpFlags.Syn | TcpFlags.Ack, 8000, mss: 1000);
        Assert.Equal(1, p.One().Ttl);
        p.Stack.Send(id, new byte[100], 0, 100);
        p.Poll();
        Seg data = p.One();
        Assert.Equal(100, data.Length);
        Assert.Equal(1, data.Ttl);
        Assert.Equal(1, p.Stack.Ttl(id));
    }

    [Fact]
    public void PassiveOpenSendsTheSynAckWithThePeerTtl()
    {
        var p = new Peer();
        p.Stack.SetPeerTtl(Peer.Remote, 3);
        p.Stack.Listen(0, 179, out int listener);
        p.Inject(Peer.PeerIss, 0, TcpFlags.Syn, 6000, mss: 1200, fromPort: 50000, toPort: 179);
        Seg synAck = p.One();
        Assert.True(synAck.Syn && synAck.AckFlag);
        Assert.Equal(3, synAck.Ttl);
        p.Inject(Peer.PeerIss + 1, synAck.Seq + 1, TcpFlags.Ack, 6000, fromPort: 50000, toPort: 179);
        Assert.Equal(TcpResult.Ok, p.Stack.Accept(listener, out int id));
        Assert.Equal(3, p.Stack.Ttl(id));
    }

    [Fact]
    public void AResetToAnUnknownConnectionUsesThePeerTtl()
    {
        var p = new Peer();
        p.Stack.SetPeerTtl(Peer.Remote, 2);
        p.Inject(Peer.PeerIss, 0, TcpFlags.Syn, fromPort: 50000, toPort: 4444); // nobody listens
        Seg rst = p.One();
        Assert.True(rst.Rst);
        Assert.Equal(2, rst.Ttl);
    }

    [Fact]
    public void ChangingThePeerTtlAppliesToOpenConnectionsAndZeroRemovesIt()
    {
        var p = new Peer();
        p.Stack.Connect(Peer.Local, p.LocalPort, Peer.Remote, Peer.RemotePort, p.Now, out int id);
        p.Take();
        Assert.Equal(TcpResult.Ok, p.Stack.SetPeerTtl(Peer.Remote, 5));
        Assert.Equal(5, p.Stack.Ttl(id));
        Assert.Equal(TcpResult.Ok, p.Stack.SetPeerTtl(Peer.Remote, 0));
        Assert.Equal(0, p.Stack.Ttl(id));
        Assert.Equal(0, p.Stack.PeerTtl(Peer.Remote));
        Assert.Equal(TcpResult.Ok, p.Stack.SetPeerTtl(Peer.Remote, 0)); // removing an absent entry is fine
    }

    [Fact]
    public void TheTableHoldsOneEntryPerSlotAndRefusesBadArguments()
    {
        var p = new Peer(connections: 2);
        Assert.Equal(TcpResult.Ok, p.Stack.SetPeerTtl(0x0A000001, 1));
        Assert.Equal(TcpResult.Ok, p.Stack.SetPeerTtl(0x0A000002, 2));
        Assert.Equal(TcpResult.Ok, p.Stack.SetPeerTtl(0x0A000002, 9));   // an update needs no room
        Assert.Equal(TcpResult.Full, p.Stack.SetPeerTtl(0x0A000003, 3));
        Assert.Equal(0, p.Stack.PeerTtl(0x0A000003));
        Assert.Equal(9, p.Stack.PeerTtl(0x0A000002));
        Assert.Equal(TcpResult.InvalidArgument, p.Stack.SetPeerTtl(0, 1));
        Assert.Equal(TcpResult.InvalidArgument, p.Stack.SetPeerTtl(0x0A000001, 256));
        Assert.Equal(TcpResult.InvalidArgument, p.Stack.SetPeerTtl(0x0A000001, -1));
        p.Stack.ClearPeerTtls();
        Assert.Equal(0, p.Stack.PeerTtl(0x0A000001));
        Assert.Equal(TcpResult.Ok, p.Stack.SetPeerTtl(0x0A000003, 3));
        Assert.Equal(-1, p.Stack.Ttl(12345));
    }
}

/// <summary>The SYN filter: a refused SYN gets RST,ACK (as a closed port) and takes no slot.</summary>
public class SynFilterTests
{
    private sealed class Filter(bool admit) : ITcpSynFilter
    {
        public readonly List<(uint Local, int Port, uint Remote, long Now)> Calls = new();

        public bool Admits(uint localAddress, int localPort, uint remoteAddress, long nowMs)
        {
            Calls.Add((localAddress, localPort, remoteAddress, nowMs));
            return admit;
        }
    }

    [Fact]
    public void ARefusedSynIsResetWithoutTakingASlot()
    {
        var p = new Peer();
        var filter = new Filter(false);
        p.Stack.SetSynFilter(filter);
        p.Stack.Listen(0, 179, out int listener);
        int inUse = p.Stack.InUse;
        p.Inject(Peer.PeerIss, 0, TcpFlags.Syn, 6000, mss: 1200, fromPort: 50000, toPort: 179);
        Seg rst = p.One();
        Assert.True(rst.Rst && rst.AckFlag);
        Assert.Equal(0u, rst.Seq);
        Assert.Equal(Peer.PeerIss + 1, rst.Ack);
        Assert.Equal(inUse, p.Stack.InUse);
        Assert.Equal(1, p.Stack.Counters.SynsRefused);
        Assert.Equal((Peer.Local, 179, Peer.Remote, p.Now), Assert.Single(filter.Calls));
        Assert.Equal(TcpResult.WouldBlock, p.Stack.Accept(listener, out _));
    }

    [Fact]
    public void AnAdmittedSynIsAnsweredAndActiveOpensAreNotAsked()
    {
        var p = new Peer();
        var filter = new Filter(true);
        p.Stack.SetSynFilter(filter);
        p.Stack.Listen(0, 179, out _);
        p.Inject(Peer.PeerIss, 0, TcpFlags.Syn, 6000, fromPort: 50000, toPort: 179);
        Assert.True(p.One().Syn);
        p.Stack.Connect(Peer.Local, p.LocalPort, Peer.Remote, Peer.RemotePort, p.Now, out int id);
        Seg syn = p.One();
        p.Inject(Peer.PeerIss, syn.Seq + 1, TcpFlags.Syn | TcpFlags.Ack, 8000);
        Assert.Equal(TcpState.Established, p.Stack.State(id));
        Assert.Single(filter.Calls);
        Assert.Equal(0, p.Stack.Counters.SynsRefused);
    }
}
