using System;
using System.Numerics;
using VpnAppliance.Hal.Crypto;
using VpnAppliance.Hal.Crypto.Host;
using VpnAppliance.Hal.Crypto.Managed.BigNum;
using VpnAppliance.Hal.Crypto.Managed.Modp;

namespace VpnAppliance.Crypto.Tests;

/// <summary>
/// MODP groups: parameters checked against their definitions (RFC 2409 §6.2, RFC 3526 §2-3 formula with pi;
/// RFC 5114 §2.3 subgroup structure) and primality; Montgomery exponentiation cross-checked against
/// System.Numerics.BigInteger.ModPow; managed vs host exchanges; invalid peer values rejected.
/// </summary>
public class ModpTests
{
    private static BigInteger ToBig(uint[] limbs)
    {
        byte[] bytes = new byte[limbs.Length * 4];
        Buffer.BlockCopy(limbs, 0, bytes, 0, bytes.Length);
        return new BigInteger(bytes, isUnsigned: true, isBigEndian: false);
    }

    private static uint[] ToLimbs(BigInteger value, int limbs)
    {
        byte[] bytes = new byte[limbs * 4];
        value.TryWriteBytes(bytes, out _, isUnsigned: true, isBigEndian: false);
        uint[] result = new uint[limbs];
        Buffer.BlockCopy(bytes, 0, result, 0, bytes.Length);
        return result;
    }

    /// <summary>Miller-Rabin with the first 20 primes as bases (deterministic, bounded).</summary>
    private static bool IsProbablePrime(BigInteger n)
    {
        int[] bases = { 2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71 };
        BigInteger d = n - 1;
        int s = 0;
        while (d.IsEven)
        {
            d >>= 1;
            s++;
        }

        foreach (int a in bases)
        {
            BigInteger x = BigInteger.ModPow(a, d, n);
            if (x.IsOne || x == n - 1)
            {
                continue;
            }

            bool composite = true;
            for (int r = 1; r < s && composite; r++)
            {
                x = BigInteger.ModPow(x, 2, n);
                composite = x != n - 1;
            }

            if (composite)
            {
                return false;
            }
        }

        return true;
    }

    [Theory]
    [InlineData(DhGroup.Modp1024, 1024)]
    [InlineData(DhGroup.Modp1536, 1536)]
    [InlineData(DhGroup.Modp2048, 2048)]
    public void OakleyPrimesMatchTheirDefinitionAndAreSafePrimes(int group, int bits)
    {
        ModpGroup managed = ModpGroup.Get(group);
        BigInteger p = ToBig(managed.Prime);
        Assert.True(HostModpGroups.TryGet(group, out BigInteger formula, out BigInteger g, out _, out _));
        Assert.Equal(formula, p); // managed hex table == RFC formula computed with pi
        Assert.Equal(bits, (int)p.GetBitLength());
        Assert.Equal(2, (int)ToBig(managed.Generator));
        Assert.Equal(g, ToBig(managed.Generator));
        Assert.True(IsProbablePrime(p));
        Assert.True(IsProbablePrime((p - 1) / 2)); // safe prime (RFC 3526 §1)
        Assert.Equal(bits / 8, managed.Length);
    }

    [Fact]
    public void Rfc5114Group24HasAPrimeOrderSubgroup()
    {
        ModpGroup managed = ModpGroup.Get(DhGroup.Modp2048S256);
        BigInteger p = ToBig(managed.Prime);
        BigInteger g = ToBig(managed.Generator);
        BigInteger q = ToBig(managed.Order);
        Assert.True(HostModpGroups.TryGet(DhGroup.Modp2048S256, out BigInteger hp, out BigInteger hg, out BigInteger hq, out _));
        Assert.Equal(hp, p);
        Assert.Equal(hg, g);
        Assert.Equal(hq, q);
        Assert.Equal(2048, (int)p.GetBitLength());
        Assert.Equal(256, (int)q.GetBitLength());
        Assert.True(IsProbablePrime(p));
        Assert.True(IsProbablePrime(q));
        Assert.True(((p - 1) % q).IsZero);
        Assert.True(BigInteger.ModPow(g, q, p).IsOne);
        Assert.False(g.IsOne);
    }

