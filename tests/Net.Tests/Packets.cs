using VpnAppliance.Wire;

namespace VpnAppliance.Net.Tests;

/// <summary>Hand-built packets, written with firmware/Wire's emitters, and checks of what the router sent.</summary>
public static class Packets
{
    public static byte[] Frame(ulong dst, ulong src, int etherType, byte[] payload)
    {
        var frame = new byte[EthernetFrame.HeaderLength + payload.Length];
        var eth = new EthernetRepr { Destination = dst, Source = src, EtherType = etherType };
        Assert.Equal(WireResult.Ok, eth.Emit(frame, 0, frame.Length));
        payload.CopyTo(frame, EthernetFrame.HeaderLength);
        return frame;
    }

    public static byte[] Arp(int op, ulong sha, uint spa, ulong tha, uint tpa)
    {
        var p = new byte[ArpPacket.PacketLength];
        var arp = new ArpRepr { Operation = op, SenderHardwareAddress = sha, SenderProtocolAddress = spa, TargetHardwareAddress = tha, TargetProtocolAddress = tpa };
        Assert.Equal(WireResult.Ok, arp.Emit(p, 0, p.Length));
        return p;
    }

    public static byte[] Ip(uint src, uint dst, byte protocol, byte[] payload, byte ttl = 64, bool df = false, ushort id = 0x1234, byte[]? options = null,
        bool mf = false, int fragmentOffset = 0)
    {
        int optionLength = options?.Length ?? 0;
        var p = new byte[20 + optionLength + payload.Length];
        var ip = new Ipv4Repr
        {
            Source = src, Destination = dst, Protocol = protocol, Ttl = ttl, DontFragment = df, Identification = id,
            PayloadLength = optionLength + payload.Length, MoreFragments = mf, FragmentOffset = fragmentOffset,
        };
        Assert.Equal(WireResult.Ok, ip.Emit(p, 0, p.Length));
        if (options != null)
        {
            // Ipv4Repr writes a 20-byte header: insert the options and fix IHL and checksum by hand.
            options.CopyTo(p, 20);
            p[0] = (byte)(0x40 | ((20 + optionLength) / 4));
            p[10] = 0;
            p[11] = 0;
            NetworkByteOrder.WriteUInt16(p, 10, InternetChecksum.Compute(p, 0, 20 + optionLength));
        }

        payload.CopyTo(p, 20 + optionLength);
        return p;
    }

    public static byte[] Udp(uint src, uint dst, ushort sport, ushort dport, int dataLength, byte ttl = 64, bool df = false, int seed = 1)
    {
        var udp = new byte[8 + dataLength];
        var rnd = new Random(seed);
        rnd.NextBytes(udp.AsSpan(8));
        var repr = new UdpRepr { SourcePort = sport, DestinationPort = dport, PayloadLength = dataLength };
        Assert.Equal(WireResult.Ok, repr.Emit(udp, 0, udp.Length, src, dst));
        return Ip(src, dst, IpProtocol.Udp, udp, ttl, df);
    }

    public static byte[] Tcp(uint src, uint dst, ushort sport, ushort dport, byte flags, ushort? mss = null, int dataLength = 0, byte ttl = 64, bool df = true)
    {
        var options = new TcpOptions();
        if (mss.HasValue)
        {
            options.HasMaximumSegmentSize = true;
            options.MaximumSegmentSize = mss.Value;
            options.SackPermitted = true;
            options.HasWindowScale = true;
            options.WindowScale = 7;
        }

        var repr = new TcpRepr { SourcePort = sport, DestinationPort = dport, SequenceNumber = 1000, Flags = flags, Window = 65535, Options = options, PayloadLength = dataLength };
        var tcp = new byte[repr.SegmentLength];
        Assert.Equal(WireResult.Ok, repr.Emit(tcp, 0, tcp.Length, src, dst));
        return Ip(src, dst, IpProtocol.Tcp, tcp, ttl, df);
    }

    public static byte[] Echo(uint src, uint dst, ushort id, ushort seq, int dataLength = 32, byte ttl = 64, byte type = IcmpMessage.TypeEchoRequest)
    {
        var icmp = new byte[8 + dataLength];
        for (int i = 0; i < dataLength; i++)
        {
            icmp[8 + i] = (byte)(i * 7);
        }

        var repr = new IcmpRepr { Type = type, Identifier = id, SequenceNumber = seq, DataLength = dataLength };
        Assert.Equal(WireResult.Ok, repr.Emit(icmp, 0, icmp.Length));
        return Ip(src, dst, IpProtocol.Icmp, icmp, ttl);
    }

    /// <summary>Checks an IPv4 packet (header checksum included) and returns the view.</summary>
    public static Ipv4Packet CheckIp(byte[] packet, int offset = 0)
    {
        Assert.Equal(WireResult.Ok, Ipv4Packet.Check(packet, offset, packet.Length - offset, out var ip));
        return ip;
    }

    /// <summary>The IPv4 packet inside an Ethernet frame the router sent, checked, with the frame's addresses.</summary>
    public static Ipv4Packet IpOfFrame(byte[] frame, ulong expectedDestination)
    {
        Assert.Equal(WireResult.Ok, EthernetFrame.Check(frame, 0, frame.Length, out var eth));
        Assert.Equal(expectedDestination, eth.Destination);
        Assert.Equal(Lab.RouterMac, eth.Source);
        Assert.Equal(EtherType.Ipv4, eth.EtherType);
        return CheckIp(frame, EthernetFrame.HeaderLength);
    }

    /// <summary>The ARP packet of a frame the router sent.</summary>
    public static ArpRepr ArpOfFrame(byte[] frame, ulong expectedDestination)
    {
        Assert.Equal(WireResult.Ok, EthernetFrame.Check(frame, 0, frame.Length, out var eth));
        Assert.Equal(expectedDestination, eth.Destination);
        Assert.Equal(EtherType.Arp, eth.EtherType);
        Assert.Equal(WireResult.Ok, ArpPacket.Check(frame, 14, frame.Length - 14, out var arp));
        Assert.Equal(WireResult.Ok, ArpRepr.Parse(arp, out var repr));
        return repr;
    }

    /// <summary>The ICMP message of a checked packet (checksum verified).</summary>
    public static IcmpMessage Icmp(Ipv4Packet ip)
    {
        Assert.Equal(IpProtocol.Icmp, ip.Protocol);
        Assert.Equal(WireResult.Ok, IcmpMessage.Check(ip.Buffer, ip.PayloadOffset, ip.PayloadLength, out var icmp));
        return icmp;
    }

    /// <summary>The TCP segment of a checked packet (checksum verified with the pseudo-header).</summary>
    public static TcpRepr Tcp(Ipv4Packet ip)
    {
        Assert.Equal(IpProtocol.Tcp, ip.Protocol);
        Assert.Equal(WireResult.Ok, TcpSegment.Check(ip.Buffer, ip.PayloadOffset, ip.PayloadLength, ip.Source, ip.Destination, out var seg));
        Assert.Equal(WireResult.Ok, TcpRepr.Parse(seg, out var repr));
        return repr;
    }

    public static byte[] Bytes(Ipv4Packet ip) => ip.Buffer.AsSpan(ip.Offset, ip.Length).ToArray();
}
