using VpnAppliance.Wire;

namespace VpnAppliance.Net.Tests;

/// <summary>Local delivery to the compact TCP and ICMP listener; SendLocal; loopback counters; WAN hand-off.</summary>
public class LocalTests
{
    [Fact]
    public void TcpToATunnelAddressReachesTheLocalTransport()
    {
        var lab = new Lab();
        var tcp = new RecordingTransport();
        lab.Router.SetLocalTransport(tcp);
        var syn = Packets.Tcp(Lab.TunnelPeer(1), Lab.TunnelLocal(1), 50000, 179, TcpFlags.Syn, mss: 1360);
        lab.InjectTunnel(1, syn);
        var (src, dst, segment) = Assert.Single(tcp.Segments);
        Assert.Equal(Lab.TunnelPeer(1), src);
        Assert.Equal(Lab.TunnelLocal(1), dst);
        Assert.Equal(syn.AsSpan(20).ToArray(), segment);

        // A bad TCP checksum is dropped before the transport sees it; so is a fragment (no reassembly).
        var bad = (byte[])syn.Clone();
        bad[^1] ^= 0x55;
        lab.InjectTunnel(1, bad);
        lab.InjectTunnel(1, Packets.Ip(Lab.TunnelPeer(1), Lab.TunnelLocal(1), IpProtocol.Tcp, new byte[40], mf: true));
        Assert.Single(tcp.Segments);
        Assert.Equal(1, lab.Router.Drops(DropReason.BadChecksum));
        Assert.Equal(1, lab.Router.Drops(DropReason.FragmentToSelf));
        Assert.Equal(0, lab.Pool.InUse);
    }

    [Fact]
    public void TcpWithoutTransportGetsProtocolUnreachable()
    {
        var lab = new Lab();
        lab.InjectTunnel(1, Packets.Tcp(Lab.TunnelPeer(1), Lab.TunnelLocal(1), 50000, 179, TcpFlags.Syn, mss: 1360));
        var icmp = Packets.Icmp(Packets.CheckIp(Assert.Single(lab.Tunnels[1].Sent)));
        Assert.Equal(IcmpMessage.TypeDestinationUnreachable, icmp.Type);
        Assert.Equal(IcmpMessage.CodeProtocolUnreachable, icmp.Code);
    }

    [Fact]
    public void SendLocalRoutesIntoTheTunnelWithDfForTcp()
    {
        var lab = new Lab();
        var segment = new byte[20];
        var repr = new TcpRepr { SourcePort = 179, DestinationPort = 50000, Flags = TcpFlags.Ack, Window = 1000 };
        repr.Emit(segment, 0, segment.Length, Lab.TunnelLocal(3), Lab.TunnelPeer(3));
        Assert.Equal(NetResult.Sent, lab.Router.SendLocal(Lab.TunnelLocal(3), Lab.TunnelPeer(3), IpProtocol.Tcp, segment, 0, segment.Length, lab.Now));
        var ip = Packets.CheckIp(Assert.Single(lab.Tunnels[3].Sent));
        Assert.True(ip.DontFragment);
        Assert.Equal(Router.DefaultTtl, ip.Ttl);
        Assert.Equal(179, Packets.Tcp(ip).SourcePort);
        Assert.Equal(1, lab.Router.Counters(lab.Router.LoopbackInterface).RxPackets);

        // A chosen TTL (eBGP single hop: 1) is written as is, without the forwarding decrement; 0 is the default.
        Assert.Equal(NetResult.Sent, lab.Router.SendLocal(Lab.TunnelLocal(3), Lab.TunnelPeer(3), IpProtocol.Tcp, 1, segment, 0, segment.Length, lab.Now));
        Assert.Equal(1, Packets.CheckIp(lab.Tunnels[3].Sent[1]).Ttl);
        Assert.Equal(NetResult.Sent, lab.Router.SendLocal(Lab.TunnelLocal(3), Lab.TunnelPeer(3), IpProtocol.Tcp, 0, segment, 0, segment.Length, lab.Now));
        Assert.Equal(Router.DefaultTtl, Packets.CheckIp(lab.Tunnels[3].Sent[2]).Ttl);
        lab.Tunnels[3].Sent.Clear();

        // Source 0: the egress interface's address.
        Assert.Equal(Lab.TunnelLocal(3), lab.Router.SourceAddressFor(Lab.TunnelPeer(3)));
        Assert.Equal(Lab.LanAddress, lab.Router.SourceAddressFor(Lab.Host));
        Assert.Equal(NetResult.Invalid, lab.Router.SendLocal(0, Lab.TunnelPeer(3), IpProtocol.Tcp, segment, 10, 20, lab.Now));
        Assert.Equal(NetResult.Dropped, lab.Router.SendLocal(0, Lab.Ip(192, 0, 2, 1), IpProtocol.Udp, segment, 0, 20, lab.Now));
        Assert.Equal(DropReason.NoRoute, lab.Router.LastDrop);
        Assert.Equal(0, lab.Pool.InUse);
    }

