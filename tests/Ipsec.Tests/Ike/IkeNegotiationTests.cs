using System.Collections;
using VpnAppliance.Config;
using VpnAppliance.Hal.Crypto;
using VpnAppliance.Hal.Crypto.Managed;
using VpnAppliance.Ipsec.Ike;

namespace VpnAppliance.Ipsec.Tests.Ike;

/// <summary>
/// SA proposal building and selection (RFC 7296 §2.7, §3.3, §3.3.6) with the cloud profiles of INTEROP.md, unknown
/// transforms and attributes, order, key lengths, ESN, PFS, IKE_AUTH D-H stripping and the initiator's answer checks.
/// Peer offers go through the wire (emit, parse) as they would arrive.
/// </summary>
public class IkeNegotiationTests
{
    const byte E = IkeTransform.TypeEncryption, P = IkeTransform.TypePrf, I = IkeTransform.TypeIntegrity, D = IkeTransform.TypeDiffieHellman, N = IkeTransform.TypeEsn;
    static readonly ICryptoProvider Managed = new ManagedCryptoProvider();

    static ArrayList Ours(string list, bool ike)
    {
        var parser = new ProposalParser();
        var a = new ArrayList();
        foreach (string s in list.Split(','))
        {
            Proposal? p = parser.Parse(s, ike);
            Assert.True(p != null, s + ": " + parser.ErrorMessage);
            a.Add(p);
        }

        return a;
    }

    /// <summary>Emit then parse: what the other end receives.</summary>
    static SaPayload OverWire(SaPayload sa)
    {
        byte[] b = new byte[4096];
        int n = sa.Emit(b, 0, b.Length, 0);
        Assert.True(n > 0);
        var parsed = new SaPayload();
        Assert.Equal(IkeParseResult.Ok, parsed.Parse(b, 0, n));
        return parsed;
    }

    /// <summary>A peer's IKE offer as strongSwan would build it from its proposal strings.</summary>
    static SaPayload PeerIke(string list, bool withSpi = false)
    {
        var sa = new SaPayload();
        Assert.True(ProposalBuilder.BuildIke(sa, Ours(list, true), 0xA1A2A3A4A5A6A7A8UL, withSpi, Managed, allowWeak: true) > 0);
        return OverWire(sa);
    }

    static SaPayload PeerEsp(string list, bool includeDh, bool esn = false, uint spi = 0xC0FFEE01)
    {
        var sa = new SaPayload();
        Assert.True(ProposalBuilder.BuildEsp(sa, Ours(list, false), spi, includeDh, esn, Managed, allowWeak: true) > 0);
        return OverWire(sa);
    }

    /// <summary>Hand-made proposals: (protocol, spiSize, spi, transforms (type, id, keyBits)).</summary>
    static SaPayload Raw(params (byte protocol, int spiSize, ulong spi, (byte type, int id, int key)[] t)[] proposals)
    {
        var sa = new SaPayload { ProposalCount = proposals.Length };
        for (int i = 0; i < proposals.Length; i++)
        {
            IkeProposal p = sa.Proposals[i];
            p.Number = (byte)(i + 1);
            p.ProtocolId = proposals[i].protocol;
            p.SpiSize = (byte)proposals[i].spiSize;
            p.Spi = proposals[i].spi;
            p.TransformCount = proposals[i].t.Length;
            for (int k = 0; k < proposals[i].t.Length; k++)
            {
                p.Transforms[k].Set(proposals[i].t[k].type, (ushort)proposals[i].t[k].id, (ushort)proposals[i].t[k].key);
            }
        }

        return OverWire(sa);
    }

    static string Transforms(IkeProposal p) =>
        string.Join(" ", Enumerable.Range(0, p.TransformCount).Select(i => $"{p.Transforms[i].Type}:{p.Transforms[i].Id}" + (p.Transforms[i].HasKeyLength ? $"/{p.Transforms[i].KeyLength}" : "")));

    static (NegotiationResult, IkeSuite, SaPayload) SelectIke(SaPayload offer, string ours, bool allowWeak, int preferredGroup = 0, bool withSpi = false)
    {
        var chosen = new IkeSuite();
        var reply = new SaPayload();
        NegotiationResult r = ProposalSelector.SelectIke(offer, Ours(ours, true), Managed, allowWeak, chosen, reply, 0xB1B2B3B4B5B6B7B8UL, withSpi, preferredGroup);
        return (r, chosen, reply);
    }

    static (NegotiationResult, ChildSaParameters, int, SaPayload) SelectEsp(SaPayload offer, string ours, bool inIkeAuth, bool allowWeak = true)
    {
        var child = new ChildSaParameters();
        var reply = new SaPayload();
        NegotiationResult r = ProposalSelector.SelectEsp(offer, Ours(ours, false), inIkeAuth, Managed, allowWeak, child, out int pfs, reply, 0xD00D0001);
        return (r, child, pfs, reply);
    }

    // ---------------- building ----------------

