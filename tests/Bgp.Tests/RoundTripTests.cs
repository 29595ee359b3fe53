using VpnAppliance.Bgp.Wire;

namespace VpnAppliance.Bgp.Tests;

/// <summary>Seeded random ParsedUpdates: encode (one or several messages) then decode gives them back.</summary>
public class RoundTripTests
{
    private static void RandomUpdate(Random rng, ParsedUpdate u, int prefixes, bool mp, bool fourOctetAsns)
    {
        u.Clear();
        int withdrawn = rng.Next(0, prefixes / 4 + 1);
        for (int i = 0; i < withdrawn; i++) u.AddPrefix(mp && rng.Next(2) == 0 ? PrefixSection.MpUnreach : PrefixSection.Withdrawn, (uint)rng.NextInt64(0, 1L << 32), rng.Next(0, 33));
        int announced = rng.Next(0, prefixes + 1);
        for (int i = 0; i < announced; i++) u.AddPrefix(mp && rng.Next(3) == 0 ? PrefixSection.MpReach : PrefixSection.Nlri, (uint)rng.NextInt64(0, 1L << 32), rng.Next(0, 33));
        if (u.AnnouncedCount == 0)
        {
            return;
        }

        u.SetOrigin(rng.Next(3));
        u.SetPresent(PathAttributeType.AsPath);
        uint peer = fourOctetAsns ? 4200000000u + (uint)rng.Next(1000) : (uint)rng.Next(1, 65000);
        u.AsPath.BeginSegment(AsPath.AsSequence);
        u.AsPath.Append(peer);
        int segments = rng.Next(0, 4);
        for (int s = 0; s < segments; s++)
        {
            u.AsPath.BeginSegment(rng.Next(4) == 0 ? AsPath.AsSet : AsPath.AsSequence);
            int n = rng.Next(1, 6);
            for (int i = 0; i < n; i++) u.AsPath.Append(fourOctetAsns && rng.Next(2) == 0 ? (uint)rng.NextInt64(65536, 4294967295) : (uint)rng.Next(1, 65535));
        }

        u.SetNextHop(0x0A000000u | (uint)rng.Next(1, 1 << 24));
        if (u.MpReachCount > 0) u.MpNextHop = 0xC0000200u | (uint)rng.Next(1, 255);
        if (rng.Next(2) == 0) u.SetMed((uint)rng.NextInt64(0, 1L << 32));
        if (rng.Next(4) == 0) u.SetPresent(PathAttributeType.AtomicAggregate);
        if (rng.Next(4) == 0) u.SetAggregator(fourOctetAsns ? (uint)rng.NextInt64(1, 4294967295) : (uint)rng.Next(1, 65535), (uint)rng.Next());
        int communities = rng.Next(0, 5);
        for (int i = 0; i < communities; i++) u.AddCommunity(rng.Next(5) == 0 ? WellKnownCommunity.NoExport : (uint)rng.NextInt64(0, 1L << 32));
        int large = rng.Next(0, 3);
        for (int i = 0; i < large; i++) u.AddLargeCommunity((uint)rng.NextInt64(0, 1L << 32), (uint)rng.Next(), (uint)rng.Next());
        if (rng.Next(3) == 0)
        {
            // An unrecognized optional transitive attribute as the decoder keeps it (Partial set).
            var raw = new byte[] { 0xE0, 99, 2, (byte)rng.Next(256), (byte)rng.Next(256) };
            u.AddTransit(raw, 0, raw.Length, 0);
        }
    }

    private static void AssertSameAttributes(ParsedUpdate a, ParsedUpdate b, bool withNextHop)
    {
        Assert.Equal(a.Origin, b.Origin);
        Assert.True(a.AsPath.SameAs(b.AsPath));
        if (withNextHop) Assert.Equal(a.NextHop, b.NextHop);
        Assert.Equal(a.Has(PathAttributeType.MultiExitDisc), b.Has(PathAttributeType.MultiExitDisc));
        Assert.Equal(a.Med, b.Med);
        Assert.Equal(a.Has(PathAttributeType.AtomicAggregate), b.Has(PathAttributeType.AtomicAggregate));
        Assert.Equal(a.Has(PathAttributeType.Aggregator), b.Has(PathAttributeType.Aggregator));
        Assert.Equal((a.AggregatorAs, a.AggregatorAddress), (b.AggregatorAs, b.AggregatorAddress));
        Assert.Equal(a.Communities[..a.CommunityCount], b.Communities[..b.CommunityCount]);
        Assert.Equal(a.LargeCommunities[..(3 * a.LargeCommunityCount)], b.LargeCommunities[..(3 * b.LargeCommunityCount)]);
        Assert.Equal(Hex.Of(a.TransitBytes, 0, a.TransitLength), Hex.Of(b.TransitBytes, 0, b.TransitLength));
    }

