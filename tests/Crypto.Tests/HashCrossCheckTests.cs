using VpnAppliance.Hal.Crypto;

namespace VpnAppliance.Crypto.Tests;

/// <summary>Managed vs host hashes and HMACs on 1,000 seeded random messages (and keys) per algorithm.</summary>
public class HashCrossCheckTests
{
    public const int Cases = 1000;

    [Theory]
    [InlineData(HashAlgorithm.Sha1)]
    [InlineData(HashAlgorithm.Sha256)]
    [InlineData(HashAlgorithm.Sha384)]
    [InlineData(HashAlgorithm.Sha512)]
    public void HashManagedEqualsHost(HashAlgorithm algorithm)
    {
        var random = new System.Random(180 + (int)algorithm);
        IHash managed = Providers.Get("managed").CreateHash(algorithm);
        IHash host = Providers.Get("host").CreateHash(algorithm);
        byte[] data = new byte[700];
        byte[] a = new byte[64];
        byte[] b = new byte[64];
        for (int i = 0; i < Cases; i++)
        {
            random.NextBytes(data);
            int length = random.Next(0, data.Length);
            int split = random.Next(0, length + 1);
            managed.Update(data, 0, split);
            managed.Update(data, split, length - split);
            host.Update(data, 0, length);
            managed.Final(a, 0);
            host.Final(b, 0);
            Assert.Equal(Hex.Encode(b, 0, host.HashLength), Hex.Encode(a, 0, managed.HashLength));
        }
    }

    [Theory]
    [InlineData(HashAlgorithm.Sha1)]
    [InlineData(HashAlgorithm.Sha256)]
    [InlineData(HashAlgorithm.Sha384)]
    [InlineData(HashAlgorithm.Sha512)]
    public void HmacManagedEqualsHost(HashAlgorithm algorithm)
    {
        var random = new System.Random(2104 + (int)algorithm);
        IMac managed = Providers.Get("managed").CreateHmac(algorithm);
        IMac host = Providers.Get("host").CreateHmac(algorithm);
        byte[] key = new byte[200];
        byte[] data = new byte[600];
        byte[] a = new byte[64];
        byte[] b = new byte[64];
        for (int i = 0; i < Cases; i++)
        {
            random.NextBytes(key);
            random.NextBytes(data);
            int keyLength = random.Next(0, key.Length);
            int length = random.Next(0, data.Length);
            managed.SetKey(key, 0, keyLength);
            host.SetKey(key, 0, keyLength);
            managed.Reset();
            host.Reset();
            managed.Update(data, 0, length);
            host.Update(data, 0, length);
            managed.Final(a, 0);
            host.Final(b, 0);
            Assert.Equal(Hex.Encode(b, 0, host.MacLength), Hex.Encode(a, 0, managed.MacLength));
        }
    }
}
