namespace VpnAppliance.Wire.Tests;

public class TcpOptionsTests
{
    /// <summary>A 20-byte TCP header (SYN, checksum not filled) followed by the given option bytes, padded with EOL to a word.</summary>
    private static byte[] Segment(string optionsHex)
    {
        byte[] options = Hex.Parse(optionsHex);
        int hl = 20 + (options.Length + 3) / 4 * 4;
        byte[] b = new byte[hl];
        b[12] = (byte)(hl / 4 << 4);
        b[13] = TcpFlags.Syn;
        options.CopyTo(b, 20);
        return b;
    }

    private static WireResult Check(string optionsHex, out TcpOptions options)
    {
        byte[] b = Segment(optionsHex);
        options = default;
        WireResult r = TcpSegment.CheckHeader(b, 0, b.Length, out TcpSegment s);
        if (r != WireResult.Ok) return r;
        Assert.Equal(WireResult.Ok, TcpRepr.Parse(s, out TcpRepr repr));
        options = repr.Options;
        return r;
    }

    [Theory]
    [InlineData("02 00 05 b4", "MSS with length 0")]
    [InlineData("02 01 05 b4", "MSS with length 1")]
    [InlineData("02 03 05 b4", "MSS with length 3")]
    [InlineData("02 05 05 b4 00 00 00 00", "MSS with length 5")]
    [InlineData("01 01 03 04 07 00 00 00", "window scale with length 4")]
    [InlineData("04 03 00 00", "SACK-permitted with length 3")]
    [InlineData("08 08 00 00 00 01 00 00", "timestamps with length 8")]
    [InlineData("05 09 00 00 00 01 00 00 00 02 00 00", "SACK with length 9")]
    [InlineData("05 02 00 00", "SACK with no block")]
    [InlineData("01 01 01 1e", "unknown option: kind in the last byte, no length byte")]
    [InlineData("1e 09 00 00 00 00 00 00", "unknown option running past the options area")]
    [InlineData("01 01 01 01 1e 00 00 00", "unknown option with length 0 (would loop forever)")]
    public void Malformed_option_lengths_are_rejected(string optionsHex, string what)
    {
        Assert.True(Check(optionsHex, out _) == WireResult.Malformed, what);
    }

    [Fact]
    public void Unknown_options_are_skipped_by_length()
    {
        // kind 30 (RFC 3692 experiment) length 6, kind 253 length 2, then MSS
        Assert.Equal(WireResult.Ok, Check("1e 06 aa bb cc dd fd 02 02 04 02 18", out TcpOptions o));
        Assert.True(o.HasMaximumSegmentSize);
        Assert.Equal(536, o.MaximumSegmentSize);
        Assert.False(o.HasTimestamps || o.HasWindowScale || o.SackPermitted);
    }

    [Fact]
    public void Bytes_after_end_of_list_are_padding()
    {
        Assert.Equal(WireResult.Ok, Check("03 03 07 00 02 00 ff ff", out TcpOptions o));
        Assert.True(o.HasWindowScale);
        Assert.Equal(7, o.WindowScale);
        Assert.False(o.HasMaximumSegmentSize);
    }

    [Fact]
    public void Sack_blocks_are_accepted_and_skipped()
    {
        Assert.Equal(WireResult.Ok, Check("01 01 05 12 00 00 00 01 00 00 00 02 00 00 00 03 00 00 00 04", out TcpOptions o));
        Assert.False(o.SackPermitted);
    }

    [Fact]
    public void Last_of_duplicate_options_wins()
    {
        Assert.Equal(WireResult.Ok, Check("02 04 05 b4 02 04 02 18", out TcpOptions o));
        Assert.Equal(536, o.MaximumSegmentSize);
    }

    [Fact]
    public void Random_option_areas_never_throw_and_header_check_agrees_with_parse()
    {
        var random = new Random(2018);
        byte[] b = new byte[60];
        int ok = 0;
        for (int i = 0; i < 20_000; i++)
        {
            int words = random.Next(5, 16);
            Array.Clear(b);
            b[12] = (byte)(words << 4);
            b[13] = TcpFlags.Syn;
            for (int p = 20; p < words * 4; p++)
            {
                // bias towards known kinds and plausible lengths so both outcomes are frequent
                int pick = random.Next(8);
                b[p] = pick < 5 ? (byte)new[] { 0, 1, 2, 3, 4, 5, 8 }[random.Next(7)] : pick < 7 ? (byte)random.Next(12) : (byte)random.Next(256);
            }

            WireResult header = TcpSegment.CheckHeader(b, 0, words * 4, out TcpSegment s);
            Assert.True(header == WireResult.Ok || header == WireResult.Malformed);
            WireResult parse = TcpOptions.Parse(b, 20, words * 4 - 20, out _);
            Assert.Equal(header, parse);
            if (header == WireResult.Ok)
            {
                ok++;
                Assert.Equal(WireResult.Ok, TcpRepr.Parse(s, out _));
                MssClamp.Apply(s, 1000);
            }
        }

        Assert.InRange(ok, 1000, 19_000);
    }
}
