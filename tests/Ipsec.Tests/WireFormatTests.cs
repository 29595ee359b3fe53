using VpnAppliance.Hal;

namespace VpnAppliance.Ipsec.Tests;

/// <summary>
/// The wire format, proven against <see cref="Oracle"/> (System.Security.Cryptography directly): packets built by
/// the firmware are opened and checked field by field by the oracle, and packets built by the oracle are accepted
/// by the firmware. Every suite, on the host and the managed crypto provider.
/// </summary>
public class WireFormatTests
{
    public static TheoryData<string, string> Matrix => Suite.Matrix();

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Firmware_packets_open_with_the_oracle_field_by_field(string suiteName, string provider)
    {
        Suite s = Suite.ByName(suiteName);
        var i = new End(Suite.Provider(provider), 1);
        var r = new End(Suite.Provider(provider), 2);
        byte[] keymat = End.Keymat(s, 7);
        var (hi, hr) = End.Connect(i, r, s, keymat);
        uint peerSpi = r.Sad.Get(hr)!.Inbound.Spi;
        var (enc, integ) = Oracle.Keys(s, keymat, initiatorToResponder: true);
        var ivs = new HashSet<string>();
        int[] lengths = { 28, 29, 30, 31, 32, 33, 40, 63, 64, 65, 100, 576, 1399, 1400 };
        for (int n = 0; n < lengths.Length; n++)
        {
            byte[] inner = End.Inner(lengths[n], n);
            var to = new UdpEndpoint();
            Assert.Equal(PortResult.Ok, i.Sad.Tunnel(0)!.Transmit(inner, 0, inner.Length, 0));
            byte[] esp = i.TakeSent(to)!;
            Assert.Equal(0xC6120002u, to.Address);                 // the pair's peer
            Assert.Equal(EspPacket.NatTraversalPort, to.Port);

            var d = Oracle.Open(s, enc, integ, esp);
            Assert.Equal(peerSpi, d.Spi);                           // SPI: the peer's, RFC 4303 §2.1
            Assert.Equal((uint)(n + 1), d.SeqLow);                  // first packet is 1, RFC 4303 §3.3.3
            Assert.Equal(inner, d.Inner);
            Assert.Equal(4, d.NextHeader);                          // IPv4, tunnel mode
            int block = s.IsGcm ? 4 : 16;
            Assert.Equal(0, d.Plaintext.Length % block);            // RFC 3602 §3 / RFC 4106 §3.2
            Assert.True(d.PadLength < block);                       // minimal padding
            for (int k = 0; k < d.PadLength; k++)
            {
                Assert.Equal((byte)(k + 1), d.Plaintext[inner.Length + k]); // RFC 4303 §2.4
            }

            Assert.Equal(8 + s.IvLength + d.Plaintext.Length + s.IcvLength, esp.Length);
            if (s.IsGcm)
            {
                Assert.Equal(Oracle.Be(0).Concat(Oracle.Be((uint)(n + 1))), d.Iv); // IV = 64-bit sequence number
            }
            else
            {
                Assert.True(ivs.Add(Convert.ToHexString(d.Iv)));    // fresh random IV per packet, RFC 3602 §3
            }
        }

        Assert.Equal(lengths.Length, i.Sad.Get(hi)!.Outbound.Counters.Packets);
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Oracle_packets_are_accepted_by_the_firmware(string suiteName, string provider)
    {
        Suite s = Suite.ByName(suiteName);
        var i = new End(Suite.Provider(provider), 1);
        var r = new End(Suite.Provider(provider), 2);
        byte[] keymat = End.Keymat(s, 8);
        var (hi, _) = End.Connect(i, r, s, keymat);
        uint spi = i.Sad.Get(hi)!.Inbound.Spi;
        var (enc, integ) = Oracle.Keys(s, keymat, initiatorToResponder: false); // responder -> initiator half
        for (int n = 0; n < 20; n++)
        {
            byte[] inner = End.Inner(28 + 37 * n, 100 + n);
            byte[] esp = Oracle.Seal(s, enc, integ, spi, (ulong)n + 1, inner, extraBlocksOfPad: n % 3);
            Assert.Equal(EspReceiveKind.Inner, i.Receive(esp));
            Assert.Equal(inner, i.LastInner);
            Assert.Equal(0, i.Result.TunnelId);
            Assert.Equal(hi, i.Result.Handle);
        }

        Assert.Equal(20, i.Receiver.Counters.Packets);
    }

    [Theory]
    [InlineData("aes256gcm16-esn", "host")]
    [InlineData("aes256gcm16-esn", "managed")]
    [InlineData("aes256-sha256-esn", "host")]
    [InlineData("aes256-sha256-esn", "managed")]
    public void Esn_high_bits_are_authenticated_but_not_sent(string suiteName, string provider)
    {
        Suite s = Suite.ByName(suiteName);
        var i = new End(Suite.Provider(provider), 1);
        var r = new End(Suite.Provider(provider), 2);
        byte[] keymat = End.Keymat(s, 9);
        var (hi, hr) = End.Connect(i, r, s, keymat);

        // Outbound across the 2^32 boundary: the low word wraps to 0, the high word enters the ICV only.
        i.Sad.Get(hi)!.Outbound.LastSequence = 0xFFFFFFFF;
        byte[] inner = End.Inner(60, 1);
        byte[] esp = i.Send(inner);
        var (enc, integ) = Oracle.Keys(s, keymat, true);
        Assert.Equal(0u, Oracle.Open(s, enc, integ, esp, seqHigh: 1).SeqLow);
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => Oracle.Open(s, enc, integ, esp, seqHigh: 0));

        // Inbound: after 0xFFFFFFF0 the receiver infers high = 1 for low = 5 (RFC 4303 Appendix A2.2 case A).
        uint spi = i.Sad.Get(hi)!.Inbound.Spi;
        var (renc, rint) = Oracle.Keys(s, keymat, false);
        Assert.Equal(EspReceiveKind.Inner, i.Receive(Oracle.Seal(s, renc, rint, spi, 0x8000_0000, inner)));
        Assert.Equal(EspReceiveKind.Inner, i.Receive(Oracle.Seal(s, renc, rint, spi, 0xFFFFFFF0, inner)));
        Assert.Equal(EspReceiveKind.Inner, i.Receive(Oracle.Seal(s, renc, rint, spi, 0x1_0000_0005, inner)));
        Assert.Equal(0x1_0000_0005ul, i.Sad.Get(hi)!.Inbound.Window.Top);
        // A late packet from the old epoch is still inside the window (case B after the wrap).
        Assert.Equal(EspReceiveKind.Inner, i.Receive(Oracle.Seal(s, renc, rint, spi, 0xFFFFFFF8, inner)));
        // The responder's window is at 0: low 0 is read as sequence number 0, never valid.
        Assert.Equal(EspReceiveKind.Dropped, r.Receive(esp));
        Assert.Equal(EspDropReason.Replay, r.Result.Reason);
        // Once its window is near the end of epoch 0 it infers high = 1 and accepts the wrapped packet.
        uint rspi = r.Sad.Get(hr)!.Inbound.Spi;
        Assert.Equal(EspReceiveKind.Inner, r.Receive(Oracle.Seal(s, enc, integ, rspi, 0x8000_0000, inner)));
        Assert.Equal(EspReceiveKind.Inner, r.Receive(Oracle.Seal(s, enc, integ, rspi, 0xFFFF_FFF0, inner)));
        Assert.Equal(EspReceiveKind.Inner, r.Receive(esp));
        Assert.Equal(inner, r.LastInner);
        Assert.Equal(0x1_0000_0000ul, r.Sad.Get(hr)!.Inbound.Window.Top);
    }

