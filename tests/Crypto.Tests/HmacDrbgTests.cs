using VpnAppliance.Hal;
using VpnAppliance.Hal.Crypto;
using VpnAppliance.Hal.Crypto.Managed;
using VpnAppliance.Hal.Crypto.Managed.Hashing;
using VpnAppliance.Hal.Crypto.Managed.Random;

namespace VpnAppliance.Crypto.Tests;

/// <summary>HMAC_DRBG (SP 800-90A §10.1.2) against NIST CAVP DRBG test vectors (HMAC_DRBG.rsp, SHA-256).</summary>
public class HmacDrbgTests
{
    private sealed class CountingEntropy : IEntropySource
    {
        private readonly System.Random _random = new(90);
        public int Calls;
        public bool Dry;

        public int Fill(byte[] buffer, int offset, int count)
        {
            Calls++;
            if (Dry)
            {
                return 0;
            }

            // Deliver in small pieces to exercise the bounded read loop.
            int n = System.Math.Min(count, 7);
            _random.NextBytes(new System.Span<byte>(buffer, offset, n));
            return n;
        }
    }

    [Fact]
    public void CavpNoReseedSha256Count0()
    {
        // NIST CAVP drbgvectors_no_reseed/HMAC_DRBG.rsp, [SHA-256] [PredictionResistance = False]
        // [EntropyInputLen = 256] [NonceLen = 128] [PersonalizationStringLen = 0] [AdditionalInputLen = 0], COUNT = 0:
        // instantiate, generate 1024 bits (discarded), generate 1024 bits = ReturnedBits.
        byte[] entropy = Hex.Decode("ca851911349384bffe89de1cbdc46e6831e44d34a4fb935ee285dd14b71a7488");
        byte[] nonce = Hex.Decode("659ba96c601dc69fc902940805ec0ca8");
        var drbg = new HmacDrbg(new Hmac(new Sha256()), new CountingEntropy());
        drbg.InstantiateWith(entropy, 0, entropy.Length, nonce, 0, nonce.Length, null, 0, 0);
        byte[] output = new byte[128];
        Assert.Equal(CryptoResult.Ok, drbg.Generate(output, 0, 128, null, 0, 0));
        Assert.Equal(CryptoResult.Ok, drbg.Generate(output, 0, 128, null, 0, 0));
        Assert.Equal(
            "e528e9abf2dece54d47c7e75e5fe302149f817ea9fb4bee6f4199697d04d5b89d54fbb978a15b5c443c9ec21036d2460b6f73ebad0dc2aba6e624abf07745bc107694bb7547bb0995f70de25d6b29e2d3011bb19d27676c07162c8b5ccde0668961df86803482cb37ed6d5c0bb8d50cf1f50d476aa0458bdaba806f48be9dcb8",
            Hex.Encode(output));
    }

    [Fact]
    public void CavpReseedSha256Count0()
    {
        // NIST CAVP drbgvectors_pr_false/HMAC_DRBG.rsp, [SHA-256], no personalization/additional input, COUNT = 0:
        // instantiate, reseed(EntropyInputReseed), generate 1024 bits twice; the second output = ReturnedBits.
        byte[] entropy = Hex.Decode("06032cd5eed33f39265f49ecb142c511da9aff2af71203bffaf34a9ca5bd9c0d");
        byte[] nonce = Hex.Decode("0e66f71edc43e42a45ad3c6fc6cdc4df");
        byte[] reseed = Hex.Decode("01920a4e669ed3a85ae8a33b35a74ad7fb2a6bb4cf395ce00334a9c9a5a5d552");
        var drbg = new HmacDrbg(new Hmac(new Sha256()), new CountingEntropy());
        drbg.InstantiateWith(entropy, 0, entropy.Length, nonce, 0, nonce.Length, null, 0, 0);
        drbg.ReseedWith(reseed, 0, reseed.Length, null, 0, 0);
        byte[] output = new byte[128];
        drbg.Generate(output, 0, 128, null, 0, 0);
        drbg.Generate(output, 0, 128, null, 0, 0);
        Assert.Equal(
            "76fc79fe9b50beccc991a11b5635783a83536add03c157fb30645e611c2898bb2b1bc215000209208cd506cb28da2a51bdb03826aaf2bd2335d576d519160842e7158ad0949d1a9ec3e66ea1b1a064b005de914eac2e9d4f2d72a8616a80225422918250ff66a41bd2f864a6a38cc5b6499dc43f7f2bd09e1e0f8f5885935124",
            Hex.Encode(output));
    }

    [Fact]
    public void SeedsFromEntropySourceAndReseedsWhenDue()
    {
        var entropy = new CountingEntropy();
        IRandom random = new ManagedCryptoProvider().CreateRandom(entropy);
        byte[] a = new byte[32];
        byte[] b = new byte[32];
        Assert.Equal(CryptoResult.Ok, random.NextBytes(a, 0, 32));
        Assert.True(entropy.Calls > 0);
        Assert.Equal(CryptoResult.Ok, random.NextBytes(b, 0, 32));
        Assert.NotEqual(Hex.Encode(a), Hex.Encode(b));

        int callsBefore = entropy.Calls;
        for (int i = 0; i < HmacDrbg.ReseedInterval; i++)
        {
            Assert.Equal(CryptoResult.Ok, random.NextBytes(b, 0, 1));
        }

        Assert.True(entropy.Calls > callsBefore, "a reseed pulled fresh entropy after ReseedInterval requests");

        // A fill larger than one request is split and still succeeds.
        byte[] big = new byte[HmacDrbg.MaxBytesPerRequest + 100];
        Assert.Equal(CryptoResult.Ok, random.NextBytes(big, 0, big.Length));
    }

    [Fact]
    public void DrySourceIsATypedFailure()
    {
        var entropy = new CountingEntropy { Dry = true };
        var drbg = new HmacDrbg(new Hmac(new Sha256()), entropy);
        byte[] output = new byte[16];
        Assert.Equal(CryptoResult.EntropyUnavailable, drbg.NextBytes(output, 0, 16));
        Assert.True(entropy.Calls <= 64, "entropy reads are bounded");
        Assert.Equal(CryptoResult.InvalidState, drbg.Generate(output, 0, 16, null, 0, 0));
    }

    [Fact]
    public void GenerateAllocatesNothing()
    {
        var drbg = new HmacDrbg(new Hmac(new Sha256()), new CountingEntropy());
        byte[] output = new byte[64];
        drbg.NextBytes(output, 0, 64);
        long before = System.GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            drbg.NextBytes(output, 0, 64);
        }

        Assert.Equal(0, System.GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
