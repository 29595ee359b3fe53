namespace VpnAppliance.Wire.Tests;

/// <summary>
/// Walks a frame the way the router will: Ethernet, then ARP or IPv4, then (unfragmented or first fragment)
/// ICMP, UDP or TCP, checksums verified where they can be, parsed forms read. Returns the first result that
/// is not Ok. Allocation-free: used by the truncation, fuzz and allocation tests.
/// </summary>
public static class Dissector
{
    public static WireResult Dissect(byte[] buffer, int offset, int length)
    {
        WireResult r = EthernetFrame.Check(buffer, offset, length, out EthernetFrame frame);
        if (r != WireResult.Ok) return r;
        r = EthernetRepr.Parse(frame, out _);
        if (r != WireResult.Ok) return r;
        if (frame.EtherType == EtherType.Arp)
        {
            r = ArpPacket.Check(buffer, frame.PayloadOffset, frame.PayloadLength, out ArpPacket arp);
            return r != WireResult.Ok ? r : ArpRepr.Parse(arp, out _);
        }

        if (frame.EtherType != EtherType.Ipv4) return WireResult.Unsupported;
        r = Ipv4Packet.Check(buffer, frame.PayloadOffset, frame.PayloadLength, out Ipv4Packet ip);
        if (r != WireResult.Ok) return r;
        r = Ipv4Repr.Parse(ip, out _);
        if (r != WireResult.Ok) return r;
        if (ip.FragmentOffset != 0) return WireResult.Ok; // no transport header in a later fragment
        bool whole = !ip.MoreFragments;
        switch (ip.Protocol)
        {
            case IpProtocol.Icmp:
            {
                r = whole
                    ? IcmpMessage.Check(buffer, ip.PayloadOffset, ip.PayloadLength, out IcmpMessage icmp)
                    : IcmpMessage.CheckHeader(buffer, ip.PayloadOffset, ip.PayloadLength, out icmp);
                if (r != WireResult.Ok) return r;
                r = IcmpRepr.Parse(icmp, out IcmpRepr repr);
                if (r != WireResult.Ok) return r;
                if (whole && !repr.IsEcho)
                {
                    // an error quotes the offending datagram
                    r = Ipv4Packet.CheckQuoted(buffer, icmp.DataOffset, icmp.DataLength, out Ipv4Packet quoted);
                    if (r != WireResult.Ok) return r;
                    return Ipv4Repr.Parse(quoted, out _);
                }

                return WireResult.Ok;
            }
            case IpProtocol.Udp:
            {
                r = whole
                    ? UdpDatagram.Check(buffer, ip.PayloadOffset, ip.PayloadLength, ip.Source, ip.Destination, out UdpDatagram udp)
                    : UdpDatagram.CheckHeader(buffer, ip.PayloadOffset, ip.PayloadLength, out udp);
                return r != WireResult.Ok ? r : UdpRepr.Parse(udp, out _);
            }
            case IpProtocol.Tcp:
            {
                r = whole
                    ? TcpSegment.Check(buffer, ip.PayloadOffset, ip.PayloadLength, ip.Source, ip.Destination, out TcpSegment tcp)
                    : TcpSegment.CheckHeader(buffer, ip.PayloadOffset, ip.PayloadLength, out tcp);
                return r != WireResult.Ok ? r : TcpRepr.Parse(tcp, out _);
            }
            default:
                return WireResult.Ok;
        }
    }
}
