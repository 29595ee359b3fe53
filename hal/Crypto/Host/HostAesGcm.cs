using System;
using System.Security.Cryptography;

namespace VpnAppliance.Hal.Crypto.Host;

/// <summary>AES-GCM for ESP (RFC 4106: key || 4-byte salt, nonce = salt || 8-byte IV, 16-byte ICV) over System.Security.Cryptography.AesGcm.</summary>
public sealed class HostAesGcm : IAeadCipher
{
    private readonly byte[] _nonce = new byte[12];
    private AesGcm _gcm;

    /// <inheritdoc />
    public CryptoResult SetKey(byte[] keyAndSalt, int offset, int count)
    {
        if (keyAndSalt == null || offset < 0 || count < 0 || offset > keyAndSalt.Length - count || (count != 20 && count != 28 && count != 36))
        {
            return CryptoResult.InvalidKey;
        }

        _gcm?.Dispose();
        _gcm = new AesGcm(keyAndSalt.AsSpan(offset, count - 4), 16);
        Array.Copy(keyAndSalt, offset + count - 4, _nonce, 0, 4);
        return CryptoResult.Ok;
    }

    /// <inheritdoc />
    public CryptoResult Seal(byte[] iv8, int ivOffset, byte[] aad, int aadOffset, int aadCount,
        byte[] input, int inputOffset, int count, byte[] output, int outputOffset, byte[] tag, int tagOffset)
    {
        CryptoResult check = Check(iv8, ivOffset, aad, aadOffset, aadCount, input, inputOffset, count, output, outputOffset, tag, tagOffset);
        if (check != CryptoResult.Ok)
        {
            return check;
        }

        Array.Copy(iv8, ivOffset, _nonce, 4, 8);
        _gcm.Encrypt(_nonce, input.AsSpan(inputOffset, count), output.AsSpan(outputOffset, count), tag.AsSpan(tagOffset, 16),
            aadCount == 0 ? ReadOnlySpan<byte>.Empty : aad.AsSpan(aadOffset, aadCount));
        return CryptoResult.Ok;
    }

    /// <inheritdoc />
    public CryptoResult Open(byte[] iv8, int ivOffset, byte[] aad, int aadOffset, int aadCount,
        byte[] input, int inputOffset, int count, byte[] tag, int tagOffset, byte[] output, int outputOffset)
    {
        CryptoResult check = Check(iv8, ivOffset, aad, aadOffset, aadCount, input, inputOffset, count, output, outputOffset, tag, tagOffset);
        if (check != CryptoResult.Ok)
        {
            return check;
        }

        Array.Copy(iv8, ivOffset, _nonce, 4, 8);
        try
        {
            // On a tag mismatch AesGcm zero-fills the destination (so no plaintext is ever released) and throws;
            // the exception allocates, which is acceptable for the host build (forged packets are not its steady state).
            _gcm.Decrypt(_nonce, input.AsSpan(inputOffset, count), tag.AsSpan(tagOffset, 16), output.AsSpan(outputOffset, count),
                aadCount == 0 ? ReadOnlySpan<byte>.Empty : aad.AsSpan(aadOffset, aadCount));
            return CryptoResult.Ok;
        }
        catch (AuthenticationTagMismatchException)
        {
            return CryptoResult.AuthenticationFailed;
        }
    }

    /// <inheritdoc />
    public void Clear()
    {
        _gcm?.Dispose();
        _gcm = null;
        Array.Clear(_nonce);
    }

    private CryptoResult Check(byte[] iv8, int ivOffset, byte[] aad, int aadOffset, int aadCount,
        byte[] input, int inputOffset, int count, byte[] output, int outputOffset, byte[] tag, int tagOffset)
    {
        if (_gcm == null)
        {
            return CryptoResult.InvalidState;
        }

        static bool Fits(byte[] b, int o, int c) => b != null && o >= 0 && c >= 0 && o <= b.Length - c;
        return !Fits(iv8, ivOffset, 8) || (aadCount != 0 && !Fits(aad, aadOffset, aadCount)) || aadCount < 0
            || !Fits(input, inputOffset, count) || !Fits(output, outputOffset, count) || !Fits(tag, tagOffset, 16)
            ? CryptoResult.InvalidLength
            : CryptoResult.Ok;
    }
}