    [Fact]
    public void BuildIke_writes_one_numbered_proposal_per_config_proposal()
    {
        var sa = new SaPayload();
        int n = ProposalBuilder.BuildIke(sa, Ours("aes256gcm16-prfsha384-ecp384,aes256-sha256-modp2048-ecp256", true), 0, false, Managed, false);
        Assert.Equal(2, n);
        sa = OverWire(sa);
        Assert.Equal((1, IkeProposal.ProtocolIke, 0), (sa.Proposals[0].Number, sa.Proposals[0].ProtocolId, (int)sa.Proposals[0].SpiSize));
        Assert.Equal("1:20/256 2:6 4:20", Transforms(sa.Proposals[0]));
        Assert.Equal(2, sa.Proposals[1].Number);
        Assert.Equal("1:12/256 2:5 3:12 4:14 4:19", Transforms(sa.Proposals[1]));

        // IKE rekey: SPI size 8 = our new SPI.
        ProposalBuilder.BuildIke(sa, Ours("aes128-sha1-ecp256", true), 0x0102030405060708UL, true, Managed, false);
        sa = OverWire(sa);
        Assert.Equal((8, 0x0102030405060708UL), ((int)sa.Proposals[0].SpiSize, sa.Proposals[0].Spi));
    }

    [Fact]
    public void BuildIke_leaves_out_weak_groups_and_skips_proposals_left_without_one()
    {
        var sa = new SaPayload();
        ArrayList ours = Ours("aes256-sha1-modp1024,aes256-sha256-modp1024-modp2048,aes128-sha1-ecp256", true);
        Assert.Equal(2, ProposalBuilder.BuildIke(sa, ours, 0, false, Managed, allowWeak: false));
        Assert.Equal("1:12/256 2:5 3:12 4:14", Transforms(sa.Proposals[0]));
        Assert.Equal(2, sa.Proposals[1].Number);                         // numbering has no gap
        Assert.Equal(3, ProposalBuilder.BuildIke(sa, ours, 0, false, Managed, allowWeak: true));
        Assert.Equal("1:12/256 2:2 3:2 4:2", Transforms(sa.Proposals[0]));
        Assert.Equal(0, ProposalBuilder.BuildIke(sa, Ours("aes256-sha1-modp1024", true), 0, false, Managed, false));
        Assert.Equal(0, sa.ProposalCount);
    }

    [Fact]
    public void BuildEsp_has_spi_esn_and_dh_only_when_asked()
    {
        var sa = new SaPayload();
        ArrayList ours = Ours("aes256gcm16,aes256-sha256-modp2048", false);
        Assert.Equal(2, ProposalBuilder.BuildEsp(sa, ours, 0xC0FFEE01, includeDh: false, esn: false, Managed, false));
        sa = OverWire(sa);
        Assert.Equal((IkeProposal.ProtocolEsp, 4, 0xC0FFEE01UL), (sa.Proposals[0].ProtocolId, (int)sa.Proposals[0].SpiSize, sa.Proposals[0].Spi));
        Assert.Equal("1:20/256 5:0", Transforms(sa.Proposals[0]));
        Assert.Equal("1:12/256 3:12 5:0", Transforms(sa.Proposals[1]));
        ProposalBuilder.BuildEsp(sa, ours, 0xC0FFEE01, includeDh: true, esn: true, Managed, false);
        Assert.Equal("1:20/256 5:1", Transforms(sa.Proposals[0]));                 // no groups listed: no PFS offered
        Assert.Equal("1:12/256 3:12 4:14 5:1", Transforms(sa.Proposals[1]));
        // A PFS proposal whose only group is weak and not allowed is skipped when D-H is included.
        Assert.Equal(1, ProposalBuilder.BuildEsp(sa, Ours("aes128-sha1-modp1024,aes128-sha1", false), 1, true, false, Managed, false));
        Assert.Equal("1:12/128 3:2 5:0", Transforms(sa.Proposals[0]));
    }

    // ---------------- INTEROP.md profiles, IKE ----------------

