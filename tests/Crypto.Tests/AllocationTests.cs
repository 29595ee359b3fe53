using System;
using VpnAppliance.Hal.Crypto;

namespace VpnAppliance.Crypto.Tests;

/// <summary>
/// Steady-state symmetric operations allocate nothing after setup (DESIGN.md §2 rule 3), measured with
/// GC.GetAllocatedBytesForCurrentThread around a loop of ESP-sized operations.
/// </summary>
public class AllocationTests
{
    private static long Measure(Action action)
    {
        action(); // warm-up: JIT, lazy statics, the OS library's first-use setup
        action();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 50; i++)
        {
            action();
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static void AssertNone(string what, Action action)
    {
        long bytes = Measure(action);
        Assert.True(bytes == 0, $"{what}: {bytes} bytes allocated in 50 operations");
    }

    [Theory]
    [InlineData("managed")]
    [InlineData("host")]
    public void SymmetricPrimitivesAllocateNothingPerOperation(string provider)
    {
        ICryptoProvider p = Providers.Get(provider);
        byte[] key = new byte[36];
        byte[] iv = new byte[16];
        byte[] packet = new byte[1400];
        byte[] output = new byte[1400];
        byte[] tag = new byte[64];
        byte[] aad = new byte[8];
        IBlockCipher aes = p.CreateAes();
        aes.SetKey(key, 0, 32);
        ICbcCipher cbc = p.CreateAesCbc();
        cbc.SetKey(key, 0, 32);
        IAeadCipher gcm = p.CreateAesGcm();
        gcm.SetKey(key, 0, 36);

        AssertNone("aes block", () => aes.EncryptBlock(packet, 0, output, 0));
        AssertNone("aes blocks", () => aes.EncryptBlocks(packet, 0, output, 0, 87));
        AssertNone("cbc encrypt", () => cbc.Encrypt(iv, 0, packet, 0, 1392, output, 0));
        AssertNone("cbc decrypt", () => cbc.Decrypt(iv, 0, output, 0, 1392, packet, 0));
        AssertNone("gcm seal", () => gcm.Seal(iv, 0, aad, 0, 8, packet, 0, 1400, output, 0, tag, 0));
        AssertNone("gcm open", () => gcm.Open(iv, 0, aad, 0, 8, output, 0, 1400, tag, 0, packet, 0));
        foreach (HashAlgorithm algorithm in new[] { HashAlgorithm.Sha1, HashAlgorithm.Sha256, HashAlgorithm.Sha384, HashAlgorithm.Sha512 })
        {
            IHash hash = p.CreateHash(algorithm);
            IMac mac = p.CreateHmac(algorithm);
            mac.SetKey(key, 0, 32);
            AssertNone($"hash {algorithm}", () => { hash.Update(packet, 0, 1400); hash.Final(tag, 0); });
            AssertNone($"hmac {algorithm}", () => { mac.Reset(); mac.Update(packet, 0, 1400); mac.Final(tag, 0); });
        }
    }
}
