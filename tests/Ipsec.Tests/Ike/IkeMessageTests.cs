using VpnAppliance.Ipsec.Ike;

namespace VpnAppliance.Ipsec.Tests.Ike;

/// <summary>IKE_SA_INIT golden message: parse, field checks, emit round trip, truncation sweep, payload round trips.</summary>
public class IkeMessageTests
{
    [Fact]
    public void Golden_ike_sa_init_parses_field_by_field()
    {
        byte[] g = IkeSaInitGolden.Build();
        Assert.Equal(IkeSaInitGolden.Length, g.Length);
        var m = new IkeMessage();
        Assert.Equal(IkeParseResult.Ok, m.Parse(g, 0, g.Length));
        Assert.Equal(0x1122334455667788UL, m.Header.SpiInitiator);
        Assert.Equal(IkeExchangeType.IkeSaInit, m.Header.ExchangeType);
        Assert.Equal(6, m.Chain.Count);
        Assert.True(m.Has(IkePayloadType.SecurityAssociation) && m.Has(IkePayloadType.KeyExchange) && m.Has(IkePayloadType.Nonce));
        Assert.Equal(1, m.Sa.ProposalCount);
        IkeProposal p = m.Sa.Proposals[0];
        Assert.Equal((1, IkeProposal.ProtocolIke, 0, 4), (p.Number, p.ProtocolId, (int)p.SpiSize, p.TransformCount));
        Assert.Equal((IkeTransform.TypeEncryption, (ushort)20, true, (ushort)256), (p.Transforms[0].Type, p.Transforms[0].Id, p.Transforms[0].HasKeyLength, p.Transforms[0].KeyLength));
        Assert.Equal((IkeTransform.TypePrf, (ushort)5, false), (p.Transforms[1].Type, p.Transforms[1].Id, p.Transforms[1].HasKeyLength));
        Assert.Equal((ushort)19, p.Transforms[2].Id);
        Assert.Equal((ushort)14, p.Transforms[3].Id);
        Assert.Equal((ushort)19, m.Ke.DhGroup);
        Assert.Equal(64, m.Ke.DataLength);
        Assert.Equal(0x40, g[m.Ke.DataOffset]);
        Assert.Equal(32, m.Nonce.DataLength);
        Assert.Equal(3, m.NotifyCount);
        Assert.Equal(IkeNotifyType.NatDetectionSourceIp, m.Notifies[0].NotifyType);
        Assert.Equal(20, m.Notifies[0].DataLength);
        Assert.Equal(IkeNotifyType.NatDetectionDestinationIp, m.Notifies[1].NotifyType);
        Assert.Equal(IkeNotifyType.Ikev2FragmentationSupported, m.Notifies[2].NotifyType);
        Assert.Equal(0, m.Notifies[2].DataLength);
    }

    [Fact]
    public void Golden_ike_sa_init_emits_byte_for_byte()
    {
        byte[] g = IkeSaInitGolden.Build();
        var m = new IkeMessage();
        Assert.Equal(IkeParseResult.Ok, m.Parse(g, 0, g.Length));
        byte[] o = new byte[512];
        int at = m.Header.Emit(o, 0, o.Length);
        at += m.Sa.Emit(o, at, o.Length - at, IkePayloadType.KeyExchange);
        at += m.Ke.Emit(o, at, o.Length - at, IkePayloadType.Nonce);
        at += m.Nonce.Emit(o, at, o.Length - at, IkePayloadType.Notify);
        at += m.Notifies[0].Emit(o, at, o.Length - at, IkePayloadType.Notify);
        at += m.Notifies[1].Emit(o, at, o.Length - at, IkePayloadType.Notify);
        at += m.Notifies[2].Emit(o, at, o.Length - at, IkePayloadType.None);
        IkeHeader.WriteMessageLength(o, 0, at);
        Assert.Equal(g, o.AsSpan(0, at).ToArray());
    }

