using System;
using System.Collections.Generic;
using VpnAppliance.Core;
using VpnAppliance.Fib;
using VpnAppliance.Fib.Workloads;
using VpnAppliance.Hal;
using VpnAppliance.Net;
using VpnAppliance.Wire;

namespace VpnAppliance.Bench.Fwd;

/// <summary>
/// The forwarding benchmark's setup: a router with a 10,000-route BGP-like FIB (each route on an ECMP group of two
/// tunnels, like an active-active cloud pair), the LAN on an in-memory port, and tunnels that reflect every inner
/// packet (source and destination swapped, so both checksums stay valid) back into the router. One
/// <see cref="RoundTrip"/> = LAN frame -> router -> tunnel, then tunnel -> router -> LAN frame: two forwarding
/// decisions (FIB lookup, flow hash, TTL, MTU, MSS check, ARP lookup, Ethernet header).
/// </summary>
public sealed class FwdWorkload
{
    public const int Routes = 10_000;
    public const int Flows = 256;
    public static readonly uint LanAddress = Ipv4Address.FromOctets(10, 0, 0, 1);
    public static readonly uint Host = Ipv4Address.FromOctets(10, 0, 0, 10);
    public const ulong RouterMac = 0x020000000001UL;
    public const ulong HostMac = 0x02000000AA01UL;

    public readonly PacketPool Pool;
    public readonly Router Router;
    public readonly RamNetPort Lan;
    public readonly ReflectingTunnel[] Tunnels = new ReflectingTunnel[5];
    public readonly FibTable Fib;
    public readonly int RoutesInstalled;
    private readonly byte[][] _frames = new byte[Flows][];
    private readonly byte[] _sink = new byte[2048];
    private long _now = 1;
    private int _next;

    public FwdWorkload(int payloadBytes = 64)
    {
        var capacities = new Capacities
        {
            Routes = Routes + 64, TrieNodes = FibSizing.TrieNodesFor(Routes + 64), FibRootBits = FibSizing.RootBitsFor(Routes),
            NextHopGroups = 16, PathsPerGroup = 4, Tunnels = 4, PacketBuffers = 64, PacketBufferSize = 2048, ArpEntries = 64,
        };
        Pool = new PacketPool(capacities.PacketBuffers, capacities.PacketBufferSize);
        Lan = new RamNetPort(RouterMac);
        var groups = new NextHopGroupTable(capacities);
        Fib = new FibTable(capacities, groups);
        Router = new Router(capacities, Pool, Lan, Fib, groups);
        Router.SetLanAddress(LanAddress, 24);
        for (int t = 1; t <= 4; t++)
        {
            Tunnels[t] = new ReflectingTunnel();
            Router.AttachTunnel(t, Tunnels[t], Ipv4Address.FromOctets(169, 254, 21, 4 * t - 2));
        }

        int pairA = groups.Create();
        groups.AddMember(pairA, 1, 0, 1);
        groups.AddMember(pairA, 2, 0, 1);
        int pairB = groups.Create();
        groups.AddMember(pairB, 3, 0, 1);
        groups.AddMember(pairB, 4, 0, 1);
        int lan = groups.Create();
        groups.AddMember(lan, Router.LanInterface, 0, 1);

        var gen = new RouteGenerator(RouteMix.Bgp, Routes, 42);
        var prefixes = new List<(uint Prefix, int Length)>();
        int attempts = 0;
        while (prefixes.Count < Routes && attempts++ < Routes * 4)
        {
            var (prefix, length) = gen.Next();
            if ((prefix >> 24) == 10 || Fib.TryGet(prefix, length, out _))
            {
                continue;   // keep 10/8 for the LAN, skip duplicates
            }

            if (Fib.Insert(prefix, length, (prefixes.Count & 1) == 0 ? pairA : pairB) == FibResult.Ok)
            {
                prefixes.Add((prefix, length));
            }
        }

        RoutesInstalled = prefixes.Count;
        Fib.Insert(Ipv4Address.FromOctets(10, 0, 0, 0), 24, lan);

        // The LAN host is resolved (it asked for our address).
        var arp = new byte[42];
        new EthernetRepr { Destination = EthernetAddress.Broadcast, Source = HostMac, EtherType = EtherType.Arp }.Emit(arp, 0, 14);
        new ArpRepr { Operation = ArpPacket.OperationRequest, SenderHardwareAddress = HostMac, SenderProtocolAddress = Host, TargetProtocolAddress = LanAddress }.Emit(arp, 14, 28);
        Deliver(arp);
        Lan.Drain(_sink);

        // Flows: UDP from the host to an address inside a random installed prefix.
        var rnd = new Random(7);
        for (int f = 0; f < Flows; f++)
        {
            var (prefix, length) = prefixes[rnd.Next(prefixes.Count)];
            uint hostBits = length == 32 ? 0 : (uint)rnd.Next() & (0xFFFFFFFFu >> length);
            uint dst = prefix | hostBits;
            var frame = new byte[14 + 20 + 8 + payloadBytes];
            new EthernetRepr { Destination = RouterMac, Source = HostMac, EtherType = EtherType.Ipv4 }.Emit(frame, 0, 14);
            new UdpRepr { SourcePort = (ushort)(10000 + f), DestinationPort = 443, PayloadLength = payloadBytes }.Emit(frame, 34, 8 + payloadBytes, Host, dst);
            new Ipv4Repr { Source = Host, Destination = dst, Protocol = IpProtocol.Udp, Ttl = 64, Identification = (ushort)f, PayloadLength = 8 + payloadBytes }.Emit(frame, 14, frame.Length - 14);
            _frames[f] = frame;
        }
    }

