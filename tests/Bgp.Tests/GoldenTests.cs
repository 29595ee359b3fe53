using VpnAppliance.Bgp.Wire;

namespace VpnAppliance.Bgp.Tests;

/// <summary>The captured and hand-assembled messages decode to what BIRD and GoBGP said they sent, and re-encode byte for byte.</summary>
public class GoldenTests
{
    private static (ParsedUpdate U, UpdateDecision D) Decode(byte[] m, SessionParameters s)
    {
        var u = new ParsedUpdate(null);
        var d = new UpdateDecision();
        new UpdateDecoder(null).Decode(m, 0, m.Length, s, u, d);
        return (u, d);
    }

    [Fact]
    public void LabMessagesAreTheCapturedBytes()
    {
        // Provenance check: every Lab golden is a substring of the tshark payload dump of cap.pcap.
        string dump = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "lab", "payloads.txt"))
            + File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "lab2", "payloads2.txt"));
        foreach (var (name, bytes) in Golden.All())
        {
            if (name.StartsWith("Lab"))
            {
                Assert.True(dump.Contains(Hex.Of(bytes, 0, bytes.Length)), name);
            }
        }
    }

    [Fact]
    public void GobgpCommunitiesUpdate()
    {
        var (u, d) = Decode(Golden.LabUpdateGobgpCommunities, Golden.FourOctetSession());
        Assert.Equal(Rfc7606Action.None, d.Action);
        Assert.Equal(PathAttributeType.OriginIncomplete, u.Origin);
        Assert.Equal(1, u.AsPath.SegmentCount);
        Assert.Equal(65002u, u.AsPath.FirstAs());
        Assert.Equal(Hex.Ip("198.18.0.2"), u.NextHop);
        Assert.Equal(50u, u.Med);
        Assert.Equal(2, u.CommunityCount);
        Assert.Equal(WellKnownCommunity.Make(65002, 200), u.Communities[0]);
        Assert.True(u.HasCommunity(WellKnownCommunity.NoExport));
        Assert.Equal(1, u.NlriCount);
        Assert.Equal(Hex.Ip("10.2.0.0"), u.PrefixAddress[0]);
        Assert.Equal(24, u.PrefixLength[0]);
        Assert.False(u.EndOfRib);
    }

    [Fact]
    public void GobgpLargeCommunityUpdate()
    {
        var (u, d) = Decode(Golden.LabUpdateGobgpLarge, Golden.FourOctetSession());
        Assert.Equal(Rfc7606Action.None, d.Action);
        Assert.True(u.Has(PathAttributeType.MultiExitDisc));
        Assert.Equal(0u, u.Med);
        Assert.Equal(1, u.LargeCommunityCount);
        Assert.Equal(new uint[] { 65002, 3, 4 }, u.LargeCommunities[..3]);
        Assert.Equal(Hex.Ip("10.2.4.0"), u.PrefixAddress[0]);
        Assert.Equal(22, u.PrefixLength[0]);
    }

    [Fact]
    public void BirdUpdateWithFourPrefixes()
    {
        var (u, d) = Decode(Golden.LabUpdateBird, Golden.FourOctetSession(4200000001));
        Assert.Equal(Rfc7606Action.None, d.Action);
        Assert.Equal(PathAttributeType.OriginIgp, u.Origin);
        Assert.Equal(4200000001u, u.AsPath.FirstAs());
        Assert.Equal(10u, u.Med);
        Assert.Equal(new uint[] { 0xFDE90064, WellKnownCommunity.NoExport }, u.Communities[..2]);
        Assert.Equal(new uint[] { 4200000001, 1, 2 }, u.LargeCommunities[..3]);
        Assert.Equal(4, u.NlriCount);
        Assert.Equal((Hex.Ip("192.0.2.0"), (byte)25), (u.PrefixAddress[0], u.PrefixLength[0]));
        Assert.Equal((Hex.Ip("10.1.128.0"), (byte)17), (u.PrefixAddress[3], u.PrefixLength[3]));
    }

    [Fact]
    public void EndOfRibAndWithdrawals()
    {
        var (u, d) = Decode(Golden.LabEndOfRib, Golden.FourOctetSession());
        Assert.Equal(Rfc7606Action.None, d.Action);
        Assert.True(u.EndOfRib);
        Assert.Equal((1, 1), (u.EndOfRibAfi, u.EndOfRibSafi));

        (u, d) = Decode(Golden.LabWithdrawFour, Golden.FourOctetSession(4200000001));
        Assert.Equal(Rfc7606Action.None, d.Action);
        Assert.False(u.EndOfRib);
        Assert.Equal(4, u.WithdrawnCount);
        Assert.Equal(0, u.AnnouncedCount);
    }

    [Fact]
    public void TwoOctetSessionRebuildsThePathFromAs4Path()
    {
        // RFC 6793 §4.2.3: AS_PATH 65010 23456 65002 + AS4_PATH 65010 4200000099 65002 -> 65010 4200000099 65002,
        // which is what GoBGP showed for the route (Golden/lab/gobgp-rib.txt shows "65010 4200000099").
        var (u, d) = Decode(Golden.LabUpdateAs4Path, Golden.TwoOctetSession(65010));
        Assert.Equal(Rfc7606Action.None, d.Action);
        Assert.Equal(1, u.AsPath.SegmentCount);
        Assert.Equal(new uint[] { 65010, 4200000099, 65002 }, u.AsPath.Asns[..3]);
        Assert.Equal(3, u.AsPath.AsnCount);
        Assert.Equal(0, u.TransitCount); // AS4_PATH is consumed, not passed on verbatim
    }

    [Fact]
    public void MpUpdateDecodes()
    {
        var (u, d) = Decode(Golden.RfcMpUpdate, Golden.FourOctetSession());
        Assert.Equal(Rfc7606Action.None, d.Action);
        Assert.Equal(1, u.MpUnreachCount);
        Assert.Equal(1, u.MpReachCount);
        Assert.Equal(Hex.Ip("192.0.2.1"), u.MpNextHop);
        Assert.Equal(0, u.NlriCount);

        // Without MP IPv4 negotiated the attributes are ignored (RFC 4760 §6) and nothing is announced.
        var s = Golden.FourOctetSession();
        s.MultiprotocolIpv4 = false;
        (u, d) = Decode(Golden.RfcMpUpdate, s);
        Assert.Equal(Rfc7606Action.AttributeDiscard, d.Action);
        Assert.Equal(0, u.AnnouncedCount);
        Assert.True(d.Has(UpdateErrorReason.MpFamilyNotNegotiated));
    }

    [Theory]
    [InlineData(nameof(Golden.LabUpdateGobgp172), true, 65002u)]
    [InlineData(nameof(Golden.LabUpdateGobgpCommunities), true, 65002u)]
    [InlineData(nameof(Golden.LabUpdateGobgpLarge), true, 65002u)]
    [InlineData(nameof(Golden.LabUpdateBird), true, 4200000001u)]
    [InlineData(nameof(Golden.LabUpdateGobgpTwoOctet), false, 65002u)]
    [InlineData(nameof(Golden.LabUpdateAs4Path), false, 65010u)]
    [InlineData(nameof(Golden.LabWithdraw), true, 65002u)]
    [InlineData(nameof(Golden.LabWithdrawFour), true, 65002u)]
    [InlineData(nameof(Golden.LabEndOfRib), true, 65002u)]
    [InlineData(nameof(Golden.RfcMpUpdate), true, 65002u)]
    [InlineData(nameof(Golden.Lab2UpdateBird), true, 4200000001u)]
    public void DecodeThenEncodeGivesTheSameBytes(string name, bool fourOctet, uint peerAs)
    {
        byte[] m = Golden.All().Single(g => g.Name == name).Bytes;
        var s = fourOctet ? Golden.FourOctetSession(peerAs) : Golden.TwoOctetSession(peerAs);
        var (u, d) = Decode(m, s);
        Assert.Equal(Rfc7606Action.None, d.Action);
        var enc = new UpdateEncoder();
        enc.Begin(u, s);
        var buffer = new byte[4096];
        int n = enc.Next(buffer, 0);
        Assert.Equal(Hex.Of(m, 0, m.Length), Hex.Of(buffer, 0, n));
        Assert.Equal(0, enc.Next(buffer, 0));
    }

    [Fact]
    public void ReassemblerSplitsTheThreeUpdateSegment()
    {
        var r = new BgpMessageReassembler(4096);
        Assert.Equal(Golden.LabSegmentThreeUpdates.Length, r.Write(Golden.LabSegmentThreeUpdates, 0, Golden.LabSegmentThreeUpdates.Length));
        var s = Golden.TwoOctetSession(65010);
        var lengths = new List<int>();
        var dec = new UpdateDecoder(null);
        var u = new ParsedUpdate(null);
        var d = new UpdateDecision();
        while (r.Next() == BgpMessageReassembler.Status.Message)
        {
            lengths.Add(r.MessageLength);
            Assert.Equal(BgpMessageType.Update, r.MessageType);
            Assert.Equal(Rfc7606Action.None, dec.Decode(r.Buffer, r.MessageOffset, r.MessageLength, s, u, d));
            if (lengths.Count == 1)
            {
                Assert.Equal(new uint[] { 65010, 4200000099 }, u.AsPath.Asns[..2]);
                Assert.Equal(4, u.NlriCount);
            }
        }

        Assert.Equal(new[] { 0x49, 0x51, 0x17 }, lengths);
        Assert.True(u.EndOfRib);
    }
}
