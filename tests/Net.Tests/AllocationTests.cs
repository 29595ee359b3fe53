using VpnAppliance.Wire;

namespace VpnAppliance.Net.Tests;

/// <summary>Steady-state forwarding allocates nothing (DESIGN.md §2 rule 3).</summary>
public class AllocationTests
{
    [Fact]
    public void ForwardingLanToTunnelAndBackAllocatesNothing()
    {
        var lab = new Lab();
        lab.LearnHost(Lab.Host, Lab.HostMac);
        lab.Route(Lab.Ip(10, 1, 0, 0), 16, lab.Group((1, 0u), (2, 0u)));
        lab.Router.SetTunnelMss(1, 1350);
        lab.Router.SetTunnelMss(2, 1350);
        for (int t = 1; t <= 4; t++)
        {
            lab.Tunnels[t].Record = false;
        }

        // A mix: UDP, a TCP SYN that gets clamped both ways, a DF-clear packet fragmented into the tunnel.
        var outbound = new[]
        {
            Packets.Frame(Lab.RouterMac, Lab.HostMac, EtherType.Ipv4, Packets.Udp(Lab.Host, Lab.Ip(10, 1, 2, 5), 1000, 2000, 100)),
            Packets.Frame(Lab.RouterMac, Lab.HostMac, EtherType.Ipv4, Packets.Tcp(Lab.Host, Lab.Ip(10, 1, 7, 5), 40000, 443, TcpFlags.Syn, mss: 1460)),
            Packets.Frame(Lab.RouterMac, Lab.HostMac, EtherType.Ipv4, Packets.Udp(Lab.Host, Lab.Ip(10, 1, 9, 5), 1000, 2001, 1450)),
        };
        var inbound = new[]
        {
            Packets.Udp(Lab.Ip(10, 1, 2, 5), Lab.Host, 2000, 1000, 100),
            Packets.Tcp(Lab.Ip(10, 1, 7, 5), Lab.Host, 443, 40000, TcpFlags.Syn | TcpFlags.Ack, mss: 1460),
            Packets.Udp(Lab.Ip(10, 1, 9, 5), Lab.Host, 2001, 1000, 1400),
        };
        var sink = new byte[2048];
        byte[] data = lab.Pool.Data;

        void Run(int packets)
        {
            for (int i = 0; i < packets; i++)
            {
                var frame = outbound[i % 3];
                int b = lab.Pool.Allocate();
                Array.Copy(frame, 0, data, lab.Pool.Offset(b), frame.Length);
                lab.Router.OnLanFrame(b, frame.Length, lab.Now);

                var packet = inbound[i % 3];
                b = lab.Pool.Allocate();
                Array.Copy(packet, 0, data, lab.Pool.Offset(b) + 64, packet.Length);
                lab.Router.ReceiveFromTunnel(1 + (i & 1), b, 64, packet.Length, lab.Now);
                while (lab.Lan.TakeSent(sink, 0, sink.Length) >= 0)
                {
                }

                if ((i & 1023) == 0)
                {
                    lab.Now++;
                    lab.Router.Poll(lab.Now);
                }
            }
        }

        Run(3_000);
        long forwardedBefore = lab.Tunnels[1].Count + lab.Tunnels[2].Count;
        long before = GC.GetAllocatedBytesForCurrentThread();
        Run(100_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(0, lab.Pool.InUse);
        // Every outbound packet reached a tunnel (the large one as 2 fragments) and every inbound one the LAN.
        Assert.Equal(100_000 + 33_333, lab.Tunnels[1].Count + lab.Tunnels[2].Count - forwardedBefore);
        Assert.Equal(0, lab.Router.Counters(0).TxDrops + lab.Router.Counters(0).RxDrops);
    }
}