    public static TheoryData<string, string, string, bool, string?> IkeProfiles() => new()
    {
        // name, peer offer, our config, allowWeak, expected suite (null = NO_PROPOSAL_CHOSEN)
        { "azure default, weak allowed", "aes256-sha1-modp1024,aes128-sha1-modp1024,aes256-sha256-modp1024,aes128-sha256-modp1024",
            "aes256gcm16-prfsha384-ecp384,aes256-sha256-modp2048,aes256-sha1-modp1024", true, "aes256-sha1-prfsha1-modp1024" },
        { "azure default, weak refused", "aes256-sha1-modp1024,aes128-sha1-modp1024,aes256-sha256-modp1024,aes128-sha256-modp1024",
            "aes256gcm16-prfsha384-ecp384,aes256-sha256-modp2048,aes256-sha1-modp1024", false, null },
        { "azure custom gcm", "aes256gcm16-prfsha384-ecp384", "aes256gcm16-prfsha384-ecp384,aes256-sha256-modp2048", false, "aes256gcm16-prfsha384-ecp384" },
        { "azure custom cbc", "aes256-sha256-modp2048", "aes256gcm16-prfsha384-ecp384,aes256-sha256-modp2048", false, "aes256-sha256-prfsha256-modp2048" },
        { "azure custom group 24", "aes128-sha256-modp2048s256", "aes256-sha256-modp2048,aes128-sha256-modp2048s256", false, "aes128-sha256-prfsha256-modp2048s256" },
        { "alibaba default", "aes128-sha1-modp1024", "aes256-sha256-modp2048,aes128-sha1-modp1024", true, "aes128-sha1-prfsha1-modp1024" },
        { "alibaba default, weak refused", "aes128-sha1-modp1024", "aes256-sha256-modp2048,aes128-sha1-modp1024", false, null },
        { "alibaba interop", "aes256-sha256-modp2048", "aes256-sha256-modp2048,aes128-sha1-modp1024", false, "aes256-sha256-prfsha256-modp2048" },
        { "gcp", "aes256gcm16-prfsha256-x25519-ecp256-ecp384-modp2048", "aes256gcm16-prfsha256-ecp256-x25519", false, "aes256gcm16-prfsha256-ecp256" },
        { "gcp x25519 only ours", "aes256gcm16-prfsha256-x25519-ecp256", "aes128gcm16-prfsha256-ecp256,aes256gcm16-prfsha256-x25519", false, "aes256gcm16-prfsha256-x25519" },
        { "no common cipher", "aes128-sha1-modp2048", "aes256-sha1-modp2048", true, null },
    };

    [Theory]
    [MemberData(nameof(IkeProfiles))]
    public void Ike_profiles_of_the_clouds(string name, string peer, string ours, bool allowWeak, string? expected)
    {
        SaPayload offer = PeerIke(peer);
        var (r, chosen, reply) = SelectIke(offer, ours, allowWeak);
        Assert.True((expected == null ? NegotiationResult.NoProposalChosen : NegotiationResult.Ok) == r, name);
        if (expected == null)
        {
            return;
        }

        Assert.Equal(expected, chosen.ToString());
        // The initiator (the peer) accepts our answer and derives the same suite.
        SaPayload answer = OverWire(reply);
        var peerChosen = new IkeSuite();
        Assert.Equal(NegotiationResult.Ok, ProposalSelector.AcceptIke(answer, offer, peerChosen, out ulong spi));
        Assert.True(chosen.SameAs(peerChosen), name);
        Assert.Equal(0UL, spi);
    }

    [Fact]
    public void Aws_single_proposal_with_many_transforms()
    {
        // AWS offers AES-CBC 128/256 x SHA1/SHA2 x groups 2, 14-24 in one proposal and GCM in another (RFC 5282 §8).
        // Cut to the codec's 16 transforms per proposal (IkeProposal.MaxTransforms; AWS's full list has ~24).
        var groups = new[] { 2, 14, 15, 16, 17, 18, 19, 20, 21, 24 }.Select(g => (D, g, 0));
        SaPayload offer = Raw(
            (IkeProposal.ProtocolIke, 0, 0, new[] { (E, 12, 128), (E, 12, 256), (P, 2, 0), (P, 5, 0), (I, 2, 0), (I, 12, 0) }.Concat(groups).ToArray()),
            (IkeProposal.ProtocolIke, 0, 0, new[] { (E, 20, 128), (E, 20, 256), (P, 5, 0), (P, 6, 0) }.Concat(groups).ToArray()));
        var (r, chosen, reply) = SelectIke(offer, "aes256-sha256-modp2048", false);
        Assert.Equal(NegotiationResult.Ok, r);
        Assert.Equal("aes256-sha256-prfsha256-modp2048", chosen.ToString());
        Assert.Equal(1, reply.ProposalCount);
        Assert.Equal("1:12/256 2:5 3:12 4:14", Transforms(reply.Proposals[0]));

        (r, chosen, reply) = SelectIke(offer, "aes256gcm16-prfsha384-ecp384", false);
        Assert.Equal(NegotiationResult.Ok, r);
        Assert.Equal(2, reply.Proposals[0].Number);                                    // the peer's proposal number
        Assert.Equal("1:20/256 2:6 4:20", Transforms(reply.Proposals[0]));
        Assert.Equal(NegotiationResult.Ok, ProposalSelector.AcceptIke(OverWire(reply), offer, new IkeSuite(), out _));
    }

    [Fact]
    public void The_peers_ke_group_is_preferred_inside_the_chosen_proposal_only()
    {
        SaPayload offer = PeerIke("aes256gcm16-prfsha256-x25519-ecp256,aes256-sha256-modp2048");
        var (r, chosen, _) = SelectIke(offer, "aes256gcm16-prfsha256-ecp256-x25519,aes256-sha256-modp2048", false, preferredGroup: 31);
        Assert.Equal(NegotiationResult.Ok, r);
        Assert.Equal(31, chosen.DhGroup);
        // KE group 14 is in another proposal: our first proposal still wins, with our first group.
        (r, chosen, _) = SelectIke(offer, "aes256gcm16-prfsha256-ecp256-x25519,aes256-sha256-modp2048", false, preferredGroup: 14);
        Assert.Equal("aes256gcm16-prfsha256-ecp256", chosen.ToString());
    }

