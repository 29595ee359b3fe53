using System.Text;
using VpnAppliance.Hal.Crypto;

namespace VpnAppliance.Crypto.Tests;

/// <summary>HMAC against RFC 2202 (SHA-1), RFC 4231 (SHA-2) and the RFC 4868 §2.7.2 truncation vectors.</summary>
public class HmacVectorTests
{
    private static readonly string Block131 = new string('a', 262);

    public static TheoryData<string, HashAlgorithm, string, string, string> Vectors
    {
        get
        {
            var data = new TheoryData<string, HashAlgorithm, string, string, string>();
            foreach (string p in new[] { "managed", "host" })
            {
                // RFC 2202 §3 test cases 1, 2 and 6 (key longer than the block).
                data.Add(p, HashAlgorithm.Sha1, new string('0', 0) + "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "Hi There", "b617318655057264e28bc0b6fb378c8ef146be00");
                data.Add(p, HashAlgorithm.Sha1, "4a656665", "what do ya want for nothing?", "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
                data.Add(p, HashAlgorithm.Sha1, new string('a', 160), "Test Using Larger Than Block-Size Key - Hash Key First", "aa4ae5e15272d00e95705637ce8a3b55ed402112");
                // RFC 4231 §4.2 (test case 1), §4.3 (test case 2), §4.7 (test case 6).
                data.Add(p, HashAlgorithm.Sha256, "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "Hi There", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
                data.Add(p, HashAlgorithm.Sha384, "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "Hi There", "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6");
                data.Add(p, HashAlgorithm.Sha512, "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "Hi There", "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854");
                data.Add(p, HashAlgorithm.Sha256, "4a656665", "what do ya want for nothing?", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
                data.Add(p, HashAlgorithm.Sha384, "4a656665", "what do ya want for nothing?", "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649");
                data.Add(p, HashAlgorithm.Sha512, "4a656665", "what do ya want for nothing?", "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737");
                data.Add(p, HashAlgorithm.Sha256, Block131, "Test Using Larger Than Block-Size Key - Hash Key First", "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
                // RFC 4868 §2.7.2.1 / AUTH256-1: 32-byte key 0x0b.
                data.Add(p, HashAlgorithm.Sha256, "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "Hi There", "198a607eb44bfbc69903a0f1cf2bbdc5ba0aa3f3d9ae3c1c7a3b1696a0b68cf7");
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void PublishedVectors(string provider, HashAlgorithm algorithm, string keyHex, string message, string expected)
    {
        IMac mac = Providers.Get(provider).CreateHmac(algorithm);
        byte[] key = Hex.Decode(keyHex);
        Assert.Equal(CryptoResult.Ok, mac.SetKey(key, 0, key.Length));
        byte[] data = Encoding.ASCII.GetBytes(message);
        byte[] output = new byte[mac.MacLength];
        mac.Reset();
        mac.Update(data, 0, data.Length);
        mac.Final(output, 0);
        Assert.Equal(expected, Hex.Encode(output));

        // A second message under the same key gives the same answer (Final restarts the message).
        mac.Update(data, 0, data.Length);
        mac.Final(output, 0);
        Assert.Equal(expected, Hex.Encode(output));
    }

    [Theory]
    [InlineData(HashAlgorithm.Sha1, 12)]
    [InlineData(HashAlgorithm.Sha256, 16)]
    [InlineData(HashAlgorithm.Sha384, 24)]
    [InlineData(HashAlgorithm.Sha512, 32)]
    public void IcvLengthsFollowRfc2404AndRfc4868(HashAlgorithm algorithm, int icv)
    {
        Assert.Equal(icv, IntegrityTruncation.IcvLength(algorithm));
    }

    [Fact]
    public void Rfc4868Auth256TruncatedIcv()
    {
        // RFC 4868 §2.7.2.2 AUTH256-1: HMAC-SHA-256-128 is the first 128 bits of the full HMAC.
        IMac mac = Providers.Get("managed").CreateHmac(HashAlgorithm.Sha256);
        byte[] key = Hex.Decode(new string('0', 0) + string.Concat(System.Linq.Enumerable.Repeat("0b", 32)));
        mac.SetKey(key, 0, key.Length);
        byte[] data = Encoding.ASCII.GetBytes("Hi There");
        byte[] full = new byte[32];
        mac.Update(data, 0, data.Length);
        mac.Final(full, 0);
        Assert.Equal("198a607eb44bfbc69903a0f1cf2bbdc5", Hex.Encode(full, 0, IntegrityTruncation.IcvLength(HashAlgorithm.Sha256)));
    }

    [Fact]
    public void ConstantTimeCompare()
    {
        byte[] a = Hex.Decode("00112233445566778899aabbccddeeff");
        byte[] b = (byte[])a.Clone();
        Assert.True(ConstantTime.AreEqual(a, 0, b, 0, 16));
        for (int i = 0; i < 16; i++)
        {
            for (int bit = 0; bit < 8; bit++)
            {
                b[i] ^= (byte)(1 << bit);
                Assert.False(ConstantTime.AreEqual(a, 0, b, 0, 16));
                b[i] ^= (byte)(1 << bit);
            }
        }

        Assert.True(ConstantTime.AreEqual(a, 4, b, 4, 0));
    }
}
