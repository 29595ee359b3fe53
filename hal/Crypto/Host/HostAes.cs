using System.Security.Cryptography;

namespace VpnAppliance.Hal.Crypto.Host;

/// <summary>
/// AES-ECB blocks over System.Security.Cryptography.Aes (AES-NI through OpenSSL on x86 hosts). Uses
/// ECB ICryptoTransforms made once per key: their TransformBlock allocates nothing, unlike the span
/// one-shot EncryptEcb.
/// </summary>
public sealed class HostAes : IBlockCipher
{
    private System.Security.Cryptography.Aes _aes;
    private ICryptoTransform _encryptor;
    private ICryptoTransform _decryptor;

    /// <inheritdoc />
    public int BlockLength => 16;

    /// <inheritdoc />
    public CryptoResult SetKey(byte[] key, int offset, int count)
    {
        var aes = HostAesKey.Create(key, offset, count, CipherMode.ECB);
        if (aes == null)
        {
            return CryptoResult.InvalidKey;
        }

        Clear();
        _aes = aes;
        _encryptor = _aes.CreateEncryptor();
        _decryptor = _aes.CreateDecryptor();
        return CryptoResult.Ok;
    }

    /// <inheritdoc />
    public void EncryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset) =>
        _encryptor.TransformBlock(input, inputOffset, 16, output, outputOffset);

    /// <inheritdoc />
    public void DecryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset) =>
        _decryptor.TransformBlock(input, inputOffset, 16, output, outputOffset);

    /// <inheritdoc />
    public void EncryptBlocks(byte[] input, int inputOffset, byte[] output, int outputOffset, int blockCount)
    {
        if (blockCount > 0)
        {
            _encryptor.TransformBlock(input, inputOffset, 16 * blockCount, output, outputOffset);
        }
    }

    /// <summary>ECB decryption of consecutive blocks (used by the host CBC decryptor).</summary>
    public void DecryptBlocks(byte[] input, int inputOffset, byte[] output, int outputOffset, int blockCount)
    {
        if (blockCount > 0)
        {
            _decryptor.TransformBlock(input, inputOffset, 16 * blockCount, output, outputOffset);
        }
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
    }
}
