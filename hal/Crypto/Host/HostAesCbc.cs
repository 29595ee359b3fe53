namespace VpnAppliance.Hal.Crypto.Host;

/// <summary>
/// AES-CBC without padding (RFC 3602; SP 800-38A §6.2) over the host AES-ECB transforms. .NET's one-shot
/// EncryptCbc/DecryptCbc allocate per call, so the chaining is done here: encryption block by block,
/// decryption in runs (ECB-decrypt a run, then XOR with the previous ciphertext blocks).
/// </summary>
public sealed class HostAesCbc : ICbcCipher
{
    private const int RunBytes = 256;

    private readonly HostAes _aes = new HostAes();
    private readonly byte[] _chain = new byte[16];
    private readonly byte[] _run = new byte[RunBytes];
    private bool _keyed;

    /// <inheritdoc />
    public CryptoResult SetKey(byte[] key, int offset, int count)
    {
        CryptoResult result = _aes.SetKey(key, offset, count);
        _keyed = result == CryptoResult.Ok;
        return result;
    }

    /// <inheritdoc />
    public CryptoResult Encrypt(byte[] iv, int ivOffset, byte[] input, int inputOffset, int count, byte[] output, int outputOffset)
    {
        CryptoResult check = Check(iv, ivOffset, input, inputOffset, count, output, outputOffset);
        if (check != CryptoResult.Ok)
        {
            return check;
        }

        System.Array.Copy(iv, ivOffset, _chain, 0, 16);
        for (int done = 0; done < count; done += 16)
        {
            for (int i = 0; i < 16; i++)
            {
                _chain[i] ^= input[inputOffset + done + i];
            }

            _aes.EncryptBlock(_chain, 0, _chain, 0);
            System.Array.Copy(_chain, 0, output, outputOffset + done, 16);
        }

        return CryptoResult.Ok;
    }

    /// <inheritdoc />
    public CryptoResult Decrypt(byte[] iv, int ivOffset, byte[] input, int inputOffset, int count, byte[] output, int outputOffset)
    {
        CryptoResult check = Check(iv, ivOffset, input, inputOffset, count, output, outputOffset);
        if (check != CryptoResult.Ok)
        {
            return check;
        }

        System.Array.Copy(iv, ivOffset, _chain, 0, 16);
        for (int done = 0; done < count; done += RunBytes)
        {
            int bytes = System.Math.Min(RunBytes, count - done);
            // Keep the ciphertext run: output may be the same bytes as input.
            System.Array.Copy(input, inputOffset + done, _run, 0, bytes);
            _aes.DecryptBlocks(_run, 0, output, outputOffset + done, bytes / 16);
            for (int i = 0; i < 16; i++)
            {
                output[outputOffset + done + i] ^= _chain[i];
            }

            for (int i = 16; i < bytes; i++)
            {
                output[outputOffset + done + i] ^= _run[i - 16];
            }

            System.Array.Copy(_run, bytes - 16, _chain, 0, 16);
        }

        return CryptoResult.Ok;
    }

    /// <inheritdoc />
    public void Clear()
    {
        _aes.Clear();
        System.Array.Clear(_chain);
        System.Array.Clear(_run);
        _keyed = false;
    }

    private CryptoResult Check(byte[] iv, int ivOffset, byte[] input, int inputOffset, int count, byte[] output, int outputOffset)
    {
        if (!_keyed)
        {
            return CryptoResult.InvalidState;
        }

        static bool Fits(byte[] b, int o, int c) => b != null && o >= 0 && c >= 0 && o <= b.Length - c;
        return (count & 15) != 0 || !Fits(iv, ivOffset, 16) || !Fits(input, inputOffset, count) || !Fits(output, outputOffset, count)
            ? CryptoResult.InvalidLength
            : CryptoResult.Ok;
    }
}