    [Fact]
    public void Builds_ike_sa_init_from_fields()
    {
        byte[] g = IkeSaInitGolden.Build();
        var h = new IkeHeader { SpiInitiator = 0x1122334455667788UL, NextPayload = IkePayloadType.SecurityAssociation, ExchangeType = IkeExchangeType.IkeSaInit, Flags = IkeHeader.FlagInitiator };
        var sa = new SaPayload { ProposalCount = 1 };
        IkeProposal p = sa.Proposals[0];
        p.Number = 1; p.ProtocolId = IkeProposal.ProtocolIke; p.SpiSize = 0; p.TransformCount = 4;
        p.Transforms[0].Set(IkeTransform.TypeEncryption, 20, 256);
        p.Transforms[1].Set(IkeTransform.TypePrf, 5, 0);
        p.Transforms[2].Set(IkeTransform.TypeDiffieHellman, 19, 0);
        p.Transforms[3].Set(IkeTransform.TypeDiffieHellman, 14, 0);
        var ke = new KePayload { DhGroup = 19, Data = g, DataOffset = 28 + 48 + 8, DataLength = 64 };
        var ni = new NoncePayload { Data = g, DataOffset = 28 + 48 + 72 + 4, DataLength = 32 };
        var n1 = new NotifyPayload { NotifyType = IkeNotifyType.NatDetectionSourceIp, Data = g, DataOffset = 28 + 48 + 72 + 36 + 8, DataLength = 20 };
        var n2 = new NotifyPayload { NotifyType = IkeNotifyType.NatDetectionDestinationIp, Data = g, DataOffset = 28 + 48 + 72 + 36 + 28 + 8, DataLength = 20 };
        var n3 = new NotifyPayload { NotifyType = IkeNotifyType.Ikev2FragmentationSupported };
        byte[] o = new byte[300];
        int at = h.Emit(o, 0, o.Length);
        at += sa.Emit(o, at, o.Length - at, IkePayloadType.KeyExchange);
        at += ke.Emit(o, at, o.Length - at, IkePayloadType.Nonce);
        at += ni.Emit(o, at, o.Length - at, IkePayloadType.Notify);
        at += n1.Emit(o, at, o.Length - at, IkePayloadType.Notify);
        at += n2.Emit(o, at, o.Length - at, IkePayloadType.Notify);
        at += n3.Emit(o, at, o.Length - at, IkePayloadType.None);
        IkeHeader.WriteMessageLength(o, 0, at);
        Assert.Equal(g, o.AsSpan(0, at).ToArray());
        Assert.Equal(0, sa.Emit(o, 0, sa.EmitLength - 1, 0));
    }

    [Fact]
    public void Every_shorter_prefix_is_rejected_cleanly()
    {
        byte[] g = IkeSaInitGolden.Build();
        var m = new IkeMessage();
        for (int n = 0; n < g.Length; n++)
        {
            IkeParseResult r = m.Parse(g, 0, n);
            Assert.NotEqual(IkeParseResult.Ok, r);
        }
        // Length field patched to each prefix: the chain walker sees every cut.
        for (int n = IkeHeader.Length; n < g.Length; n++)
        {
            byte[] c = g.AsSpan(0, n).ToArray();
            IkeHeader.WriteMessageLength(c, 0, n);
            Assert.NotEqual(IkeParseResult.Ok, m.Parse(c, 0, n));
        }
    }

    [Fact]
    public void Unknown_critical_payload_is_typed()
    {
        byte[] g = IkeSaInitGolden.Build();
        byte[] c = new byte[g.Length + 4];
        g.CopyTo(c, 0);
        c[g.Length - 8] = 99;                         // last Notify's Next Payload: unknown type 99
        c[g.Length + 1] = IkePayloadChain.CriticalBit;
        c[g.Length + 3] = 4;
        IkeHeader.WriteMessageLength(c, 0, c.Length);
        var m = new IkeMessage();
        Assert.Equal(IkeParseResult.UnsupportedCriticalPayload, m.Parse(c, 0, c.Length));
        Assert.Equal(99, m.Chain.UnsupportedType);
        c[g.Length + 1] = 0;                          // not critical: skipped (§2.5)
        Assert.Equal(IkeParseResult.Ok, m.Parse(c, 0, c.Length));
    }

