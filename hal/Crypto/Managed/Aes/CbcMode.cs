using VpnAppliance.Hal.Crypto;

namespace VpnAppliance.Hal.Crypto.Managed.Aes
{
    /// <summary>
    /// CBC mode (NIST SP 800-38A §6.2) without padding over any 16-byte <see cref="IBlockCipher"/>,
    /// as ESP uses it (RFC 3602: explicit per-packet IV, ESP pads to the block itself, RFC 4303 §2.4).
    /// Input and output may be the same region. No allocation per call.
    /// </summary>
    public sealed class CbcMode : ICbcCipher
    {
        private readonly IBlockCipher _cipher;
        private readonly byte[] _chain = new byte[16];
        private readonly byte[] _saved = new byte[16];
        private bool _keyed;

        /// <summary>Wraps <paramref name="cipher"/>, which this instance then owns.</summary>
        public CbcMode(IBlockCipher cipher)
        {
            _cipher = cipher;
        }

        /// <summary>Sets the AES key (16, 24 or 32 bytes).</summary>
        public CryptoResult SetKey(byte[] key, int offset, int count)
        {
            CryptoResult result = _cipher.SetKey(key, offset, count);
            _keyed = result == CryptoResult.Ok;
            return result;
        }

        /// <summary>C_i = E(K, P_i ^ C_{i-1}), C_0 = IV.</summary>
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

                _cipher.EncryptBlock(_chain, 0, _chain, 0);
                System.Array.Copy(_chain, 0, output, outputOffset + done, 16);
            }

            return CryptoResult.Ok;
        }

        /// <summary>P_i = D(K, C_i) ^ C_{i-1}, C_0 = IV.</summary>
        public CryptoResult Decrypt(byte[] iv, int ivOffset, byte[] input, int inputOffset, int count, byte[] output, int outputOffset)
        {
            CryptoResult check = Check(iv, ivOffset, input, inputOffset, count, output, outputOffset);
            if (check != CryptoResult.Ok)
            {
                return check;
            }

            System.Array.Copy(iv, ivOffset, _chain, 0, 16);
            for (int done = 0; done < count; done += 16)
            {
                // Keep C_i before the output (possibly the same bytes) is overwritten.
                System.Array.Copy(input, inputOffset + done, _saved, 0, 16);
                _cipher.DecryptBlock(input, inputOffset + done, output, outputOffset + done);
                for (int i = 0; i < 16; i++)
                {
                    output[outputOffset + done + i] ^= _chain[i];
                }

                System.Array.Copy(_saved, 0, _chain, 0, 16);
            }

            return CryptoResult.Ok;
        }

        /// <summary>Zeroises the key schedule and the chaining state.</summary>
        public void Clear()
        {
            _cipher.Clear();
            ConstantTime.Zeroise(_chain, 0, 16);
            ConstantTime.Zeroise(_saved, 0, 16);
            _keyed = false;
        }

        private CryptoResult Check(byte[] iv, int ivOffset, byte[] input, int inputOffset, int count, byte[] output, int outputOffset)
        {
            if (!_keyed)
            {
                return CryptoResult.InvalidState;
            }

            if ((count & 15) != 0 || !Bounds.Fits(iv, ivOffset, 16) || !Bounds.Fits(input, inputOffset, count) || !Bounds.Fits(output, outputOffset, count))
            {
                return CryptoResult.InvalidLength;
            }

            return CryptoResult.Ok;
        }
    }
}
