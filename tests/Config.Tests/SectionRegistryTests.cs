using System.Collections;
using VpnAppliance.Config;

namespace VpnAppliance.Config.Tests;

/// <summary>A later subsystem adds statements by registering a section; the parser core is untouched.</summary>
public class SectionRegistryTests
{
    /// <summary>Example extension: <c>set service ntp server a.b.c.d</c>.</summary>
    private sealed class NtpSection : IConfigSection
    {
        public readonly ArrayList Servers = new ArrayList();
        public string Path => "service ntp";
        public IConfigSection CreateEmpty() => new NtpSection();
        public void ParseLine(ParseContext ctx, int i)
        {
            if (!ctx.Need(i, "server")) return;
            if (ctx.Token(i) != "server") { ctx.UnknownKeyword(i, "server"); return; }
            if (ctx.ReadAddress(i + 1, "server", out uint a) && ctx.End(i + 2)) Servers.Add(a);
        }
        public void Print(ConfigWriter w) { foreach (uint a in Servers) w.Set(Path).Add("server").Add(Ipv4.Format(a)).End(); }
        public void Validate(ConfigModel model, DiagnosticList d)
        {
            if (Servers.Count > 0 && !model.Interfaces.Wan.HasAddress) d.Error(0, "ntp", "ntp-needs-wan", "NTP needs a WAN address");
        }
        public bool ContentEquals(IConfigSection other, bool compareSecrets) => other is NtpSection o && o.Servers.Count == Servers.Count;
        public void Summarize(ConfigModel model, ArrayList lines) { if (Servers.Count > 0) lines.Add("ntp: " + Servers.Count + " servers"); }
        public void InheritSecrets(IConfigSection previous) { }
    }

    [Fact]
    public void RegisteredSection_ParsesPrintsValidatesAndSummarises()
    {
        SectionRegistry reg = SectionRegistry.CreateDefault();
        Assert.True(reg.Register(new NtpSection()));
        Assert.False(reg.Register(new NtpSection())); // path taken

        ParseResult r = ConfigText.Parse("set interfaces wan address 198.18.0.2/24\nset service ntp server 198.18.0.123\n", reg);
        Assert.True(r.Ok, TestConfigs.Dump(r));
        Assert.Single(((NtpSection)r.Model.Section("service ntp")).Servers);
        Assert.EndsWith("set service ntp server 198.18.0.123\n", ConfigText.Print(r.Model));
        Assert.Contains("ntp: 1 servers", r.Model.Summary());

        ParseResult bad = ConfigText.Parse("set service ntp server 198.18.0.123\n", reg);
        TestConfigs.Single(bad, "ntp-needs-wan");

        // Without registration the same line is an unknown statement naming 'service'.
        ParseResult plain = ConfigText.Parse("set service ntp server 198.18.0.123\n");
        Assert.Equal("service", TestConfigs.Single(plain, "unknown-statement").Token);
    }

    [Fact]
    public void UnknownSubPath_NamesTheFirstUnmatchedWord()
    {
        ParseResult r = ConfigText.Parse("set vpn ipsec-group X proposal aes\nset protocols ospf area 0\n");
        Assert.Equal("ipsec-group", r.Errors[0].Token);
        Assert.Equal("ospf", r.Errors[1].Token);
    }
}
