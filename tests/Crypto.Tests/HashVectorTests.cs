using System.Text;
using VpnAppliance.Hal.Crypto;

namespace VpnAppliance.Crypto.Tests;

/// <summary>
/// SHA-1/256/384/512 against the FIPS 180-4 examples (NIST CSRC "Examples with intermediate values":
/// one-block "abc", the multi-block 448-bit and 896-bit messages) and the NIST CAVP long-message
/// case of one million 'a'.
/// </summary>
public class HashVectorTests
{
    private const string Msg448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    private const string Msg896 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

    public static TheoryData<string, HashAlgorithm, string, string> Vectors => new()
    {
        // FIPS 180-4 examples (SHA1.pdf, SHA256.pdf, SHA384.pdf, SHA512.pdf).
        { "managed", HashAlgorithm.Sha1, "abc", "a9993e364706816aba3e25717850c26c9cd0d89d" },
        { "managed", HashAlgorithm.Sha1, Msg448, "84983e441c3bd26ebaae4aa1f95129e5e54670f1" },
        { "managed", HashAlgorithm.Sha1, "", "da39a3ee5e6b4b0d3255bfef95601890afd80709" },
        { "managed", HashAlgorithm.Sha256, "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
        { "managed", HashAlgorithm.Sha256, Msg448, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
        { "managed", HashAlgorithm.Sha384, "abc", "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7" },
        { "managed", HashAlgorithm.Sha384, Msg896, "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039" },
        { "managed", HashAlgorithm.Sha512, "abc", "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f" },
        { "managed", HashAlgorithm.Sha512, Msg896, "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909" },
        { "host", HashAlgorithm.Sha1, Msg448, "84983e441c3bd26ebaae4aa1f95129e5e54670f1" },
        { "host", HashAlgorithm.Sha256, Msg448, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
        { "host", HashAlgorithm.Sha384, Msg896, "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039" },
        { "host", HashAlgorithm.Sha512, Msg896, "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909" },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Fips180Examples(string provider, HashAlgorithm algorithm, string message, string expected)
    {
        IHash hash = Providers.Get(provider).CreateHash(algorithm);
        byte[] data = Encoding.ASCII.GetBytes(message);
        byte[] digest = new byte[hash.HashLength];
        hash.Update(data, 0, data.Length);
        hash.Final(digest, 0);
        Assert.Equal(expected, Hex.Encode(digest));

        // Byte-by-byte feeding crosses every buffering path and gives the same digest.
        for (int i = 0; i < data.Length; i++)
        {
            hash.Update(data, i, 1);
        }

        hash.Final(digest, 0);
        Assert.Equal(expected, Hex.Encode(digest));
    }

    public static TheoryData<HashAlgorithm, string> MillionA => new()
    {
        // FIPS 180-4 / NIST CAVP: one million repetitions of 'a'.
        { HashAlgorithm.Sha1, "34aa973cd4c4daa4f61eeb2bdbad27316534016f" },
        { HashAlgorithm.Sha256, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0" },
        { HashAlgorithm.Sha384, "9d0e1809716474cb086e834e310a4a1ced149e9c00f248527972cec5704c2a5b07b8b3dc38ecc4ebae97ddd87f3d8985" },
        { HashAlgorithm.Sha512, "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b" },
    };

    [Theory]
    [MemberData(nameof(MillionA))]
    public void OneMillionA(HashAlgorithm algorithm, string expected)
    {
        IHash hash = Providers.Get("managed").CreateHash(algorithm);
        byte[] chunk = new byte[1000];
        System.Array.Fill(chunk, (byte)'a');
        for (int i = 0; i < 1000; i++)
        {
            hash.Update(chunk, 0, chunk.Length);
        }

        byte[] digest = new byte[hash.HashLength];
        hash.Final(digest, 0);
        Assert.Equal(expected, Hex.Encode(digest));
    }
}
