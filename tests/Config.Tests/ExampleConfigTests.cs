using VpnAppliance.Config;

namespace VpnAppliance.Config.Tests;

public class ExampleConfigTests
{
    [Fact]
    public void AzureActiveActive_ParsesWithoutErrorsOrWarnings()
    {
        ParseResult r = ConfigText.Parse(TestConfigs.AzureExample);
        TestConfigs.AssertOk(r);
        Assert.Empty(r.Warnings);
        ConfigModel m = r.Model;
        Assert.Equal("branch1", m.System.HostName);
        Assert.Equal(2, m.Peers.Peers.Count);
        Assert.Equal(2, m.Tunnels.Tunnels.Count);
        Assert.Equal(2, m.Bgp.Neighbors.Count);
        Assert.Equal(65010u, m.Bgp.LocalAs);
        IkeGroup ike = m.IkeGroups.Find("AZURE");
        Assert.Equal(2, ike.Proposals.Count);
        Assert.Equal(DhGroup.Ecp384, ike.ProposalAt(0).DhGroups[0]);
        Assert.Equal(PrfAlgorithm.HmacSha2_384, ike.ProposalAt(0).Prf);
        Assert.Equal(10, ike.DpdInterval);
        EspGroup esp = m.EspGroups.Find("AZURE");
        Assert.Equal("aes256gcm16,aes256-sha256-modp2048", esp.ProposalText());
        Assert.True(esp.OffersPfs);
        Assert.Equal("azure", m.Peers.Find("azure-gw-b").Profile);
        Assert.Equal("replace with the connection's shared key B", m.Peers.Find("azure-gw-b").Psk);
    }

    [Fact]
    public void AzureActiveActive_RoundTrips()
    {
        ConfigModel c = ConfigText.Parse(TestConfigs.AzureExample).Model;
        string storage = ConfigText.PrintForStorage(c);
        ParseResult again = ConfigText.Parse(storage);
        TestConfigs.AssertOk(again);
        Assert.True(again.Model.ContentEquals(c, true));
        Assert.Equal(c, again.Model);
        Assert.Equal(storage, ConfigText.PrintForStorage(again.Model));

        string shown = ConfigText.Print(c);
        ParseResult fromShown = ConfigText.Parse(shown);
        Assert.True(fromShown.Ok, TestConfigs.Dump(fromShown));
        Assert.True(fromShown.Model.ContentEquals(c, false));
        Assert.False(fromShown.Model.ContentEquals(c, true)); // the secrets are not in the shown text
        Assert.Equal(shown, ConfigText.Print(fromShown.Model));
    }

    [Fact]
    public void Print_MasksSecrets_StorageKeepsThem()
    {
        ConfigModel c = ConfigText.Parse(TestConfigs.AzureExample).Model;
        string shown = ConfigText.Print(c);
        Assert.DoesNotContain("shared key", shown);
        Assert.Contains("set vpn peer azure-gw-a psk ******", shown);
        string stored = ConfigText.PrintForStorage(c);
        Assert.Contains("set vpn peer azure-gw-a psk \"replace with the connection's shared key A\"", stored);
    }

    [Fact]
    public void CanonicalPrint_IsSortedAndDropsDefaults()
    {
        string text = ConfigText.Print(ConfigText.Parse(TestConfigs.AzureExample).Model);
        string[] lines = text.TrimEnd('\n').Split('\n');
        Assert.Equal("set system host-name branch1", lines[0]);
        Assert.DoesNotContain("set vpn ike-group AZURE lifetime 28800", text); // default
        Assert.DoesNotContain("connection-type initiate", text); // default
        Assert.Contains("set vpn ike-group AZURE proposal aes256gcm16-prfsha384-ecp384,aes256-sha256-modp2048\n", text);
        Assert.True(text.IndexOf("neighbor 169.254.21.1", System.StringComparison.Ordinal) < text.IndexOf("neighbor 169.254.22.1", System.StringComparison.Ordinal));
        Assert.True(text.IndexOf("set vpn tunnel vti0", System.StringComparison.Ordinal) < text.IndexOf("set vpn tunnel vti1", System.StringComparison.Ordinal));
    }

    [Fact]
    public void Summary_DescribesTheBranch()
    {
        string[] s = ConfigText.Parse(TestConfigs.AzureExample).Model.Summary();
        Assert.Contains("host-name branch1", s);
        Assert.Contains("interfaces: lan 192.168.10.1/24, wan 198.18.0.2/24, 1 loopback", s);
        Assert.Contains("vpn: 2 peers (azure x2), 2 tunnels", s);
        Assert.Contains("bgp: local-as 65010, 2 neighbors", s);
        Assert.Contains("policy: 2 prefix-lists", s);
        Assert.Contains("static: 1 route", s);
    }

    [Fact]
    public void ExampleInDocs_IsTheFixture()
    {
        string doc = System.IO.File.ReadAllText(FindRepoFile("docs/config.md"));
        string fixture = TestConfigs.AzureExample.Replace("\r\n", "\n");
        Assert.Contains(fixture.TrimEnd('\n'), doc.Replace("\r\n", "\n"));
    }

    private static string FindRepoFile(string relative)
    {
        string? dir = System.AppContext.BaseDirectory;
        for (int i = 0; i < 10 && dir != null; i++)
        {
            string p = System.IO.Path.Combine(dir, relative);
            if (System.IO.File.Exists(p)) return p;
            dir = System.IO.Path.GetDirectoryName(dir);
        }
        // VPN_ARTIFACTS moves the output outside the tree: fall back to the source location of this file.
        return System.IO.Path.Combine(SourceDir(), "..", "..", relative);
    }

    private static string SourceDir([System.Runtime.CompilerServices.CallerFilePath] string path = "") => System.IO.Path.GetDirectoryName(path)!;
}