    [Fact]
    public void Our_configured_order_wins_and_the_answer_carries_the_peers_number()
    {
        SaPayload offer = PeerIke("aes128-sha256-ecp256,aes256gcm16-prfsha384-ecp384");
        var (r, chosen, reply) = SelectIke(offer, "aes256gcm16-prfsha384-ecp384,aes128-sha256-ecp256", false);
        Assert.Equal(NegotiationResult.Ok, r);
        Assert.Equal("aes256gcm16-prfsha384-ecp384", chosen.ToString());
        Assert.Equal(2, reply.Proposals[0].Number);
        (_, chosen, reply) = SelectIke(offer, "aes128-sha256-ecp256,aes256gcm16-prfsha384-ecp384", false);
        Assert.Equal("aes128-sha256-prfsha256-ecp256", chosen.ToString());
        Assert.Equal(1, reply.Proposals[0].Number);
    }

    [Fact]
    public void Key_length_must_match_and_be_present()
    {
        Assert.Equal(NegotiationResult.NoProposalChosen, SelectIke(PeerIke("aes192-sha256-modp2048"), "aes256-sha256-modp2048", false).Item1);
        SaPayload noKeyLength = Raw((IkeProposal.ProtocolIke, 0, 0, new[] { (E, 12, 0), (P, 5, 0), (I, 12, 0), (D, 14, 0) }));
        Assert.Equal(NegotiationResult.NoProposalChosen, SelectIke(noKeyLength, "aes256-sha256-modp2048", false).Item1);
        Assert.Equal(NegotiationResult.Ok, SelectIke(PeerIke("aes192-sha256-modp2048"), "aes256-sha256-modp2048,aes192-sha256-modp2048", false).Item1);
    }

    [Fact]
    public void Unknown_transforms_and_attributes_are_ignored_unknown_types_reject_the_proposal()
    {
        // Proposal 1: an unknown Transform Type (9): unacceptable as a whole (§3.3.6).
        // Proposal 2: unknown ENCR id 1234, unknown PRF 99, and the wanted transforms.
        SaPayload offer = Raw(
            (IkeProposal.ProtocolIke, 0, 0, new[] { (E, 12, 256), (P, 5, 0), (I, 12, 0), (D, 14, 0), ((byte)9, 1, 0) }),
            (IkeProposal.ProtocolIke, 0, 0, new[] { (E, 1234, 0), (E, 12, 256), (P, 99, 0), (P, 5, 0), (I, 12, 0), (D, 77, 0), (D, 14, 0) }));
        var (r, chosen, reply) = SelectIke(offer, "aes256-sha256-modp2048", false);
        Assert.Equal(NegotiationResult.Ok, r);
        Assert.Equal(2, reply.Proposals[0].Number);
        Assert.Equal("1:12/256 2:5 3:12 4:14", Transforms(reply.Proposals[0]));

        // An unknown attribute on the only aes256 transform makes that transform unusable.
        offer = Raw((IkeProposal.ProtocolIke, 0, 0, new[] { (E, 12, 256), (P, 5, 0), (I, 12, 0), (D, 14, 0) }));
        offer.Proposals[0].Transforms[0].HasUnknownAttribute = true;
        Assert.Equal(NegotiationResult.NoProposalChosen, SelectIke(offer, "aes256-sha256-modp2048", false).Item1);

        // The same from the wire: ENCR aes256 with an extra TV attribute (type 15) then a clean ENCR aes256.
        byte[] wire =
        [
            0, 0, 0, 64,                                   // SA generic header, length 64
            0, 0, 0, 60, 1, 1, 0, 5,                        // proposal 1, IKE, SPI size 0, 5 transforms
            3, 0, 0, 16, 1, 0, 0, 12, 0x80, 14, 1, 0, 0x80, 15, 0, 1,   // ENCR aes + Key Length 256 + unknown attr
            3, 0, 0, 12, 1, 0, 0, 12, 0x80, 14, 1, 0,       // ENCR aes256
            3, 0, 0, 8, 2, 0, 0, 5,                         // PRF sha256
            3, 0, 0, 8, 3, 0, 0, 12,                        // INTEG sha256-128
            0, 0, 0, 8, 4, 0, 0, 14,                        // D-H 14
        ];
        var parsed = new SaPayload();
        Assert.Equal(IkeParseResult.Ok, parsed.Parse(wire, 0, wire.Length));
        Assert.True(parsed.Proposals[0].Transforms[0].HasUnknownAttribute);
        (r, _, reply) = SelectIke(parsed, "aes256-sha256-modp2048", false);
        Assert.Equal(NegotiationResult.Ok, r);
        Assert.False(reply.Proposals[0].Transforms[0].HasUnknownAttribute);
    }

