using VpnAppliance.Config;

namespace VpnAppliance.Config.Tests;

public class DiagnosticsTests
{
    [Fact]
    public void Error_NamesLineTokenAndRule()
    {
        ParseResult r = ConfigText.Parse("# comment\n\nset interfaces lan address 192.168.10.300/24\n");
        Assert.False(r.Ok);
        ConfigDiagnostic e = Assert.Single(r.Errors);
        Assert.Equal(3, e.Line);
        Assert.Equal("192.168.10.300/24", e.Token);
        Assert.Equal("bad-prefix", e.Rule);
        Assert.Equal("line 3: '192.168.10.300/24': bad-prefix: lan address must be a.b.c.d/nn with nn 0..32", e.ToString());
    }

    [Fact]
    public void AllSyntaxErrors_AreCollected()
    {
        string text = "set system host-name -bad-\nset interfaces lan mtu 99999\nset bogus thing\nfoo bar\nset vpn peer P address 1.2.3\nset system host-name ok\n";
        ParseResult r = ConfigText.Parse(text);
        Assert.Equal(new[] { 1, 2, 3, 4, 5 }, System.Array.ConvertAll(r.Errors, e => e.Line));
        Assert.Equal(new[] { "hostname-syntax", "out-of-range", "unknown-statement", "expected-set", "bad-ipv4" }, System.Array.ConvertAll(r.Errors, e => e.Rule));
        Assert.Equal("bogus", r.Errors[2].Token);
        Assert.Equal("foo", r.Errors[3].Token);
    }

    [Fact]
    public void Errors_AreBoundedAt50()
    {
        var sb = new System.Text.StringBuilder();
        for (int i = 0; i < 500; i++) sb.Append("set nonsense ").Append(i).Append('\n');
        ParseResult r = ConfigText.Parse(sb.ToString());
        Assert.Equal(DiagnosticList.MaxEach, r.Errors.Length);
        Assert.True(r.Truncated);
        Assert.False(r.Ok);
    }

    [Fact]
    public void ValidationErrors_AreAllCollected()
    {
        string text = TestConfigs.Base + "\n" + TestConfigs.Peer("generic", "169.254.10.2/30", "169.254.10.1", 65010 + 1)
            + "\nset vpn peer P1 ike-group NOPE\n".Replace("set vpn peer P1 ike-group NOPE", "set vpn tunnel vti5 peer GHOST")
            + "set protocols static route 10.9.0.0/16 next-hop tunnel vti9\n";
        ParseResult r = ConfigText.Parse(text);
        Assert.Contains(r.Errors, e => e.Rule == "unknown-peer" && e.Token == "GHOST");
        Assert.Contains(r.Errors, e => e.Rule == "tunnel-address-missing" && e.Token == "vti5");
        Assert.Contains(r.Errors, e => e.Rule == "unknown-tunnel" && e.Token == "vti9");
    }

    [Theory]
    [InlineData("set system host-name \"unterminated", "unterminated-quote")]
    [InlineData("set system host-name ab\"c", "bad-quote")]
    [InlineData("set system host-name \"a\"b", "bad-quote")]
    [InlineData("set system host-name a\u0001b", "bad-character")]
    [InlineData("set system host-name caf\u00e9", "bad-character")]
    [InlineData("set system", "incomplete")]
    [InlineData("set system host-name a b", "extra-token")]
    [InlineData("set system color red", "unknown-keyword")]
    [InlineData("set", "incomplete")]
    [InlineData("delete system host-name a", "expected-set")]
    [InlineData("set protocols bgp neighbor 169.254.21.1 timers hold 2", "hold-time")]
    [InlineData("set protocols bgp network 10.1.2.3/16", "prefix-host-bits")]
    [InlineData("set protocols bgp local-as 4294967296", "bad-asn")]
    [InlineData("set interfaces loopback address 10.0.0.1/24", "loopback-32")]
    [InlineData("set vpn tunnel tun0 peer A", "tunnel-name")]
    [InlineData("set vpn peer A profile oracle", "bad-value")]
    [InlineData("set vpn peer A local-id not_an_id", "bad-identity")]
    [InlineData("set vpn peer a/b address 198.18.1.1", "name-syntax")]
    [InlineData("set interfaces lan address 010.0.0.1/24", "bad-prefix")]
    public void SyntaxErrors_HaveTheirRule(string line, string rule)
    {
        ParseResult r = ConfigText.Parse(line + "\n");
        Assert.False(r.Ok);
        Assert.Equal(rule, r.Errors[0].Rule);
        Assert.Equal(1, r.Errors[0].Line);
    }

    [Fact]
    public void ConflictingLeaf_IsAnError_RepeatIsNot()
    {
        ParseResult same = ConfigText.Parse("set system host-name a\nset system host-name a\n");
        TestConfigs.AssertOk(same);
        ParseResult r = ConfigText.Parse("set system host-name a\nset system host-name b\n");
        ConfigDiagnostic e = TestConfigs.Single(r, "conflict");
        Assert.Equal(2, e.Line);
        Assert.Contains("line 1", e.Message);
    }

    [Fact]
    public void QuotesCommentsAndBlankLines()
    {
        string text = "  # leading comment\n\n\t\nset system host-name h1   # trailing comment\r\n"
            + "set interfaces wan address 198.18.0.2/24\n"
            + "set vpn peer P psk \"with spaces, a \\\"quote\\\" and a \\\\ backslash # not a comment\"\n";
        ParseResult r = ConfigText.Parse(text);
        Assert.Equal("h1", r.Model.System.HostName);
        Assert.Equal("with spaces, a \"quote\" and a \\ backslash # not a comment", r.Model.Peers.Find("P").Psk);
        string stored = ConfigText.PrintForStorage(r.Model);
        Assert.Contains("set vpn peer P psk \"with spaces, a \\\"quote\\\" and a \\\\ backslash # not a comment\"\n", stored);
        Assert.Equal(r.Model.Peers.Find("P").Psk, ConfigText.Parse(stored).Model.Peers.Find("P").Psk);
    }