    [Fact]
    public void SendLocalToTheLanQueuesForArpAndPingsComeBackToTheListener()
    {
        var lab = new Lab();
        var listener = new RecordingIcmp();
        lab.Router.SetIcmpListener(listener);
        var echo = Packets.Echo(0, 0, 0x77, 1, 16).AsSpan(20).ToArray();
        Assert.Equal(NetResult.Queued, lab.Router.SendLocal(0, Lab.Host, IpProtocol.Icmp, echo, 0, echo.Length, lab.Now));
        Assert.Single(lab.TakeLan());   // the ARP request
        lab.InjectLan(Packets.Frame(Lab.RouterMac, Lab.HostMac, EtherType.Arp, Packets.Arp(ArpPacket.OperationReply, Lab.HostMac, Lab.Host, Lab.RouterMac, Lab.LanAddress)));
        var ip = Packets.IpOfFrame(Assert.Single(lab.TakeLan()), Lab.HostMac);
        Assert.Equal(Lab.LanAddress, ip.Source);
        Assert.Equal(IcmpMessage.TypeEchoRequest, Packets.Icmp(ip).Type);

        // The host answers: the reply goes to the listener.
        lab.InjectLanIp(Packets.Echo(Lab.Host, Lab.LanAddress, 0x77, 1, 16, type: IcmpMessage.TypeEchoReply));
        var (src, _, message) = Assert.Single(listener.Messages);
        Assert.Equal(Lab.Host, src);
        Assert.Equal(IcmpMessage.TypeEchoReply, message[0]);

        // Ping to self: answered locally, the reply reaches the listener.
        Assert.Equal(NetResult.Sent, lab.Router.SendLocal(0, Lab.Loopback, IpProtocol.Icmp, echo, 0, echo.Length, lab.Now));
        Assert.Equal(2, listener.Messages.Count);
        Assert.Equal(0, lab.Pool.InUse);
    }

    [Fact]
    public void WanDatagramsGoToTheSinkOrAreReleased()
    {
        var lab = new Lab();
        int b = lab.Pool.Allocate();
        lab.Router.OnWanDatagram(4500, 0xC6120001, 4500, b, 100, lab.Now);
        Assert.Equal(1, lab.Router.WanUnclaimed);
        Assert.Equal(0, lab.Pool.InUse);
        var sink = new Sink();
        lab.Router.SetWanSink(sink);
        b = lab.Pool.Allocate();
        lab.Router.OnWanDatagram(4500, 0xC6120001, 4500, b, 100, lab.Now);
        Assert.Equal(b, sink.Buffer);
        Assert.Equal(1, lab.Pool.InUse);
    }

    private sealed class Sink : IWanDatagramSink
    {
        public int Buffer = -1;

        public void OnWanDatagram(int localPort, uint sourceAddress, int sourcePort, int buffer, int length, long nowMs) => Buffer = buffer;
    }

    [Fact]
    public void InterfaceCountersAndDropReasons()
    {
        var lab = new Lab();
        lab.LearnHost(Lab.Host, Lab.HostMac);
        lab.Route(Lab.Ip(10, 1, 0, 0), 16, lab.Group((2, 0u)));
        var p = Packets.Udp(Lab.Host, Lab.Ip(10, 1, 0, 9), 1, 2, 100);
        var frameLength = p.Length + 14;
        for (int i = 0; i < 5; i++)
        {
            lab.InjectLanIp(p);
        }

        lab.InjectTunnel(2, Packets.Udp(Lab.Ip(10, 1, 0, 9), Lab.Host, 2, 1, 100));
        var lan = lab.Router.Counters(Router.LanInterface);
        var tun = lab.Router.Counters(2);
        Assert.Equal(1 + 5, lan.RxPackets);                 // the ARP request of LearnHost, then the packets
        Assert.Equal(42 + 5 * frameLength, lan.RxBytes);
        Assert.Equal(5, tun.TxPackets);
        Assert.Equal(5 * p.Length, tun.TxBytes);
        Assert.Equal(1, tun.RxPackets);
        Assert.Equal(1 + 1, lan.TxPackets);                 // the ARP reply, the packet
        Assert.Equal("lan", lab.Router.InterfaceName(0));
        Assert.Equal("tun2", lab.Router.InterfaceName(2));
        Assert.Equal("lo", lab.Router.InterfaceName(lab.Router.LoopbackInterface));
        Assert.Equal("no-arp-timeout", DropReasons.Name(DropReason.NoArpTimeout));

        lab.InjectLanIp(Packets.Udp(Lab.Host, Lab.Ip(192, 0, 2, 1), 1, 2, 10));
        Assert.Equal(1, lab.Router.Drops(DropReason.NoRoute));
        Assert.Equal(1, lan.RxDrops);
        lab.Router.ClearCounters();
        Assert.Equal(0, lan.RxPackets);
        Assert.Equal(0, lab.Router.Drops(DropReason.NoRoute));
    }
}
