namespace VpnAppliance.Wire.Tests;

public class Ipv4Tests
{
    private static Ipv4Packet CheckGolden(byte[] f)
    {
        Assert.Equal(WireResult.Ok, Ipv4Packet.Check(f, 14, f.Length - 14, out Ipv4Packet packet));
        return packet;
    }

    [Fact]
    public void Golden_echo_request_fields()
    {
        Ipv4Packet p = CheckGolden(GoldenPackets.EchoRequest);
        Assert.Equal(20, p.HeaderLength);
        Assert.Equal(0, p.TypeOfService);
        Assert.Equal(44, p.TotalLength);
        Assert.Equal(44, p.Length);
        Assert.Equal(0xD7C8, p.Identification);
        Assert.True(p.DontFragment);
        Assert.False(p.MoreFragments);
        Assert.False(p.IsFragment);
        Assert.Equal(0, p.FragmentOffset);
        Assert.Equal(64, p.Ttl);
        Assert.Equal(IpProtocol.Icmp, p.Protocol);
        Assert.Equal(0x4D06, p.HeaderChecksum);
        Assert.Equal(Ipv4Address.FromOctets(10, 0, 1, 1), p.Source);
        Assert.Equal(Ipv4Address.FromOctets(10, 0, 1, 2), p.Destination);
        Assert.Equal(0, p.OptionsLength);
        Assert.Equal(34, p.PayloadOffset);
        Assert.Equal(24, p.PayloadLength);
    }

    [Fact]
    public void Golden_fragments_are_recognised()
    {
        Ipv4Packet first = CheckGolden(GoldenPackets.FirstFragment);
        Assert.True(first.MoreFragments);
        Assert.False(first.DontFragment);
        Assert.Equal(0, first.FragmentOffset);
        Assert.True(first.IsFragment);
        Assert.Equal(48, first.PayloadLength);

        Ipv4Packet last = CheckGolden(GoldenPackets.LastFragment);
        Assert.False(last.MoreFragments);
        Assert.Equal(6, last.FragmentOffset); // 6 * 8 = 48 bytes: right after the first fragment's data
        Assert.True(last.IsFragment);
        Assert.Equal(20, last.PayloadLength);
        Assert.Equal(first.Identification, last.Identification);
    }

    [Fact]
    public void Link_padding_is_outside_the_view()
    {
        byte[] padded = new byte[64];
        GoldenPackets.LastFragment.CopyTo(padded, 0);
        Assert.Equal(WireResult.Ok, Ipv4Packet.Check(padded, 14, 50, out Ipv4Packet p));
        Assert.Equal(40, p.Length);
        Assert.Equal(20, p.PayloadLength);
    }

    [Theory]
    [InlineData(nameof(GoldenPackets.EchoRequest))]
    [InlineData(nameof(GoldenPackets.FragmentationNeeded))]
    [InlineData(nameof(GoldenPackets.TcpSyn))]
    [InlineData(nameof(GoldenPackets.UdpToClosedPort))]
    [InlineData(nameof(GoldenPackets.FirstFragment))]
    [InlineData(nameof(GoldenPackets.LastFragment))]
    public void Emit_reproduces_the_captured_header(string name)
    {
        byte[] f = GoldenSet.Bytes(name);
        Assert.Equal(WireResult.Ok, Ipv4Repr.Parse(CheckGolden(f), out Ipv4Repr repr));
        byte[] copy = (byte[])f.Clone();
        Array.Clear(copy, 14, 20);
        Assert.Equal(WireResult.Ok, repr.Emit(copy, 14, copy.Length - 14));
        Assert.Equal(f, copy);
    }

    [Fact]
    public void Random_reprs_round_trip()
    {
        var random = new Random(791);
        byte[] buffer = new byte[20 + 600];
        for (int i = 0; i < 2000; i++)
        {
            var repr = new Ipv4Repr
            {
                Source = (uint)random.NextInt64(0, 1L << 32),
                Destination = (uint)random.NextInt64(0, 1L << 32),
                Protocol = (byte)random.Next(256),
                Ttl = (byte)random.Next(256),
                TypeOfService = (byte)random.Next(256),
                Identification = (ushort)random.Next(0x10000),
                DontFragment = random.Next(2) == 0,
                MoreFragments = random.Next(2) == 0,
                FragmentOffset = random.Next(0x2000),
                PayloadLength = random.Next(601),
            };
            Assert.Equal(WireResult.Ok, repr.Emit(buffer, 0, buffer.Length));
            Assert.Equal(WireResult.Ok, Ipv4Packet.Check(buffer, 0, buffer.Length, out Ipv4Packet p));
            Assert.Equal(WireResult.Ok, Ipv4Repr.Parse(p, out Ipv4Repr parsed));
            Assert.Equal(repr, parsed);
            Assert.Equal(repr.TotalLength, p.Length);
        }
    }