    [Theory]
    [InlineData(DhGroup.Modp1024, 1000, 320)]
    [InlineData(DhGroup.Modp2048, 1000, 320)]
    [InlineData(DhGroup.Modp2048S256, 30, 2048)]
    public void MontgomeryExponentiationMatchesBigIntegerModPow(int group, int cases, int maxExponentBits)
    {
        // Independent cross-check of the managed modexp. 1,000 cases with exponents up to 320 bits (the DH
        // private length); full 2048-bit exponents cost ~8x more each, so only 30 of those.
        ModpGroup modp = ModpGroup.Get(group);
        int limbs = modp.Prime.Length;
        BigInteger p = ToBig(modp.Prime);
        var arithmetic = new MontgomeryArithmetic(modp.Montgomery, true);
        var random = new Random(4000 + group);
        uint[] b = new uint[limbs];
        uint[] e = new uint[limbs];
        uint[] r = new uint[limbs];
        byte[] draw = new byte[4 * limbs];
        for (int i = 0; i < cases; i++)
        {
            random.NextBytes(draw);
            BigInteger baseValue = new BigInteger(draw, isUnsigned: true) % p;
            int bits = random.Next(1, maxExponentBits + 1);
            random.NextBytes(draw);
            BigInteger exponent = new BigInteger(draw, isUnsigned: true) & ((BigInteger.One << bits) - 1);
            arithmetic.ToMontgomery(ToLimbs(baseValue, limbs), b);
            uint[] exponentLimbs = ToLimbs(exponent, limbs);
            arithmetic.Exponentiate(b, exponentLimbs, bits, r);
            arithmetic.FromMontgomery(r, r);
            Assert.Equal(BigInteger.ModPow(baseValue, exponent, p), ToBig(r));
        }
    }

    [Theory]
    [InlineData(DhGroup.Modp1024, 1000)]
    [InlineData(DhGroup.Modp1536, 1000)]
    [InlineData(DhGroup.Modp2048, 1000)]
    [InlineData(DhGroup.Modp2048S256, 1000)]
    public void ManagedAndHostAgree(int group, int cases)
    {
        // Whole exchanges (two private values, both publics, both secrets) managed vs host, 1,000 cases per
        // group as the issue asks; the modexp itself also has its own 1,000-case cross-check above.
        IDiffieHellman managedA = Providers.Get("managed").CreateDiffieHellman(group, true);
        IDiffieHellman managedB = Providers.Get("managed").CreateDiffieHellman(group, true);
        IDiffieHellman hostA = Providers.Get("host").CreateDiffieHellman(group, true);
        var random = new Random(5000 + group);
        int length = managedA.PublicValueLength;
        Assert.Equal(length, hostA.PublicValueLength);
        byte[] x = new byte[32];
        byte[] y = new byte[32];
        byte[] pubA = new byte[length];
        byte[] pubAHost = new byte[length];
        byte[] pubB = new byte[length];
        byte[] s1 = new byte[length];
        byte[] s2 = new byte[length];
        byte[] s3 = new byte[length];
        for (int i = 0; i < cases; i++)
        {
            random.NextBytes(x);
            random.NextBytes(y);
            x[0] &= 0x7F; // below q for group 24 (q starts 0x8C)
            y[0] &= 0x7F;
            Assert.Equal(CryptoResult.Ok, managedA.SetPrivateValue(x, 0, 32));
            Assert.Equal(CryptoResult.Ok, hostA.SetPrivateValue(x, 0, 32));
            Assert.Equal(CryptoResult.Ok, managedB.SetPrivateValue(y, 0, 32));
            managedA.GetPublicValue(pubA, 0);
            hostA.GetPublicValue(pubAHost, 0);
            managedB.GetPublicValue(pubB, 0);
            Assert.Equal(Hex.Encode(pubAHost), Hex.Encode(pubA));
            Assert.Equal(CryptoResult.Ok, managedA.ComputeSharedSecret(pubB, 0, length, s1, 0));
            Assert.Equal(CryptoResult.Ok, hostA.ComputeSharedSecret(pubB, 0, length, s2, 0));
            Assert.Equal(CryptoResult.Ok, managedB.ComputeSharedSecret(pubA, 0, length, s3, 0));
            Assert.Equal(Hex.Encode(s2), Hex.Encode(s1));
            Assert.Equal(Hex.Encode(s1), Hex.Encode(s3));
        }
    }

