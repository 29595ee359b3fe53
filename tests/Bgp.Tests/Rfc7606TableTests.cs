using VpnAppliance.Bgp.Wire;

namespace VpnAppliance.Bgp.Tests;

/// <summary>(attribute, malformation) -> RFC 7606 decision, one row per rule the decoder applies.</summary>
public class Rfc7606TableTests
{
    private const string Origin = "40010100";               // ORIGIN IGP
    private const string Path4 = "4002060201" + "0000fdea";  // AS_PATH 65002 (4-octet)
    private const string Path2 = "4002040201" + "fdea";      // AS_PATH 65002 (2-octet)
    private const string NextHop = "400304" + "c6120002";   // NEXT_HOP 198.18.0.2
    private const string Base = Origin + Path4 + NextHop;
    private const string Nlri = "180a0200";                  // 10.2.0.0/24
    private const string MpReach = "800e0c" + "000101" + "04" + "c0000201" + "00" + "100a08";

    public static byte[] Message(string withdrawn, string attributes, string nlri)
    {
        int wl = withdrawn.Length / 2, al = attributes.Length / 2, nl = nlri.Length / 2;
        int length = 23 + wl + al + nl;
        return Hex.Bytes("ffffffffffffffffffffffffffffffff", length.ToString("x4"), "02", wl.ToString("x4"), withdrawn,
            al.ToString("x4"), attributes, nlri);
    }

    private static SessionParameters Session(string kind)
    {
        var s = Golden.FourOctetSession();
        switch (kind)
        {
            case "2": s.FourOctetAs = false; break;
            case "ibgp": s.External = false; s.PeerAs = s.LocalAs; break;
            case "nomp": s.MultiprotocolIpv4 = false; break;
            case "afidisable": s.AfiSafiDisableOnMpError = true; break;
            case "local": s.LocalAddress = Hex.Ip("198.18.0.2"); break;
        }

        return s;
    }

