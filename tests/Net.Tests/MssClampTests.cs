using VpnAppliance.Wire;

namespace VpnAppliance.Net.Tests;

/// <summary>TCP MSS clamping of SYNs entering and leaving tunnels (RFC 879 / RFC 6691: default MTU - 40).</summary>
public class MssClampTests
{
    private static Lab LabWithTunnelRoute()
    {
        var lab = new Lab();
        lab.LearnHost(Lab.Host, Lab.HostMac);
        lab.Route(Lab.Ip(10, 1, 0, 0), 16, lab.Group((1, 0u)));
        lab.Tunnels[1].Mtu = 1400;
        return lab;
    }

    [Fact]
    public void DefaultIsTheTunnelMtuMinus40()
    {
        var lab = LabWithTunnelRoute();
        Assert.Equal(1360, lab.Router.TunnelMss(1));
        lab.InjectLanIp(Packets.Tcp(Lab.Host, Lab.Ip(10, 1, 2, 5), 40000, 443, TcpFlags.Syn, mss: 1460));
        var tcp = Packets.Tcp(Packets.CheckIp(Assert.Single(lab.Tunnels[1].Sent)));
        Assert.Equal(1360, tcp.Options.MaximumSegmentSize);
        Assert.True(tcp.Options.SackPermitted);
        Assert.Equal(7, tcp.Options.WindowScale);
    }

    [Fact]
    public void ConfiguredValueClampsBothDirectionsWithValidChecksums()
    {
        var lab = LabWithTunnelRoute();
        Assert.True(lab.Router.SetTunnelMss(1, 1350));   // Azure: MTU 1400, MSS 1350 (INTEROP.md)

        // Entering the tunnel: SYN from the LAN.
        lab.InjectLanIp(Packets.Tcp(Lab.Host, Lab.Ip(10, 1, 2, 5), 40000, 443, TcpFlags.Syn, mss: 1460));
        Assert.Equal(1350, Packets.Tcp(Packets.CheckIp(Assert.Single(lab.Tunnels[1].Sent))).Options.MaximumSegmentSize);

        // Leaving the tunnel: SYN-ACK from the cloud side to the LAN host.
        lab.InjectTunnel(1, Packets.Tcp(Lab.Ip(10, 1, 2, 5), Lab.Host, 443, 40000, TcpFlags.Syn | TcpFlags.Ack, mss: 8961));
        var tcp = Packets.Tcp(Packets.IpOfFrame(Assert.Single(lab.TakeLan()), Lab.HostMac));
        Assert.Equal(1350, tcp.Options.MaximumSegmentSize);

        // Below the clamp, non-SYN segments and SYNs without MSS pass unchanged.
        var small = Packets.Tcp(Lab.Host, Lab.Ip(10, 1, 2, 5), 40001, 443, TcpFlags.Syn, mss: 1200);
        var data = Packets.Tcp(Lab.Host, Lab.Ip(10, 1, 2, 5), 40001, 443, TcpFlags.Ack, dataLength: 100);
        var noMss = Packets.Tcp(Lab.Host, Lab.Ip(10, 1, 2, 5), 40002, 443, TcpFlags.Syn);
        lab.InjectLanIp(small);
        lab.InjectLanIp(data);
        lab.InjectLanIp(noMss);
        for (int i = 0; i < 3; i++)
        {
            var sent = Packets.CheckIp(lab.Tunnels[1].Sent[1 + i]);
            Packets.Tcp(sent);
            var expected = new[] { small, data, noMss }[i];
            Assert.Equal(expected.AsSpan(20).ToArray(), sent.Buffer.AsSpan(sent.PayloadOffset, sent.PayloadLength).ToArray());
        }

        Assert.True(lab.Router.SetTunnelMss(1, 0));
        Assert.Equal(1360, lab.Router.TunnelMss(1));
        Assert.False(lab.Router.SetTunnelMss(1, 20));
        Assert.False(lab.Router.SetTunnelMss(9, 1350));
    }

    [Fact]
    public void LanToLanTrafficIsNotClamped()
    {
        var lab = LabWithTunnelRoute();
        uint other = Lab.Ip(10, 0, 0, 11);
        lab.LearnHost(other, 0x02000000AA02UL);
        lab.InjectLanIp(Packets.Tcp(Lab.Host, other, 1, 2, TcpFlags.Syn, mss: 1460));
        Assert.Equal(1460, Packets.Tcp(Packets.IpOfFrame(Assert.Single(lab.TakeLan()), 0x02000000AA02UL)).Options.MaximumSegmentSize);
    }
}

/// <summary>The configured tunnel MTU caps what the tunnel reports; frag-needed and the MSS default follow it.</summary>
public class TunnelMtuTests
{
    [Fact]
    public void ConfiguredMtuCapsTheTunnelsOwn()
    {
        var lab = new Lab();
        lab.LearnHost(Lab.Host, Lab.HostMac);
        lab.Route(Lab.Ip(10, 1, 0, 0), 16, lab.Group((1, 0u)));
        lab.Tunnels[1].Mtu = 1438;
        Assert.True(lab.Router.SetTunnelMtu(1, 1399));   // AWS (INTEROP.md)
        Assert.Equal(1399, lab.Router.TunnelMtu(1));
        Assert.Equal(1359, lab.Router.TunnelMss(1));
        lab.InjectLanIp(Packets.Udp(Lab.Host, Lab.Ip(10, 1, 2, 5), 1, 2, 1472, df: true));
        var icmp = Packets.Icmp(Packets.IpOfFrame(Assert.Single(lab.TakeLan()), Lab.HostMac));
        Assert.Equal(1399, icmp.NextHopMtu);
        lab.InjectLanIp(Packets.Udp(Lab.Host, Lab.Ip(10, 1, 2, 5), 1, 2, 1472, df: false));
        Assert.All(lab.Tunnels[1].Sent, p => Assert.True(p.Length <= 1399));
        Assert.Equal(2, lab.Tunnels[1].Sent.Count);

        // A tunnel reporting less than the cap wins; 0 removes the cap; out-of-range values are refused.
        lab.Tunnels[1].Mtu = 1300;
        Assert.Equal(1300, lab.Router.TunnelMtu(1));
        Assert.True(lab.Router.SetTunnelMtu(1, 0));
        lab.Tunnels[1].Mtu = 1438;
        Assert.Equal(1438, lab.Router.TunnelMtu(1));
        Assert.False(lab.Router.SetTunnelMtu(1, 67));
        Assert.False(lab.Router.SetTunnelMtu(0, 1400));
    }
}
