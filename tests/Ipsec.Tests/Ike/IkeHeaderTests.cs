using VpnAppliance.Ipsec.Ike;

namespace VpnAppliance.Ipsec.Tests.Ike;

/// <summary>IKE header (RFC 7296 §3.1), generic payload chain (§3.2) and the Non-ESP Marker (RFC 3948 §2.2).</summary>
public class IkeHeaderTests
{
    // RFC 7296 §3.1 layout, an IKE_SA_INIT request with no payloads.
    static readonly byte[] Header =
    {
        0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, // IKE SA Initiator's SPI
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // IKE SA Responder's SPI: 0 in the first request
        0x00,                                           // Next Payload: none
        0x20,                                           // MjVer 2, MnVer 0
        0x22,                                           // Exchange Type 34 IKE_SA_INIT
        0x08,                                           // Flags: I
        0x00, 0x00, 0x00, 0x00,                         // Message ID 0
        0x00, 0x00, 0x00, 0x1C,                         // Length 28
    };

    [Fact]
    public void Parses_and_emits_the_header()
    {
        var h = new IkeHeader();
        Assert.Equal(IkeParseResult.Ok, h.Parse(Header, 0, Header.Length));
        Assert.Equal(0x0102030405060708UL, h.SpiInitiator);
        Assert.Equal(0UL, h.SpiResponder);
        Assert.Equal(IkeExchangeType.IkeSaInit, h.ExchangeType);
        Assert.True(h.IsInitiator);
        Assert.False(h.IsResponse);
        Assert.Equal(28u, h.MessageLength);
        var output = new byte[28];
        Assert.Equal(28, h.Emit(output, 0, output.Length));
        Assert.Equal(Header, output);
        Assert.Equal(0, h.Emit(output, 0, 27));
    }

    [Fact]
    public void Rejects_bad_version_exchange_and_length()
    {
        var h = new IkeHeader();
        byte[] b = (byte[])Header.Clone();
        b[17] = 0x30;
        Assert.Equal(IkeParseResult.InvalidMajorVersion, h.Parse(b, 0, b.Length));
        b[17] = 0x21; // minor version ignored (§3.1)
        Assert.Equal(IkeParseResult.Ok, h.Parse(b, 0, b.Length));
        b[18] = 33;
        Assert.Equal(IkeParseResult.UnknownExchangeType, h.Parse(b, 0, b.Length));
        b[18] = 37;
        b[27] = 27;
        Assert.Equal(IkeParseResult.BadLength, h.Parse(b, 0, b.Length));
        b[27] = 29;
        Assert.Equal(IkeParseResult.Truncated, h.Parse(b, 0, b.Length));
        for (int n = 0; n < 28; n++) Assert.Equal(IkeParseResult.Truncated, h.Parse(Header, 0, n));
    }

    [Fact]
    public void Chain_skips_unknown_noncritical_and_rejects_unknown_critical()
    {
        var c = new IkePayloadChain();
        // Nonce(40) -> unknown 200 (non-critical) -> end
        byte[] b = { 200, 0, 0, 8, 1, 2, 3, 4, 0, 0x00, 0, 4 };
        Assert.Equal(IkeParseResult.Ok, c.Walk(b, 0, b.Length, IkePayloadType.Nonce));
        Assert.Equal(2, c.Count);
        Assert.Equal(200, c.Type(1));
        b[9] = 0x80;
        Assert.Equal(IkeParseResult.UnsupportedCriticalPayload, c.Walk(b, 0, b.Length, IkePayloadType.Nonce));
        Assert.Equal(200, c.UnsupportedType);
        b[9] = 0x00;
        b[11] = 3;
        Assert.Equal(IkeParseResult.BadLength, c.Walk(b, 0, b.Length, IkePayloadType.Nonce));
        b[11] = 5;
        Assert.Equal(IkeParseResult.Truncated, c.Walk(b, 0, b.Length, IkePayloadType.Nonce));
    }

    [Fact]
    public void Chain_is_bounded()
    {
        var c = new IkePayloadChain();
        byte[] b = new byte[4 * 40];
        for (int i = 0; i < 40; i++) { b[i * 4] = IkePayloadType.VendorId; b[i * 4 + 3] = 4; }
        Assert.Equal(IkeParseResult.TooMany, c.Walk(b, 0, b.Length, IkePayloadType.VendorId));
    }

    [Fact]
    public void Chain_stops_at_the_encrypted_payload()
    {
        var c = new IkePayloadChain();
        byte[] b = { IkePayloadType.IdInitiator, 0, 0, 8, 9, 9, 9, 9 };
        Assert.Equal(IkeParseResult.Ok, c.Walk(b, 0, b.Length, IkePayloadType.Encrypted));
        Assert.Equal(1, c.Count);
        Assert.Equal(IkePayloadType.IdInitiator, c.InnerNextPayload);
    }

    [Fact]
    public void Non_esp_marker_classifies_port_4500_payloads()
    {
        Assert.Equal(NonEspMarker.Kind.Keepalive, NonEspMarker.Classify(new byte[] { 0xFF }, 0, 1));
        byte[] ike = new byte[4 + 28];
        Assert.Equal(NonEspMarker.Kind.Ike, NonEspMarker.Classify(ike, 0, ike.Length));
        Assert.Equal(NonEspMarker.Kind.Invalid, NonEspMarker.Classify(ike, 0, 20));
        byte[] esp = { 0, 0, 1, 0, 0, 0, 0, 1 };
        Assert.Equal(NonEspMarker.Kind.Esp, NonEspMarker.Classify(esp, 0, esp.Length));
        Assert.Equal(NonEspMarker.Kind.Invalid, NonEspMarker.Classify(esp, 0, 3));
        Assert.Equal(4, NonEspMarker.Write(ike, 0));
    }
}
