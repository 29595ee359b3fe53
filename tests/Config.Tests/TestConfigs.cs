using System.IO;
using VpnAppliance.Config;

namespace VpnAppliance.Config.Tests;

/// <summary>Shared texts and helpers for the config tests.</summary>
internal static class TestConfigs
{
    public static string Fixture(string name) => File.ReadAllText(Path.Combine(System.AppContext.BaseDirectory, "Fixtures", name));

    public static string AzureExample => Fixture("azure-active-active.conf");

    /// <summary>Interfaces + one generic peer + tunnel + BGP neighbour: valid on its own.</summary>
    public const string Base = """
        set system host-name t1
        set interfaces lan address 192.168.10.1/24
        set interfaces wan address 198.18.0.2/24
        set interfaces wan gateway 198.18.0.1
        set vpn ike-group IKE proposal aes256-sha256-modp2048
        set vpn esp-group ESP proposal aes256gcm16
        set policy prefix-list IN rule 10 action permit
        set policy prefix-list IN rule 10 prefix 10.0.0.0/8
        set policy prefix-list IN rule 10 le 24
        set policy prefix-list OUT rule 10 action permit
        set policy prefix-list OUT rule 10 prefix 192.168.10.0/24
        set protocols bgp local-as 65010
        """;

    /// <summary>A peer P1 of <paramref name="profile"/> on vti0 with inside <paramref name="inside"/> and a neighbour.</summary>
    public static string Peer(string profile, string inside, string neighbor, uint remoteAs, string name = "P1", string tunnel = "vti0", string address = "198.18.1.1") => $"""
        set vpn peer {name} address {address}
        set vpn peer {name} profile {profile}
        set vpn peer {name} psk "a sufficiently long shared key"
        set vpn peer {name} ike-group IKE
        set vpn peer {name} esp-group ESP
        set vpn tunnel {tunnel} peer {name}
        set vpn tunnel {tunnel} address {inside}
        set protocols bgp neighbor {neighbor} remote-as {remoteAs}
        set protocols bgp neighbor {neighbor} tunnel {tunnel}
        set protocols bgp neighbor {neighbor} prefix-list import IN
        set protocols bgp neighbor {neighbor} prefix-list export OUT
        """;

    public static ParseResult Parse(string text) => ConfigText.Parse(text);

    public static ConfigDiagnostic Single(ParseResult r, string rule)
    {
        foreach (var e in r.Errors) if (e.Rule == rule) return e;
        throw new Xunit.Sdk.XunitException("no error '" + rule + "'; errors: " + Dump(r));
    }

    public static ConfigDiagnostic Warning(ParseResult r, string rule)
    {
        foreach (var e in r.Warnings) if (e.Rule == rule) return e;
        throw new Xunit.Sdk.XunitException("no warning '" + rule + "'; warnings: " + string.Join(" | ", (object[])r.Warnings));
    }

    public static string Dump(ParseResult r) => string.Join(" | ", (object[])r.Errors);

    public static void AssertOk(ParseResult r)
    {
        Assert.True(r.Ok, Dump(r));
    }
}
