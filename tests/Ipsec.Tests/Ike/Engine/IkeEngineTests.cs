using VpnAppliance.Hal.Crypto.Host;
using VpnAppliance.Ipsec.Ike;

namespace VpnAppliance.Ipsec.Tests.Ike.Engine;

public class IkeEngineTests
{
    private static string Dump(IkePair p) =>
        "A:\n" + string.Join("\n", p.A.Log) + "\n" + p.A.Show(p.Now) + "\nB:\n" + string.Join("\n", p.B.Log) + "\n" + p.B.Show(p.Now);

    [Theory]
    [InlineData("aes256gcm16-prfsha256-ecp256", "aes256gcm16")]
    [InlineData("aes256-sha256-modp2048", "aes256-sha256")]
    [InlineData("aes256-sha1-modp1024", "aes256gcm16")]
    [InlineData("aes256-sha256-ecp384", "aes256gcm16")]
    [InlineData("aes128-sha1-modp2048", "aes128-sha1")]
    public void Initiator_and_responder_establish_and_carry_esp(string ike, string esp)
    {
        var p = new IkePair(new HostCryptoProvider());
        p.ConfigureDefault(ike, esp);
        p.Run(500);
        Assert.True(p.A.Tunnel().Up, Dump(p));
        Assert.True(p.B.Tunnel().Up, Dump(p));
        Assert.True(p.A.Logged("established"), Dump(p));
        Assert.True(p.PingAtoB(), Dump(p));
        Assert.True(p.PingBtoA(), Dump(p));
    }
}