    [Fact]
    public void Emit_refuses_bad_reprs_and_small_buffers()
    {
        var repr = new Ipv4Repr { PayloadLength = 10 };
        Assert.Equal(WireResult.Truncated, repr.Emit(new byte[29], 0, 29));
        Assert.Equal(WireResult.OutOfRange, repr.Emit(new byte[29], 0, 30));
        repr.PayloadLength = 65_516;
        Assert.Equal(WireResult.BadLength, repr.Emit(new byte[100], 0, 100));
        repr.PayloadLength = -1;
        Assert.Equal(WireResult.BadLength, repr.Emit(new byte[100], 0, 100));
        repr = new Ipv4Repr { FragmentOffset = 0x2000 };
        Assert.Equal(WireResult.Malformed, repr.Emit(new byte[100], 0, 100));
    }

    /// <summary>A header with IHL words of which the options are arbitrary bytes (even nonsense).</summary>
    private static byte[] WithOptions(int ihl, byte optionFill, int payload)
    {
        int hl = ihl * 4;
        byte[] b = new byte[hl + payload];
        var repr = new Ipv4Repr { Source = 0x0A000001, Destination = 0x0A000002, Protocol = IpProtocol.Udp, Ttl = 9, PayloadLength = hl - 20 + payload };
        Assert.Equal(WireResult.Ok, repr.Emit(b, 0, b.Length));
        b[0] = (byte)(0x40 | ihl);
        for (int i = 20; i < hl; i++) b[i] = optionFill;
        for (int i = hl; i < b.Length; i++) b[i] = 0xEE;
        b[10] = 0;
        b[11] = 0;
        NetworkByteOrder.WriteUInt16(b, 10, InternetChecksum.Compute(b, 0, hl));
        return b;
    }

    [Theory]
    [InlineData(6, 0x01)] // NOP NOP NOP NOP
    [InlineData(15, 0x00)] // end of options list, padding
    [InlineData(15, 0x83)] // loose source route kinds with a nonsense length 0x83: not interpreted, skipped
    public void Options_are_skipped_safely(int ihl, byte fill)
    {
        byte[] b = WithOptions(ihl, fill, 5);
        Assert.Equal(WireResult.Ok, Ipv4Packet.Check(b, 0, b.Length, out Ipv4Packet p));
        Assert.Equal(ihl * 4, p.HeaderLength);
        Assert.Equal(ihl * 4 - 20, p.OptionsLength);
        Assert.Equal(ihl * 4, p.PayloadOffset);
        Assert.Equal(5, p.PayloadLength);
        Assert.Equal(0xEE, b[p.PayloadOffset]);
        Assert.Equal(WireResult.Ok, Ipv4Repr.Parse(p, out Ipv4Repr repr));
        Assert.Equal(5, repr.PayloadLength);
    }

    [Fact]
    public void Typed_errors()
    {
        byte[] good = GoldenSet.Bytes(nameof(GoldenPackets.EchoRequest));
        byte[] b;

        b = (byte[])good.Clone();
        b[14] = 0x65; // version 6
        Assert.Equal(WireResult.BadVersion, Ipv4Packet.Check(b, 14, 44, out _));

        b = (byte[])good.Clone();
        b[14] = 0x44; // IHL 4
        Assert.Equal(WireResult.BadHeaderLength, Ipv4Packet.Check(b, 14, 44, out _));

        b = (byte[])good.Clone();
        b[14] = 0x4F; // IHL 15 = 60 bytes > 44 present
        Assert.Equal(WireResult.Truncated, Ipv4Packet.Check(b, 14, 44, out _));

        b = (byte[])good.Clone();
        NetworkByteOrder.WriteUInt16(b, 16, 19); // total length below the header
        Assert.Equal(WireResult.BadLength, Ipv4Packet.Check(b, 14, 44, out _));

        b = (byte[])good.Clone();
        NetworkByteOrder.WriteUInt16(b, 16, 45); // one byte more than present
        Assert.Equal(WireResult.Truncated, Ipv4Packet.Check(b, 14, 44, out _));

        b = (byte[])good.Clone();
        b[14 + 8] ^= 0x01; // TTL changed, checksum not
        Assert.Equal(WireResult.BadChecksum, Ipv4Packet.Check(b, 14, 44, out Ipv4Packet bad));
        Assert.Null(bad.Buffer);
    }

    [Fact]
    public void Quoted_header_of_an_icmp_error_may_be_cut_short()
    {
        byte[] f = GoldenSet.Bytes(nameof(GoldenPackets.FragmentationNeeded));
        const int quoted = 14 + 20 + 8;
        // The whole 108-byte datagram is quoted here (Linux quotes up to 576 bytes in all).
        Assert.Equal(WireResult.Ok, Ipv4Packet.CheckQuoted(f, quoted, f.Length - quoted, out Ipv4Packet whole));
        Assert.Equal(108, whole.Length);
        Assert.Equal(Ipv4Address.FromOctets(10, 0, 2, 2), whole.Destination);
        // RFC 792's minimum: the header and 8 data bytes.
        Assert.Equal(WireResult.Ok, Ipv4Packet.CheckQuoted(f, quoted, 28, out Ipv4Packet minimum));
        Assert.Equal(28, minimum.Length);
        Assert.Equal(108, minimum.TotalLength);
        Assert.Equal(8, minimum.PayloadLength);
        Assert.Equal(WireResult.Truncated, Ipv4Packet.CheckQuoted(f, quoted, 19, out _));
        // A full check would refuse it: the total length is not present.
        Assert.Equal(WireResult.Truncated, Ipv4Packet.Check(f, quoted, 28, out _));
    }
}
