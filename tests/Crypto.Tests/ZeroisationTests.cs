#nullable disable
using System;
using System.Reflection;
using VpnAppliance.Hal.Crypto;

namespace VpnAppliance.Crypto.Tests;

/// <summary>
/// Key material is zeroised on SA deletion (Clear): every array field of the managed objects (key schedules,
/// HMAC pads, GHASH tables, DH private values, scratch) reads all zeros afterwards, and the objects refuse to
/// work until re-keyed.
/// </summary>
public class ZeroisationTests
{
    private static void AssertAllArraysZero(object target, int depth = 0)
    {
        for (Type t = target.GetType(); t != null && t != typeof(object); t = t.BaseType)
        {
            foreach (FieldInfo field in t.GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.DeclaredOnly))
            {
                object value = field.GetValue(target);
                switch (value)
                {
                    case byte[] bytes when field.Name != "_basePoint":
                        Assert.True(Array.TrueForAll(bytes, b => b == 0), $"{t.Name}.{field.Name} not zeroised");
                        break;
                    case uint[] words when field.Name != "_a24":
                        Assert.True(Array.TrueForAll(words, w => w == 0), $"{t.Name}.{field.Name} not zeroised");
                        break;
                    case ulong[] longs:
                        Assert.True(Array.TrueForAll(longs, w => w == 0), $"{t.Name}.{field.Name} not zeroised");
                        break;
                    case object nested when depth < 3 && nested.GetType().Namespace?.StartsWith("VpnAppliance.Hal.Crypto.Managed", StringComparison.Ordinal) == true
                        && nested.GetType().Name is not ("MontgomeryModulus" or "EcpCurve" or "ModpGroup"):
                        AssertAllArraysZero(nested, depth + 1);
                        break;
                }
            }
        }
    }

    [Fact]
    public void SymmetricKeysAreZeroisedAndUnusableAfterClear()
    {
        ICryptoProvider p = Providers.Get("managed");
        byte[] key = new byte[36];
        new Random(1).NextBytes(key);
        byte[] buffer = new byte[64];

        IAeadCipher gcm = p.CreateAesGcm();
        gcm.SetKey(key, 0, 36);
        gcm.Seal(buffer, 0, buffer, 0, 8, buffer, 0, 32, buffer, 0, buffer, 32);
        gcm.Clear();
        AssertAllArraysZero(gcm);
        Assert.Equal(CryptoResult.InvalidState, gcm.Seal(buffer, 0, null, 0, 0, buffer, 0, 16, buffer, 0, buffer, 16));

        ICbcCipher cbc = p.CreateAesCbc();
        cbc.SetKey(key, 0, 32);
        cbc.Encrypt(buffer, 0, buffer, 0, 32, buffer, 0);
        cbc.Clear();
        AssertAllArraysZero(cbc);
        Assert.Equal(CryptoResult.InvalidState, cbc.Encrypt(buffer, 0, buffer, 0, 16, buffer, 0));

        foreach (HashAlgorithm algorithm in new[] { HashAlgorithm.Sha1, HashAlgorithm.Sha256, HashAlgorithm.Sha384, HashAlgorithm.Sha512 })
        {
            IMac mac = p.CreateHmac(algorithm);
            mac.SetKey(key, 0, 32);
            mac.Update(buffer, 0, 10);
            mac.Final(buffer, 0);
            mac.Clear();
            // The hash's chaining state after Reset is the public IV, not key material: check the pads and digest only.
            foreach (string name in new[] { "_innerPad", "_outerPad", "_innerDigest" })
            {
                byte[] field = (byte[])mac.GetType().GetField(name, BindingFlags.Instance | BindingFlags.NonPublic).GetValue(mac);
                Assert.True(Array.TrueForAll(field, b => b == 0), $"{algorithm} {name} not zeroised");
            }
        }

        // Host objects release their OS contexts and refuse to work.
        IAeadCipher hostGcm = Providers.Get("host").CreateAesGcm();
        hostGcm.SetKey(key, 0, 36);
        hostGcm.Clear();
        Assert.Equal(CryptoResult.InvalidState, hostGcm.Seal(buffer, 0, null, 0, 0, buffer, 0, 16, buffer, 0, buffer, 16));
    }

    [Theory]
    [InlineData(DhGroup.Modp2048)]
    [InlineData(DhGroup.Modp2048S256)]
    [InlineData(DhGroup.Ecp256)]
    [InlineData(DhGroup.Ecp384)]
    [InlineData(DhGroup.Curve25519)]
    public void DiffieHellmanPrivateValuesAreZeroisedAfterClear(int group)
    {
        IDiffieHellman dh = Providers.Get("managed").CreateDiffieHellman(group, false);
        Assert.Equal(CryptoResult.Ok, dh.GenerateKeyPair(new ManagedTestRandom(group)));
        byte[] peer = new byte[dh.PublicValueLength];
        dh.GetPublicValue(peer, 0);
        byte[] secret = new byte[dh.SharedSecretLength];
        Assert.Equal(CryptoResult.Ok, dh.ComputeSharedSecret(peer, 0, peer.Length, secret, 0));
        dh.Clear();
        foreach (string name in new[] { "_private", "_d", "_scalar" })
        {
            FieldInfo field = dh.GetType().GetField(name, BindingFlags.Instance | BindingFlags.NonPublic);
            if (field?.GetValue(dh) is Array array)
            {
                foreach (object item in array)
                {
                    Assert.Equal(0L, Convert.ToInt64(item));
                }
            }
        }

        Assert.Equal(CryptoResult.InvalidState, dh.GetPublicValue(peer, 0));
        Assert.Equal(CryptoResult.InvalidState, dh.ComputeSharedSecret(peer, 0, peer.Length, secret, 0));
    }
}
