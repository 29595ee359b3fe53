using VpnAppliance.Wire;

namespace VpnAppliance.Net.Tests;

/// <summary>Time exceeded, fragmentation needed, net unreachable, echo reply, RFC 1812 §4.3.2.7 suppression, rate limit.</summary>
public class IcmpTests
{
    private static Lab LabWithHost()
    {
        var lab = new Lab();
        lab.LearnHost(Lab.Host, Lab.HostMac);
        lab.Route(Lab.Ip(10, 1, 0, 0), 16, lab.Group((1, 0u)));
        return lab;
    }

    [Fact]
    public void TtlOneGetsTimeExceededQuotingTheHeaderAsReceived()
    {
        var lab = LabWithHost();
        var original = Packets.Udp(Lab.Host, Lab.Ip(10, 1, 2, 5), 33434, 33435, 600, ttl: 1);
        lab.InjectLanIp(original);

        Assert.Equal(0, lab.Tunnels[1].Count);
        var ip = Packets.IpOfFrame(Assert.Single(lab.TakeLan()), Lab.HostMac);
        Assert.Equal(Lab.LanAddress, ip.Source);
        Assert.Equal(Lab.Host, ip.Destination);
        Assert.Equal(64, ip.Ttl);
        Assert.Equal(0xC0, ip.TypeOfService);
        Assert.True(ip.Length <= Router.IcmpErrorMaxLength);
        var icmp = Packets.Icmp(ip);
        Assert.Equal(IcmpMessage.TypeTimeExceeded, icmp.Type);
        Assert.Equal(IcmpMessage.CodeTtlExceeded, icmp.Code);

        // The quote: the original header unchanged (TTL 1, same checksum) and as much data as fits in 576 bytes.
        var quoted = icmp.Buffer.AsSpan(icmp.DataOffset, icmp.DataLength).ToArray();
        Assert.Equal(Router.IcmpErrorMaxLength - 28, quoted.Length);
        Assert.Equal(original.AsSpan(0, quoted.Length).ToArray(), quoted);
        Assert.Equal(WireResult.Ok, Ipv4Packet.CheckQuoted(quoted, 0, quoted.Length, out var q));
        Assert.Equal(1, q.Ttl);
        Assert.Equal(1, lab.Router.Drops(DropReason.TtlExceeded));
        Assert.Equal(0, lab.Pool.InUse);
    }

    [Fact]
    public void TtlExceededFromATunnelGoesBackIntoTheTunnelFromItsAddress()
    {
        var lab = LabWithHost();
        lab.Route(Lab.Ip(10, 9, 0, 0), 16, lab.Group((1, 0u)));
        lab.InjectTunnel(1, Packets.Udp(Lab.Ip(10, 9, 0, 1), Lab.Host, 1, 2, 10, ttl: 1));
        var ip = Packets.CheckIp(Assert.Single(lab.Tunnels[1].Sent));
        Assert.Equal(Lab.TunnelLocal(1), ip.Source);
        Assert.Equal(Lab.Ip(10, 9, 0, 1), ip.Destination);
        Assert.Equal(IcmpMessage.TypeTimeExceeded, Packets.Icmp(ip).Type);
    }

    [Fact]
    public void DontFragmentAndTooBigGetsFragmentationNeededWithTheMtu()
    {
        var lab = LabWithHost();
        lab.Tunnels[1].Mtu = 1400;
        var original = Packets.Udp(Lab.Host, Lab.Ip(10, 1, 2, 5), 1, 2, 1472, df: true);
        Assert.Equal(1500, original.Length);
        lab.InjectLanIp(original);

        Assert.Equal(0, lab.Tunnels[1].Count);
        var ip = Packets.IpOfFrame(Assert.Single(lab.TakeLan()), Lab.HostMac);
        var icmp = Packets.Icmp(ip);
        Assert.Equal(IcmpMessage.TypeDestinationUnreachable, icmp.Type);
        Assert.Equal(IcmpMessage.CodeFragmentationNeeded, icmp.Code);
        Assert.Equal(1400, icmp.NextHopMtu);
        Assert.Equal(original.AsSpan(0, 28).ToArray(), icmp.Buffer.AsSpan(icmp.DataOffset, 28).ToArray());
        Assert.Equal(1, lab.Router.Drops(DropReason.TooBig));

        // Exactly the MTU passes.
        lab.InjectLanIp(Packets.Udp(Lab.Host, Lab.Ip(10, 1, 2, 5), 1, 2, 1372, df: true));
        Assert.Equal(1400, Assert.Single(lab.Tunnels[1].Sent).Length);
        Assert.Equal(0, lab.Pool.InUse);
    }

