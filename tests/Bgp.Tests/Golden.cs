namespace VpnAppliance.Bgp.Tests;

/// <summary>
/// Golden BGP messages.
///
/// Capture provenance (all "Lab" messages): captured 2026-11-22 on this machine with tshark 4.0 on a veth
/// pair between two network namespaces created for the purpose (tests/Bgp.Tests/Golden/lab/lab.sh,
/// configurations bird.conf and gobgpd.toml beside it, capture cap.pcap, tshark payload dump payloads.txt):
///   BIRD 2.0.12 (Debian bird2) in ns bgpA: 198.18.0.1 as AS 4200000001 (session g1, 4-octet AS, graceful restart)
///                                          198.18.1.1 as AS 65010 (session g2, "enable as4 off": a 2-octet speaker)
///   GoBGP 3.10 (Debian gobgpd) in ns bgpB: 198.18.0.2 / 198.18.1.2, AS 65002.
/// BIRD exports 10.1.0.0/24, 10.1.1.0/24, 10.1.128.0/17, 192.0.2.0/25 with MED 10, communities 65001:100 and
/// NO_EXPORT and large community 4200000001:1:2 on g1, and with 4200000099 prepended on g2; GoBGP originates
/// 10.2.0.0/24 (MED 50, 65002:200, NO_EXPORT), 10.2.4.0/22 (MED 0, large 65002:3:4), 172.16.0.0/12.
/// Frame numbers are those of cap.pcap. Processes were stopped by pid and the namespaces deleted afterwards.
///
/// "Lab2" messages: a second capture the same way (Golden/lab2/lab2.sh, birdA.conf, birdC.conf, cap2.pcap,
/// payloads2.txt): BIRD 2.0.12 AS 4200000001 (198.18.2.1, ns bgpA2) and BIRD 2.0.12 AS 65003 (198.18.2.2, ns
/// bgpC2), both with Enhanced Route Refresh; "birdc reload in g3" on C produced ROUTE-REFRESH, BoRR, the
/// routes again, EoRR.
///
/// Hand-assembled messages ("Rfc...") follow the figures of the RFC named (no RFC in scope prints hex).
/// </summary>
internal static class Golden
{
    private const string Marker = "ffffffffffffffffffffffffffffffff";

    /// <summary>Lab frame 4: GoBGP -> BIRD g1 OPEN (67 octets).</summary>
    public static readonly byte[] LabOpenGobgp = Hex.Bytes(
        Marker, "0043", "01",           // length 67, OPEN
        "04",                           // Version 4
        "fdea",                         // My AS 65002
        "005a",                         // Hold Time 90
        "c6120002",                     // BGP Identifier 198.18.0.2
        "26",                           // Opt Parm Len 38
        "0224",                         // Optional Parameter 2 (Capabilities), 36 octets
        "0200",                         //   Route Refresh (RFC 2918)
        "4904" + "02766d00",            //   code 73 FQDN (unknown here): hostname "vm", empty domain
        "0104" + "00010001",            //   Multiprotocol AFI 1 / reserved / SAFI 1
        "4104" + "0000fdea",            //   4-octet AS 65002
        "4006" + "0078" + "00010100",   //   Graceful Restart: flags 0, time 120 s; AFI 1 SAFI 1 flags 0
        "0506" + "000100010002");       //   code 5 Extended Next Hop (unknown here): AFI 1 SAFI 1 next-hop AFI 2

