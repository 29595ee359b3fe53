namespace VpnAppliance.Wire.Tests;

public class EthernetTests
{
    [Fact]
    public void Golden_arp_request_header()
    {
        byte[] f = GoldenPackets.ArpRequest;
        Assert.Equal(WireResult.Ok, EthernetFrame.Check(f, 0, f.Length, out EthernetFrame frame));
        Assert.Equal(EthernetAddress.Broadcast, frame.Destination);
        Assert.Equal(0x020000000101UL, frame.Source);
        Assert.Equal(EtherType.Arp, frame.EtherType);
        Assert.Equal(14, frame.PayloadOffset);
        Assert.Equal(28, frame.PayloadLength);
    }

    [Fact]
    public void Emit_reproduces_every_golden_header_and_parse_round_trips()
    {
        foreach (byte[] f in GoldenSet.All())
        {
            Assert.Equal(WireResult.Ok, EthernetFrame.Check(f, 0, f.Length, out EthernetFrame frame));
            Assert.Equal(WireResult.Ok, EthernetRepr.Parse(frame, out EthernetRepr repr));
            byte[] out14 = new byte[14];
            Assert.Equal(WireResult.Ok, repr.Emit(out14, 0, 14));
            Assert.Equal(f.AsSpan(0, 14).ToArray(), out14);
            Assert.Equal(WireResult.Ok, EthernetFrame.Check(out14, 0, 14, out EthernetFrame again));
            Assert.Equal(WireResult.Ok, EthernetRepr.Parse(again, out EthernetRepr reparsed));
            Assert.Equal(repr, reparsed);
        }
    }

    [Fact]
    public void Ieee_802_3_length_field_is_unsupported()
    {
        byte[] f = Hex.Parse("ffffffffffff 020000000101 0026" + new string('0', 76));
        Assert.Equal(WireResult.Unsupported, EthernetFrame.Check(f, 0, f.Length, out _));
    }

    [Fact]
    public void Bad_windows_are_out_of_range_not_exceptions()
    {
        byte[] f = GoldenPackets.ArpRequest;
        Assert.Equal(WireResult.OutOfRange, EthernetFrame.Check(null!, 0, 14, out _));
        Assert.Equal(WireResult.OutOfRange, EthernetFrame.Check(f, -1, 14, out _));
        Assert.Equal(WireResult.OutOfRange, EthernetFrame.Check(f, 0, -1, out _));
        Assert.Equal(WireResult.OutOfRange, EthernetFrame.Check(f, 30, 14, out _));
        Assert.Equal(WireResult.OutOfRange, EthernetFrame.Check(f, int.MaxValue, int.MaxValue, out _));
        var repr = new EthernetRepr { EtherType = EtherType.Ipv4 };
        Assert.Equal(WireResult.Truncated, repr.Emit(new byte[13], 0, 13));
        Assert.Equal(WireResult.OutOfRange, repr.Emit(new byte[13], 0, 14));
        Assert.Equal(WireResult.OutOfRange, EthernetRepr.Parse(default, out _));
    }
}
