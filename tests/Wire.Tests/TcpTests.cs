namespace VpnAppliance.Wire.Tests;

public class TcpTests
{
    private const int TcpOffset = 14 + 20;
    private static readonly uint A = Ipv4Address.FromOctets(10, 0, 1, 1);
    private static readonly uint R = Ipv4Address.FromOctets(10, 0, 1, 2);

    private static TcpRepr ParseGolden(byte[] f, uint source, uint destination, out TcpSegment segment)
    {
        Assert.Equal(WireResult.Ok, TcpSegment.Check(f, TcpOffset, f.Length - TcpOffset, source, destination, out segment));
        Assert.Equal(WireResult.Ok, TcpRepr.Parse(segment, out TcpRepr repr));
        return repr;
    }

    [Fact]
    public void Golden_syn_with_linux_options()
    {
        TcpRepr syn = ParseGolden(GoldenPackets.TcpSyn, A, R, out TcpSegment s);
        Assert.Equal(34386, syn.SourcePort);
        Assert.Equal(5000, syn.DestinationPort);
        Assert.Equal(0x09F88942u, syn.SequenceNumber);
        Assert.Equal(0u, syn.AcknowledgmentNumber);
        Assert.Equal(TcpFlags.Syn, syn.Flags);
        Assert.True(s.Syn);
        Assert.False(s.Ack);
        Assert.Equal(40, s.HeaderLength);
        Assert.Equal(20, s.OptionsLength);
        Assert.Equal(64240, syn.Window);
        Assert.Equal(0x7CC1, s.Checksum);
        Assert.Equal(0, syn.PayloadLength);
        Assert.True(syn.Options.HasMaximumSegmentSize);
        Assert.Equal(1460, syn.Options.MaximumSegmentSize);
        Assert.True(syn.Options.SackPermitted);
        Assert.True(syn.Options.HasTimestamps);
        Assert.Equal(1143490827u, syn.Options.TimestampValue);
        Assert.Equal(0u, syn.Options.TimestampEchoReply);
        Assert.True(syn.Options.HasWindowScale);
        Assert.Equal(10, syn.Options.WindowScale);
    }

    [Fact]
    public void Golden_syn_ack_and_data_segment()
    {
        TcpRepr synAck = ParseGolden(GoldenPackets.TcpSynAck, R, A, out TcpSegment s);
        Assert.Equal(TcpFlags.Syn | TcpFlags.Ack, synAck.Flags);
        Assert.Equal(0x09F88943u, synAck.AcknowledgmentNumber);
        Assert.Equal(1143490827u, synAck.Options.TimestampEchoReply);
        Assert.Equal(2899253660u, synAck.Options.TimestampValue);

        TcpRepr data = ParseGolden(GoldenPackets.TcpData, A, R, out TcpSegment d);
        Assert.Equal(TcpFlags.Psh | TcpFlags.Ack, data.Flags);
        Assert.True(d.Psh && d.Ack && !d.Syn && !d.Fin && !d.Rst && !d.Urg);
        Assert.False(data.Options.HasMaximumSegmentSize);
        Assert.True(data.Options.HasTimestamps);
        Assert.Equal(32, d.HeaderLength);
        Assert.Equal(10, data.PayloadLength);
        Assert.Equal("hello tcp\n", System.Text.Encoding.ASCII.GetString(d.Buffer, d.PayloadOffset, d.PayloadLength));
        Assert.Equal(WireResult.BadChecksum, TcpSegment.Check(GoldenPackets.TcpData, TcpOffset, 42, R, A + 1, out _));
    }

    [Theory]
    [InlineData(nameof(GoldenPackets.TcpSyn), true)]
    [InlineData(nameof(GoldenPackets.TcpSynAck), false)]
    [InlineData(nameof(GoldenPackets.TcpData), true)]
    public void Emit_reproduces_the_capture_options_in_linux_order(string name, bool fromA)
    {
        byte[] f = GoldenSet.Bytes(name);
        uint s = fromA ? A : R, d = fromA ? R : A;
        TcpRepr repr = ParseGolden(f, s, d, out TcpSegment segment);
        byte[] copy = (byte[])f.Clone();
        Array.Clear(copy, TcpOffset, segment.HeaderLength);
        Assert.Equal(WireResult.Ok, repr.Emit(copy, TcpOffset, copy.Length - TcpOffset, s, d));
        Assert.Equal(f, copy);
    }

