using System.Security.Cryptography;

namespace VpnAppliance.Hal.Crypto.Host;

/// <summary>
/// AES-CBC without padding (RFC 3602; SP 800-38A §6.2) over .NET's CBC ICryptoTransforms, made once per key.
/// .NET's one-shot EncryptCbc/DecryptCbc allocate per call and a transform's IV is fixed at creation, so the
/// per-packet IV is folded in by hand: a CBC transform carries the last ciphertext block C' of the previous
/// call as its chaining value, so encrypting P1 ^ IV ^ C' gives E(P1 ^ IV), and on decryption the first
/// plaintext block is corrected by ^ C' ^ IV. Everything after the first block runs in one native call.
/// </summary>
public sealed class HostAesCbc : ICbcCipher
{
    private readonly byte[] _encryptChain = new byte[16];
    private readonly byte[] _decryptChain = new byte[16];
    private readonly byte[] _first = new byte[16];
    private readonly byte[] _lastCipher = new byte[16];
    private System.Security.Cryptography.Aes _aes;
    private ICryptoTransform _encryptor;
    private ICryptoTransform _decryptor;

    /// <inheritdoc />
    public CryptoResult SetKey(byte[] key, int offset, int count)
    {
        var aes = HostAesKey.Create(key, offset, count, CipherMode.CBC);
        if (aes == null)
        {
            return CryptoResult.InvalidKey;
        }

        Clear();
        _aes = aes;
        byte[] zeroIv = new byte[16];
        _encryptor = _aes.CreateEncryptor(_aes.Key, zeroIv);
        _decryptor = _aes.CreateDecryptor(_aes.Key, zeroIv);
        System.Array.Clear(_encryptChain);
        System.Array.Clear(_decryptChain);
        return CryptoResult.Ok;
    }

    /// <inheritdoc />
    public CryptoResult Encrypt(byte[] iv, int ivOffset, byte[] input, int inputOffset, int count, byte[] output, int outputOffset)
    {
        CryptoResult check = Check(iv, ivOffset, input, inputOffset, count, output, outputOffset);
        if (check != CryptoResult.Ok || count == 0)
        {
            return check;
        }

        for (int i = 0; i < 16; i++)
        {
            _first[i] = (byte)(input[inputOffset + i] ^ iv[ivOffset + i] ^ _encryptChain[i]);
        }

        // Read the rest before writing the first output block (input and output may be the same bytes).
        _encryptor.TransformBlock(_first, 0, 16, _first, 0);
        if (count > 16)
        {
            _encryptor.TransformBlock(input, inputOffset + 16, count - 16, output, outputOffset + 16);
        }

        System.Array.Copy(_first, 0, output, outputOffset, 16);
        System.Array.Copy(output, outputOffset + count - 16, _encryptChain, 0, 16);
        return CryptoResult.Ok;
    }

    /// <inheritdoc />
    public CryptoResult Decrypt(byte[] iv, int ivOffset, byte[] input, int inputOffset, int count, byte[] output, int outputOffset)
    {
        CryptoResult check = Check(iv, ivOffset, input, inputOffset, count, output, outputOffset);
        if (check != CryptoResult.Ok || count == 0)
        {
            return check;
        }

        System.Array.Copy(input, inputOffset + count - 16, _lastCipher, 0, 16);
        _decryptor.TransformBlock(input, inputOffset, count, output, outputOffset);
        for (int i = 0; i < 16; i++)
        {
            output[outputOffset + i] ^= (byte)(_decryptChain[i] ^ iv[ivOffset + i]);
        }

        System.Array.Copy(_lastCipher, 0, _decryptChain, 0, 16);
        return CryptoResult.Ok;
    }

    /// <inheritdoc />
    public void Clear()
    {
        _encryptor?.Dispose();
        _decryptor?.Dispose();
        _aes?.Dispose();
        _encryptor = null;
        _decryptor = null;
        _aes = null;
        System.Array.Clear(_encryptChain);
        System.Array.Clear(_decryptChain);
        System.Array.Clear(_first);
        System.Array.Clear(_lastCipher);
    }

    private CryptoResult Check(byte[] iv, int ivOffset, byte[] input, int inputOffset, int count, byte[] output, int outputOffset)
    {
        if (_encryptor == null)
        {
            return CryptoResult.InvalidState;
        }

        static bool Fits(byte[] b, int o, int c) => b != null && o >= 0 && c >= 0 && o <= b.Length - c;
        return (count & 15) != 0 || !Fits(iv, ivOffset, 16) || !Fits(input, inputOffset, count) || !Fits(output, outputOffset, count)
            ? CryptoResult.InvalidLength
            : CryptoResult.Ok;
    }
}
