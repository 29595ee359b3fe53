using VpnAppliance.Fib;
using VpnAppliance.Wire;

namespace VpnAppliance.Net.Tests;

/// <summary>FIB longest match, ECMP member by flow hash, TTL decrement, tunnel -> LAN, martians.</summary>
public class ForwardingTests
{
    [Fact]
    public void LongestMatchPicksTheTunnelAndDecrementsTtl()
    {
        var lab = new Lab();
        lab.Route(Lab.Ip(10, 1, 0, 0), 16, lab.Group((1, 0u)));
        lab.Route(Lab.Ip(10, 1, 2, 0), 24, lab.Group((2, 0u)));
        lab.Route(0, 0, lab.Group((3, 0u)));

        lab.InjectLanIp(Packets.Udp(Lab.Host, Lab.Ip(10, 1, 2, 5), 1000, 2000, 100, ttl: 64));
        lab.InjectLanIp(Packets.Udp(Lab.Host, Lab.Ip(10, 1, 3, 5), 1000, 2000, 100, ttl: 64));
        lab.InjectLanIp(Packets.Udp(Lab.Host, Lab.Ip(192, 0, 2, 1), 1000, 2000, 100, ttl: 64));

        Assert.Single(lab.Tunnels[1].Sent);
        Assert.Single(lab.Tunnels[2].Sent);
        Assert.Single(lab.Tunnels[3].Sent);
        var ip = Packets.CheckIp(lab.Tunnels[2].Sent[0]);
        Assert.Equal(Lab.Ip(10, 1, 2, 5), ip.Destination);
        Assert.Equal(63, ip.Ttl);
        Assert.Equal(Lab.Ip(10, 1, 3, 5), Packets.CheckIp(lab.Tunnels[1].Sent[0]).Destination);
        Assert.Equal(Lab.Ip(192, 0, 2, 1), Packets.CheckIp(lab.Tunnels[3].Sent[0]).Destination);
        Assert.Equal(0, lab.Pool.InUse);
    }

    [Fact]
    public void EcmpMemberIsTheFlowHashSelectionAndStaysPerFlow()
    {
        var lab = new Lab();
        int g = lab.Group((1, 0u), (2, 0u), (3, 0u), (4, 0u));
        lab.Route(Lab.Ip(10, 2, 0, 0), 16, g);
        var used = new HashSet<int>();
        for (int flow = 0; flow < 200; flow++)
        {
            uint dst = Lab.Ip(10, 2, flow % 7, 1 + flow % 200);
            ushort sport = (ushort)(10000 + flow);
            int expected = lab.Groups.MemberInterface(g, lab.Groups.Select(g, FlowHash.Compute(Lab.Host, dst, IpProtocol.Udp, sport, 53)));
            for (int repeat = 0; repeat < 3; repeat++)
            {
                long before = lab.Tunnels[expected].Count;
                lab.InjectLanIp(Packets.Udp(Lab.Host, dst, sport, 53, 20));
                Assert.Equal(before + 1, lab.Tunnels[expected].Count);
            }

            used.Add(expected);
        }

        Assert.Equal(4, used.Count);
        Assert.Equal(600, lab.Tunnels[1].Count + lab.Tunnels[2].Count + lab.Tunnels[3].Count + lab.Tunnels[4].Count);
    }

    [Fact]
    public void TunnelToLanResolvesTheDestinationAndWritesTheEthernetHeader()
    {
        var lab = new Lab();
        lab.LearnHost(Lab.Host, Lab.HostMac);
        var packet = Packets.Udp(Lab.Ip(10, 9, 0, 1), Lab.Host, 53, 5353, 64, ttl: 10);
        foreach (int offset in new[] { 0, 13, 14, 64 })
        {
            lab.InjectTunnel(1, packet, offset);
            var frames = lab.TakeLan();
            var ip = Packets.IpOfFrame(Assert.Single(frames), Lab.HostMac);
            Assert.Equal(9, ip.Ttl);
            Assert.Equal(packet.AsSpan(20).ToArray(), ip.Buffer.AsSpan(ip.PayloadOffset, ip.PayloadLength).ToArray());
        }

        Assert.Equal(0, lab.Pool.InUse);
    }

