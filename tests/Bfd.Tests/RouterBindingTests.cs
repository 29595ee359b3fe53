using VpnAppliance.Core;
using VpnAppliance.Fib;
using VpnAppliance.Hal;
using VpnAppliance.Hal.Doubles;
using VpnAppliance.Net;
using VpnAppliance.Wire;

namespace VpnAppliance.Bfd.Tests;

/// <summary>A tunnel whose transmitted inner packets wait in a queue until the test delivers them (no re-entrance).</summary>
public sealed class QueuedTunnel : ITunnelTransmit
{
    public bool Up { get; set; } = true;
    public int Mtu { get; set; } = 1400;
    public bool Cut;
    public readonly Queue<byte[]> Queue = new();
    public readonly List<byte[]> Log = new();

    public PortResult Transmit(byte[] buf, int off, int len, long nowMs)
    {
        var copy = buf.AsSpan(off, len).ToArray();
        Log.Add(copy);
        if (!Cut)
        {
            Queue.Enqueue(copy);
        }

        return PortResult.Ok;
    }
}

/// <summary>One appliance's packet plane for the test: router with one tunnel, and BFD bound to it.</summary>
public sealed class Node
{
    public readonly PacketPool Pool = new(32, 2048);
    public readonly Router Router;
    public readonly QueuedTunnel Tunnel = new();
    public readonly BfdRouterBinding Bfd;
    public readonly uint Address;

    public Node(uint address, uint peer, uint seed)
    {
        Address = address;
        var c = new Capacities { Routes = 16, TrieNodes = 80, FibRootBits = 5, NextHopGroups = 4, PathsPerGroup = 2, Tunnels = 1, PacketBuffers = 32, PacketBufferSize = 2048, ArpEntries = 4, BgpPeers = 2 };
        var lan = new MemoryNetPort(new byte[] { 2, 0, 0, 0, 0, (byte)seed }, 0, 8, 8, 1514);
        var groups = new NextHopGroupTable(c);
        var fib = new FibTable(16, 80, 5, groups);
        Router = new Router(c, Pool, lan, fib, groups);
        Router.AttachTunnel(1, Tunnel, address);
        Bfd = new BfdRouterBinding(Router, BfdEngine.SessionsFor(c), seed);
        Router.SetLocalUdp(Bfd);
        Session = Bfd.Engine.AddSession(1, peer, address, 0);
    }

    public readonly int Session;

    public BfdSession State => Bfd.Engine.Session(Session);

    public void Receive(byte[] packet, long now)
    {
        int b = Pool.Allocate();
        Assert.NotEqual(PacketPool.Full, b);
        Array.Copy(packet, 0, Pool.Data, Pool.Offset(b) + 64, packet.Length);
        Router.ReceiveFromTunnel(1, b, 64, packet.Length, now);
    }
}

/// <summary>BFD through the real router: UDP 3784 in, UDP 3784 with TTL 255 out of the session's tunnel.</summary>
public class RouterBindingTests
{
    private static readonly uint X = Ipv4Address.FromOctets(169, 254, 21, 2);
    private static readonly uint Y = Ipv4Address.FromOctets(169, 254, 21, 1);

    private static void Run(Node x, Node y, ref long now, long ms)
    {
        long end = now + ms;
        for (; now <= end; now++)
        {
            while (x.Tunnel.Queue.Count > 0)
            {
                y.Receive(x.Tunnel.Queue.Dequeue(), now);
            }

            while (y.Tunnel.Queue.Count > 0)
            {
                x.Receive(y.Tunnel.Queue.Dequeue(), now);
            }

            x.Bfd.Poll(now);
            y.Bfd.Poll(now);
        }
    }

    [Fact]
    public void TwoRoutersBringASessionUpOverTheTunnelAndDetectItsLoss()
    {
        var x = new Node(X, Y, 11);
        var y = new Node(Y, X, 22);
        Assert.True(x.Bfd.Engine.Configure(x.Session, 100, 100, 3, 0));
        Assert.True(y.Bfd.Engine.Configure(y.Session, 100, 100, 3, 0));
        long now = 0;
        Run(x, y, ref now, 5000);
        Assert.True(x.State.IsUp);
        Assert.True(y.State.IsUp);
        Assert.Equal(100_000, x.State.TransmitInterval);

        // What went into the tunnel: IPv4 TTL 255, UDP from the session's port to 3784, valid checksum, 24 bytes of BFD.
        foreach (var packet in x.Tunnel.Log)
        {
            Assert.Equal(WireResult.Ok, Ipv4Packet.Check(packet, 0, packet.Length, out var ip));
            Assert.Equal(255, ip.Ttl);
            Assert.Equal(X, ip.Source);
            Assert.Equal(Y, ip.Destination);
            Assert.Equal(WireResult.Ok, UdpDatagram.Check(packet, ip.PayloadOffset, ip.PayloadLength, X, Y, out var udp));
            Assert.Equal(x.State.SourcePort, udp.SourcePort);
            Assert.Equal(3784, udp.DestinationPort);
            Assert.Equal(24, udp.PayloadLength);
        }

        Assert.Equal(0, x.Pool.InUse);
        Assert.Equal(0, y.Bfd.Engine.Counters.Discarded);

        // The tunnel to Y loses its packets: both sides go Down within the detection time (300 ms).
        x.Tunnel.Cut = true;
        long cut = now;
        Run(x, y, ref now, 1000);
        Assert.Equal(BfdState.Down, y.State.State);
        Assert.Equal(BfdDiag.ControlDetectionTimeExpired, y.State.Diag);
        Assert.InRange(y.State.StateSince - cut, 200, 300);
        Assert.Equal(BfdState.Down, x.State.State);
        Assert.Equal(BfdDiag.NeighborSignaledSessionDown, x.State.Diag);

        x.Tunnel.Cut = false;
        Run(x, y, ref now, 5000);
        Assert.True(x.State.IsUp && y.State.IsUp);
    }

    [Fact]
    public void TtlBelow255IsDiscardedThroughTheRouter()
    {
        var y = new Node(Y, X, 22);
        var bfd = Packets.Control(my: 99);
        var udp = new byte[8 + 24];
        bfd.CopyTo(udp, 8);
        new UdpRepr { SourcePort = 49152, DestinationPort = 3784, PayloadLength = 24 }.Emit(udp, 0, udp.Length, X, Y);
        foreach (byte ttl in new byte[] { 254, 255 })
        {
            var p = new byte[20 + udp.Length];
            new Ipv4Repr { Source = X, Destination = Y, Protocol = IpProtocol.Udp, Ttl = ttl, PayloadLength = udp.Length }.Emit(p, 0, p.Length);
            udp.CopyTo(p, 20);
            y.Receive(p, 10);
        }

        Assert.Equal(1, y.Bfd.Engine.Counters.Results(BfdReceiveResult.BadTtl));
        Assert.Equal(1, y.Bfd.Engine.Counters.Results(BfdReceiveResult.Accepted));
        Assert.Equal(BfdState.Init, y.State.State);
        Assert.Equal(0, y.Pool.InUse);
    }

    [Fact]
    public void PacketsToOurOwnAddressAreNotSent()
    {
        var x = new Node(X, Y, 11);
        int s = x.Bfd.Engine.AddSession(1, X, X, 0);
        x.Bfd.Poll(0);
        Assert.Equal(1, x.Bfd.LoopbackDrops);
        Assert.True(x.Bfd.Engine.Session(s).IsActive);
    }
}
