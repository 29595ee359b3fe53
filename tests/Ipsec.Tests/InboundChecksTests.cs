namespace VpnAppliance.Ipsec.Tests;

/// <summary>
/// Inbound order (DESIGN.md rule 4): tampered packets are dropped and counted with no change to the SA; padding and
/// next-header violations of authentic packets; replay through the full path.
/// </summary>
public class InboundChecksTests
{
    public static TheoryData<string, string> Matrix => Suite.Matrix();

    private sealed record Snapshot(ulong Top, long Packets, long Bytes);

    private static Snapshot Snap(ChildSaPair p) => new(p.Inbound.Window.Top, p.Inbound.Counters.Packets, p.Inbound.Counters.Bytes);

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Tampered_packets_are_dropped_counted_and_change_nothing(string suiteName, string provider)
    {
        Suite s = Suite.ByName(suiteName);
        var i = new End(Suite.Provider(provider), 1);
        var r = new End(Suite.Provider(provider), 2);
        var (_, hr) = End.Connect(i, r, s, End.Keymat(s, 5));
        ChildSaPair pair = r.Sad.Get(hr)!;
        Assert.Equal(EspReceiveKind.Inner, r.Receive(i.Send(End.Inner(80, 1))));
        byte[] esp = i.Send(End.Inner(200, 2));
        Snapshot before = Snap(pair);

        // (what, byte index to flip, expected reason)
        var cases = new (string What, int Index, EspDropReason Reason)[]
        {
            ("icv last byte", esp.Length - 1, EspDropReason.IcvFailed),
            ("icv first byte", esp.Length - s.IcvLength, EspDropReason.IcvFailed),
            ("ciphertext", 8 + s.IvLength + 3, EspDropReason.IcvFailed),
            ("last ciphertext byte", esp.Length - s.IcvLength - 1, EspDropReason.IcvFailed),
            ("iv", 8, EspDropReason.IcvFailed),
            ("seq (ahead)", 6, EspDropReason.IcvFailed),
            ("seq (to 1, replay)", -1, EspDropReason.Replay),
            ("spi", 1, EspDropReason.UnknownSpi),
        };
        int icvFails = 0;
        foreach (var c in cases)
        {
            byte[] bad = (byte[])esp.Clone();
            if (c.Index >= 0)
            {
                bad[c.Index] ^= 0x01;
            }
            else
            {
                bad[4] = 0; bad[5] = 0; bad[6] = 0; bad[7] = 1;
            }

            Assert.Equal(EspReceiveKind.Dropped, r.Receive(bad));
            Assert.True(c.Reason == r.Result.Reason, $"{c.What}: {r.Result.Reason}");
            Assert.Equal(before, Snap(pair));
            if (c.Reason == EspDropReason.IcvFailed)
            {
                icvFails++;
            }
        }

        Assert.Equal(icvFails, pair.Inbound.Counters.Drops(EspDropReason.IcvFailed));
        Assert.Equal(icvFails, r.Receiver.Counters.Drops(EspDropReason.IcvFailed));
        Assert.Equal(1, r.Receiver.Counters.Drops(EspDropReason.UnknownSpi));
        Assert.Equal(1, pair.Inbound.Counters.Drops(EspDropReason.Replay));

        // The untouched original still goes through: nothing above moved the window.
        Assert.Equal(EspReceiveKind.Inner, r.Receive(esp));
        Assert.Equal(EspReceiveKind.Dropped, r.Receive(esp));
        Assert.Equal(EspDropReason.Replay, r.Result.Reason);
        Assert.Equal(2, pair.Inbound.Counters.Packets);
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Padding_and_next_header_violations(string suiteName, string provider)
    {
        Suite s = Suite.ByName(suiteName);
        var i = new End(Suite.Provider(provider), 1);
        var r = new End(Suite.Provider(provider), 2);
        byte[] keymat = End.Keymat(s, 6);
        var (hi, _) = End.Connect(i, r, s, keymat);
        uint spi = i.Sad.Get(hi)!.Inbound.Spi;
        var (enc, integ) = Oracle.Keys(s, keymat, false);
        byte[] inner = End.Inner(61, 3);
        ulong seq = 1;
        byte[] Seal(byte nh = 4, int pad = -1, Func<int, byte>? padByte = null) =>
            Oracle.Seal(s, enc, integ, spi, seq++, inner, nh, pad, padByte);

        var cases = new (string What, byte[] Packet, EspDropReason Reason)[]
        {
            ("pad bytes not 1,2,3", Seal(padByte: k => (byte)(k + 2)), EspDropReason.BadPadding),
            ("pad bytes zero", Seal(pad: s.IsGcm ? 5 : 17, padByte: _ => 0), EspDropReason.BadPadding),
            ("pad length beyond the plaintext", Raw(s, enc, integ, spi, seq++, 200), EspDropReason.BadPadding),
            ("next header UDP", Seal(nh: 17), EspDropReason.BadNextHeader),
            ("next header IPv6", Seal(nh: 41), EspDropReason.BadNextHeader),
            ("dummy packet", Seal(nh: 59), EspDropReason.DummyPacket),
        };
        foreach (var c in cases)
        {
            Assert.Equal(EspReceiveKind.Dropped, i.Receive(c.Packet));
            Assert.True(c.Reason == i.Result.Reason, $"{c.What}: {i.Result.Reason}");
        }

        // Long but correct padding (up to 255 bytes, RFC 4303 §2.4) is accepted.
        Assert.Equal(EspReceiveKind.Inner, i.Receive(Oracle.Seal(s, enc, integ, spi, seq++, inner, extraBlocksOfPad: s.IsGcm ? 60 : 15)));
        Assert.Equal(inner, i.LastInner);
        ChildSaPair pair = i.Sad.Get(hi)!;
        Assert.Equal(3, pair.Inbound.Counters.Drops(EspDropReason.BadPadding));
        Assert.Equal(2, pair.Inbound.Counters.Drops(EspDropReason.BadNextHeader));
        Assert.Equal(1, pair.Inbound.Counters.Drops(EspDropReason.DummyPacket));
        Assert.Equal(1, pair.Inbound.Counters.Packets);
    }

    // An authentic packet of one block whose Pad Length octet claims more bytes than the plaintext holds.
    private static byte[] Raw(Suite s, byte[] enc, byte[] integ, uint spi, ulong seq, byte padLength)
    {
        var pt = new byte[16];
        for (int k = 0; k < 14; k++)
        {
            pt[k] = (byte)(k + 1);
        }

        pt[14] = padLength;
        pt[15] = 4;
        return Oracle.SealPlaintext(s, enc, integ, spi, seq, pt);
    }
}
