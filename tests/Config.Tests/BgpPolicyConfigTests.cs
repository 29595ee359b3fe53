using VpnAppliance.Config;

namespace VpnAppliance.Config.Tests;

/// <summary>The BGP and policy settings the BGP engine added: parse, print, round trip, errors, RFC 8212 warnings.</summary>
public class BgpPolicyConfigTests
{
    private const string Extra = """
        set protocols bgp always-compare-med
        set protocols bgp neighbor 169.254.21.1 remote-as 65515
        set protocols bgp neighbor 169.254.21.1 prefix-list import IN
        set protocols bgp neighbor 169.254.21.1 prefix-list export OUT
        set protocols bgp neighbor 169.254.21.1 maximum-prefix 500
        set protocols bgp neighbor 169.254.21.1 maximum-prefix-action restart
        set protocols bgp neighbor 169.254.21.1 maximum-prefix-restart 120
        set protocols bgp neighbor 169.254.21.1 connect-mode active
        set protocols bgp neighbor 169.254.21.1 graceful-restart disable
        set protocols bgp neighbor 169.254.21.1 export-community 65010:100
        set protocols bgp neighbor 169.254.21.1 export-community no-export
        set policy prefix-list IN rule 20 action permit
        set policy prefix-list IN rule 20 prefix 172.16.0.0/12
        set policy prefix-list IN rule 20 le 24
        set policy prefix-list IN rule 20 community 65515:10
        """;

    private static ParseResult Parse(string extra) => ConfigText.Parse(TestConfigs.Base + "\n" + extra);

    [Fact]
    public void NewSettingsParseAndRoundTrip()
    {
        var r = Parse(Extra);
        Assert.True(r.Ok, TestConfigs.Dump(r));
        var bgp = r.Model.Bgp;
        Assert.True(bgp.AlwaysCompareMed);
        var n = bgp.Find(0xA9FE1501)!;
        Assert.True(n.MaximumPrefixRestart);
        Assert.Equal(120, n.MaximumPrefixRestartSeconds);
        Assert.Equal(1, n.ConnectMode);
        Assert.False(n.GracefulRestart);
        Assert.Equal(2, n.ExportCommunities.Count);
        Assert.Equal((65010u << 16) | 100u, n.ExportCommunityAt(0));
        Assert.Equal(BgpCommunity.NoExport, n.ExportCommunityAt(1));
        var rule = r.Model.Policy.Find("IN")!.Find(20)!;
        Assert.True(rule.HasCommunity);
        Assert.Equal((65515u << 16) | 10u, rule.Community);

        string printed = ConfigText.Print(r.Model);
        Assert.Contains("set protocols bgp always-compare-med", printed);
        Assert.Contains("set protocols bgp neighbor 169.254.21.1 export-community no-export", printed);
        Assert.Contains("set policy prefix-list IN rule 20 community 65515:10", printed);
        var again = ConfigText.Parse(printed);
        Assert.True(again.Ok, TestConfigs.Dump(again));
        Assert.True(again.Model.ContentEquals(r.Model, false));
        Assert.Equal(printed, ConfigText.Print(again.Model));
    }

    [Fact]
    public void ChangedNewSettingsAreNotEqual()
    {
        var a = Parse(Extra).Model;
        var b = Parse(Extra.Replace("connect-mode active", "connect-mode passive")).Model;
        var c = Parse(Extra.Replace("community 65515:10", "community 65515:11")).Model;
        var d = Parse(Extra.Replace("set protocols bgp always-compare-med\n", "")).Model;
        Assert.False(a.ContentEquals(b, false));
        Assert.False(a.ContentEquals(c, false));
        Assert.False(a.ContentEquals(d, false));
    }

    [Theory]
    [InlineData("set protocols bgp neighbor 169.254.21.1 connect-mode sometimes", "bad-value")]
    [InlineData("set protocols bgp neighbor 169.254.21.1 maximum-prefix-action drop", "bad-value")]
    [InlineData("set protocols bgp neighbor 169.254.21.1 export-community 70000:1", "bad-value")]
    [InlineData("set protocols bgp neighbor 169.254.21.1 export-community 65010", "bad-value")]
    [InlineData("set protocols bgp neighbor 169.254.21.1 graceful-restart maybe", "bad-value")]
    [InlineData("set policy prefix-list IN rule 10 community x:1", "bad-value")]
    public void BadValuesAreRefusedWithTheLine(string line, string rule)
    {
        var r = Parse("set protocols bgp neighbor 169.254.21.1 remote-as 65515\n" + line);
        Assert.False(r.Ok);
        TestConfigs.Single(r, rule);
    }

    [Fact]
    public void EbgpNeighborWithoutPolicyIsWarnedAboutRfc8212()
    {
        var r = Parse("set protocols bgp router-id 10.0.0.1\nset protocols bgp neighbor 169.254.21.1 remote-as 65515");
        Assert.True(r.Ok, TestConfigs.Dump(r));
        Assert.Contains(r.Warnings, w => w.Rule == "rfc8212-no-import");
        Assert.Contains(r.Warnings, w => w.Rule == "rfc8212-no-export");
    }

    [Fact]
    public void CommunityTextRoundTrips()
    {
        foreach (var s in new[] { "0:0", "65535:65535", "65010:100", "no-export", "no-advertise", "no-export-subconfed" })
        {
            Assert.True(BgpCommunity.TryParse(s, out uint v));
            Assert.Equal(s, BgpCommunity.Format(v));
        }

        foreach (var s in new[] { "", ":", "1:", ":1", "65536:1", "1:65536", "a:b", "123456:1" })
            Assert.False(BgpCommunity.TryParse(s, out _));
    }
}