    [Fact]
    public void NoRouteGetsNetUnreachable()
    {
        var lab = LabWithHost();
        lab.InjectLanIp(Packets.Udp(Lab.Host, Lab.Ip(192, 0, 2, 1), 1, 2, 10));
        var icmp = Packets.Icmp(Packets.IpOfFrame(Assert.Single(lab.TakeLan()), Lab.HostMac));
        Assert.Equal(IcmpMessage.TypeDestinationUnreachable, icmp.Type);
        Assert.Equal(IcmpMessage.CodeNetUnreachable, icmp.Code);
        Assert.Equal(1, lab.Router.Drops(DropReason.NoRoute));
        Assert.Equal(1, lab.Router.Counters(Router.LanInterface).RxDrops);
    }

    [Fact]
    public void EchoRequestToOwnAddressesIsAnswered()
    {
        var lab = LabWithHost();
        var request = Packets.Echo(Lab.Host, Lab.LanAddress, 0x4242, 7, 56);
        lab.InjectLanIp(request);
        var ip = Packets.IpOfFrame(Assert.Single(lab.TakeLan()), Lab.HostMac);
        Assert.Equal(Lab.LanAddress, ip.Source);
        Assert.Equal(Lab.Host, ip.Destination);
        var icmp = Packets.Icmp(ip);
        Assert.Equal(IcmpMessage.TypeEchoReply, icmp.Type);
        Assert.Equal(0x4242, icmp.Identifier);
        Assert.Equal(7, icmp.SequenceNumber);
        Assert.Equal(request.AsSpan(28).ToArray(), icmp.Buffer.AsSpan(icmp.DataOffset, icmp.DataLength).ToArray());

        // The loopback from the LAN, and a tunnel's /32 from inside the tunnel.
        lab.InjectLanIp(Packets.Echo(Lab.Host, Lab.Loopback, 1, 1));
        Assert.Equal(Lab.Loopback, Packets.IpOfFrame(Assert.Single(lab.TakeLan()), Lab.HostMac).Source);
        lab.InjectTunnel(2, Packets.Echo(Lab.TunnelPeer(2), Lab.TunnelLocal(2), 9, 9));
        var reply = Packets.CheckIp(Assert.Single(lab.Tunnels[2].Sent));
        Assert.Equal(Lab.TunnelLocal(2), reply.Source);
        Assert.Equal(Lab.TunnelPeer(2), reply.Destination);
        Assert.Equal(IcmpMessage.TypeEchoReply, Packets.Icmp(reply).Type);
        Assert.Equal(3, lab.Router.LocalDelivered);
        Assert.Equal(0, lab.Pool.InUse);
    }

