using System.Security.Cryptography;
using VpnAppliance.Hal.Crypto;
using HashAlgorithm = VpnAppliance.Hal.Crypto.HashAlgorithm;

namespace VpnAppliance.Crypto.Tests;

/// <summary>prf+ (RFC 7296 §2.13) against a direct transcription of its definition using .NET's HMAC.</summary>
public class PrfPlusTests
{
    [Theory]
    [InlineData("managed", HashAlgorithm.Sha1)]
    [InlineData("managed", HashAlgorithm.Sha256)]
    [InlineData("managed", HashAlgorithm.Sha384)]
    [InlineData("host", HashAlgorithm.Sha512)]
    [InlineData("host", HashAlgorithm.Sha256)]
    public void MatchesDefinition(string provider, HashAlgorithm algorithm)
    {
        var random = new System.Random(7296);
        byte[] key = new byte[32];
        byte[] seed = new byte[80];
        random.NextBytes(key);
        random.NextBytes(seed);
        IMac prf = Providers.Get(provider).CreateHmac(algorithm);
        prf.SetKey(key, 0, key.Length);
        var prfPlus = new PrfPlus(prf);
        foreach (int length in new[] { 1, 20, 32, 64, 100, 232, 500 })
        {
            byte[] output = new byte[length + 3];
            Assert.Equal(CryptoResult.Ok, prfPlus.Expand(seed, 0, seed.Length, output, 3, length));
            Assert.Equal(Hex.Encode(Reference(algorithm, key, seed, length)), Hex.Encode(output, 3, length));
        }

        byte[] tooLong = new byte[prfPlus.MaxOutputLength + 1];
        Assert.Equal(CryptoResult.InvalidLength, prfPlus.Expand(seed, 0, seed.Length, tooLong, 0, tooLong.Length));
    }

    private static byte[] Reference(HashAlgorithm algorithm, byte[] key, byte[] seed, int length)
    {
        var result = new System.Collections.Generic.List<byte>();
        byte[] t = System.Array.Empty<byte>();
        for (int n = 1; result.Count < length; n++)
        {
            byte[] input = [.. t, .. seed, (byte)n];
            t = algorithm switch
            {
                HashAlgorithm.Sha1 => HMACSHA1.HashData(key, input),
                HashAlgorithm.Sha256 => HMACSHA256.HashData(key, input),
                HashAlgorithm.Sha384 => HMACSHA384.HashData(key, input),
                _ => HMACSHA512.HashData(key, input),
            };
            result.AddRange(t);
        }

        return result.GetRange(0, length).ToArray();
    }
}
