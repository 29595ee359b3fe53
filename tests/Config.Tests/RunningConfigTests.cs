using VpnAppliance.Config;

namespace VpnAppliance.Config.Tests;

public class RunningConfigTests
{
    [Fact]
    public void FailingReplace_LeavesTheRunningConfigUntouched()
    {
        var running = new RunningConfig();
        ParseResult ok = running.Replace(TestConfigs.AzureExample);
        Assert.True(ok.Ok, TestConfigs.Dump(ok));
        ConfigModel before = running.Model;
        string text = running.Text;
        string storage = running.StorageText;
        int generation = running.Generation;

        string broken = TestConfigs.AzureExample.Replace("169.254.21.2/30", "169.254.30.2/30").Replace("host-name branch1", "host-name branch2");
        ParseResult bad = running.Replace(broken);
        Assert.False(bad.Ok);
        Assert.Contains(bad.Errors, e => e.Rule == "azure-apipa-range");
        Assert.Same(before, running.Model);
        Assert.Equal(text, running.Text);
        Assert.Equal(storage, running.StorageText);
        Assert.Equal(generation, running.Generation);
        Assert.Equal("branch1", running.Model.System.HostName);

        ParseResult garbage = running.Apply("set \"\u0000\n\u00ff\u00fe");
        Assert.False(garbage.Ok);
        Assert.Equal(text, running.Text);
    }

    [Fact]
    public void SuccessfulReplace_SwapsTheModel()
    {
        var running = new RunningConfig();
        running.Replace(TestConfigs.AzureExample);
        ParseResult r = running.Replace(TestConfigs.AzureExample.Replace("host-name branch1", "host-name branch9"));
        Assert.True(r.Ok);
        Assert.Equal("branch9", running.Model.System.HostName);
        Assert.Equal(2, running.Generation);
    }

    [Fact]
    public void MaskedSecrets_AreKeptFromTheRunningConfig()
    {
        var running = new RunningConfig();
        running.Replace(TestConfigs.AzureExample);
        string shown = running.Text; // psk ******
        ParseResult r = running.Replace(shown.Replace("host-name branch1", "host-name branch3"));
        Assert.True(r.Ok, TestConfigs.Dump(r));
        Assert.Equal("replace with the connection's shared key A", running.Model.Peers.Find("azure-gw-a").Psk);
        Assert.Equal("branch3", running.Model.System.HostName);
    }

    [Fact]
    public void MaskedSecret_WithoutARunningValue_IsAnErrorOnApply_WarningOnParse()
    {
        string shown = ConfigText.Print(ConfigText.Parse(TestConfigs.AzureExample).Model);
        var running = new RunningConfig();
        ParseResult r = running.Replace(shown);
        Assert.False(r.Ok);
        Assert.Equal(PeerSection.RuleMasked, r.Errors[0].Rule);
        ParseResult p = ConfigText.Parse(shown);
        Assert.True(p.Ok);
        TestConfigs.Warning(p, PeerSection.RuleMasked);
    }
}