    public static TheoryData<string, string, string, string, Rfc7606Action, UpdateErrorReason> Rows() => new()
    {
        // name, session, attributes, nlri, action, reason
        { "valid", "4", Base, Nlri, Rfc7606Action.None, UpdateErrorReason.None },
        { "7.1 ORIGIN length 2", "4", "4001020000" + Path4 + NextHop, Nlri, Rfc7606Action.TreatAsWithdraw, UpdateErrorReason.OriginMalformed },
        { "7.1 ORIGIN value 3", "4", "40010103" + Path4 + NextHop, Nlri, Rfc7606Action.TreatAsWithdraw, UpdateErrorReason.OriginMalformed },
        { "3c ORIGIN marked optional", "4", "c0010100" + Path4 + NextHop, Nlri, Rfc7606Action.TreatAsWithdraw, UpdateErrorReason.AttributeFlagsConflict },
        { "3c MED marked transitive", "4", Base + "c00404" + "00000001", Nlri, Rfc7606Action.TreatAsWithdraw, UpdateErrorReason.AttributeFlagsConflict },
        { "7.2 AS_PATH segment overrun", "4", Origin + "4002060202" + "0000fdea" + NextHop, Nlri, Rfc7606Action.TreatAsWithdraw, UpdateErrorReason.AsPathMalformed },
        { "7.2 AS_PATH empty segment", "4", Origin + "4002020200" + NextHop, Nlri, Rfc7606Action.TreatAsWithdraw, UpdateErrorReason.AsPathMalformed },
        { "7.2 AS_PATH segment type 5", "4", Origin + "4002060501" + "0000fdea" + NextHop, Nlri, Rfc7606Action.TreatAsWithdraw, UpdateErrorReason.AsPathMalformed },
        { "7.2 AS_PATH dangling octet", "4", Origin + "4002070201" + "0000fdea" + "02" + NextHop, Nlri, Rfc7606Action.TreatAsWithdraw, UpdateErrorReason.AsPathMalformed },
        { "7.2 AS_PATH 2-octet on 4-octet session", "4", Origin + Path2 + NextHop, Nlri, Rfc7606Action.TreatAsWithdraw, UpdateErrorReason.AsPathMalformed },
        { "6.3 first AS not the peer", "4", Origin + "4002060201" + "0000fdeb" + NextHop, Nlri, Rfc7606Action.TreatAsWithdraw, UpdateErrorReason.AsPathFirstAsMismatch },
        { "6.3 empty AS_PATH from eBGP", "4", Origin + "400200" + NextHop, Nlri, Rfc7606Action.TreatAsWithdraw, UpdateErrorReason.AsPathFirstAsMismatch },
        { "7.2 confederation from eBGP", "4", Origin + "4002060301" + "0000fdea" + NextHop, Nlri, Rfc7606Action.TreatAsWithdraw, UpdateErrorReason.AsPathConfedFromExternal },
        { "7.3 NEXT_HOP length 5", "4", Origin + Path4 + "400305" + "c612000201", Nlri, Rfc7606Action.TreatAsWithdraw, UpdateErrorReason.NextHopMalformed },
        { "7.3 NEXT_HOP 0.0.0.0", "4", Origin + Path4 + "400304" + "00000000", Nlri, Rfc7606Action.TreatAsWithdraw, UpdateErrorReason.NextHopInvalid },
        { "6.3 NEXT_HOP is our own address", "local", Base, Nlri, Rfc7606Action.TreatAsWithdraw, UpdateErrorReason.NextHopInvalid },
        { "7.3 NEXT_HOP multicast", "4", Origin + Path4 + "400304" + "e0000001", Nlri, Rfc7606Action.TreatAsWithdraw, UpdateErrorReason.NextHopInvalid },
        { "7.4 MED length 3", "4", Base + "800403" + "000001", Nlri, Rfc7606Action.TreatAsWithdraw, UpdateErrorReason.MedMalformed },
        { "7.5 LOCAL_PREF from eBGP", "4", Base + "400504" + "00000064", Nlri, Rfc7606Action.AttributeDiscard, UpdateErrorReason.LocalPrefFromExternal },
        { "7.5 LOCAL_PREF from eBGP, malformed", "4", Base + "400502" + "0064", Nlri, Rfc7606Action.AttributeDiscard, UpdateErrorReason.LocalPrefFromExternal },
        { "7.5 LOCAL_PREF length 2 from iBGP", "ibgp", Base + "400502" + "0064", Nlri, Rfc7606Action.TreatAsWithdraw, UpdateErrorReason.LocalPrefMalformed },
        { "7.6 ATOMIC_AGGREGATE length 1", "4", Base + "40060100", Nlri, Rfc7606Action.AttributeDiscard, UpdateErrorReason.AtomicAggregateMalformed },
        { "7.7 AGGREGATOR 6 octets on 4-octet session", "4", Base + "c00706" + "fdea" + "c6120002", Nlri, Rfc7606Action.AttributeDiscard, UpdateErrorReason.AggregatorMalformed },
        { "7.7 AGGREGATOR 8 octets on 2-octet session", "2", Origin + Path2 + NextHop + "c00708" + "0000fdea" + "c6120002", Nlri, Rfc7606Action.AttributeDiscard, UpdateErrorReason.AggregatorMalformed },
        { "7.8 COMMUNITIES length 5", "4", Base + "c00805" + "0000000000", Nlri, Rfc7606Action.TreatAsWithdraw, UpdateErrorReason.CommunitiesMalformed },
        { "7.8 COMMUNITIES length 0", "4", Base + "c00800", Nlri, Rfc7606Action.TreatAsWithdraw, UpdateErrorReason.CommunitiesMalformed },
        { "7.9 ORIGINATOR_ID length 3", "ibgp", Base + "800903" + "010203", Nlri, Rfc7606Action.TreatAsWithdraw, UpdateErrorReason.OriginatorIdMalformed },
        { "7.10 CLUSTER_LIST length 0", "ibgp", Base + "800a00", Nlri, Rfc7606Action.TreatAsWithdraw, UpdateErrorReason.ClusterListMalformed },
        { "7.14 EXTENDED COMMUNITIES length 4", "4", Base + "c01004" + "00020001", Nlri, Rfc7606Action.TreatAsWithdraw, UpdateErrorReason.ExtendedCommunitiesMalformed },
        { "RFC 8092 LARGE_COMMUNITY length 8", "4", Base + "c02008" + "0000fdea00000001", Nlri, Rfc7606Action.TreatAsWithdraw, UpdateErrorReason.LargeCommunityMalformed },
        { "3g MED twice", "4", Base + "80040400000001" + "80040400000002", Nlri, Rfc7606Action.AttributeDiscard, UpdateErrorReason.DuplicateAttribute },
        { "3g MP_REACH twice", "4", MpReach + MpReach + Origin + Path4, "", Rfc7606Action.SessionReset, UpdateErrorReason.DuplicateMpReach },
        { "3g MP_UNREACH twice", "4", "800f03000101" + "800f03000101", "", Rfc7606Action.SessionReset, UpdateErrorReason.DuplicateMpUnreach },
        { "7.11 MP_REACH next hop 16 octets", "4", "800e18" + "000101" + "10" + "20010db8000000000000000000000001" + "00" + "100a08" + Origin + Path4, "", Rfc7606Action.SessionReset, UpdateErrorReason.MpReachMalformed },
        { "7.11 MP_REACH next hop 16 octets, AFI/SAFI disable", "afidisable", "800e18" + "000101" + "10" + "20010db8000000000000000000000001" + "00" + "100a08" + Origin + Path4, "", Rfc7606Action.AfiSafiDisable, UpdateErrorReason.MpReachMalformed },
        { "7.11 MP_REACH too short", "4", "800e03" + "000101" + Origin + Path4, "", Rfc7606Action.SessionReset, UpdateErrorReason.MpReachMalformed },
        { "5.3 MP_REACH prefix /33", "4", "800e0c" + "000101" + "04" + "c0000201" + "00" + "210a08" + Origin + Path4, "", Rfc7606Action.SessionReset, UpdateErrorReason.MpReachNlriMalformed },
        { "7.12 MP_UNREACH too short", "4", "800f02" + "0001", "", Rfc7606Action.SessionReset, UpdateErrorReason.MpUnreachMalformed },
        { "5.3 MP_UNREACH prefix overrun", "4", "800f05" + "000101" + "180a", "", Rfc7606Action.SessionReset, UpdateErrorReason.MpUnreachNlriMalformed },
        { "3c MP_REACH marked transitive", "4", "c00e0c" + "000101" + "04" + "c0000201" + "00" + "100a08" + Origin + Path4, "", Rfc7606Action.TreatAsWithdraw, UpdateErrorReason.AttributeFlagsConflict },
        { "MP_REACH next hop 127.0.0.1", "4", "800e0c" + "000101" + "04" + "7f000001" + "00" + "100a08" + Origin + Path4, "", Rfc7606Action.TreatAsWithdraw, UpdateErrorReason.NextHopInvalid },
        { "MP_REACH IPv6 not negotiated", "4", "800e1d" + "000201" + "10" + "20010db8000000000000000000000001" + "00" + "3020010db8000001" + Origin + Path4, "", Rfc7606Action.AttributeDiscard, UpdateErrorReason.MpFamilyNotNegotiated },
        { "6.3 unrecognized well-known", "4", Base + "406302abcd", Nlri, Rfc7606Action.SessionReset, UpdateErrorReason.UnrecognizedWellKnownAttribute },
        { "unrecognized optional transitive", "4", Base + "c06302abcd", Nlri, Rfc7606Action.None, UpdateErrorReason.None },
        { "unrecognized optional non-transitive", "4", Base + "806302abcd", Nlri, Rfc7606Action.None, UpdateErrorReason.None },
        { "3d ORIGIN missing", "4", Path4 + NextHop, Nlri, Rfc7606Action.TreatAsWithdraw, UpdateErrorReason.MissingOrigin },
        { "3d AS_PATH missing", "4", Origin + NextHop, Nlri, Rfc7606Action.TreatAsWithdraw, UpdateErrorReason.MissingAsPath },
        { "3d NEXT_HOP missing", "4", Origin + Path4, Nlri, Rfc7606Action.TreatAsWithdraw, UpdateErrorReason.MissingNextHop },
        { "3d NEXT_HOP not needed with MP_REACH only", "4", MpReach + Origin + Path4, "", Rfc7606Action.None, UpdateErrorReason.None },
        { "3d nothing needed when only withdrawing", "4", "", "", Rfc7606Action.None, UpdateErrorReason.None },
        { "4 last attribute overruns, no MP", "nomp", Base + "80040500000001", Nlri, Rfc7606Action.TreatAsWithdraw, UpdateErrorReason.AttributeLengthOverrun },
        { "4 two octets left, no MP", "nomp", Base + "8004", Nlri, Rfc7606Action.TreatAsWithdraw, UpdateErrorReason.AttributeLengthOverrun },
        { "4 extended header cut, no MP", "nomp", Base + "9004" + "00", Nlri, Rfc7606Action.TreatAsWithdraw, UpdateErrorReason.AttributeLengthOverrun },
        { "4 overrun when MP NLRI may hide behind", "4", Base + "80040500000001", Nlri, Rfc7606Action.SessionReset, UpdateErrorReason.AttributeLengthOverrunNlriUnlocatable },
        { "4 overrun after both MP attributes", "4", "800f03000101" + MpReach + Origin + Path4 + "8004050000", "", Rfc7606Action.TreatAsWithdraw, UpdateErrorReason.AttributeLengthOverrun },
        { "5.3 NLRI /33", "4", Base, "210a020000ff", Rfc7606Action.SessionReset, UpdateErrorReason.NlriMalformed },
        { "5.3 NLRI overrun", "4", Base, "180a02", Rfc7606Action.SessionReset, UpdateErrorReason.NlriMalformed },
        { "RFC 6793 AS4_PATH on 4-octet session", "4", Base + "c01106" + "0201" + "0000fdea", Nlri, Rfc7606Action.AttributeDiscard, UpdateErrorReason.As4AttributeOnFourOctetSession },
        { "RFC 6793 6 AS4_PATH malformed", "2", Origin + Path2 + NextHop + "c01106" + "0202" + "0000fdea", Nlri, Rfc7606Action.AttributeDiscard, UpdateErrorReason.As4PathMalformed },
        { "RFC 6793 6 AS4_AGGREGATOR length 6", "2", Origin + Path2 + NextHop + "c01206" + "fdea" + "c6120002", Nlri, Rfc7606Action.AttributeDiscard, UpdateErrorReason.As4AggregatorMalformed },
        { "RFC 6793 4.2.3 AS4_PATH longer than AS_PATH", "2", Origin + Path2 + NextHop + "c0110a" + "0202" + "0000fdea" + "fa56ea63", Nlri, Rfc7606Action.AttributeDiscard, UpdateErrorReason.As4PathIgnored },
        { "3j strongest wins", "4", "4001020000" + Path4 + NextHop + "40060100" + "800403000001", Nlri, Rfc7606Action.TreatAsWithdraw, UpdateErrorReason.OriginMalformed },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Decision(string name, string session, string attributes, string nlri, Rfc7606Action action, UpdateErrorReason reason)
    {
        byte[] m = Message("", attributes, nlri);
        var u = new ParsedUpdate(null);
        var d = new UpdateDecision();
        Assert.Equal(action, new UpdateDecoder(null).Decode(m, 0, m.Length, Session(session), u, d));
        Assert.Equal(reason, d.Reason);
        Assert.False(string.IsNullOrEmpty(d.LogLine), name);
        if (action == Rfc7606Action.SessionReset || action == Rfc7606Action.AfiSafiDisable)
        {
            Assert.Equal(NotificationCode.UpdateMessageError, d.Notification.Code);
        }

        if (action == Rfc7606Action.TreatAsWithdraw)
        {
            // Treat-as-withdraw needs the prefixes: they were all collected.
            Assert.Equal(nlri.Length == 0 ? 0 : 1, u.NlriCount);
        }
    }

    [Fact]
    public void SessionResetNotificationsCarryTheRfcCodes()
    {
        var u = new ParsedUpdate(null);
        var d = new UpdateDecision();
        var dec = new UpdateDecoder(null);
        var s = Golden.FourOctetSession();

        byte[] m = Message("", Base + "406302abcd", Nlri);
        dec.Decode(m, 0, m.Length, s, u, d);
        Assert.Equal((3, 2), (d.Notification.Code, d.Notification.Subcode));
        Assert.Equal("406302abcd", Hex.Of(d.Notification.DataBuffer!, d.Notification.DataOffset, d.Notification.DataLength));

        m = Message("", Base, "210a020000ff");
        dec.Decode(m, 0, m.Length, s, u, d);
        Assert.Equal((3, 10), (d.Notification.Code, d.Notification.Subcode));

        m = Message("", MpReach + MpReach, "");
        dec.Decode(m, 0, m.Length, s, u, d);
        Assert.Equal((3, 1), (d.Notification.Code, d.Notification.Subcode));

        m = Message("", "800e03000101", "");
        dec.Decode(m, 0, m.Length, s, u, d);
        Assert.Equal((3, 9), (d.Notification.Code, d.Notification.Subcode));
        Assert.Equal("800e03000101", Hex.Of(d.Notification.DataBuffer!, d.Notification.DataOffset, d.Notification.DataLength));

        // Withdrawn Routes Length beyond the message; Total Path Attribute Length beyond the message.
        m = Message("180a0200", "", "");
        m[20] = 0x40;
        Assert.Equal(Rfc7606Action.SessionReset, dec.Decode(m, 0, m.Length, s, u, d));
        Assert.Equal((UpdateErrorReason.WithdrawnRoutesLengthOverrun, 3, 1), (d.Reason, d.Notification.Code, d.Notification.Subcode));
        m = Message("", Base, "");
        m[22] = 0x40;
        Assert.Equal(Rfc7606Action.SessionReset, dec.Decode(m, 0, m.Length, s, u, d));
        Assert.Equal(UpdateErrorReason.TotalAttributeLengthOverrun, d.Reason);
        m = Message("210a020000ff", "", "");
        Assert.Equal(Rfc7606Action.SessionReset, dec.Decode(m, 0, m.Length, s, u, d));
        Assert.Equal((UpdateErrorReason.WithdrawnRoutesMalformed, 10), (d.Reason, d.Notification.Subcode));
    }

    [Fact]
    public void UnrecognizedTransitiveIsPassedOnWithPartial()
    {
        byte[] m = Message("", Base + "c06302abcd" + "806302abcd", Nlri);
        var u = new ParsedUpdate(null);
        var d = new UpdateDecision();
        var s = Golden.FourOctetSession();
        new UpdateDecoder(null).Decode(m, 0, m.Length, s, u, d);
        // The second type-99 attribute is a duplicate (RFC 7606 §3 g) and dropped.
        Assert.True(d.Has(UpdateErrorReason.DuplicateAttribute));
        Assert.Equal(1, u.TransitCount);
        Assert.Equal("e06302abcd", Hex.Of(u.TransitBytes, 0, u.TransitLength));
        var b = new byte[4096];
        var e = new UpdateEncoder();
        e.Begin(u, s);
        int n = e.Next(b, 0);
        Assert.Contains("e06302abcd", Hex.Of(b, 0, n));
    }

    [Fact]
    public void TrailingBitsAreCleared()
    {
        // RFC 4271 §4.3: bits beyond the prefix length are irrelevant; 10.2.0.127/25 is 10.2.0.0/25.
        byte[] m = Message("", Base, "190a02007f");
        var u = new ParsedUpdate(null);
        var d = new UpdateDecision();
        new UpdateDecoder(null).Decode(m, 0, m.Length, Golden.FourOctetSession(), u, d);
        Assert.Equal(Rfc7606Action.None, d.Action);
        Assert.Equal(Hex.Ip("10.2.0.0"), u.PrefixAddress[0]);
        Assert.Equal(25, u.PrefixLength[0]);
        m = Message("", Base, "00" + "200a020001");
        new UpdateDecoder(null).Decode(m, 0, m.Length, Golden.FourOctetSession(), u, d);
        Assert.Equal((0u, (byte)0), (u.PrefixAddress[0], u.PrefixLength[0]));
        Assert.Equal((Hex.Ip("10.2.0.1"), (byte)32), (u.PrefixAddress[1], u.PrefixLength[1]));
    }

    [Fact]
    public void As4AggregatorReplacesAsTrans()
    {
        // RFC 6793 §4.2.3: AGGREGATOR AS_TRANS + AS4_AGGREGATOR -> the 4-octet aggregator; otherwise AS4 attributes ignored.
        string agg = "c00706" + "5ba0" + "c0000201";
        string agg4 = "c01208" + "fa56ea63" + "c0000201";
        byte[] m = Message("", Origin + Path2 + NextHop + agg + agg4, Nlri);
        var u = new ParsedUpdate(null);
        var d = new UpdateDecision();
        var s = Golden.TwoOctetSession(65002);
        new UpdateDecoder(null).Decode(m, 0, m.Length, s, u, d);
        Assert.Equal(Rfc7606Action.None, d.Action);
        Assert.Equal(4200000099u, u.AggregatorAs);

        m = Message("", Origin + "400206" + "0202" + "fdea5ba0" + NextHop + "c00706" + "fdeac0000201" + agg4 + "c01106" + "0201fa56ea63", Nlri);
        new UpdateDecoder(null).Decode(m, 0, m.Length, s, u, d);
        Assert.Equal(65002u, u.AggregatorAs);
        Assert.Equal(new uint[] { 65002, 23456 }, u.AsPath.Asns[..2]); // AS4_PATH ignored with it
        Assert.True(d.Has(UpdateErrorReason.As4PathIgnored));
    }
}

/// <summary>Local capacities below what a message can carry give typed, logged results.</summary>
public class CapacityTests
{
    [Fact]
    public void SmallCapacities()
    {
        var d = new UpdateDecision();
        var s = Golden.FourOctetSession(4200000001);
        var small = new UpdateCapacities { Prefixes = 2, AsPathAsns = 2, AsPathSegments = 1, Communities = 1, LargeCommunities = 1 };
        var u = new ParsedUpdate(small);
        var dec = new UpdateDecoder(small);

        Assert.Equal(Rfc7606Action.SessionReset, dec.Decode(Golden.LabUpdateBird, 0, Golden.LabUpdateBird.Length, s, u, d));
        Assert.Equal(UpdateErrorReason.PrefixCapacityExceeded, d.Reason);
        Assert.Equal((NotificationCode.Cease, NotificationCode.CeaseOutOfResources), (d.Notification.Code, d.Notification.Subcode));

        // Two communities into a capacity of one: treat-as-withdraw, prefixes still collected.
        var m = Golden.LabUpdateGobgpCommunities;
        Assert.Equal(Rfc7606Action.TreatAsWithdraw, dec.Decode(m, 0, m.Length, Golden.FourOctetSession(), u, d));
        Assert.Equal(UpdateErrorReason.CommunityCapacityExceeded, d.Reason);
        Assert.Equal(1, u.NlriCount);

        // Three ASes into a capacity of two.
        m = Golden.LabUpdateAs4Path;
        Assert.Equal(Rfc7606Action.TreatAsWithdraw, dec.Decode(m, 0, m.Length, Golden.TwoOctetSession(65010), u, d));
        Assert.Equal(UpdateErrorReason.AsPathCapacityExceeded, d.Reason);

        // A transitive attribute that does not fit is discarded, the route stands.
        var tiny = new UpdateCapacities { TransitOctets = 4 };
        m = Rfc7606TableTests.Message("", "40010100" + "4002060201" + "0000fdea" + "400304c6120002" + "c06302abcd", "180a0200");
        Assert.Equal(Rfc7606Action.AttributeDiscard, new UpdateDecoder(tiny).Decode(m, 0, m.Length, Golden.FourOctetSession(), new ParsedUpdate(tiny), d));
        Assert.Equal(UpdateErrorReason.TransitCapacityExceeded, d.Reason);
    }
}