    /// <summary>Lab frame 6: BIRD g1 -> GoBGP OPEN (57 octets), AS 4200000001 so My AS is AS_TRANS.</summary>
    public static readonly byte[] LabOpenBird = Hex.Bytes(
        Marker, "0039", "01",           // length 57, OPEN
        "04",                           // Version 4
        "5ba0",                         // My AS 23456 = AS_TRANS (RFC 6793 §4.1)
        "005a",                         // Hold Time 90
        "c6120001",                     // BGP Identifier 198.18.0.1
        "1c",                           // Opt Parm Len 28
        "021a",                         // Capabilities, 26 octets
        "0104" + "00010001",            //   Multiprotocol IPv4 unicast
        "0200",                         //   Route Refresh
        "4006" + "0078" + "00010100",   //   Graceful Restart time 120, IPv4 unicast flags 0
        "4104" + "fa56ea01",            //   4-octet AS 4200000001
        "4600",                         //   Enhanced Route Refresh (RFC 7313)
        "4700");                        //   code 71 Long-Lived Graceful Restart (unknown here), empty

    /// <summary>Lab frame 24: BIRD g2 -> GoBGP OPEN (47 octets), a 2-octet speaker (no capability 65).</summary>
    public static readonly byte[] LabOpenBirdTwoOctet = Hex.Bytes(
        Marker, "002f", "01",
        "04", "fdf2",                   // Version 4, My AS 65010
        "00f0",                         // Hold Time 240
        "c6120001",                     // BGP Identifier 198.18.0.1
        "12", "0210",                   // Opt Parm Len 18; Capabilities, 16 octets
        "0104" + "00010001",            //   Multiprotocol IPv4 unicast
        "0200",                         //   Route Refresh
        "4002" + "0078",                //   Graceful Restart time 120, no families (receiving-speaker mode)
        "4600", "4700");                //   Enhanced Route Refresh; LLGR (unknown)

    /// <summary>Lab frame 8: KEEPALIVE.</summary>
    public static readonly byte[] LabKeepalive = Hex.Bytes(Marker, "0013", "04");

    /// <summary>Lab frame 10: GoBGP -> BIRD g1 UPDATE 172.16.0.0/12 (4-octet AS_PATH).</summary>
    public static readonly byte[] LabUpdateGobgp172 = Hex.Bytes(
        Marker, "002e", "02",           // length 46, UPDATE
        "0000",                         // Withdrawn Routes Length 0
        "0014",                         // Total Path Attribute Length 20
        "400101" + "02",                // ORIGIN (well-known transitive) INCOMPLETE
        "400206" + "0201" + "0000fdea", // AS_PATH: AS_SEQUENCE of 1: 65002 (4-octet)
        "400304" + "c6120002",          // NEXT_HOP 198.18.0.2
        "0c" + "ac10");                 // NLRI 172.16.0.0/12

    /// <summary>Lab frame 11: GoBGP -> BIRD g1 UPDATE 10.2.0.0/24 with MED 50 and COMMUNITIES.</summary>
    public static readonly byte[] LabUpdateGobgpCommunities = Hex.Bytes(
        Marker, "0041", "02",           // length 65
        "0000", "0026",                 // no withdrawn; attributes 38
        "400101" + "02",                // ORIGIN INCOMPLETE
        "400206" + "0201" + "0000fdea", // AS_PATH 65002
        "400304" + "c6120002",          // NEXT_HOP 198.18.0.2
        "800404" + "00000032",          // MULTI_EXIT_DISC (optional non-transitive) 50
        "c00808" + "fdea00c8" + "ffffff01", // COMMUNITIES 65002:200, NO_EXPORT
        "18" + "0a0200");               // NLRI 10.2.0.0/24

    /// <summary>Lab frame 12: GoBGP -> BIRD g1 UPDATE 10.2.4.0/22 with MED 0 and LARGE_COMMUNITY.</summary>
    public static readonly byte[] LabUpdateGobgpLarge = Hex.Bytes(
        Marker, "0045", "02",           // length 69
        "0000", "002a",                 // no withdrawn; attributes 42
        "400101" + "02",                // ORIGIN INCOMPLETE
        "400206" + "0201" + "0000fdea", // AS_PATH 65002
        "400304" + "c6120002",          // NEXT_HOP 198.18.0.2
        "800404" + "00000000",          // MED 0
        "c0200c" + "0000fdea" + "00000003" + "00000004", // LARGE_COMMUNITY 65002:3:4
        "16" + "0a0204");               // NLRI 10.2.4.0/22