    [Fact]
    public void Proposals_of_other_protocols_and_wrong_spi_sizes_are_skipped()
    {
        SaPayload offer = Raw(
            (IkeProposal.ProtocolAh, 0, 0, new[] { (I, 12, 0) }),
            (IkeProposal.ProtocolIke, 8, 5, new[] { (E, 12, 256), (P, 5, 0), (I, 12, 0), (D, 14, 0) }),   // SPI in IKE_SA_INIT
            (IkeProposal.ProtocolIke, 0, 0, new[] { (E, 12, 256), (P, 5, 0), (I, 12, 0), (D, 14, 0) }));
        var (r, _, reply) = SelectIke(offer, "aes256-sha256-modp2048", false);
        Assert.Equal(NegotiationResult.Ok, r);
        Assert.Equal(3, reply.Proposals[0].Number);
        Assert.Equal(NegotiationResult.InvalidSyntax, SelectIke(new SaPayload(), "aes256-sha256-modp2048", false).Item1);
    }

    [Fact]
    public void Ike_rekey_carries_spis_both_ways()
    {
        SaPayload offer = PeerIke("aes256-sha256-modp2048", withSpi: true);
        Assert.Equal(NegotiationResult.NoProposalChosen, SelectIke(offer, "aes256-sha256-modp2048", false, withSpi: false).Item1);
        var (r, chosen, reply) = SelectIke(offer, "aes256-sha256-modp2048", false, withSpi: true);
        Assert.Equal(NegotiationResult.Ok, r);
        Assert.Equal((8, 0xB1B2B3B4B5B6B7B8UL), ((int)reply.Proposals[0].SpiSize, reply.Proposals[0].Spi));
        Assert.Equal(NegotiationResult.Ok, ProposalSelector.AcceptIke(OverWire(reply), offer, new IkeSuite(), out ulong spi));
        Assert.Equal(0xB1B2B3B4B5B6B7B8UL, spi);
        // The responder learns the initiator's new SPI from the chosen proposal.
        var chosen2 = new IkeSuite();
        Assert.Equal(NegotiationResult.Ok, ProposalSelector.SelectIke(offer, Ours("aes256-sha256-modp2048", true), Managed, false, chosen2, new SaPayload(), 7, true, 0, out ulong peerSpi));
        Assert.Equal(0xA1A2A3A4A5A6A7A8UL, peerSpi);
        // An 8-octet SPI of 0 is not an SPI.
        SaPayload zero = Raw((IkeProposal.ProtocolIke, 8, 0, new[] { (E, 12, 256), (P, 5, 0), (I, 12, 0), (D, 14, 0) }));
        Assert.Equal(NegotiationResult.NoProposalChosen, SelectIke(zero, "aes256-sha256-modp2048", false, withSpi: true).Item1);
    }

    [Fact]
    public void Reserved_esp_spis_are_refused()
    {
        SaPayload offer = Raw((IkeProposal.ProtocolEsp, 4, 255, new[] { (E, 20, 256), (N, 0, 0) }));
        Assert.Equal(NegotiationResult.NoProposalChosen, SelectEsp(offer, "aes256gcm16", true).Item1);
        SaPayload ours = PeerEsp("aes256gcm16", false);
        SaPayload answer = Raw((IkeProposal.ProtocolEsp, 4, 0, new[] { (E, 20, 256), (N, 0, 0) }));
        Assert.Equal(NegotiationResult.InvalidSyntax, ProposalSelector.AcceptEsp(answer, ours, new ChildSaParameters(), out _));
    }

    // ---------------- ESP ----------------

    [Fact]
    public void Azure_esp_as_initiator_gcm_without_pfs_in_ike_auth()
    {
        SaPayload offer = PeerEsp("aes256gcm16,aes256-sha256-modp2048,aes256-sha1-modp1024", includeDh: false);
        var (r, child, pfs, reply) = SelectEsp(offer, "aes256gcm16,aes256-sha256-modp2048", inIkeAuth: true);
        Assert.Equal(NegotiationResult.Ok, r);
        Assert.Equal((20, 256, 0, false, 0xC0FFEE01u, 0), (child.Encryption, child.KeyBits, child.Integrity, child.ExtendedSequenceNumbers, child.OutboundSpi, pfs));
        Assert.Equal("1:20/256 5:0", Transforms(reply.Proposals[0]));
        Assert.Equal((4, 0xD00D0001UL), ((int)reply.Proposals[0].SpiSize, reply.Proposals[0].Spi));
        var peerChild = new ChildSaParameters();
        Assert.Equal(NegotiationResult.Ok, ProposalSelector.AcceptEsp(OverWire(reply), offer, peerChild, out int peerPfs));
        Assert.Equal((20, 256, 0xD00D0001u, 0), (peerChild.Encryption, peerChild.KeyBits, peerChild.OutboundSpi, peerPfs));
    }

