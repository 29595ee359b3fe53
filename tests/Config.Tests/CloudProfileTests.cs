using VpnAppliance.Config;

namespace VpnAppliance.Config.Tests;

/// <summary>One test per rule of INTEROP.md that the profiles enforce.</summary>
public class CloudProfileTests
{
    private static ParseResult With(string profile, string inside, string neighbor, uint remoteAs, string extra = "")
        => ConfigText.Parse(TestConfigs.Base + "\n" + TestConfigs.Peer(profile, inside, neighbor, remoteAs) + "\n" + extra);

    // ---- Azure ----

    [Fact]
    public void Azure_ValidApipa_Ok()
    {
        TestConfigs.AssertOk(With("azure", "169.254.21.2/30", "169.254.21.1", 65515));
    }

    [Theory]
    [InlineData(8074u)]
    [InlineData(8075u)]
    [InlineData(12076u)]
    [InlineData(65515u)]
    [InlineData(65517u)]
    [InlineData(65520u)]
    [InlineData(64496u)]
    [InlineData(64511u)]
    [InlineData(65535u)]
    [InlineData(65551u)]
    public void Azure_ReservedLocalAsn_IsAnError(uint asn)
    {
        ParseResult r = With("azure", "169.254.21.2/30", "169.254.21.1", 65515, "set protocols bgp neighbor 169.254.21.1 local-as " + asn + "\n");
        ConfigDiagnostic e = TestConfigs.Single(r, "azure-reserved-asn");
        Assert.Equal(asn.ToString(), e.Token);
    }

    [Theory]
    [InlineData(65516u)]
    [InlineData(65521u)]
    [InlineData(64512u)]
    public void Azure_NeighbouringAsns_AreAllowed(uint asn)
    {
        ParseResult r = With("azure", "169.254.21.2/30", "169.254.21.1", 65515, "set protocols bgp neighbor 169.254.21.1 local-as " + asn + "\n");
        Assert.DoesNotContain(r.Errors, e => e.Rule == "azure-reserved-asn");
    }

    [Fact]
    public void Azure_GlobalLocalAsReserved_PointsAtTheGlobalLine()
    {
        ParseResult r = ConfigText.Parse(TestConfigs.Base.Replace("local-as 65010", "local-as 65515") + "\n" + TestConfigs.Peer("azure", "169.254.21.2/30", "169.254.21.1", 65000));
        ConfigDiagnostic e = TestConfigs.Single(r, "azure-reserved-asn");
        Assert.Equal(12, e.Line);
    }

    [Fact]
    public void Azure_ApipaOutsideRange_IsAnError_ForTunnelAndNeighbour()
    {
        ParseResult r = With("azure", "169.254.20.2/30", "169.254.20.1", 65515);
        Assert.Contains(r.Errors, e => e.Rule == "azure-apipa-range" && e.Token == "169.254.20.2/30");
        Assert.Contains(r.Errors, e => e.Rule == "azure-apipa-range" && e.Token == "169.254.20.1");
        TestConfigs.AssertOk(With("azure", "169.254.22.254/30", "169.254.22.253", 65515));
    }

    [Fact]
    public void Azure_SameAsnAsNeighbour_IsAnError()
    {
        ParseResult r = With("azure", "169.254.21.2/30", "169.254.21.1", 65010);
        Assert.Equal("65010", TestConfigs.Single(r, "cloud-same-asn").Token);
    }

    [Fact]
    public void Azure_X25519InIkePolicy_IsAnError_Group2IsAWarning()
    {
        ParseResult r = With("azure", "169.254.21.2/30", "169.254.21.1", 65515, "set vpn ike-group IKE proposal aes256gcm16-prfsha256-x25519\n");
        Assert.Equal("aes256gcm16-prfsha256-x25519", TestConfigs.Single(r, "azure-ike-proposal").Token);
        ParseResult weak = With("azure", "169.254.21.2/30", "169.254.21.1", 65515, "set vpn ike-group IKE proposal aes256-sha1-modp1024\n");
        TestConfigs.AssertOk(weak);
        TestConfigs.Warning(weak, "weak-dh-group");
    }

    [Fact]
    public void Azure_Sha512_IsNotInTheCustomPolicy()
    {
        ParseResult r = With("azure", "169.254.21.2/30", "169.254.21.1", 65515, "set vpn ike-group IKE proposal aes256-sha512-modp2048\n");
        TestConfigs.Single(r, "azure-ike-proposal");
    }

    [Fact]
    public void Azure_RespondOnly_Warns()
    {
        ParseResult r = With("azure", "169.254.21.2/30", "169.254.21.1", 65515, "set vpn peer P1 connection-type respond\n");
        TestConfigs.AssertOk(r);
        TestConfigs.Warning(r, "azure-initiate");
    }

    // ---- Alibaba ----

    [Fact]
    public void Alibaba_Valid_Ok()
    {
        TestConfigs.AssertOk(With("alibaba", "169.254.10.2/30", "169.254.10.1", 45104));
    }

    [Fact]
    public void Alibaba_ForbiddenSlash30_ErrorMatchesTheIssueText()
    {
        ParseResult r = With("alibaba", "169.254.0.1/30", "169.254.0.2", 45104);
        ConfigDiagnostic e = TestConfigs.Single(r, "alibaba-inside-range");
        Assert.Equal(19, e.Line);
        Assert.Equal("line 19: '169.254.0.1/30': alibaba-inside-range: inside-tunnel /30 must not be in 169.254.0.0/30-169.254.6.0/30 or 169.254.169.252/30", e.ToString());
    }