    [Theory]
    [InlineData("managed", DhGroup.Modp1024)]
    [InlineData("managed", DhGroup.Modp2048)]
    [InlineData("managed", DhGroup.Modp2048S256)]
    [InlineData("host", DhGroup.Modp2048)]
    [InlineData("host", DhGroup.Modp2048S256)]
    public void InvalidPeerValuesAreRejected(string provider, int group)
    {
        IDiffieHellman dh = Providers.Get(provider).CreateDiffieHellman(group, true);
        var random = new ManagedTestRandom(1);
        Assert.Equal(CryptoResult.Ok, dh.GenerateKeyPair(random));
        int length = dh.PublicValueLength;
        Assert.True(HostModpGroups.TryGet(group, out BigInteger p, out _, out BigInteger q, out _));
        byte[] secret = new byte[length];
        Array.Fill(secret, (byte)0x5A);
        foreach (BigInteger bad in new[] { BigInteger.Zero, BigInteger.One, p - 1, p, p + 1 })
        {
            byte[] value = new byte[length];
            if (bad.GetByteCount(isUnsigned: true) <= length)
            {
                bad.TryWriteBytes(value.AsSpan(length - bad.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true);
            }
            else
            {
                Array.Fill(value, (byte)0xFF); // p + 1 overflows only for a prime of all ones, not ours
            }

            Assert.Equal(CryptoResult.InvalidPublicValue, dh.ComputeSharedSecret(value, 0, length, secret, 0));
        }

        Assert.Equal(CryptoResult.InvalidLength, dh.ComputeSharedSecret(new byte[length - 1], 0, length - 1, secret, 0));
        if (!q.IsZero)
        {
            // 2 is not in the order-q subgroup of the RFC 5114 group (2^q != 1 mod p).
            Assert.False(BigInteger.ModPow(2, q, p).IsOne);
            byte[] two = new byte[length];
            two[length - 1] = 2;
            Assert.Equal(CryptoResult.InvalidPublicValue, dh.ComputeSharedSecret(two, 0, length, secret, 0));
        }

        Assert.All(secret, b => Assert.Equal(0x5A, b)); // nothing written on rejection
    }

    [Theory]
    [InlineData("managed")]
    [InlineData("host")]
    public void WeakGroupsOnlyBehindTheFlag(string provider)
    {
        ICryptoProvider p = Providers.Get(provider);
        Assert.Null(p.CreateDiffieHellman(DhGroup.Modp1024, false));
        Assert.Null(p.CreateDiffieHellman(DhGroup.Modp1536, false));
        Assert.True(p.CreateDiffieHellman(DhGroup.Modp1024, true).IsWeak);
        Assert.True(p.CreateDiffieHellman(DhGroup.Modp1536, true).IsWeak);
        Assert.False(p.CreateDiffieHellman(DhGroup.Modp2048, false).IsWeak);
        Assert.False(p.CreateDiffieHellman(DhGroup.Modp2048S256, false).IsWeak);
        Assert.Null(p.CreateDiffieHellman(99, true));
        IDiffieHellman dh = p.CreateDiffieHellman(DhGroup.Modp2048, false);
        Assert.Equal(CryptoResult.InvalidState, dh.GetPublicValue(new byte[256], 0));
    }
}

/// <summary>A seeded IRandom for tests (not a CSPRNG).</summary>
internal sealed class ManagedTestRandom : IRandom
{
    private readonly Random _random;

    public ManagedTestRandom(int seed) => _random = new Random(seed);

    public CryptoResult NextBytes(byte[] buffer, int offset, int count)
    {
        _random.NextBytes(buffer.AsSpan(offset, count));
        return CryptoResult.Ok;
    }
}
