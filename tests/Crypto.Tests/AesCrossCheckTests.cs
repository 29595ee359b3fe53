using VpnAppliance.Hal.Crypto;

namespace VpnAppliance.Crypto.Tests;

/// <summary>Managed vs host AES block, CBC and GCM: 1,000 seeded random cases per key size.</summary>
public class AesCrossCheckTests
{
    private const int Cases = 1000;

    [Theory]
    [InlineData(16)]
    [InlineData(24)]
    [InlineData(32)]
    public void BlockAndCbc(int keyLength)
    {
        var random = new System.Random(197 + keyLength);
        IBlockCipher managedBlock = Providers.Get("managed").CreateAes();
        IBlockCipher hostBlock = Providers.Get("host").CreateAes();
        ICbcCipher managedCbc = Providers.Get("managed").CreateAesCbc();
        ICbcCipher hostCbc = Providers.Get("host").CreateAesCbc();
        byte[] key = new byte[keyLength];
        byte[] iv = new byte[16];
        byte[] data = new byte[512];
        byte[] a = new byte[512];
        byte[] b = new byte[512];
        for (int i = 0; i < Cases; i++)
        {
            random.NextBytes(key);
            random.NextBytes(iv);
            random.NextBytes(data);
            int length = 16 * random.Next(0, 33);
            managedBlock.SetKey(key, 0, keyLength);
            hostBlock.SetKey(key, 0, keyLength);
            managedBlock.EncryptBlock(data, 0, a, 0);
            hostBlock.EncryptBlock(data, 0, b, 0);
            Assert.Equal(Hex.Encode(b, 0, 16), Hex.Encode(a, 0, 16));
            managedBlock.DecryptBlock(data, 16, a, 0);
            hostBlock.DecryptBlock(data, 16, b, 0);
            Assert.Equal(Hex.Encode(b, 0, 16), Hex.Encode(a, 0, 16));

            managedCbc.SetKey(key, 0, keyLength);
            hostCbc.SetKey(key, 0, keyLength);
            managedCbc.Encrypt(iv, 0, data, 0, length, a, 0);
            hostCbc.Encrypt(iv, 0, data, 0, length, b, 0);
            Assert.Equal(Hex.Encode(b, 0, length), Hex.Encode(a, 0, length));
            managedCbc.Decrypt(iv, 0, a, 0, length, a, 0);
            Assert.Equal(Hex.Encode(data, 0, length), Hex.Encode(a, 0, length));
        }
    }

    [Theory]
    [InlineData(16)]
    [InlineData(24)]
    [InlineData(32)]
    public void Gcm(int keyLength)
    {
        var random = new System.Random(3800 + keyLength);
        IAeadCipher managed = Providers.Get("managed").CreateAesGcm();
        IAeadCipher host = Providers.Get("host").CreateAesGcm();
        byte[] key = new byte[keyLength + 4];
        byte[] iv = new byte[8];
        byte[] aad = new byte[40];
        byte[] data = new byte[1500];
        byte[] a = new byte[1500];
        byte[] b = new byte[1500];
        byte[] tagA = new byte[16];
        byte[] tagB = new byte[16];
        for (int i = 0; i < Cases; i++)
        {
            random.NextBytes(key);
            random.NextBytes(iv);
            random.NextBytes(aad);
            random.NextBytes(data);
            int length = random.Next(0, data.Length + 1);
            int aadLength = random.Next(0, aad.Length + 1);
            managed.SetKey(key, 0, key.Length);
            host.SetKey(key, 0, key.Length);
            Assert.Equal(CryptoResult.Ok, managed.Seal(iv, 0, aad, 0, aadLength, data, 0, length, a, 0, tagA, 0));
            Assert.Equal(CryptoResult.Ok, host.Seal(iv, 0, aad, 0, aadLength, data, 0, length, b, 0, tagB, 0));
            Assert.Equal(Hex.Encode(b, 0, length), Hex.Encode(a, 0, length));
            Assert.Equal(Hex.Encode(tagB), Hex.Encode(tagA));
            Assert.Equal(CryptoResult.Ok, managed.Open(iv, 0, aad, 0, aadLength, b, 0, length, tagB, 0, b, 0));
            Assert.Equal(Hex.Encode(data, 0, length), Hex.Encode(b, 0, length));
        }
    }
}