    /// <summary>Lab frame 13: End-of-RIB for IPv4 unicast (RFC 4724 §2).</summary>
    public static readonly byte[] LabEndOfRib = Hex.Bytes(Marker, "0017", "02", "0000", "0000");

    /// <summary>Lab frame 15: BIRD g1 -> GoBGP UPDATE, four prefixes, MED, COMMUNITIES, LARGE_COMMUNITY.</summary>
    public static readonly byte[] LabUpdateBird = Hex.Bytes(
        Marker, "005d", "02",           // length 93
        "0000", "0035",                 // no withdrawn; attributes 53
        "400101" + "00",                // ORIGIN IGP
        "400206" + "0201" + "fa56ea01", // AS_PATH 4200000001
        "400304" + "c6120001",          // NEXT_HOP 198.18.0.1
        "800404" + "0000000a",          // MED 10
        "c00808" + "fde90064" + "ffffff01", // COMMUNITIES 65001:100, NO_EXPORT
        "c0200c" + "fa56ea01" + "00000001" + "00000002", // LARGE_COMMUNITY 4200000001:1:2
        "19" + "c0000200",              // 192.0.2.0/25 (4 octets for 25 bits)
        "18" + "0a0100",                // 10.1.0.0/24
        "18" + "0a0101",                // 10.1.1.0/24
        "11" + "0a0180");               // 10.1.128.0/17

    /// <summary>Lab frame 29: GoBGP -> BIRD g2 (2-octet session) UPDATE 10.2.4.0/22.</summary>
    public static readonly byte[] LabUpdateGobgpTwoOctet = Hex.Bytes(
        Marker, "0043", "02",
        "0000", "0028",                 // attributes 40
        "400101" + "02",                // ORIGIN INCOMPLETE
        "400204" + "0201" + "fdea",     // AS_PATH 65002 (2-octet)
        "400304" + "c6120102",          // NEXT_HOP 198.18.1.2
        "800404" + "00000000",          // MED 0
        "c0200c" + "0000fdea" + "00000003" + "00000004", // LARGE_COMMUNITY 65002:3:4
        "16" + "0a0204");               // 10.2.4.0/22

    /// <summary>Lab frame 33: BIRD g2 (2-octet) -> GoBGP UPDATE 172.16.0.0/12 with AS_TRANS and AS4_PATH.</summary>
    public static readonly byte[] LabUpdateAs4Path = Hex.Bytes(
        Marker, "0041", "02",
        "0000", "0027",                 // attributes 39
        "400101" + "02",                // ORIGIN INCOMPLETE
        "400208" + "0203" + "fdf2" + "5ba0" + "fdea", // AS_PATH 65010 23456(AS_TRANS) 65002
        "400304" + "c6120002",          // NEXT_HOP 198.18.0.2
        "c0110e" + "0203" + "0000fdf2" + "fa56ea63" + "0000fdea", // AS4_PATH 65010 4200000099 65002
        "0c" + "ac10");                 // 172.16.0.0/12

    /// <summary>Lab frame 35: one TCP segment holding three UPDATEs (BIRD g2 -> GoBGP).</summary>
    public static readonly byte[] LabSegmentThreeUpdates = Hex.Bytes(
        Marker, "0049", "02", "0000", "0021",
        "400101" + "00",                // ORIGIN IGP
        "400206" + "0202" + "fdf2" + "5ba0", // AS_PATH 65010 23456
        "400304" + "c6120101",          // NEXT_HOP 198.18.1.1
        "c0110a" + "0202" + "0000fdf2" + "fa56ea63", // AS4_PATH 65010 4200000099
        "19c0000200" + "180a0100" + "180a0101" + "110a0180",
        Marker, "0051", "02", "0000", "0036",
        "400101" + "02",
        "400208" + "0203" + "fdf2" + "5ba0" + "fdea",
        "400304" + "c6120002",
        "c0110e" + "0203" + "0000fdf2" + "fa56ea63" + "0000fdea",
        "c0200c" + "0000fdea" + "00000003" + "00000004",
        "16" + "0a0204",
        Marker, "0017", "02", "0000", "0000"); // End-of-RIB

