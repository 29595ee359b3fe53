namespace VpnAppliance.Wire.Tests;

public class UdpTests
{
    private const int UdpOffset = 14 + 20;
    private static readonly uint A = Ipv4Address.FromOctets(10, 0, 1, 1);
    private static readonly uint R = Ipv4Address.FromOctets(10, 0, 1, 2);

    [Fact]
    public void Golden_datagram()
    {
        byte[] f = GoldenPackets.UdpToClosedPort;
        Assert.Equal(WireResult.Ok, UdpDatagram.Check(f, UdpOffset, f.Length - UdpOffset, A, R, out UdpDatagram d));
        Assert.Equal(48493, d.SourcePort);
        Assert.Equal(9999, d.DestinationPort);
        Assert.Equal(18, d.Length);
        Assert.Equal(0xDBE9, d.Checksum);
        Assert.Equal("hello udp\n", System.Text.Encoding.ASCII.GetString(f, d.PayloadOffset, d.PayloadLength));
        // the pseudo-header is covered: another destination address fails
        Assert.Equal(WireResult.BadChecksum, UdpDatagram.Check(f, UdpOffset, 18, A, R + 1, out _));
    }

    [Fact]
    public void Emit_reproduces_the_capture_and_round_trips()
    {
        byte[] f = GoldenSet.Bytes(nameof(GoldenPackets.UdpToClosedPort));
        Assert.Equal(WireResult.Ok, UdpDatagram.Check(f, UdpOffset, 18, A, R, out UdpDatagram d));
        Assert.Equal(WireResult.Ok, UdpRepr.Parse(d, out UdpRepr repr));
        byte[] copy = (byte[])f.Clone();
        Array.Clear(copy, UdpOffset, 8);
        Assert.Equal(WireResult.Ok, repr.Emit(copy, UdpOffset, 18, A, R));
        Assert.Equal(f, copy);
    }

    [Fact]
    public void Checksum_zero_means_none_and_a_computed_zero_is_sent_as_ffff()
    {
        byte[] f = GoldenSet.Bytes(nameof(GoldenPackets.UdpToClosedPort));
        f[UdpOffset + 6] = 0;
        f[UdpOffset + 7] = 0;
        f[UdpOffset + 9] ^= 0xFF; // corrupt data: not detectable without a checksum
        Assert.Equal(WireResult.Ok, UdpDatagram.Check(f, UdpOffset, 18, A, R, out _));

        // Find a 2-byte payload whose checksum computes to 0: the emitted field must be 0xFFFF and verify.
        byte[] b = new byte[10];
        var repr = new UdpRepr { SourcePort = 1, DestinationPort = 2, PayloadLength = 2 };
        bool found = false;
        for (int v = 0; v < 0x10000 && !found; v++)
        {
            NetworkByteOrder.WriteUInt16(b, 8, v);
            repr.Emit(b, 0, 10, A, R);
            uint sum = InternetChecksum.AddPseudoHeader(A, R, IpProtocol.Udp, 10, 0);
            b[6] = 0;
            b[7] = 0;
            if (InternetChecksum.Finish(InternetChecksum.Add(b, 0, 10, sum)) == 0)
            {
                repr.Emit(b, 0, 10, A, R);
                Assert.Equal(0xFFFF, NetworkByteOrder.ReadUInt16(b, 6));
                Assert.Equal(WireResult.Ok, UdpDatagram.Check(b, 0, 10, A, R, out _));
                found = true;
            }
        }

        Assert.True(found);
    }

    [Fact]
    public void Random_reprs_round_trip()
    {
        var random = new Random(768);
        byte[] buffer = new byte[8 + 300];
        for (int i = 0; i < 2000; i++)
        {
            var repr = new UdpRepr
            {
                SourcePort = (ushort)random.Next(0x10000),
                DestinationPort = (ushort)random.Next(0x10000),
                PayloadLength = random.Next(301),
            };
            uint s = (uint)random.NextInt64(1L << 32), t = (uint)random.NextInt64(1L << 32);
            random.NextBytes(buffer.AsSpan(8));
            Assert.Equal(WireResult.Ok, repr.Emit(buffer, 0, buffer.Length, s, t));
            Assert.Equal(WireResult.Ok, UdpDatagram.Check(buffer, 0, buffer.Length, s, t, out UdpDatagram d));
            Assert.Equal(repr.DatagramLength, d.Length);
            Assert.Equal(WireResult.Ok, UdpRepr.Parse(d, out UdpRepr parsed));
            Assert.Equal(repr, parsed);
        }
    }

    [Fact]
    public void Typed_errors()
    {
        byte[] f = GoldenSet.Bytes(nameof(GoldenPackets.UdpToClosedPort));
        Assert.Equal(WireResult.Truncated, UdpDatagram.CheckHeader(f, UdpOffset, 7, out _));
        Assert.Equal(WireResult.Truncated, UdpDatagram.CheckHeader(f, UdpOffset, 17, out _));
        NetworkByteOrder.WriteUInt16(f, UdpOffset + 4, 7);
        Assert.Equal(WireResult.BadLength, UdpDatagram.CheckHeader(f, UdpOffset, 18, out _));
        var repr = new UdpRepr { PayloadLength = 65_508 };
        Assert.Equal(WireResult.BadLength, repr.Emit(new byte[16], 0, 16, A, R));
    }
}
