namespace VpnAppliance.Wire.Tests;

public class IcmpTests
{
    private const int IcmpOffset = 14 + 20;

    private static IcmpRepr ParseGolden(byte[] f, out IcmpMessage message)
    {
        Assert.Equal(WireResult.Ok, IcmpMessage.Check(f, IcmpOffset, f.Length - IcmpOffset, out message));
        Assert.Equal(WireResult.Ok, IcmpRepr.Parse(message, out IcmpRepr repr));
        return repr;
    }

    [Fact]
    public void Golden_echo_request_and_reply()
    {
        IcmpRepr request = ParseGolden(GoldenPackets.EchoRequest, out _);
        Assert.Equal(IcmpMessage.TypeEchoRequest, request.Type);
        Assert.Equal(0, request.Code);
        Assert.Equal(0x7608, request.Identifier);
        Assert.Equal(1, request.SequenceNumber);
        Assert.Equal(16, request.DataLength);

        IcmpRepr reply = ParseGolden(GoldenPackets.EchoReply, out _);
        Assert.Equal(IcmpMessage.TypeEchoReply, reply.Type);
        Assert.Equal(request.Identifier, reply.Identifier);
        Assert.Equal(request.SequenceNumber, reply.SequenceNumber);
        Assert.Equal(request.DataLength, reply.DataLength);
    }

    [Fact]
    public void Golden_time_exceeded_quotes_the_expired_echo_request()
    {
        IcmpRepr repr = ParseGolden(GoldenPackets.TimeExceeded, out IcmpMessage message);
        Assert.Equal(IcmpMessage.TypeTimeExceeded, repr.Type);
        Assert.Equal(IcmpMessage.CodeTtlExceeded, repr.Code);
        Assert.Equal(WireResult.Ok, Ipv4Packet.CheckQuoted(message.Buffer, message.DataOffset, message.DataLength, out Ipv4Packet quoted));
        Assert.Equal(1, quoted.Ttl);
        Assert.Equal(Ipv4Address.FromOctets(10, 0, 2, 2), quoted.Destination);
    }

    [Fact]
    public void Golden_fragmentation_needed_carries_the_next_hop_mtu()
    {
        IcmpRepr repr = ParseGolden(GoldenPackets.FragmentationNeeded, out IcmpMessage message);
        Assert.Equal(IcmpMessage.TypeDestinationUnreachable, repr.Type);
        Assert.Equal(IcmpMessage.CodeFragmentationNeeded, repr.Code);
        Assert.Equal(100, repr.NextHopMtu);
        Assert.Equal(100, message.NextHopMtu);
        Assert.Equal(108, repr.DataLength);
        Assert.Equal(WireResult.Ok, Ipv4Packet.CheckQuoted(message.Buffer, message.DataOffset, message.DataLength, out Ipv4Packet quoted));
        Assert.True(quoted.DontFragment);
        Assert.Equal(108, quoted.TotalLength);
    }

    [Fact]
    public void Golden_port_unreachable_quotes_the_udp_header()
    {
        IcmpRepr repr = ParseGolden(GoldenPackets.PortUnreachable, out IcmpMessage message);
        Assert.Equal(IcmpMessage.CodePortUnreachable, repr.Code);
        Assert.Equal(0, repr.NextHopMtu);
        Assert.Equal(WireResult.Ok, Ipv4Packet.CheckQuoted(message.Buffer, message.DataOffset, message.DataLength, out Ipv4Packet quoted));
        Assert.Equal(IpProtocol.Udp, quoted.Protocol);
        Assert.Equal(WireResult.Ok, UdpDatagram.CheckHeader(quoted.Buffer, quoted.PayloadOffset, quoted.PayloadLength, out UdpDatagram udp));
        Assert.Equal(48493, udp.SourcePort);
        Assert.Equal(9999, udp.DestinationPort);
    }

    [Theory]
    [InlineData(nameof(GoldenPackets.EchoRequest))]
    [InlineData(nameof(GoldenPackets.EchoReply))]
    [InlineData(nameof(GoldenPackets.TimeExceeded))]
    [InlineData(nameof(GoldenPackets.FragmentationNeeded))]
    [InlineData(nameof(GoldenPackets.PortUnreachable))]
    public void Emit_reproduces_the_capture(string name)
    {
        byte[] f = GoldenSet.Bytes(name);
        IcmpRepr repr = ParseGolden(f, out _);
        byte[] copy = (byte[])f.Clone();
        Array.Clear(copy, IcmpOffset, 8);
        Assert.Equal(WireResult.Ok, repr.Emit(copy, IcmpOffset, copy.Length - IcmpOffset));
        Assert.Equal(f, copy);
        Assert.Equal(repr, ParseGolden(copy, out _));
    }

