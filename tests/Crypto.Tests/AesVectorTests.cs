using VpnAppliance.Hal.Crypto;

namespace VpnAppliance.Crypto.Tests;

/// <summary>AES block (FIPS 197 Appendix C), AES-CBC (RFC 3602 §4) and AES-GCM (McGrew-Viega GCM spec test cases).</summary>
public class AesVectorTests
{
    public static TheoryData<string, string, string> Fips197 => new()
    {
        // FIPS 197 Appendix C.1, C.2, C.3: plaintext 00112233445566778899aabbccddeeff.
        { "000102030405060708090a0b0c0d0e0f", "00112233445566778899aabbccddeeff", "69c4e0d86a7b0430d8cdb78070b4c55a" },
        { "000102030405060708090a0b0c0d0e0f1011121314151617", "00112233445566778899aabbccddeeff", "dda97ca4864cdfe06eaf70a0ec0d7191" },
        { "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "00112233445566778899aabbccddeeff", "8ea2b7ca516745bfeafc49904b496089" },
    };

    [Theory]
    [MemberData(nameof(Fips197))]
    public void Fips197AppendixC(string keyHex, string plainHex, string cipherHex)
    {
        foreach (string provider in new[] { "managed", "host" })
        {
            IBlockCipher aes = Providers.Get(provider).CreateAes();
            byte[] key = Hex.Decode(keyHex);
            Assert.Equal(CryptoResult.Ok, aes.SetKey(key, 0, key.Length));
            byte[] block = Hex.Decode(plainHex);
            aes.EncryptBlock(block, 0, block, 0);
            Assert.Equal(cipherHex, Hex.Encode(block));
            aes.DecryptBlock(block, 0, block, 0);
            Assert.Equal(plainHex, Hex.Encode(block));
        }
    }

    public static TheoryData<string, string, string, string> Rfc3602 => new()
    {
        // RFC 3602 §4 Case #1 ("Single block msg") and Case #2 (32 bytes 00..1f).
        { "06a9214036b8a15b512e03d534120006", "3dafba429d9eb430b422da802c9fac41", "53696e676c6520626c6f636b206d7367", "e353779c1079aeb82708942dbe77181a" },
        { "c286696d887c9aa0611bbb3e2025a45a", "562e17996d093d28ddb3ba695a2e6f58", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "d296cd94c2cccf8a3a863028b5e1dc0a7586602d253cfff91b8266bea6d61ab1" },
        // RFC 3602 §4 Case #3.
        { "6c3ea0477630ce21a2ce334aa746c2cd", "c782dc4c098c66cbd9cd27d825682c81", "5468697320697320612034382d62797465206d657373616765202865786163746c7920332041455320626c6f636b7329", "d0a02b3836451753d493665d33f0e8862dea54cdb293abc7506939276772f8d5021c19216bad525c8579695d83ba2684" },
    };

    [Theory]
    [MemberData(nameof(Rfc3602))]
    public void Rfc3602Cbc(string keyHex, string ivHex, string plainHex, string cipherHex)
    {
        foreach (string provider in new[] { "managed", "host" })
        {
            ICbcCipher cbc = Providers.Get(provider).CreateAesCbc();
            byte[] key = Hex.Decode(keyHex);
            byte[] iv = Hex.Decode(ivHex);
            byte[] plain = Hex.Decode(plainHex);
            Assert.Equal(CryptoResult.Ok, cbc.SetKey(key, 0, key.Length));
            byte[] output = new byte[plain.Length];
            Assert.Equal(CryptoResult.Ok, cbc.Encrypt(iv, 0, plain, 0, plain.Length, output, 0));
            Assert.Equal(cipherHex, Hex.Encode(output));
            // In place.
            Assert.Equal(CryptoResult.Ok, cbc.Decrypt(iv, 0, output, 0, output.Length, output, 0));
            Assert.Equal(plainHex, Hex.Encode(output));
            Assert.Equal(CryptoResult.InvalidLength, cbc.Encrypt(iv, 0, plain, 0, 15, output, 0));
        }
    }

    private const string K128 = "feffe9928665731c6d6a8f9467308308";
    private const string P60 = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39";
    private const string P64 = P60 + "1aafd255";
    private const string Aad = "feedfacedeadbeeffeedfacedeadbeefabaddad2";
    private const string Z16 = "00000000000000000000000000000000";

    public static TheoryData<string, string, string, string, string, string, string> Gcm => new()
    {
        // McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)", Appendix B, test cases with 96-bit IVs
        // (the only IV length RFC 4106 uses). Columns: case, key, IV (salt || explicit IV), AAD, P, C, T.
        { "1", Z16, "000000000000000000000000", "", "", "", "58e2fccefa7e3061367f1d57a4e7455a" },
        { "2", Z16, "000000000000000000000000", "", Z16, "0388dace60b6a392f328c2b971b2fe78", "ab6e47d42cec13bdf53a67b21257bddf" },
        { "3", K128, "cafebabefacedbaddecaf888", "", P64, "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985", "4d5c2af327cd64a62cf35abd2ba6fab4" },
        { "4", K128, "cafebabefacedbaddecaf888", Aad, P60, "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091", "5bc94fbc3221a5db94fae95ae7121a47" },
        { "7", Z16 + "0000000000000000", "000000000000000000000000", "", "", "", "cd33b28ac773f74ba00ed1f312572435" },
        { "8", Z16 + "0000000000000000", "000000000000000000000000", "", Z16, "98e7247c07f0fe411c267e4384b0f600", "2ff58d80033927ab8ef4d4587514f0fb" },
        { "9", K128 + "feffe9928665731c", "cafebabefacedbaddecaf888", "", P64, "3980ca0b3c00e841eb06fac4872a2757859e1ceaa6efd984628593b40ca1e19c7d773d00c144c525ac619d18c84a3f4718e2448b2fe324d9ccda2710acade256", "9924a7c8587336bfb118024db8674a14" },
        { "10", K128 + "feffe9928665731c", "cafebabefacedbaddecaf888", Aad, P60, "3980ca0b3c00e841eb06fac4872a2757859e1ceaa6efd984628593b40ca1e19c7d773d00c144c525ac619d18c84a3f4718e2448b2fe324d9ccda2710", "2519498e80f1478f37ba55bd6d27618c" },
        { "13", Z16 + Z16, "000000000000000000000000", "", "", "", "530f8afbc74536b9a963b4f1c4cb738b" },
        { "14", Z16 + Z16, "000000000000000000000000", "", Z16, "cea7403d4d606b6e074ec5d3baf39d18", "d0d1c8a799996bf0265b98b5d48ab919" },
        { "16", K128 + K128, "cafebabefacedbaddecaf888", Aad, P60, "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662", "76fc6ece0f4e1768cddf8853bb2d551b" },
    };

    [Theory]
    [MemberData(nameof(Gcm))]
    public void GcmSpecTestCases(string testCase, string keyHex, string ivHex, string aadHex, string plainHex, string cipherHex, string tagHex)
    {
        Assert.NotNull(testCase);
        foreach (string provider in new[] { "managed", "host" })
        {
            IAeadCipher gcm = Providers.Get(provider).CreateAesGcm();
            // RFC 4106: key material = key || salt, the salt being the first 4 bytes of the 12-byte nonce.
            byte[] keyAndSalt = Hex.Decode(keyHex + ivHex.Substring(0, 8));
            byte[] iv8 = Hex.Decode(ivHex.Substring(8));
            byte[] aad = Hex.Decode(aadHex);
            byte[] plain = Hex.Decode(plainHex);
            Assert.Equal(CryptoResult.Ok, gcm.SetKey(keyAndSalt, 0, keyAndSalt.Length));
            byte[] output = new byte[plain.Length];
            byte[] tag = new byte[16];
            Assert.Equal(CryptoResult.Ok, gcm.Seal(iv8, 0, aad, 0, aad.Length, plain, 0, plain.Length, output, 0, tag, 0));
            Assert.Equal(cipherHex, Hex.Encode(output));
            Assert.Equal(tagHex, Hex.Encode(tag));

            byte[] back = new byte[plain.Length];
            Assert.Equal(CryptoResult.Ok, gcm.Open(iv8, 0, aad, 0, aad.Length, output, 0, output.Length, tag, 0, back, 0));
            Assert.Equal(plainHex, Hex.Encode(back));
        }
    }

    [Theory]
    [InlineData("managed")]
    [InlineData("host")]
    public void GcmOpenWithWrongIcvFailsAndReleasesNoPlaintext(string provider)
    {
        IAeadCipher gcm = Providers.Get(provider).CreateAesGcm();
        byte[] keyAndSalt = Hex.Decode(K128 + "cafebabe");
        byte[] iv8 = Hex.Decode("facedbaddecaf888");
        byte[] aad = Hex.Decode(Aad);
        byte[] plain = Hex.Decode(P60);
        gcm.SetKey(keyAndSalt, 0, keyAndSalt.Length);
        byte[] cipher = new byte[plain.Length];
        byte[] tag = new byte[16];
        gcm.Seal(iv8, 0, aad, 0, aad.Length, plain, 0, plain.Length, cipher, 0, tag, 0);

        // Flip a bit of the tag, of the ciphertext and of the AAD in turn.
        for (int variant = 0; variant < 3; variant++)
        {
            byte[] t = (byte[])tag.Clone();
            byte[] c = (byte[])cipher.Clone();
            byte[] a = (byte[])aad.Clone();
            if (variant == 0) t[15] ^= 1;
            if (variant == 1) c[7] ^= 0x80;
            if (variant == 2) a[0] ^= 0x01;
            byte[] output = new byte[plain.Length];
            System.Array.Fill(output, (byte)0xA5);
            Assert.Equal(CryptoResult.AuthenticationFailed, gcm.Open(iv8, 0, a, 0, a.Length, c, 0, c.Length, t, 0, output, 0));
            for (int i = 0; i < output.Length; i++)
            {
                Assert.True(output[i] == 0xA5 || output[i] == 0, "no plaintext byte may be released");
                Assert.True(output[i] != plain[i] || plain[i] == 0xA5 || plain[i] == 0);
            }

            if (provider == "managed")
            {
                Assert.All(output, b => Assert.Equal(0xA5, b));
            }
        }
    }

    [Fact]
    public void BadKeysAndStatesAreTypedResults()
    {
        foreach (string provider in new[] { "managed", "host" })
        {
            var p = Providers.Get(provider);
            byte[] key = new byte[40];
            Assert.Equal(CryptoResult.InvalidKey, p.CreateAes().SetKey(key, 0, 15));
            Assert.Equal(CryptoResult.InvalidKey, p.CreateAesCbc().SetKey(key, 0, 20));
            Assert.Equal(CryptoResult.InvalidKey, p.CreateAesGcm().SetKey(key, 0, 16));
            Assert.Equal(CryptoResult.InvalidKey, p.CreateAesGcm().SetKey(key, 30, 20));
            byte[] buffer = new byte[32];
            Assert.Equal(CryptoResult.InvalidState, p.CreateAesCbc().Encrypt(buffer, 0, buffer, 0, 16, buffer, 0));
            Assert.Equal(CryptoResult.InvalidState, p.CreateAesGcm().Seal(buffer, 0, null, 0, 0, buffer, 0, 16, buffer, 0, buffer, 16));
            IAeadCipher gcm = p.CreateAesGcm();
            gcm.SetKey(key, 0, 20);
            Assert.Equal(CryptoResult.InvalidLength, gcm.Seal(buffer, 0, null, 0, 0, buffer, 0, 32, buffer, 0, buffer, 20));
        }
    }
}