    /// <summary>Lab frame 37: GoBGP -> BIRD g1 withdraw 10.2.4.0/22.</summary>
    public static readonly byte[] LabWithdraw = Hex.Bytes(
        Marker, "001b", "02",
        "0004", "16" + "0a0204",        // Withdrawn Routes Length 4: 10.2.4.0/22
        "0000");                        // no attributes

    /// <summary>Lab frame 41: BIRD g1 -> GoBGP withdraw of its four prefixes.</summary>
    public static readonly byte[] LabWithdrawFour = Hex.Bytes(
        Marker, "0028", "02",
        "0011", "19c0000200" + "180a0100" + "180a0101" + "110a0180",
        "0000");

    /// <summary>Lab frame 50: BIRD -> GoBGP NOTIFICATION Cease / Administrative Shutdown, Shutdown Communication "maintenance" (RFC 9003).</summary>
    public static readonly byte[] LabNotificationShutdown = Hex.Bytes(
        Marker, "0021", "03",           // length 33, NOTIFICATION
        "06", "02",                     // Cease / Administrative Shutdown
        "0b", "6d61696e74656e616e6365"); // length 11, "maintenance"

    /// <summary>Lab2 frame 17: BIRD C -> BIRD A ROUTE-REFRESH for IPv4 unicast ("birdc reload in g3").</summary>
    public static readonly byte[] Lab2RouteRefresh = Hex.Bytes(
        Marker, "0017", "05",           // length 23, ROUTE-REFRESH
        "0001",                         // AFI 1
        "00",                           // Subtype 0: request (RFC 7313 §3.2; "Reserved" in RFC 2918 §3)
        "01");                          // SAFI 1

    /// <summary>Lab2 frame 19: BIRD A -> BIRD C Beginning of Route Refresh (both sent Enhanced Route Refresh).</summary>
    public static readonly byte[] Lab2Borr = Hex.Bytes(Marker, "0017", "05", "0001", "01", "01"); // AFI 1, BoRR, SAFI 1

    /// <summary>Lab2 frame 23: BIRD A -> BIRD C End of Route Refresh.</summary>
    public static readonly byte[] Lab2Eorr = Hex.Bytes(Marker, "0017", "05", "0001", "02", "01"); // AFI 1, EoRR, SAFI 1

    /// <summary>Lab2 frames 13 and 21: BIRD A -> BIRD C UPDATE with one community, sent at sync and again between BoRR and EoRR.</summary>
    public static readonly byte[] Lab2UpdateBird = Hex.Bytes(
        Marker, "003b", "02",           // length 59
        "0000", "001b",                 // no withdrawn; attributes 27
        "400101" + "00",                // ORIGIN IGP
        "400206" + "0201" + "fa56ea01", // AS_PATH 4200000001
        "400304" + "c6120201",          // NEXT_HOP 198.18.2.1
        "c00804" + "fde9012c",          // COMMUNITIES 65001:300
        "19" + "c0000200",              // 192.0.2.0/25
        "18" + "0a0100");               // 10.1.0.0/24

    /// <summary>Lab2 frame 6: BIRD C OPEN, AS 65003 with the 4-octet AS capability and Enhanced Route Refresh.</summary>
    public static readonly byte[] Lab2OpenBird = Hex.Bytes(
        Marker, "0035", "01",
        "04", "fdeb", "00f0",           // Version 4, My AS 65003, Hold Time 240
        "c6120202",                     // BGP Identifier 198.18.2.2
        "18", "0216",                   // Opt Parm Len 24; Capabilities, 22 octets
        "0104" + "00010001",            //   Multiprotocol IPv4 unicast
        "0200",                         //   Route Refresh
        "4002" + "0078",                //   Graceful Restart time 120, no families
        "4104" + "0000fdeb",            //   4-octet AS 65003
        "4600", "4700");                //   Enhanced Route Refresh; LLGR (unknown)

