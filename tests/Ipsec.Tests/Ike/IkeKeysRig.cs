using System.Security.Cryptography;
using VpnAppliance.Hal.Crypto;
using VpnAppliance.Hal.Crypto.Host;
using VpnAppliance.Hal.Crypto.Managed;
using VpnAppliance.Hal.Doubles;
using VpnAppliance.Ipsec.Ike;

namespace VpnAppliance.Ipsec.Tests.Ike;

/// <summary>
/// Shared set-up for the IKE key tests: suites by strongSwan-like name, providers, deterministic inputs, and an
/// independent prf / prf+ written here over System.Security.Cryptography (the oracle for RFC 7296 §2.13-§2.18).
/// </summary>
internal static class IkeKeysRig
{
    public const ulong SpiI = 0x1122334455667788UL;
    public const ulong SpiR = 0x99AABBCCDDEEFF01UL;

    /// <summary>"aes256gcm16-prfsha384", "aes128-sha1" (prf from integrity), "aes256-sha256-prfsha512".</summary>
    public static IkeSuite Suite(string name)
    {
        var s = new IkeSuite();
        foreach (string part in name.Split('-'))
        {
            if (part.StartsWith("aes"))
            {
                bool gcm = part.EndsWith("gcm16");
                s.Encryption = gcm ? IkeSuite.EncrAesGcm16 : IkeSuite.EncrAesCbc;
                s.KeyBits = int.Parse(gcm ? part[3..^5] : part[3..]);
            }
            else if (part.StartsWith("prf")) s.Prf = PrfId(part[3..]);
            else if (part.StartsWith("sha")) s.Integrity = IntegId(part);
            else if (part.StartsWith("modp") || part.StartsWith("ecp") || part.StartsWith("x25519")) s.DhGroup = VpnAppliance.Config.DhGroup.FromName(part);
        }

        if (s.Prf == 0)
        {
            s.Prf = s.Integrity switch { 2 => 2, 12 => 5, 13 => 6, 14 => 7, _ => 0 };
        }

        return s;
    }

    static int PrfId(string h) => h switch { "sha1" => 2, "sha256" => 5, "sha384" => 6, "sha512" => 7, _ => 0 };
    static int IntegId(string h) => h switch { "sha1" => 2, "sha256" => 12, "sha384" => 13, "sha512" => 14, _ => 0 };

    public static ICryptoProvider Provider(string name) => name == "host" ? new HostCryptoProvider() : new ManagedCryptoProvider();

    public static IRandom Random(long seed) => new ManagedCryptoProvider().CreateRandom(new SeededEntropy(seed));

    public static byte[] Bytes(int length, int seed)
    {
        var b = new byte[length];
        new Random(seed).NextBytes(b);
        return b;
    }

    /// <summary>A configured key set derived with fixed nonces/secret (same inputs on both ends).</summary>
    public static IkeSaKeys Derived(string suite, string provider, long randomSeed = 7, int inputSeed = 1)
    {
        var keys = new IkeSaKeys(Provider(provider), Random(randomSeed));
        Assert.True(keys.Configure(Suite(suite)));
        byte[] ni = Bytes(32, inputSeed), nr = Bytes(32, inputSeed + 1), gir = Bytes(256, inputSeed + 2);
        Assert.Equal(CryptoResult.Ok, keys.DeriveInitial(ni, 0, ni.Length, nr, 0, nr.Length, gir, 0, gir.Length, SpiI, SpiR));
        return keys;
    }

    /// <summary>An IKE_AUTH-like message header (28 octets) whose Next Payload is SK, in a buffer of <paramref name="capacity"/>.</summary>
    public static byte[] HeaderBuffer(int capacity, bool initiator, byte nextPayload = IkePayloadType.Encrypted)
    {
        var buffer = new byte[capacity];
        var h = new IkeHeader
        {
            SpiInitiator = SpiI,
            SpiResponder = SpiR,
            NextPayload = nextPayload,
            ExchangeType = IkeExchangeType.IkeAuth,
            Flags = initiator ? IkeHeader.FlagInitiator : IkeHeader.FlagResponse,
            MessageId = 1,
            MessageLength = IkeHeader.Length,
        };
        Assert.Equal(IkeHeader.Length, h.Emit(buffer, 0, capacity));
        return buffer;
    }

    // ---- independent oracle (System.Security.Cryptography) ----

    public static byte[] Prf(int prf, byte[] key, byte[] data) => prf switch
    {
        2 => HMACSHA1.HashData(key, data),
        5 => HMACSHA256.HashData(key, data),
        6 => HMACSHA384.HashData(key, data),
        7 => HMACSHA512.HashData(key, data),
        _ => throw new ArgumentException("prf"),
    };

    public static int PrfLength(int prf) => prf switch { 2 => 20, 5 => 32, 6 => 48, 7 => 64, _ => 0 };

    /// <summary>prf+ (RFC 7296 §2.13): T1 = prf(K, S | 0x01), Tn = prf(K, Tn-1 | S | n).</summary>
    public static byte[] PrfPlus(int prf, byte[] key, byte[] seed, int length)
    {
        var output = new List<byte>();
        byte[] t = Array.Empty<byte>();
        for (int n = 1; output.Count < length; n++)
        {
            t = Prf(prf, key, [.. t, .. seed, (byte)n]);
            output.AddRange(t);
        }

        return output.Take(length).ToArray();
    }

    public static byte[] Be64(ulong v)
    {
        var b = new byte[8];
        for (int i = 7; i >= 0; i--, v >>= 8)
        {
            b[i] = (byte)v;
        }

        return b;
    }

    /// <summary>Key lengths {SK_d, SK_ai, SK_ar, SK_ei, SK_er, SK_pi, SK_pr} for a suite, from the RFCs.</summary>
    public static int[] KeyLengths(IkeSuite s)
    {
        int prf = PrfLength(s.Prf);
        int integ = s.Integrity switch { 2 => 20, 12 => 32, 13 => 48, 14 => 64, _ => 0 };
        int enc = s.KeyBits / 8 + (s.Encryption == IkeSuite.EncrAesGcm16 ? 4 : 0);
        return [prf, integ, integ, enc, enc, prf, prf];
    }

    /// <summary>Splits prf+ output into the seven keys.</summary>
    public static byte[][] Split(byte[] keymat, int[] lengths)
    {
        var keys = new byte[lengths.Length][];
        int at = 0;
        for (int i = 0; i < lengths.Length; i++)
        {
            keys[i] = keymat.AsSpan(at, lengths[i]).ToArray();
            at += lengths[i];
        }

        return keys;
    }

    public static byte[] Export(IkeSaKeys keys, int which)
    {
        var b = new byte[IkeSaKeys.MaxKeyBytes];
        int n = keys.CopyKey(which, b, 0);
        Assert.True(n >= 0);
        return b.AsSpan(0, n).ToArray();
    }
}
