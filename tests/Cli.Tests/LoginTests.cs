using System.Security.Cryptography;
using System.Text;
using VpnAppliance.Cli.Login;
using VpnAppliance.Hal.Crypto;
using VpnAppliance.Hal.Crypto.Host;
using VpnAppliance.Hal.Doubles;

namespace VpnAppliance.Cli.Tests;

public class LoginTests
{
    private static IMac Hmac() => new HostCryptoProvider().CreateHmac(VpnAppliance.Hal.Crypto.HashAlgorithm.Sha256);

    [Theory]
    [InlineData("passwd", "salt", 1, 64)]
    [InlineData("Password", "NaCl", 80, 64)]
    [InlineData("admin", "0123456789abcdef", 1000, 32)]
    public void Pbkdf2_MatchesDotNet(string password, string salt, int iterations, int length)
    {
        byte[] expected = Rfc2898DeriveBytes.Pbkdf2(Encoding.ASCII.GetBytes(password), Encoding.ASCII.GetBytes(salt), iterations, HashAlgorithmName.SHA256, length);
        byte[] actual = new byte[length];
        Pbkdf2.Derive(Hmac(), Encoding.ASCII.GetBytes(password), Encoding.ASCII.GetBytes(salt), iterations, actual, length);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Pbkdf2_Rfc7914Vector()
    {
        // RFC 7914 §11: PBKDF2-HMAC-SHA256 (P="passwd", S="salt", c=1, dkLen=64), first 16 bytes.
        byte[] dk = new byte[64];
        Pbkdf2.Derive(Hmac(), Encoding.ASCII.GetBytes("passwd"), Encoding.ASCII.GetBytes("salt"), 1, dk, 64);
        Assert.Equal("55ac046e56e3089fec1691c22544b605", Convert.ToHexString(dk, 0, 16).ToLowerInvariant());
    }

    [Fact]
    public void PasswordHash_RoundTripsAndVerifies()
    {
        PasswordHash h = PasswordHash.Create("correct horse", 100, Hmac(), new SeededEntropy(3))!;
        string text = h.Format();
        Assert.StartsWith("pbkdf2-sha256$100$", text);
        PasswordHash back = PasswordHash.Parse(text)!;
        Assert.True(back.Verify("correct horse", Hmac()));
        Assert.False(back.Verify("correct horsE", Hmac()));
        Assert.Null(PasswordHash.Parse("pbkdf2-sha256$x$00$00"));
        Assert.Null(PasswordHash.Parse("plain"));
    }

    [Fact]
    public void Guard_BacksOffThenLocksOut()
    {
        var g = new LoginGuard();
        g.Failed(0);
        Assert.True(g.Blocked(999));
        Assert.False(g.Blocked(1000));
        g.Failed(1000);
        Assert.True(g.Blocked(2999));
        for (int i = 0; i < 3; i++) g.Failed(10_000);
        Assert.True(g.LockedOut);
        Assert.True(g.Blocked(10_000 + LoginGuard.LockoutMs - 1));
        g.Expire(10_000 + LoginGuard.LockoutMs);
        Assert.False(g.LockedOut);
    }

    [Fact]
    public void PasswordSurvivesReboot_AndIsNeverShown()
    {
        var flash = new MemoryFlash(2, 16384, 0xFF);
        var rig = new CliRig(login: true, flash: flash);
        rig.Type("admin\radmin\rnew-secret-1\rnew-secret-1\r");
        Assert.True(rig.Session.LoggedIn);
        string shown = rig.Take();
        Assert.DoesNotContain("new-secret-1", shown);
        Assert.DoesNotContain("pbkdf2", shown);

        var reboot = new CliRig(login: true, flash: flash);
        reboot.Type("admin\radmin\r");
        Assert.False(reboot.Session.LoggedIn);
        reboot.Advance(2000);
        reboot.Type("admin\rnew-secret-1\r");
        Assert.True(reboot.Session.LoggedIn);
        Assert.False(reboot.Session.FactoryPassword);
    }

    [Fact]
    public void SavedConfig_AndCandidate_NeverEchoPsk()
    {
        var rig = new CliRig(config: File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "azure.conf")));
        rig.Type("configure\rset vpn peer azure-gw-a psk \"super secret key value\"\r");
        rig.Take(); // the terminal echoes what is typed; nothing after that may contain the key
        rig.Type("show\rshow | compare\rcommit\rrun show configuration\r\x1b[A\x1b[A\x1b[A\x1b[A\x1b[A");
        string output = rig.Take();
        Assert.DoesNotContain("super secret", output);
        Assert.Contains("commit complete", output);
        Assert.Contains("super secret key value", rig.RunningConfig.StorageText);
    }
}
