using VpnAppliance.Config;

namespace VpnAppliance.Config.Tests;

public class ProposalTests
{
    // (text, ike, encryption, key bits, integrity, prf, groups, canonical)
    public static TheoryData<string, bool, EncryptionAlgorithm, int, IntegrityAlgorithm, PrfAlgorithm, int[], string> Table => new()
    {
        { "aes256-sha256-modp2048", true, EncryptionAlgorithm.AesCbc, 256, IntegrityAlgorithm.HmacSha2_256_128, PrfAlgorithm.None, new[] { 14 }, "aes256-sha256-modp2048" },
        { "aes128-sha1-modp1024", true, EncryptionAlgorithm.AesCbc, 128, IntegrityAlgorithm.HmacSha1_96, PrfAlgorithm.None, new[] { 2 }, "aes128-sha1-modp1024" },
        { "aes256gcm16-prfsha256-ecp256", true, EncryptionAlgorithm.AesGcm16, 256, IntegrityAlgorithm.None, PrfAlgorithm.HmacSha2_256, new[] { 19 }, "aes256gcm16-prfsha256-ecp256" },
        { "aes256-sha256-ecp384", true, EncryptionAlgorithm.AesCbc, 256, IntegrityAlgorithm.HmacSha2_256_128, PrfAlgorithm.None, new[] { 20 }, "aes256-sha256-ecp384" },
        { "aes256gcm16", false, EncryptionAlgorithm.AesGcm16, 256, IntegrityAlgorithm.None, PrfAlgorithm.None, new int[0], "aes256gcm16" },
        { "aes256-sha256-modp2048", false, EncryptionAlgorithm.AesCbc, 256, IntegrityAlgorithm.HmacSha2_256_128, PrfAlgorithm.None, new[] { 14 }, "aes256-sha256-modp2048" },
        { "aes128gcm16-x25519", false, EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.None, PrfAlgorithm.None, new[] { 31 }, "aes128gcm16-x25519" },
        { "aes128gcm16-prfsha256-x25519", true, EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.None, PrfAlgorithm.HmacSha2_256, new[] { 31 }, "aes128gcm16-prfsha256-x25519" },
        { "aes256-sha384-modp2048s256", true, EncryptionAlgorithm.AesCbc, 256, IntegrityAlgorithm.HmacSha2_384_192, PrfAlgorithm.None, new[] { 24 }, "aes256-sha384-modp2048s256" },
        { "aes192-sha512-modp1536", true, EncryptionAlgorithm.AesCbc, 192, IntegrityAlgorithm.HmacSha2_512_256, PrfAlgorithm.None, new[] { 5 }, "aes192-sha512-modp1536" },
        // aliases normalise to the canonical name
        { "aes-sha-modp2048", true, EncryptionAlgorithm.AesCbc, 128, IntegrityAlgorithm.HmacSha1_96, PrfAlgorithm.None, new[] { 14 }, "aes128-sha1-modp2048" },
        { "aes256gcm-curve25519", false, EncryptionAlgorithm.AesGcm16, 256, IntegrityAlgorithm.None, PrfAlgorithm.None, new[] { 31 }, "aes256gcm16-x25519" },
        { "modp2048-sha256-aes256", true, EncryptionAlgorithm.AesCbc, 256, IntegrityAlgorithm.HmacSha2_256_128, PrfAlgorithm.None, new[] { 14 }, "aes256-sha256-modp2048" },
        { "aes256-sha256-prfsha384-ecp256-modp2048", true, EncryptionAlgorithm.AesCbc, 256, IntegrityAlgorithm.HmacSha2_256_128, PrfAlgorithm.HmacSha2_384, new[] { 19, 14 }, "aes256-sha256-prfsha384-ecp256-modp2048" },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Parses_IntoTypedModel_AndPrintsCanonically(string text, bool ike, EncryptionAlgorithm enc, int bits, IntegrityAlgorithm integ, PrfAlgorithm prf, int[] groups, string canonical)
    {
        var parser = new ProposalParser();
        Proposal p = parser.Parse(text, ike);
        Assert.True(p != null, parser.ErrorRule + ": " + parser.ErrorMessage);
        Assert.Equal(enc, p.Encryption);
        Assert.Equal(bits, p.KeySize);
        Assert.Equal(integ, p.Integrity);
        Assert.Equal(prf, p.Prf);
        Assert.Equal(groups, p.DhGroups);
        Assert.Equal(canonical, p.ToString());
        Assert.True(p.SameAs(parser.Parse(canonical, ike)));
    }

    [Theory]
    [InlineData("aes256-sha256-modp3072", true, "modp3072", "unsupported-algorithm")]
    [InlineData("3des-sha1-modp1024", true, "3des", "unsupported-algorithm")]
    [InlineData("aes256-md5-modp1024", true, "md5", "unsupported-algorithm")]
    [InlineData("aes128gcm8", false, "aes128gcm8", "unsupported-algorithm")]
    [InlineData("chacha20poly1305-prfsha256-x25519", true, "chacha20poly1305", "unsupported-algorithm")]
    [InlineData("aes256-sha256-ecp521", true, "ecp521", "unsupported-algorithm")]
    [InlineData("aes256-sha265-modp2048", true, "sha265", "unknown-algorithm")]
    [InlineData("aes512-sha256-modp2048", true, "aes512", "unsupported-algorithm")]
    [InlineData("aes256-sha256-modp2048-bogus", true, "bogus", "unknown-algorithm")]
    [InlineData("aes256gcm16-ecp256", true, "aes256gcm16-ecp256", "ike-prf-missing")]
    [InlineData("aes256-sha256", true, "aes256-sha256", "ike-dh-missing")]
    [InlineData("aes256-prfsha256", false, "prfsha256", "esp-prf")]
    [InlineData("aes256gcm16-sha256", false, "sha256", "proposal-aead-integrity")]
    [InlineData("aes256-modp2048", false, "aes256-modp2048", "proposal-no-integrity")]
    [InlineData("sha256-modp2048", true, "sha256-modp2048", "proposal-no-encryption")]
    [InlineData("aes256-aes128-sha1-modp2048", true, "aes128", "proposal-duplicate")]
    [InlineData("aes256--sha1", true, "aes256--sha1", "proposal-syntax")]
    public void Rejects_NamingTheToken(string text, bool ike, string token, string rule)
    {
        var parser = new ProposalParser();
        Assert.Null(parser.Parse(text, ike));
        Assert.Equal(token, parser.ErrorToken);
        Assert.Equal(rule, parser.ErrorRule);
    }

    [Fact]
    public void GroupTakesSeveralProposals_CommaOrSpaceSeparated()
    {
        string text = TestConfigs.Base + "\nset vpn ike-group MULTI proposal aes256gcm16-prfsha256-ecp256,aes256-sha256-modp2048 aes128-sha1-modp2048\n"
            + "set vpn ike-group MULTI proposal aes128gcm16-prfsha256-x25519\n";
        ParseResult r = ConfigText.Parse(text);
        TestConfigs.AssertOk(r);
        IkeGroup g = r.Model.IkeGroups.Find("MULTI");
        Assert.Equal("aes256gcm16-prfsha256-ecp256,aes256-sha256-modp2048,aes128-sha1-modp2048,aes128gcm16-prfsha256-x25519", g.ProposalText());
        Assert.Contains("set vpn ike-group MULTI proposal aes256gcm16-prfsha256-ecp256,aes256-sha256-modp2048,aes128-sha1-modp2048,aes128gcm16-prfsha256-x25519\n", ConfigText.Print(r.Model));
    }

    [Fact]
    public void ConfigError_NamesTheUnknownAlgorithm()
    {
        ParseResult r = ConfigText.Parse("set system host-name a\nset vpn ike-group X proposal aes256-sha256-modp9999\n");
        ConfigDiagnostic e = TestConfigs.Single(r, "unknown-algorithm");
        Assert.Equal(2, e.Line);
        Assert.Equal("modp9999", e.Token);
        Assert.StartsWith("line 2: 'modp9999': unknown-algorithm: ", e.ToString());
    }

    [Fact]
    public void EspPfs_EnableAndDisable_AreChecked()
    {
        ParseResult r = ConfigText.Parse(TestConfigs.Base + "\nset vpn esp-group A proposal aes256gcm16\nset vpn esp-group A pfs enable\n"
            + "set vpn esp-group B proposal aes256-sha256-modp2048\nset vpn esp-group B pfs disable\n");
        Assert.Equal(13, TestConfigs.Single(r, "esp-pfs-group-missing").Line);
        Assert.Equal("aes256-sha256-modp2048", TestConfigs.Single(r, "esp-pfs-disabled").Token);
    }

    [Fact]
    public void WeakGroup2_IsAWarningNotAnError()
    {
        ParseResult r = ConfigText.Parse(TestConfigs.Base + "\nset vpn ike-group OLD proposal aes128-sha1-modp1024\n");
        TestConfigs.AssertOk(r);
        ConfigDiagnostic w = TestConfigs.Warning(r, "weak-dh-group");
        Assert.Equal(13, w.Line);
        Assert.Equal("aes128-sha1-modp1024", w.Token);
        Assert.True(w.IsWarning);
    }
}
