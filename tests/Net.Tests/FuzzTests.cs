using VpnAppliance.Wire;

namespace VpnAppliance.Net.Tests;

/// <summary>Bad input never escapes: seeded mutations of valid frames and inner packets, no exception, no leaked buffer.</summary>
public class FuzzTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void MutatedFramesAndPacketsNeverThrowOrLeak(int seed)
    {
        var lab = new Lab();
        lab.LearnHost(Lab.Host, Lab.HostMac);
        lab.Route(Lab.Ip(10, 1, 0, 0), 16, lab.Group((1, 0u), (2, 0u)));
        lab.Router.SetLocalTransport(new RecordingTransport());
        lab.Router.SetIcmpListener(new RecordingIcmp());
        lab.Tunnels[1].Mtu = 576;
        foreach (var t in lab.Tunnels.Skip(1))
        {
            t.Record = false;
        }

        var seeds = new[]
        {
            Packets.Udp(Lab.Host, Lab.Ip(10, 1, 2, 5), 1, 2, 1000),
            Packets.Tcp(Lab.Host, Lab.Ip(10, 1, 2, 5), 1, 2, TcpFlags.Syn, mss: 1460),
            Packets.Tcp(Lab.TunnelPeer(1), Lab.TunnelLocal(1), 1, 179, TcpFlags.Syn, mss: 1460),
            Packets.Echo(Lab.Host, Lab.LanAddress, 1, 1),
            Packets.Udp(Lab.Ip(10, 1, 2, 5), Lab.Ip(10, 0, 0, 77), 1, 2, 50),
            Packets.Ip(Lab.Host, Lab.Ip(10, 1, 2, 5), IpProtocol.Udp, new byte[700], options: new byte[] { 0x94, 4, 0, 0, 7, 7, 4, 0, 0, 0, 0, 0 }),
        };
        var arp = Packets.Arp(ArpPacket.OperationRequest, 0x02000000AB01UL, Lab.Ip(10, 0, 0, 99), 0, Lab.LanAddress);
        var rnd = new Random(seed);
        for (int i = 0; i < 20_000; i++)
        {
            bool isArp = rnd.Next(8) == 0;
            var packet = (byte[])(isArp ? arp : seeds[rnd.Next(seeds.Length)]).Clone();
            int flips = 1 + rnd.Next(4);
            for (int f = 0; f < flips; f++)
            {
                packet[rnd.Next(Math.Min(packet.Length, 64))] = (byte)rnd.Next(256);
            }

            int length = rnd.Next(4) == 0 ? rnd.Next(packet.Length + 1) : packet.Length;
            if (!isArp && rnd.Next(2) == 0 && length >= 20)
            {
                // Fix the header checksum so the mutation reaches the layers above.
                int ihl = (packet[0] & 15) * 4;
                if (ihl >= 20 && ihl <= length)
                {
                    packet[10] = 0;
                    packet[11] = 0;
                    NetworkByteOrder.WriteUInt16(packet, 10, InternetChecksum.Compute(packet, 0, ihl));
                }
            }

            var cut = packet.AsSpan(0, length).ToArray();
            if (rnd.Next(2) == 0)
            {
                lab.InjectLan(Packets.Frame(isArp ? EthernetAddress.Broadcast : Lab.RouterMac, Lab.HostMac, isArp ? EtherType.Arp : EtherType.Ipv4, cut));
            }
            else if (!isArp)
            {
                lab.InjectTunnel(1 + rnd.Next(2), cut, rnd.Next(2) == 0 ? 0 : 64);
            }

            lab.TakeLan();
            if ((i & 255) == 0)
            {
                lab.Poll(lab.Now += 1000);
            }
        }

        // Whatever waits for ARP times out; then every buffer is back.
        for (int s = 0; s < 5; s++)
        {
            lab.Poll(lab.Now += 1000);
        }

        Assert.Equal(0, lab.Pool.InUse);
        Assert.Equal(0, lab.Pool.DoubleFreeCount);
    }
}