    /// <summary>Hand-assembled per RFC 4486 §4: Cease / Maximum Number of Prefixes Reached, AFI 1 SAFI 1 bound 4000.</summary>
    public static readonly byte[] RfcCeaseMaxPrefixes = Hex.Bytes(Marker, "001c", "03", "06", "01", "0001", "01", "00000fa0");

    /// <summary>Hand-assembled per RFC 4760 §3-4: MP_UNREACH 10.9.0.0/16 and MP_REACH 10.8.0.0/16 via 192.0.2.1, with ORIGIN and AS_PATH.</summary>
    public static readonly byte[] RfcMpUpdate = Hex.Bytes(
        Marker, "003c", "02",
        "0000", "0025",                 // attributes 37
        "800f06" + "0001" + "01" + "100a09",           // MP_UNREACH: AFI 1 SAFI 1, 10.9.0.0/16
        "800e0c" + "0001" + "01" + "04" + "c0000201" + "00" + "100a08", // MP_REACH: AFI 1 SAFI 1, NH 192.0.2.1, reserved, 10.8.0.0/16
        "400101" + "00",                // ORIGIN IGP
        "400206" + "0201" + "0000fdea"); // AS_PATH 65002

    /// <summary>All the golden messages, for sweeps.</summary>
    public static IEnumerable<(string Name, byte[] Bytes)> All()
    {
        yield return (nameof(LabOpenGobgp), LabOpenGobgp);
        yield return (nameof(LabOpenBird), LabOpenBird);
        yield return (nameof(LabOpenBirdTwoOctet), LabOpenBirdTwoOctet);
        yield return (nameof(LabKeepalive), LabKeepalive);
        yield return (nameof(LabUpdateGobgp172), LabUpdateGobgp172);
        yield return (nameof(LabUpdateGobgpCommunities), LabUpdateGobgpCommunities);
        yield return (nameof(LabUpdateGobgpLarge), LabUpdateGobgpLarge);
        yield return (nameof(LabEndOfRib), LabEndOfRib);
        yield return (nameof(LabUpdateBird), LabUpdateBird);
        yield return (nameof(LabUpdateGobgpTwoOctet), LabUpdateGobgpTwoOctet);
        yield return (nameof(LabUpdateAs4Path), LabUpdateAs4Path);
        yield return (nameof(LabWithdraw), LabWithdraw);
        yield return (nameof(LabWithdrawFour), LabWithdrawFour);
        yield return (nameof(LabNotificationShutdown), LabNotificationShutdown);
        yield return (nameof(Lab2RouteRefresh), Lab2RouteRefresh);
        yield return (nameof(Lab2Borr), Lab2Borr);
        yield return (nameof(Lab2Eorr), Lab2Eorr);
        yield return (nameof(Lab2UpdateBird), Lab2UpdateBird);
        yield return (nameof(Lab2OpenBird), Lab2OpenBird);
        yield return (nameof(RfcCeaseMaxPrefixes), RfcCeaseMaxPrefixes);
        yield return (nameof(RfcMpUpdate), RfcMpUpdate);
    }

    /// <summary>Session g1 as BIRD saw it: 4-octet, external, peer AS 65002, MP IPv4.</summary>
    public static Wire.SessionParameters FourOctetSession(uint peerAs = 65002) => new()
    {
        FourOctetAs = true, External = true, LocalAs = 4200000001, PeerAs = peerAs, MultiprotocolIpv4 = true,
    };

    /// <summary>Session g2: 2-octet, external.</summary>
    public static Wire.SessionParameters TwoOctetSession(uint peerAs) => new()
    {
        FourOctetAs = false, External = true, LocalAs = 65002, PeerAs = peerAs, MultiprotocolIpv4 = true,
    };
}
