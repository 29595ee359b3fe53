using VpnAppliance.Hal.Crypto;

namespace VpnAppliance.Crypto.Tests;

/// <summary>X25519 (group 31) against RFC 7748 §5.2 and §6.1 and the all-zero check of RFC 8031 §2.3.</summary>
public class X25519Tests
{
    private static IDiffieHellman Create() => Providers.Get("managed").CreateDiffieHellman(DhGroup.Curve25519, false);

    private static byte[] X25519(byte[] k, byte[] u)
    {
        IDiffieHellman dh = Create();
        Assert.Equal(CryptoResult.Ok, dh.SetPrivateValue(k, 0, 32));
        byte[] output = new byte[32];
        Assert.Equal(CryptoResult.Ok, dh.ComputeSharedSecret(u, 0, 32, output, 0));
        return output;
    }

    [Theory]
    // RFC 7748 §5.2, the two scalar/u-coordinate test vectors.
    [InlineData("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4", "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c", "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552")]
    [InlineData("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d", "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493", "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957")]
    public void Rfc7748Section5Vectors(string k, string u, string expected)
    {
        Assert.Equal(expected, Hex.Encode(X25519(Hex.Decode(k), Hex.Decode(u))));
    }

    [Fact]
    public void Rfc7748IteratedVector()
    {
        // RFC 7748 §5.2: k = u = 9; repeat (k, u) = (X25519(k, u), k). After 1 and 1,000 iterations.
        byte[] k = new byte[32];
        byte[] u = new byte[32];
        k[0] = 9;
        u[0] = 9;
        for (int i = 1; i <= 1000; i++)
        {
            byte[] next = X25519(k, u);
            u = k;
            k = next;
            if (i == 1)
            {
                Assert.Equal("422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079", Hex.Encode(k));
            }
        }

        Assert.Equal("684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51", Hex.Encode(k));
    }

    [Fact]
    public void Rfc7748Section6DiffieHellman()
    {
        // RFC 7748 §6.1.
        IDiffieHellman alice = Create();
        IDiffieHellman bob = Create();
        byte[] a = Hex.Decode("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        byte[] b = Hex.Decode("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
        alice.SetPrivateValue(a, 0, 32);
        bob.SetPrivateValue(b, 0, 32);
        byte[] alicePublic = new byte[32];
        byte[] bobPublic = new byte[32];
        alice.GetPublicValue(alicePublic, 0);
        bob.GetPublicValue(bobPublic, 0);
        Assert.Equal("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", Hex.Encode(alicePublic));
        Assert.Equal("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", Hex.Encode(bobPublic));
        byte[] k1 = new byte[32];
        byte[] k2 = new byte[32];
        Assert.Equal(CryptoResult.Ok, alice.ComputeSharedSecret(bobPublic, 0, 32, k1, 0));
        Assert.Equal(CryptoResult.Ok, bob.ComputeSharedSecret(alicePublic, 0, 32, k2, 0));
        Assert.Equal("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742", Hex.Encode(k1));
        Assert.Equal(Hex.Encode(k1), Hex.Encode(k2));
    }

    [Theory]
    [InlineData("managed")]
    [InlineData("host")]
    public void SmallOrderPeerGivesAllZeroAndIsRejected(string provider)
    {
        IDiffieHellman dh = Providers.Get(provider).CreateDiffieHellman(DhGroup.Curve25519, false);
        Assert.Equal(CryptoResult.Ok, dh.GenerateKeyPair(new ManagedTestRandom(31)));
        byte[] secret = new byte[32];
        System.Array.Fill(secret, (byte)0x5A);
        // u = 0 (order 1/2 point) and u = p + 0 encoded non-canonically (2^255 - 19) both map to 0: RFC 8031 §2.3 check.
        byte[] zero = new byte[32];
        byte[] p = Hex.Decode("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
        Assert.Equal(CryptoResult.InvalidPublicValue, dh.ComputeSharedSecret(zero, 0, 32, secret, 0));
        Assert.Equal(CryptoResult.InvalidPublicValue, dh.ComputeSharedSecret(p, 0, 32, secret, 0));
        Assert.Equal(CryptoResult.InvalidLength, dh.ComputeSharedSecret(zero, 0, 31, secret, 0));
        Assert.All(secret, x => Assert.Equal(0x5A, x));
    }
}