    [Fact]
    public void LanGatewayIsResolvedInsteadOfTheDestination()
    {
        var lab = new Lab();
        uint gateway = Lab.Ip(10, 0, 0, 254);
        const ulong gatewayMac = 0x02000000BB01UL;
        lab.Route(Lab.Ip(172, 16, 0, 0), 12, lab.Group((Router.LanInterface, gateway)));
        lab.LearnHost(gateway, gatewayMac);
        lab.InjectTunnel(1, Packets.Udp(Lab.Ip(10, 9, 0, 1), Lab.Ip(172, 16, 5, 5), 1, 2, 10));
        Packets.IpOfFrame(Assert.Single(lab.TakeLan()), gatewayMac);
    }

    [Fact]
    public void MartiansAndLinkBroadcastsAreNotForwarded()
    {
        var lab = new Lab();
        lab.Route(0, 0, lab.Group((1, 0u)));
        lab.InjectLanIp(Packets.Udp(Lab.Ip(224, 0, 0, 5), Lab.Ip(10, 1, 1, 1), 1, 2, 10));          // multicast source
        lab.InjectLanIp(Packets.Udp(Lab.Host, Lab.Ip(239, 1, 1, 1), 1, 2, 10));                     // multicast destination
        lab.InjectLanIp(Packets.Udp(Lab.Host, Lab.Ip(127, 0, 0, 1), 1, 2, 10));                     // loopback destination
        lab.InjectTunnel(1, Packets.Udp(Lab.Ip(10, 9, 0, 1), Lab.Ip(10, 0, 0, 255), 1, 2, 10));     // directed broadcast
        Assert.Equal(4, lab.Router.Drops(DropReason.Martian));
        lab.InjectLan(Packets.Frame(0xFFFFFFFFFFFFUL, Lab.HostMac, EtherType.Ipv4, Packets.Udp(Lab.Host, Lab.Ip(10, 1, 1, 1), 1, 2, 10)));
        Assert.Equal(1, lab.Router.Drops(DropReason.NotForUs));
        lab.InjectLan(Packets.Frame(0x02000000CC01UL, Lab.HostMac, EtherType.Ipv4, Packets.Udp(Lab.Host, Lab.Ip(10, 1, 1, 1), 1, 2, 10)));
        Assert.Equal(2, lab.Router.Drops(DropReason.NotForUs));
        Assert.Equal(0, lab.Tunnels[1].Count);
        Assert.Empty(lab.TakeLan());
        Assert.Equal(0, lab.Pool.InUse);
    }

    [Fact]
    public void BadHeadersAndChecksumsAreDroppedAndCounted()
    {
        var lab = new Lab();
        lab.Route(0, 0, lab.Group((1, 0u)));
        var good = Packets.Udp(Lab.Host, Lab.Ip(10, 1, 1, 1), 1, 2, 10);
        var badChecksum = (byte[])good.Clone();
        badChecksum[12] ^= 1;
        lab.InjectLanIp(badChecksum);
        var badVersion = (byte[])good.Clone();
        badVersion[0] = 0x65;
        lab.InjectLanIp(badVersion);
        lab.InjectLanIp(good.AsSpan(0, 19).ToArray());
        lab.InjectLan(new byte[10]);
        lab.InjectTunnel(1, badChecksum);
        lab.InjectLan(Packets.Frame(Lab.RouterMac, Lab.HostMac, EtherType.Ipv6, new byte[40]));
        Assert.Equal(2, lab.Router.Drops(DropReason.BadChecksum));
        Assert.Equal(3, lab.Router.Drops(DropReason.BadHeader));
        Assert.Equal(1, lab.Router.Drops(DropReason.UnsupportedProtocol));
        Assert.Equal(0, lab.Tunnels[1].Count);
        Assert.Equal(0, lab.Pool.InUse);
    }

    [Fact]
    public void DownOrDetachedTunnelDropsAsInterfaceDown()
    {
        var lab = new Lab();
        lab.Route(0, 0, lab.Group((1, 0u)));
        lab.Tunnels[1].Up = false;
        lab.InjectLanIp(Packets.Udp(Lab.Host, Lab.Ip(10, 1, 1, 1), 1, 2, 10));
        lab.Tunnels[1].Up = true;
        lab.Router.DetachTunnel(1);
        lab.InjectLanIp(Packets.Udp(Lab.Host, Lab.Ip(10, 1, 1, 1), 1, 2, 10));
        lab.InjectTunnel(1, Packets.Udp(Lab.Ip(10, 9, 0, 1), Lab.Host, 1, 2, 10));
        Assert.Equal(3, lab.Router.Drops(DropReason.InterfaceDown));
        Assert.Equal(0, lab.Tunnels[1].Count);
        Assert.Equal(0, lab.Pool.InUse);
    }
}
