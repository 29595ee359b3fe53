using VpnAppliance.Wire;

namespace VpnAppliance.Net.Tests;

/// <summary>Records local UDP deliveries; claims only <see cref="Port"/>.</summary>
public sealed class RecordingUdp : ILocalUdp
{
    public int Port = 3784;
    public List<(int Interface, uint Src, uint Dst, int Ttl, int SrcPort, int DstPort, byte[] Data)> Datagrams { get; } = new();

    public bool OnUdp(int interfaceId, uint src, uint dst, int ttl, int srcPort, int dstPort, byte[] buf, int off, int len, long nowMs)
    {
        if (dstPort != Port)
        {
            return false;
        }

        Datagrams.Add((interfaceId, src, dst, ttl, srcPort, dstPort, buf.AsSpan(off, len).ToArray()));
        return true;
    }
}

/// <summary>The ILocalUdp hook (UDP to own addresses, e.g. BFD on 3784) and SendUdp (TTL, fixed egress interface).</summary>
public class LocalUdpTests
{
    [Fact]
    public void UdpToAClaimedPortReachesTheListenerWithInterfaceAndTtl()
    {
        var lab = new Lab();
        var udp = new RecordingUdp();
        lab.Router.SetLocalUdp(udp);
        lab.InjectTunnel(2, Packets.Udp(Lab.TunnelPeer(2), Lab.TunnelLocal(2), 49200, 3784, 24, ttl: 255));
        var d = Assert.Single(udp.Datagrams);
        Assert.Equal((2, Lab.TunnelPeer(2), Lab.TunnelLocal(2), 255, 49200, 3784), (d.Interface, d.Src, d.Dst, d.Ttl, d.SrcPort, d.DstPort));
        Assert.Equal(24, d.Data.Length);
        Assert.Empty(lab.Tunnels[2].Sent);
        Assert.Equal(1, lab.Router.LocalDelivered);
        Assert.Equal(0, lab.Pool.InUse);
    }

    [Fact]
    public void UnclaimedPortStillGetsPortUnreachable()
    {
        var lab = new Lab();
        var udp = new RecordingUdp();
        lab.Router.SetLocalUdp(udp);
        lab.InjectTunnel(1, Packets.Udp(Lab.TunnelPeer(1), Lab.TunnelLocal(1), 1000, 161, 10));
        Assert.Empty(udp.Datagrams);
        var icmp = Packets.Icmp(Packets.CheckIp(Assert.Single(lab.Tunnels[1].Sent)));
        Assert.Equal(IcmpMessage.CodePortUnreachable, icmp.Code);
    }

    [Fact]
    public void BadUdpChecksumIsDropped()
    {
        var lab = new Lab();
        var udp = new RecordingUdp();
        lab.Router.SetLocalUdp(udp);
        var p = Packets.Udp(Lab.TunnelPeer(1), Lab.TunnelLocal(1), 49200, 3784, 24, ttl: 255);
        p[^1] ^= 0x55;
        lab.InjectTunnel(1, p);
        Assert.Empty(udp.Datagrams);
        Assert.Empty(lab.Tunnels[1].Sent);
        Assert.Equal(1, lab.Router.Drops(DropReason.BadChecksum));
    }

    [Fact]
    public void SendUdpLeavesOnTheGivenTunnelWithTheGivenTtlBypassingTheFib()
    {
        var lab = new Lab();
        var data = new byte[24];
        data[0] = 0x20;
        // Tunnel 3's peer is routed to tunnel 3; send it out of tunnel 1 anyway (single hop: interface chosen by the caller).
        Assert.Equal(NetResult.Sent, lab.Router.SendUdp(1, 0, Lab.TunnelPeer(3), 49999, 3784, 255, data, 0, data.Length, lab.Now));
        Assert.Empty(lab.Tunnels[3].Sent);
        var ip = Packets.CheckIp(Assert.Single(lab.Tunnels[1].Sent));
        Assert.Equal(255, ip.Ttl);
        Assert.Equal(IpProtocol.Udp, ip.Protocol);
        Assert.False(ip.DontFragment);
        Assert.Equal(Lab.TunnelLocal(1), ip.Source);        // source 0: the tunnel's own address
        Assert.Equal(WireResult.Ok, UdpDatagram.Check(ip.Buffer, ip.PayloadOffset, ip.PayloadLength, ip.Source, ip.Destination, out var u));
        Assert.NotEqual(0, u.Checksum);
        Assert.Equal(49999, u.SourcePort);
        Assert.Equal(3784, u.DestinationPort);
        Assert.Equal(24, u.PayloadLength);
        Assert.Equal(0x20, ip.Buffer[u.PayloadOffset]);
        Assert.Equal(0, lab.Pool.InUse);
    }

    [Fact]
    public void SendUdpOnTheLanArpsForTheDestinationItself()
    {
        var lab = new Lab();
        lab.Poll(lab.Now);
        lab.TakeLan();
        var data = new byte[24];
        Assert.Equal(NetResult.Queued, lab.Router.SendUdp(Router.LanInterface, 0, Lab.Host, 49999, 3784, 255, data, 0, 24, lab.Now));
        var frames = lab.TakeLan();
        var arp = Packets.ArpOfFrame(Assert.Single(frames), EthernetAddress.Broadcast);
        Assert.Equal(Lab.Host, arp.TargetProtocolAddress);
    }

    [Fact]
    public void SendUdpOnADownOrDetachedTunnelIsDropped()
    {
        var lab = new Lab();
        var data = new byte[24];
        lab.Tunnels[2].Up = false;
        Assert.Equal(NetResult.Dropped, lab.Router.SendUdp(2, 0, Lab.TunnelPeer(2), 49999, 3784, 255, data, 0, 24, lab.Now));
        lab.Router.DetachTunnel(2);
        Assert.Equal(NetResult.Dropped, lab.Router.SendUdp(2, 0, Lab.TunnelPeer(2), 49999, 3784, 255, data, 0, 24, lab.Now));
        Assert.Equal(NetResult.Invalid, lab.Router.SendUdp(1, 0, Lab.TunnelPeer(1), 70000, 3784, 255, data, 0, 24, lab.Now));
        Assert.Equal(NetResult.Invalid, lab.Router.SendUdp(1, 0, Lab.TunnelPeer(1), 1, 3784, 0, data, 0, 24, lab.Now));
        Assert.Equal(0, lab.Pool.InUse);
    }

    [Fact]
    public void SendUdpWithARoutedInterfaceUsesTheFib()
    {
        var lab = new Lab();
        var data = new byte[24];
        Assert.Equal(NetResult.Sent, lab.Router.SendUdp(lab.Router.LoopbackInterface, 0, Lab.TunnelPeer(4), 49999, 3784, 255, data, 0, 24, lab.Now));
        Assert.Single(lab.Tunnels[4].Sent);
    }
}