    [Fact]
    public void Udp_header_for_encapsulated_esp()
    {
        var b = new byte[8 + 40];
        EspPacket.WriteUdpHeader(b, 0, 40, 31337);
        Assert.Equal(new byte[] { 0x11, 0x94, 0x7A, 0x69, 0x00, 48, 0, 0 }, b[..8]); // 4500 -> 31337, len 48, checksum 0
        Assert.Equal(EspPacket.UdpHeaderLength + EspPacket.HeaderLength + EspPacket.MaxIvLength, EspPacket.MaxHeadroom);
    }

    [Theory]
    [InlineData("host")]
    [InlineData("managed")]
    public void Whole_udp_datagram_with_header_is_received(string provider)
    {
        Suite s = Suite.Gcm256;
        var i = new End(Suite.Provider(provider), 1);
        var r = new End(Suite.Provider(provider), 2);
        End.Connect(i, r, s, End.Keymat(s, 3));
        byte[] inner = End.Inner(100, 4);
        byte[] esp = i.Send(inner);
        var dg = new byte[8 + esp.Length];
        esp.CopyTo(dg, 8);
        EspPacket.WriteUdpHeader(dg, 0, esp.Length, 4500);
        Assert.Equal(EspReceiveKind.Inner, r.Receiver.ReceiveDatagram(dg, 0, dg.Length, 0, r.Result));
        Assert.Equal(inner, dg.AsSpan(r.Result.Offset, r.Result.Length).ToArray());
        Assert.Equal(EspReceiveKind.Dropped, r.Receiver.ReceiveDatagram(dg, 0, 7, 0, r.Result));
        Assert.Equal(EspDropReason.Truncated, r.Result.Reason);
    }

    [Fact]
    public void Non_esp_marker_and_keepalive()
    {
        var e = new End(Suite.Provider("managed"), 1);
        byte[] ike = [0, 0, 0, 0, 0xAA, 0xBB, 0xCC];
        Assert.Equal(EspReceiveKind.Ike, e.Receive(ike));
        Assert.Equal(4, e.Result.Offset);
        Assert.Equal(3, e.Result.Length);
        Assert.Equal(EspReceiveKind.Keepalive, e.Receive([0xFF]));
        Assert.Equal(EspReceiveKind.Dropped, e.Receive([0xFE]));
        Assert.Equal(EspDropReason.Truncated, e.Result.Reason);
        Assert.Equal(EspReceiveKind.Dropped, e.Receive([1, 2, 3, 4, 0, 0, 0, 1, 9, 9]));
        Assert.Equal(EspDropReason.UnknownSpi, e.Result.Reason);
        Assert.Equal(1, e.Receiver.IkeMessages);
        Assert.Equal(1, e.Receiver.Keepalives);
    }
}
