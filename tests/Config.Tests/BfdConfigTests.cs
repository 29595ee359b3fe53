using VpnAppliance.Config;

namespace VpnAppliance.Config.Tests;

/// <summary><c>set protocols bfd peer ...</c>: parse, print (round trip), validation rules.</summary>
public class BfdConfigTests
{
    private static readonly string Site = TestConfigs.Base + "\n" + TestConfigs.Peer("generic", "169.254.21.2/30", "169.254.21.1", 65020) + "\n";

    [Fact]
    public void ParsesEveryStatementAndPrintsThemBack()
    {
        string text = Site + """
            set protocols bfd peer 169.254.21.1 interval transmit 100
            set protocols bfd peer 169.254.21.1 interval receive 100
            set protocols bfd peer 169.254.21.1 interval multiplier 3
            set protocols bfd peer 169.254.21.1 source address 169.254.21.2
            set protocols bfd peer 169.254.21.1 shutdown
            """;
        ParseResult r = ConfigText.Parse(text);
        TestConfigs.AssertOk(r);
        BfdPeer p = BfdSection.Of(r.Model).Find(Ipv4.Of(169, 254, 21, 1))!;
        Assert.Equal(100, p.TransmitMs);
        Assert.Equal(100, p.ReceiveMs);
        Assert.Equal(3, p.Multiplier);
        Assert.Equal(Ipv4.Of(169, 254, 21, 2), p.Source);
        Assert.True(p.Shutdown);
        Assert.Empty(r.Warnings);

        string printed = ConfigText.Print(r.Model);
        Assert.Contains("set protocols bfd peer 169.254.21.1 interval transmit 100\n", printed);
        Assert.Contains("set protocols bfd peer 169.254.21.1 interval receive 100\n", printed);
        Assert.DoesNotContain("multiplier 3", printed);                 // default not printed
        Assert.Contains("set protocols bfd peer 169.254.21.1 source address 169.254.21.2\n", printed);
        Assert.Contains("set protocols bfd peer 169.254.21.1 shutdown\n", printed);
        ParseResult again = ConfigText.Parse(printed);
        TestConfigs.AssertOk(again);
        Assert.True(again.Model.ContentEquals(r.Model, false));
        Assert.Contains("bfd: 1 peer", r.Model.Summary());
    }

    [Fact]
    public void BarePeerMeansDefaultsAndPrintsAsOneLine()
    {
        ParseResult r = ConfigText.Parse(Site + "set protocols bfd peer 169.254.21.1\n");
        TestConfigs.AssertOk(r);
        BfdPeer p = BfdSection.Of(r.Model).At(0);
        Assert.Equal((300, 300, 3, 0u, false), (p.TransmitMs, p.ReceiveMs, p.Multiplier, p.Source, p.Shutdown));
        Assert.EndsWith("set protocols bfd peer 169.254.21.1\n", ConfigText.Print(r.Model));
        Assert.Equal(Ipv4.Of(169, 254, 21, 2), BfdSection.LocalAddressFor(r.Model, p.Address));
    }

    [Theory]
    [InlineData("set protocols bfd peer 169.254.21.1 interval transmit 9", "range")]
    [InlineData("set protocols bfd peer 169.254.21.1 interval receive 60001", "range")]
    [InlineData("set protocols bfd peer 169.254.21.1 interval multiplier 0", "range")]
    [InlineData("set protocols bfd peer 169.254.21.1 interval multiplier 256", "range")]
    [InlineData("set protocols bfd peer 169.254.21.1 interval", "incomplete")]
    [InlineData("set protocols bfd peer 169.254.21.1 interval echo 50", "unknown-keyword")]
    [InlineData("set protocols bfd peer 169.254.21.1 detect 3", "unknown-keyword")]
    [InlineData("set protocols bfd peer 169.254.21.1 shutdown now", "extra-token")]
    [InlineData("set protocols bfd peer 169.254.21.1 source 169.254.21.2", "unknown-keyword")]
    [InlineData("set protocols bfd peer 169.254.21 interval transmit 100", "bad-ipv4")]
    [InlineData("set protocols bfd neighbor 169.254.21.1", "unknown-keyword")]
    public void SyntaxErrors(string line, string rule)
    {
        ParseResult r = ConfigText.Parse(Site + line + "\n");
        Assert.False(r.Ok);
        Assert.Contains(r.Errors, e => e.Rule.Contains(rule));
    }

    [Fact]
    public void ConflictingValuesAreRefused()
    {
        ParseResult r = ConfigText.Parse(Site + "set protocols bfd peer 169.254.21.1 interval transmit 100\nset protocols bfd peer 169.254.21.1 interval transmit 200\n");
        TestConfigs.Single(r, "conflict");
    }

    [Fact]
    public void PeerMustBeOnAConnectedSubnet()
    {
        TestConfigs.Single(ConfigText.Parse(Site + "set protocols bfd peer 10.9.9.9\n"), "bfd-peer-not-on-link");
        TestConfigs.Single(ConfigText.Parse(Site + "set protocols bfd peer 169.254.21.2\n"), "bfd-peer-not-on-link");   // ourselves
        TestConfigs.AssertOk(ConfigText.Parse(Site + "set protocols bfd peer 192.168.10.7\n"));                        // a LAN host
    }

    [Fact]
    public void SourceMustBeOurAddressOnThatSubnet()
    {
        var e = TestConfigs.Single(ConfigText.Parse(Site + "set protocols bfd peer 169.254.21.1 source address 192.168.10.1\n"), "bfd-source-not-local");
        Assert.Equal("192.168.10.1", e.Token);
    }

    [Fact]
    public void SessionWithoutBgpNeighbourIsWarned()
    {
        ParseResult r = ConfigText.Parse(Site + "set protocols bfd peer 192.168.10.7\n");
        TestConfigs.AssertOk(r);
        Assert.Equal("192.168.10.7", TestConfigs.Warning(r, "bfd-peer-unused").Token);
    }

    [Fact]
    public void SeveralPeersPrintInAddressOrder()
    {
        string text = Site + TestConfigs.Peer("generic", "169.254.22.2/30", "169.254.22.1", 65020, "P2", "vti1", "198.18.1.2") + "\n"
            + "set protocols bfd peer 169.254.22.1 interval multiplier 5\nset protocols bfd peer 169.254.21.1\n";
        ParseResult r = ConfigText.Parse(text);
        TestConfigs.AssertOk(r);
        string printed = ConfigText.Print(r.Model);
        Assert.True(printed.IndexOf("bfd peer 169.254.21.1", StringComparison.Ordinal) < printed.IndexOf("bfd peer 169.254.22.1", StringComparison.Ordinal));
        Assert.Contains("bfd: 2 peers", r.Model.Summary());
        Assert.False(ConfigText.Parse(text.Replace("multiplier 5", "multiplier 4")).Model.ContentEquals(r.Model, true));
    }
}
