using System.Buffers.Binary;
using System.Security.Cryptography;

namespace VpnAppliance.Ipsec.Tests;

/// <summary>
/// An independent ESP (RFC 4303 tunnel mode) encoder/decoder written directly on System.Security.Cryptography
/// (AesGcm, Aes CBC without padding, HMACSHA1/HMACSHA256), sharing no code with the firmware: it proves the wire
/// format both ways. Key for one direction: encryption key (GCM: key || salt) and integrity key.
/// </summary>
public static class Oracle
{
    public sealed class Decoded
    {
        public uint Spi;
        public uint SeqLow;
        public byte[] Iv = Array.Empty<byte>();
        public byte[] Plaintext = Array.Empty<byte>(); // inner | pad | padlen | nh
        public byte[] Icv = Array.Empty<byte>();
        public byte[] Inner => Plaintext.AsSpan(0, Plaintext.Length - 2 - PadLength).ToArray();
        public int PadLength => Plaintext[^2];
        public byte NextHeader => Plaintext[^1];
    }

    /// <summary>Decrypts and verifies an ESP packet; throws CryptographicException when the ICV fails.</summary>
    public static Decoded Open(Suite s, byte[] encKey, byte[] intKey, byte[] esp, uint seqHigh = 0)
    {
        var d = new Decoded
        {
            Spi = BinaryPrimitives.ReadUInt32BigEndian(esp.AsSpan(0, 4)),
            SeqLow = BinaryPrimitives.ReadUInt32BigEndian(esp.AsSpan(4, 4)),
            Iv = esp.AsSpan(8, s.IvLength).ToArray(),
            Icv = esp.AsSpan(esp.Length - s.IcvLength).ToArray(),
        };
        var ct = esp.AsSpan(8 + s.IvLength, esp.Length - 8 - s.IvLength - s.IcvLength);
        d.Plaintext = new byte[ct.Length];
        if (s.IsGcm)
        {
            using var gcm = new AesGcm(encKey.AsSpan(0, encKey.Length - 4), 16);
            byte[] nonce = [.. encKey.AsSpan(encKey.Length - 4), .. d.Iv];           // RFC 4106 §4
            gcm.Decrypt(nonce, ct, d.Icv, d.Plaintext, Aad(s, d.Spi, seqHigh, d.SeqLow)); // RFC 4106 §5
        }
        else
        {
            byte[] mac = Hmac(s, intKey, s.Esn ? [.. esp.AsSpan(0, esp.Length - s.IcvLength), .. Be(seqHigh)]
                                               : esp.AsSpan(0, esp.Length - s.IcvLength).ToArray());
            if (!CryptographicOperations.FixedTimeEquals(mac.AsSpan(0, s.IcvLength), d.Icv))
            {
                throw new CryptographicException("ICV");
            }

            using var aes = Aes.Create();
            aes.Key = encKey;
            d.Plaintext = aes.DecryptCbc(ct, d.Iv, PaddingMode.None);
        }

        return d;
    }

    /// <summary>
    /// Builds an ESP packet. <paramref name="padLength"/>, <paramref name="padByte"/> and <paramref name="nextHeader"/>
    /// override the RFC 4303 §2.4 defaults to make malformed (but authentic) packets.
    /// </summary>
    public static byte[] Seal(Suite s, byte[] encKey, byte[] intKey, uint spi, ulong seq, byte[] inner,
        byte nextHeader = 4, int padLength = -1, Func<int, byte>? padByte = null, byte[]? iv = null, int extraBlocksOfPad = 0)
    {
        int block = s.IsGcm ? 4 : 16;
        int pad = padLength >= 0 ? padLength : (block - (inner.Length + 2) % block) % block + extraBlocksOfPad * block;
        var pt = new byte[inner.Length + pad + 2];
        inner.CopyTo(pt, 0);
        for (int i = 0; i < pad; i++)
        {
            pt[inner.Length + i] = padByte != null ? padByte(i) : (byte)(i + 1);
        }

        pt[^2] = (byte)pad;
        pt[^1] = nextHeader;
        return SealPlaintext(s, encKey, intKey, spi, seq, pt, iv);
    }

    /// <summary>Encrypts and authenticates a whole ESP plaintext (inner, padding and trailer as given).</summary>
    public static byte[] SealPlaintext(Suite s, byte[] encKey, byte[] intKey, uint spi, ulong seq, byte[] pt, byte[]? iv = null)
    {
        uint high = (uint)(seq >> 32), low = (uint)seq;
        byte[] header = [.. Be(spi), .. Be(low)];
        if (s.IsGcm)
        {
            iv ??= [.. Be(high), .. Be(low)];
            using var gcm = new AesGcm(encKey.AsSpan(0, encKey.Length - 4), 16);
            byte[] nonce = [.. encKey.AsSpan(encKey.Length - 4), .. iv];
            var ct = new byte[pt.Length];
            var tag = new byte[16];
            gcm.Encrypt(nonce, pt, ct, tag, Aad(s, spi, high, low));
            return [.. header, .. iv, .. ct, .. tag];
        }
        else
        {
            iv ??= RandomNumberGenerator.GetBytes(16);
            using var aes = Aes.Create();
            aes.Key = encKey;
            byte[] ct = aes.EncryptCbc(pt, iv, PaddingMode.None);
            byte[] body = [.. header, .. iv, .. ct];
            byte[] mac = Hmac(s, intKey, s.Esn ? [.. body, .. Be(high)] : body);
            return [.. body, .. mac.AsSpan(0, s.IcvLength)];
        }
    }

    public static byte[] Aad(Suite s, uint spi, uint high, uint low) => s.Esn ? [.. Be(spi), .. Be(high), .. Be(low)] : [.. Be(spi), .. Be(low)];

    public static byte[] Hmac(Suite s, byte[] key, byte[] data) => s.Integrity switch
    {
        EspTransform.AuthHmacSha1_96 => HMACSHA1.HashData(key, data),
        EspTransform.AuthHmacSha2_256_128 => HMACSHA256.HashData(key, data),
        _ => throw new NotSupportedException(),
    };

    public static byte[] Be(uint v)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, v);
        return b;
    }

    /// <summary>Keys of the initiator-to-responder (first) or responder-to-initiator half of KEYMAT (RFC 7296 §2.17).</summary>
    public static (byte[] Enc, byte[] Int) Keys(Suite s, byte[] keymat, bool initiatorToResponder)
    {
        int half = keymat.Length / 2;
        int o = initiatorToResponder ? 0 : half;
        return (keymat.AsSpan(o, s.EncKeyLength).ToArray(), keymat.AsSpan(o + s.EncKeyLength, s.IntKeyLength).ToArray());
    }
}