    [Theory]
    [InlineData("169.254.6.1/30", true)]
    [InlineData("169.254.3.2/30", true)]
    [InlineData("169.254.169.253/30", true)]
    [InlineData("169.254.7.1/30", false)]
    [InlineData("169.254.6.5/30", false)]
    public void Alibaba_ReservedRange_Boundaries(string inside, bool forbidden)
    {
        ParseResult r = With("alibaba", inside, "10.9.9.9", 45104); // neighbour elsewhere; only the /30 matters
        Assert.Equal(forbidden, System.Array.Exists(r.Errors, e => e.Rule == "alibaba-inside-range"));
    }

    [Theory]
    [InlineData("169.254.10.2/29")]
    [InlineData("10.0.0.1/30")]
    public void Alibaba_InsideMustBeSlash30InLinkLocal(string inside)
    {
        ParseResult r = With("alibaba", inside, "10.9.9.9", 45104);
        Assert.Equal(inside, TestConfigs.Single(r, "alibaba-inside-subnet").Token);
    }

    [Fact]
    public void Alibaba_Asn45104_IsReservedForTheCloud()
    {
        ParseResult r = ConfigText.Parse(TestConfigs.Base.Replace("local-as 65010", "local-as 45104") + "\n" + TestConfigs.Peer("alibaba", "169.254.10.2/30", "169.254.10.1", 65000));
        Assert.Equal("45104", TestConfigs.Single(r, "alibaba-reserved-asn").Token);
    }

    [Fact]
    public void Alibaba_AllConnectionsShareOneLocalAsn()
    {
        string text = TestConfigs.Base + "\n" + TestConfigs.Peer("alibaba", "169.254.10.2/30", "169.254.10.1", 45104)
            + "\n" + TestConfigs.Peer("alibaba", "169.254.11.2/30", "169.254.11.1", 45104, "P2", "vti1", "198.18.1.2")
            + "\nset protocols bgp neighbor 169.254.11.1 local-as 65011\n";
        ParseResult r = ConfigText.Parse(text);
        ConfigDiagnostic e = TestConfigs.Single(r, "alibaba-local-as");
        Assert.Equal("65011", e.Token);
        Assert.Contains("'P1' uses 65010", e.Message);

        string same = text.Replace("local-as 65011", "local-as 65010");
        TestConfigs.AssertOk(ConfigText.Parse(same));
    }

    [Theory]
    [InlineData("aes256gcm16-prfsha256-modp2048")]
    [InlineData("aes256-sha256-ecp256")]
    [InlineData("aes256-sha256-x25519")]
    public void Alibaba_IkePolicyHasNoGcmNoEcp(string proposal)
    {
        ParseResult r = With("alibaba", "169.254.10.2/30", "169.254.10.1", 45104, "set vpn ike-group IKE proposal " + proposal + "\n");
        Assert.Equal(proposal, TestConfigs.Single(r, "alibaba-ike-proposal").Token);
    }

    // ---- AWS ----

    [Fact]
    public void Aws_Valid_Ok()
    {
        TestConfigs.AssertOk(With("aws", "169.254.6.2/30", "169.254.6.1", 64512));
    }

    [Theory]
    [InlineData("169.254.5.2/30", "aws-inside-range")]
    [InlineData("169.254.0.2/30", "aws-inside-range")]
    [InlineData("169.254.169.254/30", "aws-inside-range")]
    [InlineData("169.254.6.2/29", "aws-inside-subnet")]
    [InlineData("192.0.2.2/30", "aws-inside-subnet")]
    public void Aws_InsideRanges(string inside, string rule)
    {
        ParseResult r = With("aws", inside, "10.9.9.9", 64512);
        Assert.Equal(inside, TestConfigs.Single(r, rule).Token);
    }

    [Fact]
    public void Aws_ChildLifetimeAndDpd()
    {
        ParseResult r = With("aws", "169.254.6.2/30", "169.254.6.1", 64512,
            "set vpn esp-group ESP lifetime 7200\nset vpn ike-group IKE dpd interval 10\nset vpn ike-group IKE dpd timeout 20\n");
        TestConfigs.Single(r, "aws-esp-lifetime");
        TestConfigs.Single(r, "aws-dpd-timeout");
    }

    [Fact]
    public void Aws_X25519_IsNotInItsGroups()
    {
        ParseResult r = With("aws", "169.254.6.2/30", "169.254.6.1", 64512, "set vpn esp-group ESP proposal aes128gcm16-x25519\n");
        TestConfigs.Single(r, "aws-esp-proposal");
    }

    [Fact]
    public void Aws_SameAsn_IsAnError()
    {
        ParseResult r = With("aws", "169.254.6.2/30", "169.254.6.1", 65010);
        TestConfigs.Single(r, "cloud-same-asn");
    }

    // ---- GCP ----

    [Fact]
    public void Gcp_Valid_Ok()
    {
        TestConfigs.AssertOk(With("gcp", "169.254.0.2/30", "169.254.0.1", 64600));
    }

    [Fact]
    public void Gcp_LocalAsEqualsCloudRouterAsn_IsAnError()
    {
        ParseResult r = With("gcp", "169.254.0.2/30", "169.254.0.1", 65010);
        Assert.Equal("65010", TestConfigs.Single(r, "gcp-cloud-router-asn").Token);
    }

    [Fact]
    public void Gcp_InsideMustBeSlash30InLinkLocal()
    {
        ParseResult r = With("gcp", "10.255.255.2/30", "10.255.255.1", 64600);
        TestConfigs.Single(r, "gcp-inside-subnet");
    }

    // ---- generic ----

    [Fact]
    public void Generic_AllowsWhatCloudsRefuse()
    {
        TestConfigs.AssertOk(With("generic", "169.254.0.1/30", "169.254.0.2", 65010 + 5));
        TestConfigs.AssertOk(With("generic", "10.200.0.1/31", "10.200.0.0", 65515));
    }
}