    [Fact]
    public void Auth_payloads_round_trip()
    {
        // IKE_AUTH inner payloads (§1.2): IDi, AUTH, SAi2, TSi, TSr, N(REKEY_SA), D — as the decrypted SK content.
        byte[] id = { 192, 0, 2, 1 };
        byte[] auth = new byte[32];
        var idi = new IdPayload { IdType = IdPayload.IdIpv4Address, Data = id, DataLength = 4 };
        var au = new AuthPayload { AuthMethod = AuthPayload.MethodSharedKey, Data = auth, DataLength = 32 };
        var sa = new SaPayload { ProposalCount = 1 };
        IkeProposal p = sa.Proposals[0];
        p.Number = 1; p.ProtocolId = IkeProposal.ProtocolEsp; p.SpiSize = 4; p.Spi = 0xC0FFEE01; p.TransformCount = 2;
        p.Transforms[0].Set(IkeTransform.TypeEncryption, 20, 256);
        p.Transforms[1].Set(IkeTransform.TypeEsn, 0, 0);
        var tsi = new TrafficSelectorPayload { SelectorCount = 1 };
        tsi.Selectors[0].SetIpv4(0, 0x0A000000, 0x0A0000FF, 0, 65535);
        var tsr = new TrafficSelectorPayload { SelectorCount = 2 };
        tsr.Selectors[0].SetIpv4(6, 0xC0A80000, 0xC0A8FFFF, 443, 443);
        tsr.Selectors[1].TsType = TrafficSelector.TsIpv6AddressRange;
        tsr.Selectors[1].EndAddress[15] = 1; tsr.Selectors[1].EndPort = 65535;
        var rk = new NotifyPayload { ProtocolId = IkeProposal.ProtocolEsp, SpiSize = 4, Spi = 0x12345678, NotifyType = IkeNotifyType.RekeySa };
        var del = new DeletePayload { ProtocolId = IkeProposal.ProtocolEsp, SpiSize = 4, SpiCount = 2 };
        del.Spis[0] = 1; del.Spis[1] = 0xFFFFFFFF;
        byte[] o = new byte[1024];
        int at = 0;
        at += idi.Emit(o, at, o.Length - at, IkePayloadType.Authentication);
        at += au.Emit(o, at, o.Length - at, IkePayloadType.SecurityAssociation);
        at += sa.Emit(o, at, o.Length - at, IkePayloadType.TsInitiator);
        at += tsi.Emit(o, at, o.Length - at, IkePayloadType.TsResponder);
        at += tsr.Emit(o, at, o.Length - at, IkePayloadType.Notify);
        at += rk.Emit(o, at, o.Length - at, IkePayloadType.Delete);
        at += del.Emit(o, at, o.Length - at, IkePayloadType.None);
        var m = new IkeMessage();
        Assert.Equal(IkeParseResult.Ok, m.ParsePayloads(o, 0, at, IkePayloadType.IdInitiator));
        Assert.Equal(IdPayload.IdIpv4Address, m.IdInitiator.IdType);
        Assert.Equal(id, o.AsSpan(m.IdInitiator.DataOffset, 4).ToArray());
        Assert.Equal(AuthPayload.MethodSharedKey, m.Auth.AuthMethod);
        Assert.Equal(32, m.Auth.DataLength);
        Assert.Equal(0xC0FFEE01UL, m.Sa.Proposals[0].Spi);
        Assert.Equal(IkeTransform.TypeEsn, m.Sa.Proposals[0].Transforms[1].Type);
        Assert.Equal(1, m.TsInitiator.SelectorCount);
        Assert.Equal((ushort)65535, m.TsInitiator.Selectors[0].EndPort);
        Assert.Equal(2, m.TsResponder.SelectorCount);
        Assert.Equal(6, m.TsResponder.Selectors[0].IpProtocolId);
        Assert.Equal(1, m.TsResponder.Selectors[1].EndAddress[15]);
        Assert.Equal(0x12345678UL, m.Notifies[0].Spi);
        Assert.Equal(IkeNotifyType.RekeySa, m.Notifies[0].NotifyType);
        Assert.Equal(1, m.DeleteCount);
        Assert.Equal(0xFFFFFFFFu, m.Deletes[0].Spis[1]);
        // Re-emit from the parsed structures: identical bytes.
        byte[] o2 = new byte[1024];
        int at2 = 0;
        at2 += m.IdInitiator.Emit(o2, at2, o2.Length - at2, IkePayloadType.Authentication);
        at2 += m.Auth.Emit(o2, at2, o2.Length - at2, IkePayloadType.SecurityAssociation);
        at2 += m.Sa.Emit(o2, at2, o2.Length - at2, IkePayloadType.TsInitiator);
        at2 += m.TsInitiator.Emit(o2, at2, o2.Length - at2, IkePayloadType.TsResponder);
        at2 += m.TsResponder.Emit(o2, at2, o2.Length - at2, IkePayloadType.Notify);
        at2 += m.Notifies[0].Emit(o2, at2, o2.Length - at2, IkePayloadType.Delete);
        at2 += m.Deletes[0].Emit(o2, at2, o2.Length - at2, IkePayloadType.None);
        Assert.Equal(o.AsSpan(0, at).ToArray(), o2.AsSpan(0, at2).ToArray());
        for (int n = 0; n < at; n++) Assert.NotEqual(IkeParseResult.Ok, m.ParsePayloads(o, 0, n, IkePayloadType.IdInitiator));
    }

    [Fact]
    public void Encrypted_payload_header_fields()
    {
        byte[] o = new byte[28 + 4 + 40];
        var h = new IkeHeader { SpiInitiator = 1, SpiResponder = 2, NextPayload = IkePayloadType.Encrypted, ExchangeType = IkeExchangeType.IkeAuth, Flags = IkeHeader.FlagInitiator, MessageId = 1, MessageLength = (uint)o.Length };
        h.Emit(o, 0, o.Length);
        Assert.Equal(4, EncryptedPayload.EmitHeader(o, 28, o.Length - 28, IkePayloadType.IdInitiator, 40));
        var m = new IkeMessage();
        Assert.Equal(IkeParseResult.Ok, m.Parse(o, 0, o.Length));
        Assert.Equal(IkePayloadType.IdInitiator, m.Encrypted.InnerNextPayload);
        Assert.Equal(32, m.Encrypted.BodyOffset);
        Assert.Equal(40, m.Encrypted.BodyLength);
    }
}
