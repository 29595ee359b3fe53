using System.Security.Cryptography;
using VpnAppliance.Hal.Crypto;

namespace VpnAppliance.Hal.Crypto.Device
{
    /// <summary>
    /// AES-CBC without padding (RFC 3602) on the board's engine through nanoFramework's Aes in CipherMode.CBC.
    /// The runtime takes and returns whole arrays, so the packet is staged in an array of exactly its length from
    /// a small cache (<see cref="ExactLengthBuffers"/>); the runtime's result array is a per-call allocation
    /// this API cannot avoid.
    /// </summary>
    public sealed class DeviceAesCbc : ICbcCipher
    {
        /// <summary>Longest packet body handled (a 1,500-byte MTU rounded up to the block).</summary>
        public const int MaxLength = 1504;

        private readonly ExactLengthBuffers _staging = new ExactLengthBuffers();
        private readonly byte[] _iv = new byte[16];
        private System.Security.Cryptography.Aes _aes;

        /// <summary>Sets the key (16, 24 or 32 bytes).</summary>
        public CryptoResult SetKey(byte[] key, int offset, int count)
        {
            if (key == null || offset < 0 || count < 0 || offset > key.Length - count || (count != 16 && count != 24 && count != 32))
            {
                return CryptoResult.InvalidKey;
            }

            byte[] exact = new byte[count];
            System.Array.Copy(key, offset, exact, 0, count);
            _aes = new System.Security.Cryptography.Aes(CipherMode.CBC);
            _aes.Key = exact;
            return CryptoResult.Ok;
        }

        /// <summary>Encrypts count bytes (a multiple of 16, at most MaxLength).</summary>
        public CryptoResult Encrypt(byte[] iv, int ivOffset, byte[] input, int inputOffset, int count, byte[] output, int outputOffset)
        {
            return Run(true, iv, ivOffset, input, inputOffset, count, output, outputOffset);
        }

        /// <summary>Decrypts count bytes (a multiple of 16, at most MaxLength).</summary>
        public CryptoResult Decrypt(byte[] iv, int ivOffset, byte[] input, int inputOffset, int count, byte[] output, int outputOffset)
        {
            return Run(false, iv, ivOffset, input, inputOffset, count, output, outputOffset);
        }

        /// <summary>Drops the engine and zeroises the staging buffers.</summary>
        public void Clear()
        {
            _staging.Clear();

            System.Array.Clear(_iv, 0, 16);
            _aes = null;
        }

        private CryptoResult Run(bool encrypt, byte[] iv, int ivOffset, byte[] input, int inputOffset, int count, byte[] output, int outputOffset)
        {
            if (_aes == null)
            {
                return CryptoResult.InvalidState;
            }

            if ((count & 15) != 0 || count > MaxLength || iv == null || ivOffset < 0 || ivOffset > iv.Length - 16
                || input == null || inputOffset < 0 || inputOffset > input.Length - count
                || output == null || outputOffset < 0 || outputOffset > output.Length - count)
            {
                return CryptoResult.InvalidLength;
            }

            if (count == 0)
            {
                return CryptoResult.Ok;
            }

            byte[] staged = _staging.Get(count);
            System.Array.Copy(input, inputOffset, staged, 0, count);
            System.Array.Copy(iv, ivOffset, _iv, 0, 16);
            _aes.IV = _iv;
            byte[] result = encrypt ? _aes.Encrypt(staged) : _aes.Decrypt(staged);
            System.Array.Copy(result, 0, output, outputOffset, count);
            System.Array.Clear(result, 0, result.Length);
            return CryptoResult.Ok;
        }
    }
}