    public static TheoryData<string, string, string, bool, bool, string?, int> EspProfiles() => new()
    {
        // name, peer offer, ours, peer includes DH, in IKE_AUTH, expected "enc/bits/integ" (null = none), pfs group
        { "azure rekey with pfs", "aes256-sha256-modp2048", "aes256gcm16,aes256-sha256-modp2048", true, false, "12/256/12", 14 },
        { "azure pfs 24", "aes256-sha256-modp2048s256", "aes256-sha256-modp2048s256", true, false, "12/256/12", 24 },
        { "alibaba default rekey", "aes128-sha1-modp1024", "aes128-sha1-modp1024", true, false, "12/128/2", 2 },
        { "alibaba default ike_auth", "aes128-sha1-modp1024", "aes128-sha1-modp1024", true, true, "12/128/2", 0 },
        { "alibaba interop", "aes256-sha256-modp2048", "aes256-sha256-modp2048,aes128-sha1-modp1024", true, false, "12/256/12", 14 },
        { "aws gcm no pfs", "aes256gcm16,aes128gcm16", "aes128gcm16", false, false, "20/128/0", 0 },
        { "gcp gcm", "aes256gcm16,aes256-sha256", "aes256gcm16", false, true, "20/256/0", 0 },
        { "we want pfs, peer offers none", "aes256-sha256", "aes256-sha256-modp2048", false, false, null, 0 },
        { "peer insists on a group nobody of ours lists", "aes256-sha256-ecp384", "aes256-sha256", true, false, null, 0 },
        { "peer insists on a group another proposal of ours lists", "aes256-sha256-ecp384", "aes256-sha256,aes256gcm16-ecp384", true, false, "12/256/12", 20 },
        { "ike_auth ignores our groups", "aes256-sha256", "aes256-sha256-modp2048", false, true, "12/256/12", 0 },
    };

    [Theory]
    [MemberData(nameof(EspProfiles))]
    public void Esp_profiles_and_pfs(string name, string peer, string ours, bool peerDh, bool inIkeAuth, string? expected, int pfsGroup)
    {
        SaPayload offer = PeerEsp(peer, peerDh);
        var (r, child, pfs, reply) = SelectEsp(offer, ours, inIkeAuth);
        Assert.True((expected == null ? NegotiationResult.NoProposalChosen : NegotiationResult.Ok) == r, name);
        if (expected == null)
        {
            return;
        }

        Assert.Equal(expected, $"{child.Encryption}/{child.KeyBits}/{child.Integrity}");
        Assert.Equal(pfsGroup, pfs);
        IkeProposal rp = reply.Proposals[0];
        bool replyDh = Enumerable.Range(0, rp.TransformCount).Any(i => rp.Transforms[i].Type == D);
        Assert.Equal(pfsGroup != 0, replyDh);
        if (inIkeAuth)
        {
            Assert.False(replyDh, "IKE_AUTH strips D-H");
        }

        // The peer accepts the answer (for IKE_AUTH stripping, its offer's D-H type is unanswered: it must have none).
        if (!(inIkeAuth && peerDh))
        {
            var peerChild = new ChildSaParameters();
            Assert.Equal(NegotiationResult.Ok, ProposalSelector.AcceptEsp(OverWire(reply), offer, peerChild, out int peerPfs));
            Assert.Equal(pfsGroup, peerPfs);
        }
    }

    [Fact]
    public void Peer_dh_none_lets_us_skip_pfs_and_the_answer_says_none()
    {
        SaPayload offer = Raw((IkeProposal.ProtocolEsp, 4, 0x1234, new[] { (E, 20, 256), (D, 14, 0), (D, 0, 0), (N, 0, 0) }));
        var (r, _, pfs, reply) = SelectEsp(offer, "aes256gcm16", inIkeAuth: false);
        Assert.Equal(NegotiationResult.Ok, r);
        Assert.Equal(0, pfs);
        Assert.Equal("1:20/256 4:0 5:0", Transforms(reply.Proposals[0]));
        Assert.Equal(NegotiationResult.Ok, ProposalSelector.AcceptEsp(OverWire(reply), offer, new ChildSaParameters(), out int peerPfs));
        Assert.Equal(0, peerPfs);
        // With PFS wanted, the group is taken instead.
        (r, _, pfs, _) = SelectEsp(offer, "aes256gcm16-modp2048", inIkeAuth: false);
        Assert.Equal((NegotiationResult.Ok, 14), (r, pfs));
    }

    [Theory]
    [InlineData(new[] { 1 }, true, true)]
    [InlineData(new[] { 0, 1 }, true, false)]
    [InlineData(new[] { 1, 0 }, true, false)]
    [InlineData(new int[0], true, false)]
    [InlineData(new[] { 7 }, false, false)]
    public void Esn_choice(int[] esnIds, bool ok, bool esn)
    {
        var t = new List<(byte, int, int)> { (E, 12, 256), (I, 12, 0) };
        t.AddRange(esnIds.Select(id => (N, id, 0)));
        SaPayload offer = Raw((IkeProposal.ProtocolEsp, 4, 0x1234, t.ToArray()));
        var (r, child, _, reply) = SelectEsp(offer, "aes256-sha256", inIkeAuth: true);
        Assert.Equal(ok ? NegotiationResult.Ok : NegotiationResult.NoProposalChosen, r);
        if (ok)
        {
            Assert.Equal(esn, child.ExtendedSequenceNumbers);
            Assert.Equal(esnIds.Length > 0, Transforms(reply.Proposals[0]).Contains("5:"));
            Assert.Equal(0x1234u, child.OutboundSpi);
        }
    }

