using VpnAppliance.Hal.Crypto;
using VpnAppliance.Hal.Crypto.Host;
using VpnAppliance.Hal.Crypto.Managed;

namespace VpnAppliance.Ipsec.Tests;

/// <summary>A transform combination under test (strongSwan names) and the providers to run it on.</summary>
public sealed record Suite(string Name, int Encryption, int KeyBits, int Integrity, bool Esn)
{
    public bool IsGcm => Encryption == EspTransform.EncrAesGcm16;
    public int EncKeyLength => EspTransform.EncryptionKeyLength(Encryption, KeyBits);
    public int IntKeyLength => EspTransform.IntegrityKeyLength(Integrity);
    public int IvLength => EspTransform.IvLength(Encryption);
    public int IcvLength => EspTransform.IcvLength(Encryption, Integrity);
    public override string ToString() => Name + (Esn ? "-esn" : "");

    public static readonly Suite Gcm128 = new("aes128gcm16", EspTransform.EncrAesGcm16, 128, EspTransform.AuthNone, false);
    public static readonly Suite Gcm256 = new("aes256gcm16", EspTransform.EncrAesGcm16, 256, EspTransform.AuthNone, false);
    public static readonly Suite Gcm256Esn = new("aes256gcm16", EspTransform.EncrAesGcm16, 256, EspTransform.AuthNone, true);
    public static readonly Suite Cbc128Sha1 = new("aes128-sha1", EspTransform.EncrAesCbc, 128, EspTransform.AuthHmacSha1_96, false);
    public static readonly Suite Cbc256Sha256 = new("aes256-sha256", EspTransform.EncrAesCbc, 256, EspTransform.AuthHmacSha2_256_128, false);
    public static readonly Suite Cbc256Sha256Esn = new("aes256-sha256", EspTransform.EncrAesCbc, 256, EspTransform.AuthHmacSha2_256_128, true);
    public static readonly Suite Cbc128Sha256 = new("aes128-sha256", EspTransform.EncrAesCbc, 128, EspTransform.AuthHmacSha2_256_128, false);

    public static readonly Suite[] All = { Gcm128, Gcm256, Gcm256Esn, Cbc128Sha1, Cbc256Sha256, Cbc256Sha256Esn, Cbc128Sha256 };

    public static ICryptoProvider Provider(string name) => name == "host" ? new HostCryptoProvider() : new ManagedCryptoProvider();

    /// <summary>Every suite on both providers, as xunit theory data.</summary>
    public static TheoryData<string, string> Matrix()
    {
        var data = new TheoryData<string, string>();
        foreach (Suite s in All)
        {
            data.Add(s.ToString(), "host");
            data.Add(s.ToString(), "managed");
        }

        return data;
    }

    public static Suite ByName(string name)
    {
        foreach (Suite s in All)
        {
            if (s.ToString() == name)
            {
                return s;
            }
        }

        throw new ArgumentException(name);
    }
}