    /// <summary>One packet LAN -> tunnel and its reflection tunnel -> LAN; returns the LAN frame length (0: lost).</summary>
    public int RoundTrip()
    {
        byte[] frame = _frames[_next];
        _next = (_next + 1) & (Flows - 1);
        Deliver(frame);
        for (int t = 1; t <= 4; t++)
        {
            ReflectingTunnel tunnel = Tunnels[t];
            if (tunnel.Pending > 0)
            {
                int b = Pool.Allocate();
                Array.Copy(tunnel.Buffer, 0, Pool.Data, Pool.Offset(b) + 64, tunnel.Pending);
                Router.ReceiveFromTunnel(t, b, 64, tunnel.Pending, _now);
                tunnel.Pending = 0;
            }
        }

        return Lan.Drain(_sink);
    }

    /// <summary>Runs the router's timers (the appliance calls this once per loop).</summary>
    public void Tick()
    {
        _now++;
        Router.Poll(_now);
    }

    private void Deliver(byte[] frame)
    {
        int b = Pool.Allocate();
        Array.Copy(frame, 0, Pool.Data, Pool.Offset(b), frame.Length);
        Router.OnLanFrame(b, frame.Length, _now);
    }
}

/// <summary>A tunnel that keeps the last inner packet with source and destination swapped (the far site answering).</summary>
public sealed class ReflectingTunnel : ITunnelTransmit
{
    public readonly byte[] Buffer = new byte[2048];
    public int Pending;
    public long Packets;

    public bool Up => true;

    public int Mtu => 1400;

    public PortResult Transmit(byte[] buf, int off, int len, long nowMs)
    {
        Array.Copy(buf, off, Buffer, 0, len);
        // Swapping the two address words changes neither the IPv4 nor the UDP/TCP checksum (one's complement sums commute).
        for (int i = 0; i < 4; i++)
        {
            (Buffer[12 + i], Buffer[16 + i]) = (Buffer[16 + i], Buffer[12 + i]);
        }

        int ihl = (Buffer[0] & 15) * 4;
        (Buffer[ihl], Buffer[ihl + 2]) = (Buffer[ihl + 2], Buffer[ihl]);
        (Buffer[ihl + 1], Buffer[ihl + 3]) = (Buffer[ihl + 3], Buffer[ihl + 1]);
        Pending = len;
        Packets++;
        return PortResult.Ok;
    }
}

/// <summary>A LAN port in RAM for the benchmark: keeps only the last frame sent.</summary>
public sealed class RamNetPort : INetPort
{
    private readonly ulong _mac;
    private readonly byte[] _last = new byte[2048];
    private int _lastLength = -1;

    public RamNetPort(ulong mac) => _mac = mac;

    public long Sent;

    public bool LinkUp => true;

    public int MaxFrameLength => 1514;

    public void GetMacAddress(byte[] destination, int offset) => EthernetAddress.Write(destination, offset, _mac);

    public int Receive(byte[] buffer, int offset, int count) => 0;

    public PortResult Send(byte[] buffer, int offset, int length)
    {
        Array.Copy(buffer, offset, _last, 0, length);
        _lastLength = length;
        Sent++;
        return PortResult.Ok;
    }

    /// <summary>Takes the last frame sent (copied into sink); its length, 0 when none.</summary>
    public int Drain(byte[] sink)
    {
        int n = _lastLength;
        if (n < 0)
        {
            return 0;
        }

        Array.Copy(_last, 0, sink, 0, n);
        _lastLength = -1;
        return n;
    }
}