    // ---------------- initiator checks ----------------

    [Fact]
    public void Answers_that_were_never_offered_or_have_two_proposals_are_rejected()
    {
        SaPayload offer = PeerIke("aes256gcm16-prfsha384-ecp384,aes256-sha256-modp2048");
        var suite = new IkeSuite();

        SaPayload Answer(params (byte, int, int)[] t) => Raw((IkeProposal.ProtocolIke, 0, 0, t));
        Assert.Equal(NegotiationResult.Ok, ProposalSelector.AcceptIke(Answer((E, 20, 256), (P, 6, 0), (D, 20, 0)), offer, suite, out _));
        Assert.Equal("aes256gcm16-prfsha384-ecp384", suite.ToString());

        // Never offered: another group, another key length, a transform from proposal 2 inside proposal 1.
        Assert.Equal(NegotiationResult.NoProposalChosen, ProposalSelector.AcceptIke(Answer((E, 20, 256), (P, 6, 0), (D, 19, 0)), offer, suite, out _));
        Assert.Equal(NegotiationResult.NoProposalChosen, ProposalSelector.AcceptIke(Answer((E, 20, 128), (P, 6, 0), (D, 20, 0)), offer, suite, out _));
        Assert.Equal(NegotiationResult.NoProposalChosen, ProposalSelector.AcceptIke(Answer((E, 20, 256), (P, 5, 0), (D, 20, 0)), offer, suite, out _));
        // Number 3 does not exist.
        SaPayload three = Answer((E, 20, 256), (P, 6, 0), (D, 20, 0));
        three.Proposals[0].Number = 3;
        Assert.Equal(NegotiationResult.NoProposalChosen, ProposalSelector.AcceptIke(three, offer, suite, out _));
        // Two proposals.
        SaPayload two = Raw(
            (IkeProposal.ProtocolIke, 0, 0, new[] { (E, 20, 256), (P, 6, 0), (D, 20, 0) }),
            (IkeProposal.ProtocolIke, 0, 0, new[] { (E, 12, 256), (P, 5, 0), (I, 12, 0), (D, 14, 0) }));
        Assert.Equal(NegotiationResult.InvalidSyntax, ProposalSelector.AcceptIke(two, offer, suite, out _));
        // Two transforms of one type, a missing type, an ESN in IKE.
        SaPayload twoDh = Raw((IkeProposal.ProtocolIke, 0, 0, new[] { (E, 12, 256), (P, 5, 0), (I, 12, 0), (D, 14, 0), (D, 19, 0) }));
        twoDh.Proposals[0].Number = 2;
        Assert.Equal(NegotiationResult.InvalidSyntax, ProposalSelector.AcceptIke(twoDh, offer, suite, out _));
        SaPayload noDh = Raw((IkeProposal.ProtocolIke, 0, 0, new[] { (E, 12, 256), (P, 5, 0), (I, 12, 0) }));
        noDh.Proposals[0].Number = 2;
        Assert.Equal(NegotiationResult.InvalidSyntax, ProposalSelector.AcceptIke(noDh, offer, suite, out _));
        // Wrong protocol; empty answer.
        Assert.Equal(NegotiationResult.InvalidSyntax, ProposalSelector.AcceptIke(Raw((IkeProposal.ProtocolEsp, 4, 1, new[] { (E, 20, 256) })), offer, suite, out _));
        Assert.Equal(NegotiationResult.InvalidSyntax, ProposalSelector.AcceptIke(new SaPayload(), offer, suite, out _));
    }

    [Fact]
    public void Esp_answers_are_checked_the_same_way()
    {
        SaPayload offer = PeerEsp("aes256gcm16-modp2048,aes256-sha256-modp2048", includeDh: true);
        var child = new ChildSaParameters();
        SaPayload Answer(int number, params (byte, int, int)[] t)
        {
            SaPayload a = Raw((IkeProposal.ProtocolEsp, 4, 0xABCD0001, t));
            a.Proposals[0].Number = (byte)number;
            return a;
        }

        Assert.Equal(NegotiationResult.Ok, ProposalSelector.AcceptEsp(Answer(2, (E, 12, 256), (I, 12, 0), (D, 14, 0), (N, 0, 0)), offer, child, out int pfs));
        Assert.Equal((12, 256, 12, 0xABCD0001u, 14), (child.Encryption, child.KeyBits, child.Integrity, child.OutboundSpi, pfs));
        Assert.Equal(NegotiationResult.NoProposalChosen, ProposalSelector.AcceptEsp(Answer(2, (E, 12, 256), (I, 2, 0), (D, 14, 0), (N, 0, 0)), offer, child, out _));
        Assert.Equal(NegotiationResult.NoProposalChosen, ProposalSelector.AcceptEsp(Answer(2, (E, 12, 256), (I, 12, 0), (D, 14, 0), (N, 1, 0)), offer, child, out _));
        Assert.Equal(NegotiationResult.InvalidSyntax, ProposalSelector.AcceptEsp(Answer(2, (E, 12, 256), (I, 12, 0), (N, 0, 0)), offer, child, out _));   // D-H offered, not answered
        Assert.Equal(NegotiationResult.InvalidSyntax, ProposalSelector.AcceptEsp(Answer(1, (E, 20, 256), (D, 14, 0)), offer, child, out _));               // ESN missing
    }

