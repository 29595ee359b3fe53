namespace VpnAppliance.Wire.Tests;

/// <summary>Every shorter prefix of every golden frame is rejected cleanly, at every layer.</summary>
public class TruncationTests
{
    public static TheoryData<string> Names => new(GoldenSet.Names);

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_prefix_of_the_frame_is_truncated_or_bad_length(string name)
    {
        byte[] frame = GoldenSet.Bytes(name);
        Assert.Equal(WireResult.Ok, Dissector.Dissect(frame, 0, frame.Length));
        for (int length = 0; length < frame.Length; length++)
        {
            // a copy of exactly the prefix: reading past it would throw, not return
            byte[] prefix = frame.AsSpan(0, length).ToArray();
            WireResult r = Dissector.Dissect(prefix, 0, length);
            Assert.True(r == WireResult.Truncated || r == WireResult.BadLength, $"{name}[..{length}] gave {r}");
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_prefix_shorter_than_each_header_is_truncated(string name)
    {
        byte[] frame = GoldenSet.Bytes(name);
        EthernetFrame.Check(frame, 0, frame.Length, out EthernetFrame eth);
        int l3 = eth.PayloadOffset;
        for (int length = 0; length < frame.Length - l3; length++)
        {
            byte[] b = frame.AsSpan(l3, length).ToArray();
            if (eth.EtherType == EtherType.Arp)
            {
                Assert.Equal(WireResult.Truncated, ArpPacket.Check(b, 0, length, out _));
                continue;
            }

            Assert.Equal(WireResult.Truncated, Ipv4Packet.Check(b, 0, length, out _));
            if (length < 20) Assert.Equal(WireResult.Truncated, Ipv4Packet.CheckQuoted(b, 0, length, out _));
        }

        if (eth.EtherType != EtherType.Ipv4) return;
        Ipv4Packet.Check(frame, l3, frame.Length - l3, out Ipv4Packet ip);
        if (ip.FragmentOffset != 0) return;
        int l4 = ip.PayloadOffset;
        int headerLength = ip.Protocol switch
        {
            IpProtocol.Icmp => IcmpMessage.HeaderLength,
            IpProtocol.Udp => UdpDatagram.HeaderLength,
            _ => (frame[l4 + 12] >> 4) * 4,
        };
        for (int length = 0; length < headerLength; length++)
        {
            byte[] b = frame.AsSpan(l4, length).ToArray();
            WireResult r = ip.Protocol switch
            {
                IpProtocol.Icmp => IcmpMessage.CheckHeader(b, 0, length, out _),
                IpProtocol.Udp => UdpDatagram.CheckHeader(b, 0, length, out _),
                _ => TcpSegment.CheckHeader(b, 0, length, out _),
            };
            Assert.Equal(WireResult.Truncated, r);
        }

        if (ip.Protocol == IpProtocol.Udp && !ip.IsFragment)
        {
            // UDP has its own length: every prefix of the datagram is short of it
            for (int length = 8; length < ip.PayloadLength; length++)
            {
                byte[] b = frame.AsSpan(l4, length).ToArray();
                Assert.Equal(WireResult.Truncated, UdpDatagram.CheckHeader(b, 0, length, out _));
            }
        }
    }
}