    [Fact]
    public void KeyIdWithHash_IsNotAComment()
    {
        ParseResult r = ConfigText.Parse(TestConfigs.Base + "\n" + TestConfigs.Peer("generic", "169.254.10.2/30", "169.254.10.1", 65020)
            + "\nset vpn peer P1 local-id @#0A1B2C\nset vpn peer P1 remote-id @gw.example.net\n");
        TestConfigs.AssertOk(r);
        VpnPeer p = r.Model.Peers.Find("P1");
        Assert.Equal(IkeIdentityKind.KeyId, p.LocalId.Kind);
        Assert.Equal("@#0a1b2c", p.LocalId.ToString());
        Assert.Equal(IkeIdentityKind.Fqdn, p.RemoteId.Kind);
        Assert.Contains("set vpn peer P1 local-id @#0a1b2c\n", ConfigText.Print(r.Model));
    }

    [Fact]
    public void Rfc8212_EbgpWithoutPolicy_WarnsButDoesNotBlock()
    {
        string text = TestConfigs.Base + "\n" + TestConfigs.Peer("generic", "169.254.10.2/30", "169.254.10.1", 65020)
            .Replace("set protocols bgp neighbor 169.254.10.1 prefix-list import IN\n", "").Replace("set protocols bgp neighbor 169.254.10.1 prefix-list export OUT", "");
        ParseResult r = ConfigText.Parse(text);
        TestConfigs.AssertOk(r);
        Assert.Equal("169.254.10.1", TestConfigs.Warning(r, "rfc8212-no-import").Token);
        TestConfigs.Warning(r, "rfc8212-no-export");
    }

    [Theory]
    [InlineData("set protocols bgp local-as 0", "asn-reserved")]
    [InlineData("set protocols bgp local-as 23456", "asn-reserved")]
    [InlineData("set protocols bgp neighbor 10.9.9.9 remote-as 23456", "asn-reserved")]
    [InlineData("set protocols bgp neighbor 169.254.10.1 local-as 23456", "asn-reserved")]
    public void Asn0AndAsTrans_AreInvalidEverywhere(string line, string rule)
    {
        string text = TestConfigs.Base.Replace("set protocols bgp local-as 65010", "") + "\n"
            + TestConfigs.Peer("generic", "169.254.10.2/30", "169.254.10.1", 65020) + "\n" + line + "\n";
        if (!line.Contains("bgp local-as")) text += "set protocols bgp local-as 65010\n";
        ParseResult r = ConfigText.Parse(text);
        TestConfigs.Single(r, rule);
    }

    [Fact]
    public void PrefixListRanges_AreChecked()
    {
        ParseResult r = ConfigText.Parse(TestConfigs.Base + "\nset policy prefix-list X rule 5 action deny\nset policy prefix-list X rule 5 prefix 10.0.0.0/16\nset policy prefix-list X rule 5 ge 8\n");
        ConfigDiagnostic e = TestConfigs.Single(r, "prefix-list-range");
        Assert.Equal("8", e.Token);
        Assert.Equal(15, e.Line);
    }

    [Fact]
    public void PrefixList_Evaluates_FirstMatchByNumber()
    {
        ConfigModel m = ConfigText.Parse(TestConfigs.Base + "\nset policy prefix-list X rule 20 action permit\nset policy prefix-list X rule 20 prefix 10.0.0.0/8\nset policy prefix-list X rule 20 le 24\n"
            + "set policy prefix-list X rule 10 action deny\nset policy prefix-list X rule 10 prefix 10.66.0.0/16\nset policy prefix-list X rule 10 ge 16\n").Model;
        PrefixList x = m.Policy.Find("X");
        Ipv4Prefix.TryParse("10.66.1.0/24", out var denied);
        Ipv4Prefix.TryParse("10.1.0.0/16", out var permitted);
        Ipv4Prefix.TryParse("10.1.1.128/25", out var tooLong);
        Assert.False(x.Permits(denied));
        Assert.True(x.Permits(permitted));
        Assert.False(x.Permits(tooLong));
    }
}

public class SecretSafetyTests
{
    [Theory]
    [InlineData("set vpn peer P psk \"topsecret1 unterminated")]
    [InlineData("set vpn peer P psk topsecret1 with spaces")]
    [InlineData("set vpn peer P psk topsecret1\"x")]
    [InlineData("set vpn peer P psk \"topsecret1\"x")]
    [InlineData("set vpn peer P psk \"topsecret1\"\nset vpn peer P psk \"topsecret2\"")]
    [InlineData("set vpn peer P psk \"topsecret1\u0007\"")]
    public void ErrorsAboutAPsk_NeverShowIt(string text)
    {
        ParseResult r = ConfigText.Parse(text + "\n");
        Assert.False(r.Ok);
        foreach (ConfigDiagnostic e in r.Errors) Assert.DoesNotContain("topsecret", e.ToString());
    }

    [Fact]
    public void WeakPskWarning_DoesNotShowIt()
    {
        ParseResult r = ConfigText.Parse(TestConfigs.Base + "\n" + TestConfigs.Peer("generic", "169.254.10.2/30", "169.254.10.1", 65020).Replace("a sufficiently long shared key", "topsecret"));
        ConfigDiagnostic w = TestConfigs.Warning(r, "psk-weak");
        Assert.DoesNotContain("topsecret", w.ToString());
    }
}