    // ---------------- the log line ----------------

    [Fact]
    public void No_proposal_chosen_log_line_says_what_to_fix()
    {
        SaPayload offer = PeerIke("aes256-sha1-modp1024");
        ArrayList ours = Ours("aes256gcm16-prfsha384-ecp384,aes256-sha256-modp2048", true);
        var chosen = new IkeSuite();
        var reply = new SaPayload();
        NegotiationResult r = ProposalSelector.SelectIke(offer, ours, Managed, false, chosen, reply, 1, false);
        string line = NoProposalChosenLog.Describe(r, offer, ours, true, false, "azure", Managed, false);
        Assert.Equal("no proposal chosen: peer offered aes256-sha1-prfsha1-modp1024, we accept aes256gcm16-prfsha384-ecp384,aes256-sha256-modp2048 "
            + "(set vpn ike-group azure proposal aes256-sha1-modp1024; modp1024 is weak, RFC 8247 section 2.4: it must also be allowed for this peer)", line);

        // Something we do not implement at all, plus a weak group in our own config.
        SaPayload des = Raw((IkeProposal.ProtocolIke, 0, 0, new[] { (E, 3, 0), (P, 1, 0), (I, 1, 0), (D, 1, 0) }));
        line = NoProposalChosenLog.Describe(NegotiationResult.NoProposalChosen, des, Ours("aes128-sha1-modp1024", true), true, false, "alibaba", Managed, false);
        Assert.Equal("no proposal chosen: peer offered 3des-md5-prfmd5-modp768, we accept aes128-sha1 (weak groups modp1024/modp1536 in our config are not allowed for this peer, RFC 8247 section 2.4) "
            + "(the peer offers nothing this firmware implements: configure it for AES-CBC or AES-GCM-16 with SHA-1/SHA-2 and DH group 14, 19, 20, 24 or 31)", line);

        // ESP in IKE_AUTH: groups left out of the suggestion; several transforms of a type joined with '/'.
        SaPayload esp = Raw((IkeProposal.ProtocolEsp, 4, 1, new[] { (E, 12, 128), (E, 12, 256), (I, 2, 0), (I, 12, 0), (D, 14, 0), (N, 0, 0) }));
        line = NoProposalChosenLog.Describe(NegotiationResult.NoProposalChosen, esp, Ours("aes256gcm16", false), false, true, "esp-az", Managed, false);
        Assert.Equal("no proposal chosen: peer offered aes128/aes256-sha1/sha256-noesn, we accept aes256gcm16 (set vpn esp-group esp-az proposal aes128-sha1)", line);

        // Initiator side.
        line = NoProposalChosenLog.DescribeAnswer(NegotiationResult.NoProposalChosen, null!, PeerIke("aes256-sha256-modp2048"), true, "gcp");
        Assert.StartsWith("no proposal chosen: peer refused our offer aes256-sha256-prfsha256-modp2048", line);
    }

    [Fact]
    public void Building_and_selecting_allocate_nothing_after_warm_up()
    {
        ArrayList ours = Ours("aes256gcm16-prfsha384-ecp384,aes256-sha256-modp2048,aes128-sha1-modp1024", true);
        ArrayList oursEsp = Ours("aes256gcm16,aes256-sha256-modp2048", false);
        SaPayload offer = PeerIke("aes128-sha1-modp1024,aes256-sha256-modp2048");
        SaPayload espOffer = PeerEsp("aes256-sha256-modp2048", true);
        var sa = new SaPayload();
        var reply = new SaPayload();
        var chosen = new IkeSuite();
        var child = new ChildSaParameters();
        int Once()
        {
            int ok = 0;
            ok += ProposalBuilder.BuildIke(sa, ours, 0, false, Managed, true) == 3 ? 1 : 0;
            ok += ProposalBuilder.BuildEsp(sa, oursEsp, 1, true, false, Managed, true) == 2 ? 1 : 0;
            ok += ProposalSelector.SelectIke(offer, ours, Managed, true, chosen, reply, 0, false) == NegotiationResult.Ok ? 1 : 0;
            ok += ProposalSelector.AcceptIke(reply, offer, chosen, out _) == NegotiationResult.Ok ? 1 : 0;
            ok += ProposalSelector.SelectEsp(espOffer, oursEsp, false, Managed, true, child, out _, reply, 0x1005) == NegotiationResult.Ok ? 1 : 0;
            ok += ProposalSelector.AcceptEsp(reply, espOffer, child, out _) == NegotiationResult.Ok ? 1 : 0;
            return ok;
        }

        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(6, Once());
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        int total = 0;
        for (int i = 0; i < 1000; i++)
        {
            total += Once();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(6000, total);
    }
}