    private static List<(byte, uint, byte)> Prefixes(ParsedUpdate u) =>
        Enumerable.Range(0, u.PrefixCount).Select(i => (u.PrefixSectionOf[i], u.PrefixAddress[i], u.PrefixLength[i])).ToList();

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 2)]
    public void RandomUpdatesSurviveEncodeDecode(bool fourOctet, int seed)
    {
        var rng = new Random(seed);
        var source = new ParsedUpdate(null);
        var back = new ParsedUpdate(null);
        var decision = new UpdateDecision();
        var decoder = new UpdateDecoder(null);
        var encoder = new UpdateEncoder();
        var buffer = new byte[4096];
        for (int round = 0; round < 2000; round++)
        {
            var s = fourOctet ? Golden.FourOctetSession(0) : Golden.TwoOctetSession(0);
            s.EnforceFirstAs = false;
            RandomUpdate(rng, source, rng.Next(0, 3) == 0 ? 1500 : 20, true, true);
            encoder.Begin(source, s);
            var got = new List<(byte, uint, byte)>();
            int messages = 0;
            int n;
            while ((n = encoder.Next(buffer, 0)) > 0 && messages++ < 100)
            {
                Assert.InRange(n, 23, 4096);
                Assert.Equal(0, BgpMessageHeader.Check(buffer, 0, 4096));
                Assert.Equal(Rfc7606Action.None, decoder.Decode(buffer, 0, n, s, back, decision));
                got.AddRange(Prefixes(back));
                if (back.AnnouncedCount > 0)
                {
                    AssertSameAttributes(source, back, back.NlriCount > 0);
                    if (back.MpReachCount > 0) Assert.Equal(source.MpNextHop, back.MpNextHop);
                }
            }

            Assert.Equal(0, n);
            // Same prefixes per section, in order (a split keeps each section's order).
            var want = Prefixes(source);
            for (byte section = 0; section < 4; section++)
            {
                Assert.Equal(want.Where(p => p.Item1 == section), got.Where(p => p.Item1 == section));
            }

            if (SingleFits(source, s))
            {
                Assert.Equal(1, messages);
            }
        }
    }

    private static bool SingleFits(ParsedUpdate u, SessionParameters s) => u.PrefixCount < 50;

    [Fact]
    public void ManyPrefixesSplitIntoFullMessages()
    {
        var u = new ParsedUpdate(null);
        u.SetOrigin(0);
        u.SetPresent(PathAttributeType.AsPath);
        u.AsPath.BeginSegment(AsPath.AsSequence);
        u.AsPath.Append(65001);
        u.SetNextHop(Hex.Ip("169.254.21.1"));
        for (int i = 0; i < 3000; i++) u.AddPrefix(PrefixSection.Nlri, (uint)(0x0A000000 + (i << 8)), 24); // 4 octets each
        var s = Golden.FourOctetSession(65001);
        var enc = new UpdateEncoder();
        enc.Begin(u, s);
        var b = new byte[4096];
        var dec = new UpdateDecoder(null);
        var back = new ParsedUpdate(null);
        var d = new UpdateDecision();
        int total = 0, messages = 0, n;
        while ((n = enc.Next(b, 0)) > 0)
        {
            messages++;
            if (messages < 3) Assert.True(n <= 4096 && n > 4096 - 4, $"message {messages} has {n} octets"); // full except the last
            dec.Decode(b, 0, n, s, back, d);
            Assert.Equal(Rfc7606Action.None, d.Action);
            total += back.NlriCount;
            if (total == 3000) break;
        }

        Assert.Equal(3000, total);
        // 23 + 4+9+7 attribute octets leave 4053 octets = 1013 prefixes per message.
        Assert.Equal(3, messages);
    }

    [Fact]
    public void EndOfRibEncodes()
    {
        var b = new byte[32];
        Assert.Equal(23, UpdateEncoder.EncodeEndOfRib(b, 0));
        Assert.Equal(Hex.Of(Golden.LabEndOfRib, 0, 23), Hex.Of(b, 0, 23));
        var enc = new UpdateEncoder();
        var u = new ParsedUpdate(null);
        enc.Begin(u, Golden.FourOctetSession());
        Assert.Equal(23, enc.Next(b, 0)); // an empty ParsedUpdate is End-of-RIB too
        Assert.Equal(0, enc.Next(b, 0));
    }

    [Fact]
    public void AttributesTooLargeForOneMessageAreRefused()
    {
        var u = new ParsedUpdate(new UpdateCapacities { Communities = 1100 });
        u.SetOrigin(0);
        u.SetPresent(PathAttributeType.AsPath);
        u.SetNextHop(Hex.Ip("192.0.2.1"));
        for (int i = 0; i < 1100; i++) u.AddCommunity((uint)i);
        u.AddPrefix(PrefixSection.Nlri, Hex.Ip("10.0.0.0"), 8);
        var enc = new UpdateEncoder();
        enc.Begin(u, Golden.FourOctetSession());
        Assert.Equal(UpdateEncoder.TooLarge, enc.Next(new byte[4096], 0));
    }

    [Fact]
    public void TwoOctetPeersGetAsTransAndAs4Path()
    {
        var u = new ParsedUpdate(null);
        u.SetOrigin(0);
        u.SetPresent(PathAttributeType.AsPath);
        u.AsPath.BeginSegment(AsPath.AsSequence);
        u.AsPath.Append(4200000001);
        u.AsPath.Append(65002);
        u.SetNextHop(Hex.Ip("198.18.0.1"));
        u.AddPrefix(PrefixSection.Nlri, Hex.Ip("10.1.0.0"), 24);
        var enc = new UpdateEncoder();
        var s = Golden.TwoOctetSession(65002);
        enc.Begin(u, s);
        var b = new byte[4096];
        int n = enc.Next(b, 0);
        string hex = Hex.Of(b, 0, n);
        Assert.Contains("400206" + "0202" + "5ba0" + "fdea", hex);                 // AS_PATH with AS_TRANS
        Assert.Contains("c0110a" + "0202" + "fa56ea01" + "0000fdea", hex);         // AS4_PATH
        var back = new ParsedUpdate(null);
        new UpdateDecoder(null).Decode(b, 0, n, s, back, new UpdateDecision());
        Assert.True(back.AsPath.SameAs(u.AsPath));
    }
}