    [Fact]
    public void NoErrorAboutErrorsFragmentsBroadcastsOrInvalidSources()
    {
        var lab = LabWithHost();
        // An ICMP error with TTL 1: dropped, no time exceeded about it.
        var unreachable = new byte[8 + 28];
        new IcmpRepr { Type = IcmpMessage.TypeDestinationUnreachable, Code = 1, DataLength = 28 }.Emit(unreachable, 0, unreachable.Length);
        lab.InjectLanIp(Packets.Ip(Lab.Host, Lab.Ip(10, 1, 2, 5), IpProtocol.Icmp, unreachable, ttl: 1));
        // A non-first fragment with TTL 1.
        lab.InjectLanIp(Packets.Ip(Lab.Host, Lab.Ip(10, 1, 2, 5), IpProtocol.Udp, new byte[40], ttl: 1, fragmentOffset: 10));
        // UDP to the LAN broadcast: no port unreachable.
        lab.InjectLanIp(Packets.Udp(Lab.Host, Lab.Ip(10, 0, 0, 255), 1, 2, 10));
        Assert.Empty(lab.TakeLan());
        Assert.Equal(2, lab.Router.Drops(DropReason.TtlExceeded));
        Assert.Equal(1, lab.Router.Drops(DropReason.Unreachable));

        // An echo request (a query, not an error) with TTL 1 does get time exceeded; so does a first fragment.
        lab.InjectLanIp(Packets.Echo(Lab.Host, Lab.Ip(10, 1, 2, 5), 1, 1, ttl: 1));
        lab.InjectLanIp(Packets.Ip(Lab.Host, Lab.Ip(10, 1, 2, 5), IpProtocol.Udp, new byte[40], ttl: 1, mf: true));
        Assert.Equal(2, lab.TakeLan().Count);
        Assert.Equal(0, lab.Pool.InUse);
    }

    [Fact]
    public void UdpToOwnAddressGetsPortUnreachable()
    {
        var lab = LabWithHost();
        lab.InjectLanIp(Packets.Udp(Lab.Host, Lab.LanAddress, 1, 161, 10));
        var icmp = Packets.Icmp(Packets.IpOfFrame(Assert.Single(lab.TakeLan()), Lab.HostMac));
        Assert.Equal(IcmpMessage.CodePortUnreachable, icmp.Code);
    }

    [Fact]
    public void ErrorsAreRateLimitedByATokenBucket()
    {
        var lab = LabWithHost();
        lab.Router.IcmpLimiter.Configure(8, 100);
        for (int i = 0; i < 20; i++)
        {
            lab.InjectLanIp(Packets.Udp(Lab.Host, Lab.Ip(10, 1, 2, 5), 1, (ushort)i, 10, ttl: 1));
        }

        Assert.Equal(8, lab.TakeLan().Count);
        Assert.Equal(12, lab.Router.Drops(DropReason.RateLimited));
        Assert.Equal(20, lab.Router.Drops(DropReason.TtlExceeded));

        lab.Now += 99;
        lab.InjectLanIp(Packets.Udp(Lab.Host, Lab.Ip(10, 1, 2, 5), 1, 2, 10, ttl: 1));
        Assert.Empty(lab.TakeLan());
        lab.Now += 1;
        lab.InjectLanIp(Packets.Udp(Lab.Host, Lab.Ip(10, 1, 2, 5), 1, 2, 10, ttl: 1));
        lab.InjectLanIp(Packets.Udp(Lab.Host, Lab.Ip(10, 1, 2, 5), 1, 2, 10, ttl: 1));
        Assert.Single(lab.TakeLan());
        lab.Now += 10_000;
        for (int i = 0; i < 20; i++)
        {
            lab.InjectLanIp(Packets.Udp(Lab.Host, Lab.Ip(10, 1, 2, 5), 1, 2, 10, ttl: 1));
        }

        Assert.Equal(8, lab.TakeLan().Count);
        Assert.Equal(8 + 1 + 8, lab.Router.IcmpErrorsSent);
        Assert.Equal(0, lab.Pool.InUse);
    }

    [Fact]
    public void ErrorWithoutAFreeBufferIsCountedAsPoolFull()
    {
        var lab = new Lab(packetBuffers: 4);
        lab.LearnHost(Lab.Host, Lab.HostMac);
        lab.Route(Lab.Ip(10, 1, 0, 0), 16, lab.Group((1, 0u)));
        var held = new List<int>();
        for (int i = 0; i < 3; i++)
        {
            held.Add(lab.Pool.Allocate());
        }

        lab.InjectLanIp(Packets.Udp(Lab.Host, Lab.Ip(10, 1, 2, 5), 1, 2, 10, ttl: 1));
        Assert.Equal(1, lab.Router.Drops(DropReason.PoolFull));
        Assert.Empty(lab.TakeLan());
        Assert.Equal(3, lab.Pool.InUse);
    }
}
