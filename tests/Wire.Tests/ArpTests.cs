namespace VpnAppliance.Wire.Tests;

public class ArpTests
{
    private static ArpRepr ParseGolden(byte[] f)
    {
        Assert.Equal(WireResult.Ok, ArpPacket.Check(f, 14, f.Length - 14, out ArpPacket packet));
        Assert.Equal(WireResult.Ok, ArpRepr.Parse(packet, out ArpRepr repr));
        return repr;
    }

    [Fact]
    public void Golden_request_and_reply()
    {
        ArpRepr request = ParseGolden(GoldenPackets.ArpRequest);
        Assert.Equal(ArpPacket.OperationRequest, request.Operation);
        Assert.Equal(0x020000000101UL, request.SenderHardwareAddress);
        Assert.Equal(Ipv4Address.FromOctets(10, 0, 1, 1), request.SenderProtocolAddress);
        Assert.Equal(EthernetAddress.Unspecified, request.TargetHardwareAddress);
        Assert.Equal(Ipv4Address.FromOctets(10, 0, 1, 2), request.TargetProtocolAddress);

        ArpRepr reply = ParseGolden(GoldenPackets.ArpReply);
        Assert.Equal(ArpPacket.OperationReply, reply.Operation);
        Assert.Equal(0x020000000102UL, reply.SenderHardwareAddress);
        Assert.Equal(Ipv4Address.FromOctets(10, 0, 1, 2), reply.SenderProtocolAddress);
        Assert.Equal(0x020000000101UL, reply.TargetHardwareAddress);
        Assert.Equal(Ipv4Address.FromOctets(10, 0, 1, 1), reply.TargetProtocolAddress);
    }

    [Theory]
    [InlineData(nameof(GoldenPackets.ArpRequest))]
    [InlineData(nameof(GoldenPackets.ArpReply))]
    public void Emit_reproduces_the_capture(string name)
    {
        byte[] f = GoldenSet.Bytes(name);
        ArpRepr repr = ParseGolden(f);
        byte[] out28 = new byte[28];
        Assert.Equal(WireResult.Ok, repr.Emit(out28, 0, 28));
        Assert.Equal(f.AsSpan(14).ToArray(), out28);
        Assert.Equal(repr, ParseGolden(f));
    }

    [Fact]
    public void Padded_frame_is_accepted()
    {
        byte[] padded = new byte[60];
        GoldenPackets.ArpReply.CopyTo(padded, 0);
        Assert.Equal(WireResult.Ok, Dissector.Dissect(padded, 0, 60));
    }

    [Theory]
    [InlineData(1, 0x06, "hardware type 6 (IEEE 802)")]
    [InlineData(3, 0x06, "protocol type 0x0806")]
    [InlineData(4, 0x08, "hardware length 8")]
    [InlineData(5, 0x10, "protocol length 16 (IPv6)")]
    public void Other_than_ethernet_ipv4_is_unsupported(int field, byte value, string what)
    {
        byte[] f = GoldenSet.Bytes(nameof(GoldenPackets.ArpRequest));
        f[14 + field] = value;
        Assert.True(ArpPacket.Check(f, 14, 28, out _) == WireResult.Unsupported, what);
    }

    [Fact]
    public void Unknown_operation_is_unsupported()
    {
        byte[] f = GoldenSet.Bytes(nameof(GoldenPackets.ArpRequest));
        f[14 + 7] = 9;
        Assert.Equal(WireResult.Ok, ArpPacket.Check(f, 14, 28, out ArpPacket packet));
        Assert.Equal(WireResult.Unsupported, ArpRepr.Parse(packet, out _));
    }
}
