using VpnAppliance.Core;
using VpnAppliance.Fib;
using VpnAppliance.Hal;
using VpnAppliance.Hal.Doubles;
using VpnAppliance.Wire;

namespace VpnAppliance.Net.Tests;

/// <summary>An in-memory tunnel: records (copies of) what the router transmits, or only counts in allocation-free mode.</summary>
public sealed class FakeTunnel : ITunnelTransmit
{
    public bool Up { get; set; } = true;
    public int Mtu { get; set; } = 1400;
    public bool Record { get; set; } = true;
    public PortResult Result { get; set; } = PortResult.Ok;
    public List<byte[]> Sent { get; } = new();
    public long Count;
    public byte[] Last = new byte[4096];
    public int LastLength;

    public PortResult Transmit(byte[] buf, int off, int len, long nowMs)
    {
        if (Result != PortResult.Ok)
        {
            return Result;
        }

        Count++;
        Array.Copy(buf, off, Last, 0, len);
        LastLength = len;
        if (Record)
        {
            Sent.Add(buf.AsSpan(off, len).ToArray());
        }

        return PortResult.Ok;
    }
}

/// <summary>Records local TCP deliveries.</summary>
public sealed class RecordingTransport : ILocalTransport
{
    public List<(uint Src, uint Dst, byte[] Segment)> Segments { get; } = new();

    public void OnSegment(uint src, uint dst, byte[] buf, int off, int len, long nowMs) => Segments.Add((src, dst, buf.AsSpan(off, len).ToArray()));
}

/// <summary>Records local ICMP deliveries.</summary>
public sealed class RecordingIcmp : ILocalIcmp
{
    public List<(uint Src, uint Dst, byte[] Message)> Messages { get; } = new();

    public void OnIcmp(uint src, uint dst, byte[] buf, int off, int len, long nowMs) => Messages.Add((src, dst, buf.AsSpan(off, len).ToArray()));
}

/// <summary>
/// A router wired to in-memory doubles: LAN 10.0.0.1/24 on a MemoryNetPort (MAC 02:00:00:00:00:01), loopback
/// 10.255.0.1, tunnels 1..4 as <see cref="FakeTunnel"/> (tunnel n has local /32 169.254.21.(4n-2), peer 4n-3).
/// </summary>
public sealed class Lab
{
    public static readonly uint LanAddress = Ip(10, 0, 0, 1);
    public static readonly uint Loopback = Ip(10, 255, 0, 1);
    public const ulong RouterMac = 0x020000000001UL;
    public const ulong HostMac = 0x02000000AA01UL;
    public static readonly uint Host = Ip(10, 0, 0, 10);

    public readonly Capacities Capacities;
    public readonly PacketPool Pool;
    public readonly MemoryNetPort Lan;
    public readonly NextHopGroupTable Groups;
    public readonly FibTable Fib;
    public readonly Router Router;
    public readonly FakeTunnel[] Tunnels = new FakeTunnel[5];
    public readonly int LanGroup;
    private readonly byte[] _frame = new byte[4096];
    public long Now = 1_000;

    public Lab(int packetBuffers = 64, int arpEntries = 8, int maxFrame = 1514, int routes = 64)
    {
        Capacities = new Capacities
        {
            Routes = routes, TrieNodes = routes + 64, FibRootBits = 5, NextHopGroups = 32, PathsPerGroup = 4,
            Tunnels = 4, PacketBuffers = packetBuffers, PacketBufferSize = 2048, ArpEntries = arpEntries,
        };
        Pool = new PacketPool(packetBuffers, 2048);
        var mac = new byte[6];
        EthernetAddress.Write(mac, 0, RouterMac);
        Lan = new MemoryNetPort(mac, 0, 256, 1024, maxFrame);
        Groups = new NextHopGroupTable(Capacities);
        Fib = new FibTable(routes, routes + 64, 5, Groups);
        Router = new Router(Capacities, Pool, Lan, Fib, Groups);
        Router.SetLanAddress(LanAddress, 24);
        Router.SetLoopbackAddress(Loopback);
        for (int t = 1; t <= 4; t++)
        {
            Tunnels[t] = new FakeTunnel();
            Router.AttachTunnel(t, Tunnels[t], TunnelLocal(t));
        }

        // Connected LAN route and the inside-tunnel /30s.
        LanGroup = Group((Router.LanInterface, 0u));
        Route(Ip(10, 0, 0, 0), 24, LanGroup);
        for (int t = 1; t <= 4; t++)
        {
            Route(TunnelLocal(t) & 0xFFFFFFFCu, 30, Group((t, 0u)));
        }
    }

    public static uint Ip(int a, int b, int c, int d) => Ipv4Address.FromOctets(a, b, c, d);

    public static uint TunnelLocal(int t) => Ip(169, 254, 21, 4 * t - 2);

    public static uint TunnelPeer(int t) => Ip(169, 254, 21, 4 * t - 3);

    public int Group(params (int Iface, uint Gateway)[] members)
    {
        int g = Groups.Create();
        foreach (var (iface, gw) in members)
        {
            Assert.Equal(FibResult.Ok, Groups.AddMember(g, iface, gw, 1));
        }

        return g;
    }

    public void Route(uint prefix, int length, int group) => Assert.Equal(FibResult.Ok, Fib.Insert(prefix, length, group));

    /// <summary>Hands a frame to the router as the appliance would (a pool buffer it then owns).</summary>
    public void InjectLan(byte[] frame)
    {
        int b = Pool.Allocate();
        Assert.NotEqual(PacketPool.Full, b);
        Array.Copy(frame, 0, Pool.Data, Pool.Offset(b), frame.Length);
        Router.OnLanFrame(b, frame.Length, Now);
    }

    /// <summary>Sends an IPv4 packet from LAN host <paramref name="srcMac"/> to the router's MAC.</summary>
    public void InjectLanIp(byte[] packet, ulong srcMac = HostMac) => InjectLan(Packets.Frame(RouterMac, srcMac, EtherType.Ipv4, packet));

    /// <summary>Hands a decrypted inner packet to the router at <paramref name="offset"/> of a pool buffer.</summary>
    public void InjectTunnel(int tunnel, byte[] packet, int offset = 64)
    {
        int b = Pool.Allocate();
        Assert.NotEqual(PacketPool.Full, b);
        Array.Copy(packet, 0, Pool.Data, Pool.Offset(b) + offset, packet.Length);
        Router.ReceiveFromTunnel(tunnel, b, offset, packet.Length, Now);
    }

    /// <summary>Every frame the router sent on the LAN since the last call.</summary>
    public List<byte[]> TakeLan()
    {
        var frames = new List<byte[]>();
        int n;
        while ((n = Lan.TakeSent(_frame, 0, _frame.Length)) >= 0)
        {
            frames.Add(_frame.AsSpan(0, n).ToArray());
        }

        return frames;
    }

    /// <summary>Makes the router learn the LAN host (it asks for our address; the router answers) and discards the reply.</summary>
    public void LearnHost(uint ip, ulong mac)
    {
        InjectLan(Packets.Frame(EthernetAddress.Broadcast, mac, EtherType.Arp, Packets.Arp(ArpPacket.OperationRequest, mac, ip, 0, LanAddress)));
        TakeLan();
    }

    /// <summary>Runs the router's periodic work at <paramref name="nowMs"/>.</summary>
    public long Poll(long nowMs)
    {
        Now = nowMs;
        return Router.Poll(nowMs);
    }
}