    /// <summary>
    /// Builds the fragmentation-needed message wire-r sent (frame 9) from its parts, as the router will:
    /// quote the offending datagram, emit ICMP, then IPv4 and Ethernet; the bytes must equal the capture.
    /// </summary>
    [Fact]
    public void Constructed_fragmentation_needed_equals_the_one_linux_sent()
    {
        byte[] captured = GoldenPackets.FragmentationNeeded;
        byte[] offending = captured.AsSpan(IcmpOffset + 8).ToArray(); // the echo request wire-a sent (108 bytes)
        byte[] built = new byte[200];
        offending.CopyTo(built, IcmpOffset + 8);
        var icmp = new IcmpRepr
        {
            Type = IcmpMessage.TypeDestinationUnreachable,
            Code = IcmpMessage.CodeFragmentationNeeded,
            NextHopMtu = 100,
            DataLength = offending.Length,
        };
        Assert.Equal(WireResult.Ok, icmp.Emit(built, IcmpOffset, built.Length - IcmpOffset));
        var ip = new Ipv4Repr
        {
            Source = Ipv4Address.FromOctets(10, 0, 1, 2),
            Destination = Ipv4Address.FromOctets(10, 0, 1, 1),
            Protocol = IpProtocol.Icmp,
            Ttl = 64,
            TypeOfService = 0xC0, // Linux sends ICMP errors with precedence 6 (internetwork control)
            Identification = 0x3D6F,
            PayloadLength = icmp.MessageLength,
        };
        Assert.Equal(WireResult.Ok, ip.Emit(built, 14, built.Length - 14));
        var eth = new EthernetRepr { Destination = 0x020000000101UL, Source = 0x020000000102UL, EtherType = EtherType.Ipv4 };
        Assert.Equal(WireResult.Ok, eth.Emit(built, 0, built.Length));
        Assert.Equal(captured, built.AsSpan(0, 14 + ip.TotalLength).ToArray());
    }

    [Fact]
    public void Random_echo_reprs_round_trip()
    {
        var random = new Random(792);
        byte[] buffer = new byte[8 + 256];
        for (int i = 0; i < 2000; i++)
        {
            var repr = new IcmpRepr
            {
                Type = random.Next(2) == 0 ? IcmpMessage.TypeEchoRequest : IcmpMessage.TypeEchoReply,
                Identifier = (ushort)random.Next(0x10000),
                SequenceNumber = (ushort)random.Next(0x10000),
                DataLength = random.Next(257),
            };
            random.NextBytes(buffer.AsSpan(8));
            Assert.Equal(WireResult.Ok, repr.Emit(buffer, 0, buffer.Length));
            Assert.Equal(WireResult.Ok, IcmpMessage.Check(buffer, 0, repr.MessageLength, out IcmpMessage m));
            Assert.Equal(WireResult.Ok, IcmpRepr.Parse(m, out IcmpRepr parsed));
            Assert.Equal(repr, parsed);
        }
    }

    [Fact]
    public void Typed_errors()
    {
        byte[] f = GoldenSet.Bytes(nameof(GoldenPackets.EchoRequest));
        Assert.Equal(WireResult.Truncated, IcmpMessage.Check(f, IcmpOffset, 7, out _));
        f[IcmpOffset + 10] ^= 0x40;
        Assert.Equal(WireResult.BadChecksum, IcmpMessage.Check(f, IcmpOffset, 24, out _));
        Assert.Equal(WireResult.Ok, IcmpMessage.CheckHeader(f, IcmpOffset, 24, out _));

        byte[] timestamp = Hex.Parse("0d 00 00 00 12 34 00 01 00 00 00 00 00 00 00 00 00 00 00 00"); // type 13 timestamp request
        NetworkByteOrder.WriteUInt16(timestamp, 2, InternetChecksum.Compute(timestamp, 0, timestamp.Length));
        Assert.Equal(WireResult.Ok, IcmpMessage.Check(timestamp, 0, timestamp.Length, out IcmpMessage m));
        Assert.Equal(WireResult.Unsupported, IcmpRepr.Parse(m, out _));
    }
}
