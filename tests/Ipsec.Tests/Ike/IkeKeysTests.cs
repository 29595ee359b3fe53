using System.Security.Cryptography;
using VpnAppliance.Hal.Crypto;
using VpnAppliance.Ipsec.Ike;
using static VpnAppliance.Ipsec.Tests.Ike.IkeKeysRig;

namespace VpnAppliance.Ipsec.Tests.Ike;

/// <summary>
/// IKE SA keys: derivation (RFC 7296 §2.14, §2.17, §2.18) against an independent prf+ written in the test,
/// PSK AUTH (§2.15), SK payload protection (§3.14, RFC 5282) round trips, tamper and malformed cases, and an
/// independent decryption of our SK payloads with System.Security.Cryptography.
/// </summary>
public class IkeKeysTests
{
    public static readonly string[] AllSuites =
    [
        "aes128gcm16-prfsha256", "aes256gcm16-prfsha384", "aes192gcm16-prfsha512",
        "aes128-sha1", "aes128-sha256", "aes128-sha384", "aes128-sha512",
        "aes256-sha1", "aes256-sha256", "aes256-sha384", "aes256-sha512",
        "aes256-sha256-prfsha1",
    ];

    public static TheoryData<string, string> Matrix()
    {
        var data = new TheoryData<string, string>();
        foreach (string s in AllSuites)
        {
            data.Add(s, "managed");
            data.Add(s, "host");
        }

        return data;
    }

    [Theory]
    [InlineData("aes128gcm16-prfsha256", 32, 0, 20, 8, 16, 3 * 32 + 2 * 20)]
    [InlineData("aes256gcm16-prfsha384", 48, 0, 36, 8, 16, 3 * 48 + 2 * 36)]
    [InlineData("aes128-sha1", 20, 20, 16, 16, 12, 3 * 20 + 2 * 20 + 2 * 16)]
    [InlineData("aes256-sha256", 32, 32, 32, 16, 16, 3 * 32 + 2 * 32 + 2 * 32)]
    [InlineData("aes256-sha384", 48, 48, 32, 16, 24, 3 * 48 + 2 * 48 + 2 * 32)]
    [InlineData("aes256-sha512", 64, 64, 32, 16, 32, 3 * 64 + 2 * 64 + 2 * 32)]
    [InlineData("aes192-sha256-prfsha1", 20, 32, 24, 16, 16, 3 * 20 + 2 * 32 + 2 * 24)]
    public void Derivation_lengths_per_suite(string suite, int prf, int integ, int enc, int iv, int icv, int total)
    {
        IkeSaKeys keys = Derived(suite, "managed");
        Assert.True(keys.Ready);
        Assert.Equal(prf, keys.PrfLength);
        Assert.Equal(integ, keys.IntegrityKeyLength);
        Assert.Equal(enc, keys.EncryptionKeyLength);
        Assert.Equal(iv, keys.IvLength);
        Assert.Equal(icv, keys.IcvLength);
        Assert.Equal(total, keys.TotalKeyLength);
        int[] expected = [prf, integ, integ, enc, enc, prf, prf];
        for (int k = IkeSaKeys.KeySkD; k <= IkeSaKeys.KeySkPr; k++)
        {
            Assert.Equal(expected[k], keys.KeyLength(k));
            Assert.Equal(expected[k], Export(keys, k).Length);
        }
    }

    [Theory]
    [InlineData("aes256gcm16-prfsha256-ecp256")]   // GCM with integrity is refused below; this one is fine
    public void Suite_prints_like_strongswan(string name)
    {
        Assert.Equal("aes256gcm16-prfsha256-ecp256", Suite(name).ToString());
        Assert.Equal("aes256-sha256-prfsha256-modp2048", Suite("aes256-sha256-modp2048").ToString());
        Assert.Equal("aes128-sha1-prfsha1-modp1024", Suite("aes128-sha1-modp1024").ToString());
    }

