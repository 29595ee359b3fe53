using VpnAppliance.Hal.Crypto;
using VpnAppliance.Hal.Crypto.Host;
using VpnAppliance.Hal.Crypto.Managed;

namespace VpnAppliance.Bench.Crypto;

/// <summary>
/// One ESP-shaped packet workload over a crypto provider: a 1,400-byte packet protected either with
/// AES-256-CBC + HMAC-SHA2-256-128 (RFC 3602 + RFC 4868: encrypt 1,392 bytes, MAC over SPI/seq + IV + ciphertext)
/// or with AES-256-GCM-16 (RFC 4106: 8-byte AAD, 1,400 bytes sealed). Keys are set once, as per SA.
/// </summary>
public sealed class CryptoWorkload
{
    /// <summary>Packet length used for throughput figures.</summary>
    public const int PacketLength = 1400;

    private readonly ICbcCipher _cbc;
    private readonly IMac _hmac;
    private readonly IAeadCipher _gcm;
    private readonly byte[] _packet = new byte[PacketLength];
    private readonly byte[] _wire = new byte[8 + 16 + PacketLength + 32];
    private readonly byte[] _iv = new byte[16];
    private readonly byte[] _tag = new byte[64];

    /// <summary>Keys every primitive of <paramref name="provider"/> with fixed test keys.</summary>
    public CryptoWorkload(ICryptoProvider provider)
    {
        byte[] key = new byte[36];
        for (int i = 0; i < key.Length; i++)
        {
            key[i] = (byte)(i * 7 + 1);
            _packet[i % PacketLength] = (byte)i;
        }

        _cbc = provider.CreateAesCbc();
        _cbc.SetKey(key, 0, 32);
        _hmac = provider.CreateHmac(HashAlgorithm.Sha256);
        _hmac.SetKey(key, 0, 32);
        _gcm = provider.CreateAesGcm();
        _gcm.SetKey(key, 0, 36);
    }

    /// <summary>Makes the provider for "host" or "managed".</summary>
    public static ICryptoProvider Provider(string name) =>
        name == "host" ? new HostCryptoProvider() : new ManagedCryptoProvider();

    /// <summary>AES-256-CBC over 1,392 bytes (the 1,400-byte packet minus ESP's own padding slack) + HMAC-SHA-256-128.</summary>
    public void CbcHmac()
    {
        _cbc.Encrypt(_iv, 0, _packet, 0, 1392, _wire, 24);
        _hmac.Reset();
        _hmac.Update(_wire, 0, 24 + 1392);
        _hmac.Final(_tag, 0);
    }

    /// <summary>AES-256-GCM-16 seal of 1,400 bytes with the 8-byte ESP header as AAD.</summary>
    public void Gcm()
    {
        _gcm.Seal(_iv, 0, _wire, 0, 8, _packet, 0, PacketLength, _wire, 16, _tag, 0);
    }
}
