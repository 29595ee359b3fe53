using System;
using System.Numerics;
using VpnAppliance.Hal.Crypto;
using VpnAppliance.Hal.Crypto.Host;

namespace VpnAppliance.Crypto.Tests;

/// <summary>ECP groups 19/20: RFC 5903 §8 test vectors, managed vs host cross-checks, invalid points rejected.</summary>
public class EcpTests
{
    // RFC 5903 §8.1 (256-bit random ECP group) and §8.2 (384-bit random ECP group).
    public static TheoryData<string, int, string, string, string, string, string> Rfc5903
    {
        get
        {
            var data = new TheoryData<string, int, string, string, string, string, string>();
            foreach (string p in new[] { "managed", "host" })
            {
                data.Add(p, DhGroup.Ecp256,
                    "C88F01F510D9AC3F70A292DAA2316DE544E9AAB8AFE84049C62A9C57862D1433",
                    "DAD0B65394221CF9B051E1FECA5787D098DFE637FC90B9EF945D0C3772581180" + "5271A0461CDB8252D61F1C456FA3E59AB1F45B33ACCF5F58389E0577B8990BB3",
                    "C6EF9C5D78AE012A011164ACB397CE2088685D8F06BF9BE0B283AB46476BEE53",
                    "D12DFB5289C8D4F81208B70270398C342296970A0BCCB74C736FC7554494BF63" + "56FBF3CA366CC23E8157854C13C58D6AAC23F046ADA30F8353E74F33039872AB",
                    "D6840F6B42F6EDAFD13116E0E12565202FEF8E9ECE7DCE03812464D04B9442DE");
                data.Add(p, DhGroup.Ecp384,
                    "099F3C7034D4A2C699884D73A375A67F7624EF7C6B3C0F160647B67414DCE655E35B538041E649EE3FAEF896783AB194",
                    "667842D7D180AC2CDE6F74F37551F55755C7645C20EF73E31634FE72B4C55EE6DE3AC808ACB4BDB4C88732AEE95F41AA" + "9482ED1FC0EEB9CAFC4984625CCFC23F65032149E0E144ADA024181535A0F38EEB9FCFF3C2C947DAE69B4C634573A81C",
                    "41CB0779B4BDB85D47846725FBEC3C9430FAB46CC8DC5060855CC9BDA0AA2942E0308312916B8ED2960E4BD55A7448FC",
                    "E558DBEF53EECDE3D3FCCFC1AEA08A89A987475D12FD950D83CFA41732BC509D0D1AC43A0336DEF96FDA41D0774A3571" + "DCFBEC7AACF3196472169E838430367F66EEBE3C6E70C416DD5F0C68759DD1FFF83FA40142209DFF5EAAD96DB9E6386C",
                    "11187331C279962D93D604243FD592CB9D0A926F422E47187521287E7156C5C4D603135569B9E9D09CF5D4A270F59746");
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Rfc5903))]
    public void Rfc5903Vectors(string provider, int group, string i, string gi, string r, string gr, string girx)
    {
        ICryptoProvider p = Providers.Get(provider);
        IDiffieHellman initiator = p.CreateDiffieHellman(group, false);
        IDiffieHellman responder = p.CreateDiffieHellman(group, false);
        byte[] iBytes = Hex.Decode(i);
        byte[] rBytes = Hex.Decode(r);
        Assert.Equal(CryptoResult.Ok, initiator.SetPrivateValue(iBytes, 0, iBytes.Length));
        Assert.Equal(CryptoResult.Ok, responder.SetPrivateValue(rBytes, 0, rBytes.Length));
        byte[] giOut = new byte[initiator.PublicValueLength];
        byte[] grOut = new byte[responder.PublicValueLength];
        initiator.GetPublicValue(giOut, 0);
        responder.GetPublicValue(grOut, 0);
        Assert.Equal(gi.ToLowerInvariant(), Hex.Encode(giOut));
        Assert.Equal(gr.ToLowerInvariant(), Hex.Encode(grOut));
        byte[] s1 = new byte[initiator.SharedSecretLength];
        byte[] s2 = new byte[responder.SharedSecretLength];
        Assert.Equal(CryptoResult.Ok, initiator.ComputeSharedSecret(grOut, 0, grOut.Length, s1, 0));
        Assert.Equal(CryptoResult.Ok, responder.ComputeSharedSecret(giOut, 0, giOut.Length, s2, 0));
        Assert.Equal(girx.ToLowerInvariant(), Hex.Encode(s1));
        Assert.Equal(girx.ToLowerInvariant(), Hex.Encode(s2));
    }

