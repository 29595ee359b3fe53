using VpnAppliance.Config;
using VpnAppliance.Config.Validation;

namespace VpnAppliance.Tests.Config;

/// <summary>The checks the CLI runs at commit on top of the parser (firmware/Config/Validation).</summary>
public class CommitValidationTests
{
    private static string Azure() => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "azure-active-active.conf"));

    private static DiagnosticList Check(string text, BoardLimits? limits)
    {
        ParseResult r = ConfigText.Parse(text);
        Assert.True(r.Ok, string.Join("\n", r.Errors.Select(e => e.ToString())));
        var d = new DiagnosticList();
        CommitValidation.Check(r.Model, limits, d);
        return d;
    }

    private static BoardLimits Roomy() => new() { Board = "b", Tunnels = 16, IkeSas = 16, Routes = 1000, BgpPeers = 16 };

    [Fact]
    public void TheExample_PassesOnARoomyBoard()
    {
        Assert.Equal(0, Check(Azure(), Roomy()).ErrorCount);
        Assert.Equal(0, Check(Azure(), null).ErrorCount);
    }

    [Theory]
    [InlineData("tunnels", "board-tunnels", "2 tunnels configured, board b has 1")]
    [InlineData("peers", "board-peers", "2 peers configured, board b has 1 IKE SAs")]
    [InlineData("routes", "board-routes", "routes from the configuration, board b has 3")]
    [InlineData("bgp", "board-bgp-peers", "2 BGP neighbours configured, board b has 1")]
    public void BoardLimits_RefuseWithBothNumbers(string which, string rule, string message)
    {
        BoardLimits l = Roomy();
        if (which == "tunnels") l.Tunnels = 1;
        if (which == "peers") l.IkeSas = 1;
        if (which == "routes") l.Routes = 3;
        if (which == "bgp") l.BgpPeers = 1;
        ConfigDiagnostic e = Assert.Single(Check(Azure(), l).Errors());
        Assert.Equal(rule, e.Rule);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Neighbor_WithoutARouteToIt_IsRefused_AndAStaticRouteFixesIt()
    {
        string text = Azure() + "set protocols bgp neighbor 10.50.0.1 remote-as 65020\nset protocols bgp neighbor 10.50.0.1 ebgp-multihop 2\n";
        ConfigDiagnostic e = Assert.Single(Check(text, Roomy()).Errors());
        Assert.Equal("neighbor-unreachable", e.Rule);
        Assert.Equal("10.50.0.1", e.Token);
        Assert.True(e.Line > 0);
        Assert.Equal(0, Check(text + "set protocols static route 10.50.0.0/24 next-hop tunnel vti0\n", Roomy()).ErrorCount);
    }

    [Fact]
    public void ABoardWithoutBgpRefusesEveryNeighbour_AndUnsetLimitsRefuseNothing()
    {
        // wt32-eth01 has bgpPeers 0: no neighbour fits (0 is "none", not "unlimited"; unset fields are -1).
        BoardLimits noBgp = Roomy();
        noBgp.BgpPeers = 0;
        ConfigDiagnostic e = Assert.Single(Check(Azure(), noBgp).Errors());
        Assert.Equal("board-bgp-peers", e.Rule);
        Assert.Contains("2 BGP neighbours configured, board b has 0", e.Message);
        Assert.Equal(0, Check(Azure(), new BoardLimits { Board = "b" }).ErrorCount);
    }

    [Fact]
    public void EbgpNeighborBehindAStaticRoute_WithoutMultihop_IsWarnedAboutTtl1()
    {
        string text = Azure() + "set protocols static route 10.50.0.0/24 next-hop tunnel vti0\nset protocols bgp neighbor 10.50.0.1 remote-as 65020\n";
        var result = Check(text, Roomy());
        Assert.Equal(0, result.ErrorCount);
        ConfigDiagnostic w = Assert.Single(result.Warnings(), x => x.Rule == "ebgp-multihop-missing");
        Assert.Equal("10.50.0.1", w.Token);
        Assert.Contains("TTL 1", w.Message);
        Assert.DoesNotContain(Check(text + "set protocols bgp neighbor 10.50.0.1 ebgp-multihop 2\n", Roomy()).Warnings(), x => x.Rule == "ebgp-multihop-missing");
    }

    [Fact]
    public void DuplicateRemoteIdentity_IsRefused()
    {
        string text = Azure() + "set vpn peer azure-gw-a remote-id @gw.example.net\nset vpn peer azure-gw-b remote-id @gw.example.net\n";
        ConfigDiagnostic e = Assert.Single(Check(text, Roomy()).Errors());
        Assert.Equal("duplicate-remote-id", e.Rule);
        Assert.Contains("azure-gw-a", e.Message);
    }
}