    [Fact]
    public void Configure_refuses_unsupported_suites()
    {
        var keys = new IkeSaKeys(Provider("managed"), Random(1));
        Assert.False(keys.Configure(new IkeSuite { Encryption = 20, KeyBits = 256, Integrity = 12, Prf = 5 }));  // GCM + integ
        Assert.False(keys.Configure(new IkeSuite { Encryption = 12, KeyBits = 256, Integrity = 0, Prf = 5 }));   // CBC, no integ
        Assert.False(keys.Configure(new IkeSuite { Encryption = 12, KeyBits = 100, Integrity = 12, Prf = 5 }));
        Assert.False(keys.Configure(new IkeSuite { Encryption = 3, KeyBits = 192, Integrity = 12, Prf = 5 }));    // 3DES
        Assert.False(keys.Configure(new IkeSuite { Encryption = 12, KeyBits = 128, Integrity = 12, Prf = 4 }));   // prf aes-xcbc
        Assert.False(keys.Configured);
        byte[] n = new byte[32];
        Assert.Equal(CryptoResult.InvalidState, keys.DeriveInitial(n, 0, 32, n, 0, 32, n, 0, 32, 1, 2));
        Assert.True(keys.Configure(Suite("aes128-sha256")));
        Assert.Equal(CryptoResult.InvalidLength, keys.DeriveInitial(n, 0, 0, n, 0, 32, n, 0, 32, 1, 2));
        Assert.False(keys.Ready);
        Assert.Equal(-1, keys.Protect(true, n, 0, 4, 41, new byte[200], 0, 28, 200));
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Initial_keys_match_an_independent_prf_plus(string suiteName, string provider)
    {
        IkeSuite s = Suite(suiteName);
        var keys = new IkeSaKeys(Provider(provider), Random(3));
        Assert.True(keys.Configure(s));
        byte[] ni = Bytes(32, 11), nr = Bytes(48, 12), gir = Bytes(97, 13);   // odd lengths on purpose
        Assert.Equal(CryptoResult.Ok, keys.DeriveInitial(ni, 0, ni.Length, nr, 0, nr.Length, gir, 0, gir.Length, SpiI, SpiR));

        // RFC 7296 §2.14
        byte[] skeyseed = IkeKeysRig.Prf(s.Prf, [.. ni, .. nr], gir);
        int[] lengths = KeyLengths(s);
        byte[] keymat = IkeKeysRig.PrfPlus(s.Prf, skeyseed, [.. ni, .. nr, .. Be64(SpiI), .. Be64(SpiR)], lengths.Sum());
        byte[][] expected = Split(keymat, lengths);
        for (int k = IkeSaKeys.KeySkD; k <= IkeSaKeys.KeySkPr; k++)
        {
            Assert.Equal(expected[k], Export(keys, k));
        }

        // RFC 7296 §2.17, without and with PFS
        byte[] got = new byte[200];
        Assert.Equal(CryptoResult.Ok, keys.DeriveChildKeys(null!, 0, 0, ni, 0, ni.Length, nr, 0, nr.Length, got, 0, 200));
        Assert.Equal(IkeKeysRig.PrfPlus(s.Prf, expected[0], [.. ni, .. nr], 200), got);
        byte[] pfs = Bytes(64, 14);
        Assert.Equal(CryptoResult.Ok, keys.DeriveChildKeys(pfs, 0, pfs.Length, ni, 0, ni.Length, nr, 0, nr.Length, got, 0, 200));
        Assert.Equal(IkeKeysRig.PrfPlus(s.Prf, expected[0], [.. pfs, .. ni, .. nr], 200), got);

        // §2.18 helper: prf(SK_d, x)
        byte[] x = Bytes(40, 15);
        byte[] prfD = new byte[64];
        Assert.Equal(keys.PrfLength, keys.ComputePrfSkD(x, 0, x.Length, prfD, 0));
        Assert.Equal(IkeKeysRig.Prf(s.Prf, expected[0], x), prfD.AsSpan(0, keys.PrfLength).ToArray());
    }

    [Theory]
    [InlineData("aes128-sha1", "aes256gcm16-prfsha384", "managed")]
    [InlineData("aes256gcm16-prfsha256", "aes256-sha512", "host")]
    [InlineData("aes256-sha256", "aes256-sha256", "managed")]
    public void Rekeyed_keys_use_the_old_sk_d_and_old_prf(string oldSuite, string newSuite, string provider)
    {
        IkeSaKeys old = Derived(oldSuite, provider);
        IkeSuite o = Suite(oldSuite), n = Suite(newSuite);
        var fresh = new IkeSaKeys(Provider(provider), Random(5));
        Assert.True(fresh.Configure(n));
        byte[] ni = Bytes(32, 21), nr = Bytes(32, 22), gir = Bytes(48, 23);
        const ulong newI = 0x0102030405060708UL, newR = 0x0807060504030201UL;
        Assert.Equal(CryptoResult.Ok, fresh.DeriveRekey(old, gir, 0, gir.Length, ni, 0, ni.Length, nr, 0, nr.Length, newI, newR));

        // RFC 7296 §2.18: SKEYSEED = prf_old(SK_d old, g^ir (new) | Ni | Nr), then §2.14 with the new prf.
        byte[] skeyseed = IkeKeysRig.Prf(o.Prf, Export(old, IkeSaKeys.KeySkD), [.. gir, .. ni, .. nr]);
        int[] lengths = KeyLengths(n);
        byte[][] expected = Split(IkeKeysRig.PrfPlus(n.Prf, skeyseed, [.. ni, .. nr, .. Be64(newI), .. Be64(newR)], lengths.Sum()), lengths);
        for (int k = IkeSaKeys.KeySkD; k <= IkeSaKeys.KeySkPr; k++)
        {
            Assert.Equal(expected[k], Export(fresh, k));
        }

        // Rekeying "in place" (old == this, same suite): SKEYSEED comes from the old SK_d before it is replaced.
        IkeSaKeys self = Derived(oldSuite, provider);
        byte[] selfSeed = IkeKeysRig.Prf(o.Prf, Export(self, IkeSaKeys.KeySkD), [.. gir, .. ni, .. nr]);
        int[] oldLengths = KeyLengths(o);
        byte[][] selfExpected = Split(IkeKeysRig.PrfPlus(o.Prf, selfSeed, [.. ni, .. nr, .. Be64(newI), .. Be64(newR)], oldLengths.Sum()), oldLengths);
        Assert.Equal(CryptoResult.Ok, self.DeriveRekey(self, gir, 0, gir.Length, ni, 0, ni.Length, nr, 0, nr.Length, newI, newR));
        Assert.Equal(selfExpected[IkeSaKeys.KeySkD], Export(self, IkeSaKeys.KeySkD));
        Assert.Equal(selfExpected[IkeSaKeys.KeySkPr], Export(self, IkeSaKeys.KeySkPr));
        // A Configure clears the keys: not ready, so it cannot be the old SA of a rekey.
        Assert.True(self.Configure(o));
        Assert.Equal(CryptoResult.InvalidState, fresh.DeriveRekey(self, gir, 0, gir.Length, ni, 0, ni.Length, nr, 0, nr.Length, newI, newR));
    }

    [Theory]
    [InlineData("aes256gcm16-prfsha384", "managed", true)]
    [InlineData("aes256gcm16-prfsha384", "host", false)]
    [InlineData("aes128-sha1", "managed", false)]
    [InlineData("aes256-sha512", "host", true)]
    public void Psk_auth_matches_an_independent_computation(string suiteName, string provider, bool forInitiator)
    {
        IkeSaKeys keys = Derived(suiteName, provider);
        IkeSuite s = Suite(suiteName);
        byte[] psk = "correct horse battery staple"u8.ToArray();
        byte[] real = Bytes(300, 31), nonce = Bytes(32, 32);
        byte[] idBody = [1, 0, 0, 0, 198, 18, 0, 1];            // ID_IPV4_ADDR, 198.18.0.1 (RFC 7296 §3.5)
        byte[] auth = new byte[80];
        Assert.Equal(keys.PrfLength, keys.ComputePskAuth(forInitiator, psk, 0, psk.Length, real, 0, real.Length, nonce, 0, nonce.Length, idBody, 0, idBody.Length, auth, 5));

        // RFC 7296 §2.15
        byte[] skp = Export(keys, forInitiator ? IkeSaKeys.KeySkPi : IkeSaKeys.KeySkPr);
        byte[] maced = IkeKeysRig.Prf(s.Prf, skp, idBody);
        byte[] inner = IkeKeysRig.Prf(s.Prf, psk, "Key Pad for IKEv2"u8.ToArray());
        byte[] expected = IkeKeysRig.Prf(s.Prf, inner, [.. real, .. nonce, .. maced]);
        Assert.Equal(expected, auth.AsSpan(5, keys.PrfLength).ToArray());

        // The other role gives a different AUTH; the keys still work afterwards (scratch prf re-keyed).
        byte[] other = new byte[80];
        keys.ComputePskAuth(!forInitiator, psk, 0, psk.Length, real, 0, real.Length, nonce, 0, nonce.Length, idBody, 0, idBody.Length, other, 5);
        Assert.NotEqual(auth, other);
        Assert.Equal(-1, keys.ComputePskAuth(true, psk, 0, 0, real, 0, 1, nonce, 0, 1, idBody, 0, 1, auth, 0));
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Protect_unprotect_round_trip_both_directions(string suiteName, string provider)
    {
        // The two ends on different providers: host <-> managed interoperate.
        string otherProvider = provider == "host" ? "managed" : "host";
        IkeSaKeys initiator = Derived(suiteName, provider, 1);
        IkeSaKeys responder = Derived(suiteName, otherProvider, 2);
        foreach (int length in new[] { 0, 1, 15, 16, 17, 31, 100, 1000 })
        {
            byte[] plain = Bytes(length, length);
            foreach (bool fromInitiator in new[] { true, false })
            {
                IkeSaKeys sender = fromInitiator ? initiator : responder;
                IkeSaKeys receiver = fromInitiator ? responder : initiator;
                byte[] m = HeaderBuffer(2000, fromInitiator);
                int n = sender.Protect(fromInitiator, plain, 0, length, IkePayloadType.IdInitiator, m, 0, IkeHeader.Length, m.Length);
                Assert.Equal(IkeHeader.Length + length + sender.ProtectOverhead(length), n);
                Assert.Equal((uint)n, Wire.NetworkByteOrder.ReadUInt32(m, IkeHeader.LengthField));
                Assert.Equal(0, (n - IkeHeader.Length - 4 - sender.IvLength - sender.IcvLength) % sender.BlockLength);

                // The codec sees a well-formed message ending with SK.
                var msg = new IkeMessage();
                Assert.Equal(IkeParseResult.Ok, msg.Parse(m, 0, n));
                Assert.Equal(IkePayloadType.IdInitiator, msg.Chain.InnerNextPayload);

                Assert.Equal(IkeKeysResult.Ok, receiver.Unprotect(fromInitiator, m, 0, n, IkeHeader.Length, out int po, out int pl));
                Assert.Equal(length, pl);
                Assert.Equal(plain, m.AsSpan(po, pl).ToArray());
            }
        }
    }

    [Fact]
    public void Protect_works_with_the_plaintext_already_in_place_and_at_an_offset()
    {
        IkeSaKeys a = Derived("aes256-sha256", "managed", 1), b = Derived("aes256-sha256", "managed", 2);
        byte[] m = new byte[600];
        byte[] h = HeaderBuffer(100, true);
        Array.Copy(h, 0, m, 50, IkeHeader.Length);
        int sk = 50 + IkeHeader.Length;
        byte[] plain = Bytes(77, 9);
        Array.Copy(plain, 0, m, sk + a.SkPlainOffset, plain.Length);
        int n = a.Protect(true, m, sk + a.SkPlainOffset, plain.Length, IkePayloadType.Notify, m, 50, sk, 550);
        Assert.True(n > 0);
        Assert.Equal(IkeKeysResult.Ok, b.Unprotect(true, m, 50, n, sk, out int po, out int pl));
        Assert.Equal(plain, m.AsSpan(po, pl).ToArray());
        // Capacity one short of the need: -1, nothing claimed.
        Assert.Equal(-1, a.Protect(true, plain, 0, plain.Length, 41, HeaderBuffer(600, true), 0, IkeHeader.Length, n - 1));
        Assert.Equal(n, a.Protect(true, plain, 0, plain.Length, 41, HeaderBuffer(600, true), 0, IkeHeader.Length, n));
    }

    [Theory]
    [InlineData("aes256gcm16-prfsha256", "managed")]
    [InlineData("aes128gcm16-prfsha256", "host")]
    [InlineData("aes256-sha256", "managed")]
    [InlineData("aes128-sha1", "host")]
    [InlineData("aes256-sha512", "managed")]
    public void Our_sk_payload_decrypts_with_an_independent_implementation(string suiteName, string provider)
    {
        IkeSaKeys keys = Derived(suiteName, provider);
        byte[] plain = Bytes(45, 3);
        byte[] m = HeaderBuffer(400, false);
        int n = keys.Protect(false, plain, 0, plain.Length, IkePayloadType.Authentication, m, 0, IkeHeader.Length, m.Length);
        byte[] wire = m.AsSpan(0, n).ToArray();
        byte[] inner = IndependentOpen(keys, wire, fromInitiator: false);
        Assert.Equal(plain.Length + 1 + inner[^1], inner.Length);
        Assert.Equal(plain, inner.AsSpan(0, plain.Length).ToArray());
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void A_flipped_bit_anywhere_fails_authentication(string suiteName, string provider)
    {
        IkeSaKeys a = Derived(suiteName, provider, 1), b = Derived(suiteName, provider, 2);
        byte[] plain = Bytes(40, 5);
        byte[] m = HeaderBuffer(300, true);
        int n = a.Protect(true, plain, 0, plain.Length, IkePayloadType.Notify, m, 0, IkeHeader.Length, m.Length);
        byte[] good = m.AsSpan(0, n).ToArray();
        int ctOffset = IkeHeader.Length + 4 + a.IvLength;
        for (int at = 0; at < n; at++)
        {
            foreach (byte bit in new byte[] { 0x01, 0x80 })
            {
                byte[] w = (byte[])good.Clone();
                w[at] ^= bit;
                byte[] tampered = (byte[])w.Clone();
                Assert.Equal(IkeKeysResult.AuthenticationFailed, b.Unprotect(true, w, 0, n, IkeHeader.Length, out _, out int pl));
                Assert.Equal(0, pl);
                if (provider == "managed")
                {
                    Assert.Equal(tampered, w);                   // nothing written
                }
                else
                {
                    Assert.False(w.AsSpan(ctOffset, plain.Length).SequenceEqual(plain));   // no plaintext released
                }
            }
        }

        // The untouched message still opens (the failures did not disturb the keys).
        Assert.Equal(IkeKeysResult.Ok, b.Unprotect(true, good, 0, n, IkeHeader.Length, out _, out int len));
        Assert.Equal(plain.Length, len);
    }

    [Theory]
    [InlineData("aes256gcm16-prfsha384", "managed")]
    [InlineData("aes256gcm16-prfsha384", "host")]
    [InlineData("aes128-sha256", "managed")]
    [InlineData("aes128-sha256", "host")]
    public void Wrong_direction_keys_fail(string suiteName, string provider)
    {
        IkeSaKeys a = Derived(suiteName, provider, 1), b = Derived(suiteName, provider, 2);
        byte[] m = HeaderBuffer(300, true);
        int n = a.Protect(true, Bytes(30, 1), 0, 30, 41, m, 0, IkeHeader.Length, m.Length);
        byte[] copy = (byte[])m.Clone();
        Assert.Equal(IkeKeysResult.AuthenticationFailed, b.Unprotect(false, copy, 0, n, IkeHeader.Length, out _, out _));
        // And a different IKE SA (other nonces) fails too.
        IkeSaKeys stranger = Derived(suiteName, provider, 3, inputSeed: 99);
        copy = (byte[])m.Clone();
        Assert.Equal(IkeKeysResult.AuthenticationFailed, stranger.Unprotect(true, copy, 0, n, IkeHeader.Length, out _, out _));
        Assert.Equal(IkeKeysResult.Ok, b.Unprotect(true, m, 0, n, IkeHeader.Length, out _, out _));
    }

    [Theory]
    [InlineData("aes256gcm16-prfsha384")]
    [InlineData("aes256-sha256")]
    [InlineData("aes128-sha1")]
    public void Truncated_sk_is_malformed(string suiteName)
    {
        IkeSaKeys a = Derived(suiteName, "managed", 1), b = Derived(suiteName, "managed", 2);
        byte[] m = HeaderBuffer(300, true);
        int n = a.Protect(true, Bytes(20, 1), 0, 20, 41, m, 0, IkeHeader.Length, m.Length);
        int minimum = IkeHeader.Length + 4 + a.IvLength + a.IcvLength;   // no room for even the Pad Length octet
        for (int len = 0; len <= minimum; len++)
        {
            Assert.Equal(IkeKeysResult.Malformed, b.Unprotect(true, (byte[])m.Clone(), 0, len, IkeHeader.Length, out _, out _));
        }

        if (a.BlockLength > 1)
        {
            for (int cut = 1; cut < a.BlockLength; cut++)
            {
                Assert.Equal(IkeKeysResult.Malformed, b.Unprotect(true, (byte[])m.Clone(), 0, n - cut, IkeHeader.Length, out _, out _));
            }
        }
        else
        {
            Assert.Equal(IkeKeysResult.AuthenticationFailed, b.Unprotect(true, (byte[])m.Clone(), 0, n - 1, IkeHeader.Length, out _, out _));
        }

        Assert.Equal(IkeKeysResult.Malformed, b.Unprotect(true, m, 0, n, n - 2, out _, out _));          // SK header past the end
        Assert.Equal(IkeKeysResult.Malformed, b.Unprotect(true, m, 0, n, 10, out _, out _));             // inside the IKE header
        Assert.Equal(IkeKeysResult.Malformed, b.Unprotect(true, m, 250, 100, IkeHeader.Length, out _, out _));
        Assert.Equal(IkeKeysResult.Malformed, b.Unprotect(true, null!, 0, n, IkeHeader.Length, out _, out _));
        var notReady = new IkeSaKeys(Provider("managed"), Random(1));
        Assert.Equal(IkeKeysResult.NotReady, notReady.Unprotect(true, m, 0, n, IkeHeader.Length, out _, out _));
    }

    [Theory]
    [InlineData("aes256gcm16-prfsha256")]
    [InlineData("aes256-sha256")]
    public void Bad_padding_is_malformed_after_authentication(string suiteName)
    {
        IkeSaKeys keys = Derived(suiteName, "managed");
        // Pad Length 200 in a 32-octet ciphertext: authenticated, but impossible.
        byte[] inner = Bytes(32, 4);
        inner[^1] = 200;
        byte[] wire = IndependentSeal(keys, inner, fromInitiator: true);
        Assert.Equal(IkeKeysResult.Malformed, keys.Unprotect(true, wire, 0, wire.Length, IkeHeader.Length, out _, out _));
        // Pad Length 31 (= all the rest): valid, empty inner payloads.
        inner[^1] = 31;
        wire = IndependentSeal(keys, inner, fromInitiator: true);
        Assert.Equal(IkeKeysResult.Ok, keys.Unprotect(true, wire, 0, wire.Length, IkeHeader.Length, out _, out int pl));
        Assert.Equal(0, pl);
        // SK Payload Length that disagrees with the message (authenticated, sender bug).
        inner[^1] = 3;
        wire = IndependentSeal(keys, inner, fromInitiator: true, skLengthDelta: -1);
        Assert.Equal(IkeKeysResult.Malformed, keys.Unprotect(true, wire, 0, wire.Length, IkeHeader.Length, out _, out _));
    }

    [Fact]
    public void Clear_zeroises_and_stops_protection()
    {
        IkeSaKeys keys = Derived("aes256-sha256", "managed");
        keys.Clear();
        Assert.False(keys.Ready);
        Assert.Equal(-1, keys.CopyKey(IkeSaKeys.KeySkD, new byte[64], 0));
        Assert.Equal(-1, keys.Protect(true, new byte[4], 0, 4, 41, HeaderBuffer(200, true), 0, 28, 200));
        Assert.Equal(CryptoResult.InvalidState, keys.DeriveChildKeys(null!, 0, 0, new byte[32], 0, 32, new byte[32], 0, 32, new byte[10], 0, 10));
        // Derive again works (Configure kept).
        byte[] n32 = Bytes(32, 1);
        Assert.Equal(CryptoResult.Ok, keys.DeriveInitial(n32, 0, 32, n32, 0, 32, n32, 0, 32, 1, 2));
    }

    [Theory]
    [InlineData("aes256gcm16-prfsha384", "managed")]
    [InlineData("aes256gcm16-prfsha384", "host")]
    [InlineData("aes128-sha1", "managed")]
    [InlineData("aes256-sha256", "host")]
    public void Protect_and_unprotect_allocate_nothing(string suiteName, string provider)
    {
        IkeSaKeys a = Derived(suiteName, provider, 1), b = Derived(suiteName, provider, 2);
        byte[] plain = Bytes(200, 1);
        byte[] m = HeaderBuffer(600, true);
        int Once(int k)
        {
            bool init = (k & 1) == 0;
            IkeSaKeys s = init ? a : b, r = init ? b : a;
            int n = s.Protect(init, plain, 0, plain.Length, 41, m, 0, IkeHeader.Length, m.Length);
            return r.Unprotect(init, m, 0, n, IkeHeader.Length, out _, out int pl) == IkeKeysResult.Ok ? pl : -1;
        }

        for (int k = 0; k < 100; k++)
        {
            Assert.Equal(plain.Length, Once(k));
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        int ok = 0;
        for (int k = 0; k < 2000; k++)
        {
            ok += Once(k) == plain.Length ? 1 : 0;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(2000, ok);
    }

    [Theory]
    [InlineData("managed")]
    [InlineData("host")]
    public void Nat_detection_hash_is_sha1_of_spis_address_port(string provider)
    {
        IHash sha1 = Provider(provider).CreateHash(VpnAppliance.Hal.Crypto.HashAlgorithm.Sha1);
        byte[] output = new byte[30];
        NatDetection.Hash(sha1, SpiI, SpiR, 0xC6120001u, 4500, output, 3);   // 198.18.0.1:4500
        byte[] expected = SHA1.HashData([.. Be64(SpiI), .. Be64(SpiR), 198, 18, 0, 1, 0x11, 0x94]);
        Assert.Equal(expected, output.AsSpan(3, 20).ToArray());
        Assert.Equal(0, output[0]);
        Assert.Equal(0, output[23]);
    }

    // ---- independent SK processing with System.Security.Cryptography (RFC 7296 §3.14, RFC 5282) ----

    static byte[] IndependentOpen(IkeSaKeys keys, byte[] wire, bool fromInitiator)
    {
        byte[] enc = Export(keys, fromInitiator ? IkeSaKeys.KeySkEi : IkeSaKeys.KeySkEr);
        int sk = IkeHeader.Length, ivOffset = sk + 4;
        if (keys.Suite.IsAead)
        {
            byte[] nonce = [.. enc.AsSpan(enc.Length - 4), .. wire.AsSpan(ivOffset, 8)];
            int ct = ivOffset + 8, icv = wire.Length - 16;
            byte[] plain = new byte[icv - ct];
            using var gcm = new AesGcm(enc.AsSpan(0, enc.Length - 4), 16);
            gcm.Decrypt(nonce, wire.AsSpan(ct, icv - ct), wire.AsSpan(icv, 16), plain, wire.AsSpan(0, ivOffset));
            return plain;
        }
        else
        {
            byte[] integ = Export(keys, fromInitiator ? IkeSaKeys.KeySkAi : IkeSaKeys.KeySkAr);
            int icvLength = keys.IcvLength;
            int icv = wire.Length - icvLength, ct = ivOffset + 16;
            byte[] mac = IkeKeysRig.Prf(keys.Suite.Integrity switch { 2 => 2, 12 => 5, 13 => 6, _ => 7 }, integ, wire.AsSpan(0, icv).ToArray());
            Assert.Equal(mac.AsSpan(0, icvLength).ToArray(), wire.AsSpan(icv, icvLength).ToArray());
            using var aes = Aes.Create();
            aes.Key = enc;
            return aes.DecryptCbc(wire.AsSpan(ct, icv - ct), wire.AsSpan(ivOffset, 16), PaddingMode.None);
        }
    }

    /// <summary>Builds header | SK(inner encrypted as given, Pad Length included in inner) with the exported keys.</summary>
    static byte[] IndependentSeal(IkeSaKeys keys, byte[] inner, bool fromInitiator, int skLengthDelta = 0)
    {
        byte[] enc = Export(keys, fromInitiator ? IkeSaKeys.KeySkEi : IkeSaKeys.KeySkEr);
        int iv = keys.IvLength, icvLength = keys.IcvLength;
        int total = IkeHeader.Length + 4 + iv + inner.Length + icvLength;
        byte[] w = HeaderBuffer(total, fromInitiator);
        Wire.NetworkByteOrder.WriteUInt32(w, IkeHeader.LengthField, (uint)total);
        w[IkeHeader.Length] = IkePayloadType.Notify;
        Wire.NetworkByteOrder.WriteUInt16(w, IkeHeader.Length + 2, total - IkeHeader.Length + skLengthDelta);
        byte[] ivBytes = Bytes(iv, 77);
        ivBytes.CopyTo(w, IkeHeader.Length + 4);
        int ct = IkeHeader.Length + 4 + iv;
        if (keys.Suite.IsAead)
        {
            byte[] nonce = [.. enc.AsSpan(enc.Length - 4), .. ivBytes];
            using var gcm = new AesGcm(enc.AsSpan(0, enc.Length - 4), 16);
            gcm.Encrypt(nonce, inner, w.AsSpan(ct, inner.Length), w.AsSpan(total - 16, 16), w.AsSpan(0, ct - iv));
        }
        else
        {
            using var aes = Aes.Create();
            aes.Key = enc;
            aes.EncryptCbc(inner, ivBytes, PaddingMode.None).CopyTo(w, ct);
            byte[] integ = Export(keys, fromInitiator ? IkeSaKeys.KeySkAi : IkeSaKeys.KeySkAr);
            byte[] mac = IkeKeysRig.Prf(keys.Suite.Integrity switch { 2 => 2, 12 => 5, 13 => 6, _ => 7 }, integ, w.AsSpan(0, total - icvLength).ToArray());
            mac.AsSpan(0, icvLength).CopyTo(w.AsSpan(total - icvLength));
        }

        return w;
    }
}
