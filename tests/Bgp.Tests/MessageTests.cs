using VpnAppliance.Bgp.Wire;

namespace VpnAppliance.Bgp.Tests;

/// <summary>Header checks, the stream reassembler, NOTIFICATION, KEEPALIVE and ROUTE-REFRESH.</summary>
public class MessageTests
{
    private static byte[] AllLabStream() => Golden.All().Where(g => g.Name.StartsWith("Lab")).SelectMany(g => g.Bytes).ToArray();

    [Fact]
    public void ReassemblerYieldsTheSameMessagesForAnyChunking()
    {
        byte[] stream = AllLabStream();
        var expected = new List<int>();
        for (int p = 0; p < stream.Length;)
        {
            int len = (stream[p + 16] << 8) | stream[p + 17];
            expected.Add(len);
            p += len;
        }

        var rng = new Random(7);
        for (int round = 0; round < 300; round++)
        {
            var r = new BgpMessageReassembler(4096);
            var got = new List<int>();
            int p = 0;
            int guard = 0;
            while (p < stream.Length && guard++ < 100_000)
            {
                int chunk = round == 0 ? 1 : rng.Next(1, 200);
                chunk = Math.Min(chunk, stream.Length - p);
                int taken = r.Write(stream, p, chunk);
                p += taken;
                while (r.Next() == BgpMessageReassembler.Status.Message)
                {
                    got.Add(r.MessageLength);
                    Assert.Equal(0, BgpMessageHeader.Check(r.Buffer, r.MessageOffset, 4096));
                }
            }

            Assert.Equal(expected, got);
            Assert.Equal(0, r.Pending);
        }
    }

    [Fact]
    public void HeaderErrorsCarryTheRfcData()
    {
        var r = new BgpMessageReassembler(4096);
        var bad = (byte[])Golden.LabKeepalive.Clone();
        bad[3] = 0xFE;
        r.Write(bad, 0, bad.Length);
        Assert.Equal(BgpMessageReassembler.Status.HeaderError, r.Next());
        Assert.Equal((1, 1), (r.Error.Code, r.Error.Subcode));
        Assert.True(r.Failed);
        Assert.Equal(0, r.Write(bad, 0, 1));

        // Length 18 (< 19), and > 4096, and a KEEPALIVE of 20.
        foreach (var len in new[] { "0012", "1001", "ffff" })
        {
            r.Reset();
            var m = Hex.Bytes("ffffffffffffffffffffffffffffffff", len, "04");
            r.Write(m, 0, m.Length);
            Assert.Equal(BgpMessageReassembler.Status.HeaderError, r.Next());
            Assert.Equal((1, 2), (r.Error.Code, r.Error.Subcode));
            Assert.Equal(len, Hex.Of(r.Error.DataBuffer!, r.Error.DataOffset, r.Error.DataLength));
        }

        r.Reset();
        var k = Hex.Bytes("ffffffffffffffffffffffffffffffff", "0014", "04", "00");
        r.Write(k, 0, k.Length);
        Assert.Equal(BgpMessageReassembler.Status.HeaderError, r.Next());
        Assert.Equal(2, r.Error.Subcode);

        // OPEN shorter than 29, UPDATE shorter than 23, NOTIFICATION shorter than 21.
        foreach (var (len, type) in new[] { ("001c", "01"), ("0016", "02"), ("0014", "03") })
        {
            r.Reset();
            var m = Hex.Bytes("ffffffffffffffffffffffffffffffff", len, type, new string('0', (Convert.ToInt32(len, 16) - 19) * 2));
            r.Write(m, 0, m.Length);
            Assert.Equal(BgpMessageReassembler.Status.HeaderError, r.Next());
            Assert.Equal(2, r.Error.Subcode);
        }

        // Type 9: Bad Message Type, data = the type octet; detected before the body arrives.
        r.Reset();
        var t = Hex.Bytes("ffffffffffffffffffffffffffffffff", "0100", "09");
        r.Write(t, 0, t.Length);
        Assert.Equal(BgpMessageReassembler.Status.HeaderError, r.Next());
        Assert.Equal((1, 3), (r.Error.Code, r.Error.Subcode));
        Assert.Equal("09", Hex.Of(r.Error.DataBuffer!, r.Error.DataOffset, r.Error.DataLength));
    }

    [Fact]
    public void ExtendedLengthOnlyWhenRaised()
    {
        var r = new BgpMessageReassembler(65535);
        var m = new byte[5000];
        BgpMessageHeader.Write(m, 0, 5000, BgpMessageType.Update);
        r.Write(m, 0, m.Length);
        Assert.Equal(BgpMessageReassembler.Status.HeaderError, r.Next());
        r.Reset();
        r.MaxMessageLength = 65535; // RFC 8654 negotiated
        r.Write(m, 0, m.Length);
        Assert.Equal(BgpMessageReassembler.Status.Message, r.Next());
    }