    [Fact]
    public void Random_reprs_round_trip()
    {
        var random = new Random(9293);
        byte[] buffer = new byte[60 + 200];
        for (int i = 0; i < 3000; i++)
        {
            var repr = new TcpRepr
            {
                SourcePort = (ushort)random.Next(0x10000),
                DestinationPort = (ushort)random.Next(0x10000),
                SequenceNumber = (uint)random.NextInt64(1L << 32),
                AcknowledgmentNumber = (uint)random.NextInt64(1L << 32),
                Flags = (byte)random.Next(256),
                Window = (ushort)random.Next(0x10000),
                UrgentPointer = (ushort)random.Next(0x10000),
                PayloadLength = random.Next(201),
                Options = new TcpOptions
                {
                    HasMaximumSegmentSize = random.Next(2) == 0,
                    HasWindowScale = random.Next(2) == 0,
                    SackPermitted = random.Next(2) == 0,
                    HasTimestamps = random.Next(2) == 0,
                },
            };
            if (repr.Options.HasMaximumSegmentSize) repr.Options.MaximumSegmentSize = (ushort)random.Next(0x10000);
            if (repr.Options.HasWindowScale) repr.Options.WindowScale = (byte)random.Next(15);
            if (repr.Options.HasTimestamps)
            {
                repr.Options.TimestampValue = (uint)random.NextInt64(1L << 32);
                repr.Options.TimestampEchoReply = (uint)random.NextInt64(1L << 32);
            }

            uint s = (uint)random.NextInt64(1L << 32), d = (uint)random.NextInt64(1L << 32);
            random.NextBytes(buffer.AsSpan(repr.HeaderLength, repr.PayloadLength));
            Assert.Equal(0, repr.Options.Length % 4);
            Assert.Equal(WireResult.Ok, repr.Emit(buffer, 0, buffer.Length, s, d));
            Assert.Equal(WireResult.Ok, TcpSegment.Check(buffer, 0, repr.SegmentLength, s, d, out TcpSegment segment));
            Assert.Equal(WireResult.Ok, TcpRepr.Parse(segment, out TcpRepr parsed));
            Assert.Equal(repr, parsed);
        }
    }

    [Fact]
    public void Typed_errors()
    {
        byte[] f = GoldenSet.Bytes(nameof(GoldenPackets.TcpSyn));
        Assert.Equal(WireResult.Truncated, TcpSegment.CheckHeader(f, TcpOffset, 19, out _));
        Assert.Equal(WireResult.Truncated, TcpSegment.CheckHeader(f, TcpOffset, 39, out _));
        f[TcpOffset + 12] = 0x40; // data offset 4
        Assert.Equal(WireResult.BadHeaderLength, TcpSegment.CheckHeader(f, TcpOffset, 40, out _));
        f[TcpOffset + 12] = 0xF0; // data offset 15 = 60 bytes > 40 present
        Assert.Equal(WireResult.Truncated, TcpSegment.CheckHeader(f, TcpOffset, 40, out _));
        f = GoldenSet.Bytes(nameof(GoldenPackets.TcpSyn));
        f[TcpOffset + 4] ^= 1;
        Assert.Equal(WireResult.BadChecksum, TcpSegment.Check(f, TcpOffset, 40, A, R, out _));
        Assert.Equal(WireResult.Ok, TcpSegment.CheckHeader(f, TcpOffset, 40, out _));
        var repr = new TcpRepr { PayloadLength = 65_496 };
        Assert.Equal(WireResult.BadLength, repr.Emit(new byte[100], 0, 100, A, R));
        repr.PayloadLength = 81;
        Assert.Equal(WireResult.Truncated, repr.Emit(new byte[100], 0, 100, A, R));
    }
}