    [Theory]
    [InlineData(DhGroup.Ecp256, 1000)]
    [InlineData(DhGroup.Ecp384, 1000)]
    public void ManagedAndHostAgree(int group, int cases)
    {
        // Each case: one managed key generation and one managed shared-secret computation (two ladders),
        // checked against OpenSSL through .NET; 1,000 cases per curve.
        IDiffieHellman managed = Providers.Get("managed").CreateDiffieHellman(group, false);
        IDiffieHellman host = Providers.Get("host").CreateDiffieHellman(group, false);
        IDiffieHellman hostPeer = Providers.Get("host").CreateDiffieHellman(group, false);
        var random = new ManagedTestRandom(5903 + group);
        byte[] d = new byte[managed.SharedSecretLength];
        byte[] a = new byte[managed.PublicValueLength];
        byte[] b = new byte[managed.PublicValueLength];
        byte[] peer = new byte[managed.PublicValueLength];
        byte[] s1 = new byte[managed.SharedSecretLength];
        byte[] s2 = new byte[managed.SharedSecretLength];
        for (int i = 0; i < cases; i++)
        {
            random.NextBytes(d, 0, d.Length);
            d[0] &= 0x7F; // below n
            Assert.Equal(CryptoResult.Ok, managed.SetPrivateValue(d, 0, d.Length));
            Assert.Equal(CryptoResult.Ok, host.SetPrivateValue(d, 0, d.Length));
            managed.GetPublicValue(a, 0);
            host.GetPublicValue(b, 0);
            Assert.Equal(Hex.Encode(b), Hex.Encode(a));
            Assert.Equal(CryptoResult.Ok, hostPeer.GenerateKeyPair(random));
            hostPeer.GetPublicValue(peer, 0);
            Assert.Equal(CryptoResult.Ok, managed.ComputeSharedSecret(peer, 0, peer.Length, s1, 0));
            Assert.Equal(CryptoResult.Ok, host.ComputeSharedSecret(peer, 0, peer.Length, s2, 0));
            Assert.Equal(Hex.Encode(s2), Hex.Encode(s1));
        }
    }

    [Theory]
    [InlineData("managed", DhGroup.Ecp256)]
    [InlineData("managed", DhGroup.Ecp384)]
    [InlineData("host", DhGroup.Ecp256)]
    [InlineData("host", DhGroup.Ecp384)]
    public void InvalidPointsAreRejected(string provider, int group)
    {
        IDiffieHellman dh = Providers.Get(provider).CreateDiffieHellman(group, false);
        Assert.Equal(CryptoResult.Ok, dh.GenerateKeyPair(new ManagedTestRandom(group)));
        int length = dh.SharedSecretLength;
        byte[] valid = new byte[2 * length];
        IDiffieHellman other = Providers.Get("host").CreateDiffieHellman(group, false);
        other.GenerateKeyPair(new ManagedTestRandom(group + 1));
        other.GetPublicValue(valid, 0);
        byte[] secret = new byte[length];
        Array.Fill(secret, (byte)0x5A);
        BigInteger p = group == DhGroup.Ecp256
            ? HostModpGroups.FromHex("FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF")
            : HostModpGroups.FromHex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFFFF0000000000000000FFFFFFFF");
        byte[] pBytes = p.ToByteArray(isUnsigned: true, isBigEndian: true);

        byte[] offCurve = (byte[])valid.Clone();
        offCurve[^1] ^= 1; // y changed: not on the curve
        byte[] infinity = new byte[2 * length]; // (0, 0): how "infinity" would be smuggled in x || y; not on the curve
        byte[] xIsP = (byte[])valid.Clone();
        Array.Copy(pBytes, 0, xIsP, 0, length); // x = p (unreduced coordinate)
        byte[] yIsP = (byte[])valid.Clone();
        Array.Copy(pBytes, 0, yIsP, length, length);
        byte[] allOnes = new byte[2 * length];
        Array.Fill(allOnes, (byte)0xFF);
        foreach (byte[] bad in new[] { offCurve, infinity, xIsP, yIsP, allOnes })
        {
            Assert.Equal(CryptoResult.InvalidPublicValue, dh.ComputeSharedSecret(bad, 0, bad.Length, secret, 0));
        }

        Assert.Equal(CryptoResult.InvalidLength, dh.ComputeSharedSecret(valid, 0, valid.Length - 1, secret, 0));
        Assert.All(secret, x => Assert.Equal(0x5A, x));
        Assert.Equal(CryptoResult.Ok, dh.ComputeSharedSecret(valid, 0, valid.Length, secret, 0));
    }

    [Theory]
    [InlineData("managed", DhGroup.Ecp256, "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551")]
    [InlineData("managed", DhGroup.Ecp384, "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973")]
    [InlineData("host", DhGroup.Ecp256, "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551")]
    public void PrivateRangeIsOneToNMinusOne(string provider, int group, string orderHex)
    {
        IDiffieHellman dh = Providers.Get(provider).CreateDiffieHellman(group, false);
        byte[] n = Hex.Decode(orderHex);
        byte[] zero = new byte[n.Length];
        Assert.Equal(CryptoResult.InvalidKey, dh.SetPrivateValue(zero, 0, zero.Length));
        Assert.Equal(CryptoResult.InvalidKey, dh.SetPrivateValue(n, 0, n.Length));
        // (n - 1) G = -G: same x as G, y = p - Gy. Exercises the ladder up to the top bit and the complete formula.
        byte[] nMinusOne = (byte[])n.Clone();
        nMinusOne[^1] -= 1;
        Assert.Equal(CryptoResult.Ok, dh.SetPrivateValue(nMinusOne, 0, nMinusOne.Length));
        byte[] minusG = new byte[dh.PublicValueLength];
        dh.GetPublicValue(minusG, 0);
        byte[] one = new byte[1] { 1 };
        Assert.Equal(CryptoResult.Ok, dh.SetPrivateValue(one, 0, 1));
        byte[] g = new byte[dh.PublicValueLength];
        dh.GetPublicValue(g, 0);
        int length = n.Length;
        Assert.Equal(Hex.Encode(g, 0, length), Hex.Encode(minusG, 0, length));
        var gy = new BigInteger(g.AsSpan(length), isUnsigned: true, isBigEndian: true);
        var my = new BigInteger(minusG.AsSpan(length), isUnsigned: true, isBigEndian: true);
        var p = group == DhGroup.Ecp256
            ? HostModpGroups.FromHex("FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF")
            : HostModpGroups.FromHex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFFFF0000000000000000FFFFFFFF");
        Assert.Equal(p - gy, my);
    }
}