    [Fact]
    public void ShutdownCommunicationFromBird()
    {
        var n = new NotificationMessage();
        Assert.True(n.Decode(Golden.LabNotificationShutdown, 0, Golden.LabNotificationShutdown.Length));
        Assert.Equal("Cease", n.CodeName);
        Assert.Equal("Administrative Shutdown", n.SubcodeName);
        Assert.True(n.TryGetShutdownCommunication(out int off, out int len));
        Assert.Equal("maintenance", System.Text.Encoding.UTF8.GetString(n.Buffer, off, len));

        var b = new byte[64];
        var text = System.Text.Encoding.UTF8.GetBytes("maintenance");
        int written = NotificationMessage.EncodeShutdown(b, 0, NotificationCode.CeaseAdministrativeShutdown, text, 0, text.Length);
        Assert.Equal(Hex.Of(Golden.LabNotificationShutdown, 0, Golden.LabNotificationShutdown.Length), Hex.Of(b, 0, written));
    }

    [Fact]
    public void MaxPrefixCease()
    {
        var n = new NotificationMessage();
        Assert.True(n.Decode(Golden.RfcCeaseMaxPrefixes, 0, Golden.RfcCeaseMaxPrefixes.Length));
        Assert.Equal("Maximum Number of Prefixes Reached", n.SubcodeName);
        Assert.True(n.TryGetMaxPrefixes(out int afi, out int safi, out uint bound));
        Assert.Equal((1, 1, 4000u), (afi, safi, bound));
        var e = new ErrorNotification();
        NotificationMessage.SetMaxPrefixes(e, 1, 1, 4000);
        var b = new byte[64];
        int len = e.EncodeNotification(b, 0);
        Assert.Equal(Hex.Of(Golden.RfcCeaseMaxPrefixes, 0, Golden.RfcCeaseMaxPrefixes.Length), Hex.Of(b, 0, len));
    }

    [Fact]
    public void EveryCodeAndSubcodeHasAName()
    {
        int[][] defined =
        {
            new[] { 1, 1, 2, 3 }, new[] { 2, 1, 2, 3, 4, 5, 6, 7, 11 }, new[] { 3, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 },
            new[] { 4 }, new[] { 5, 1, 2, 3 }, new[] { 6, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, new[] { 7, 1 },
        };
        foreach (var row in defined)
        {
            Assert.DoesNotContain("Unknown", NotificationNames.Code(row[0]));
            Assert.Equal("Unspecific", NotificationNames.Subcode(row[0], 0));
            foreach (int sub in row.Skip(1))
            {
                Assert.DoesNotContain("Unknown", NotificationNames.Subcode(row[0], sub));
            }
        }

        Assert.Equal("Unknown Error Code", NotificationNames.Code(99));
        Assert.Equal("Unknown Subcode", NotificationNames.Subcode(6, 99));
    }

    [Fact]
    public void KeepaliveAndRouteRefresh()
    {
        var b = new byte[32];
        Assert.Equal(19, KeepaliveMessage.Encode(b, 0));
        Assert.Equal(Hex.Of(Golden.LabKeepalive, 0, 19), Hex.Of(b, 0, 19));

        var rr = new RouteRefreshMessage();
        var e = new ErrorNotification();
        Assert.Equal(RouteRefreshMessage.Status.Valid, rr.Decode(Golden.Lab2RouteRefresh, 0, 23, e));
        Assert.Equal((1, 1, RouteRefreshMessage.SubtypeRequest), (rr.Afi, rr.Safi, rr.Subtype));
        Assert.Equal(RouteRefreshMessage.Status.Valid, rr.Decode(Golden.Lab2Borr, 0, 23, e));
        Assert.Equal("BoRR", RouteRefreshMessage.SubtypeName(rr.Subtype));
        Assert.Equal(RouteRefreshMessage.Status.Valid, rr.Decode(Golden.Lab2Eorr, 0, 23, e));
        Assert.Equal(RouteRefreshMessage.SubtypeEnd, rr.Subtype);
        Assert.Equal(23, RouteRefreshMessage.Encode(b, 0, 1, 1, RouteRefreshMessage.SubtypeEnd));
        Assert.Equal(Hex.Of(Golden.Lab2Eorr, 0, 23), Hex.Of(b, 0, 23));

        var unknown = (byte[])Golden.Lab2RouteRefresh.Clone();
        unknown[21] = 7;
        Assert.Equal(RouteRefreshMessage.Status.Ignore, rr.Decode(unknown, 0, 23, e)); // RFC 7313 §5

        var longer = Hex.Bytes("ffffffffffffffffffffffffffffffff", "0018", "05", "0001", "00", "01", "00");
        Assert.Equal(RouteRefreshMessage.Status.Error, rr.Decode(longer, 0, longer.Length, e));
        Assert.Equal((7, 1), (e.Code, e.Subcode));
        Assert.Equal(24, e.DataLength); // the whole message (RFC 7313 §5)
    }
}
