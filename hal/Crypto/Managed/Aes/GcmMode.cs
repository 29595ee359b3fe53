using VpnAppliance.Hal.Crypto;

namespace VpnAppliance.Hal.Crypto.Managed.Aes
{
    /// <summary>
    /// AES-GCM (NIST SP 800-38D §7) as ESP uses it (RFC 4106): key material = AES key || 4-byte salt;
    /// nonce = salt || 8-byte explicit IV (a 96-bit IV, so J0 = nonce || 0^31 || 1, §7.1 step 2);
    /// 16-byte ICV. Keystream comes from the block cipher in runs of counter blocks (EncryptBlocks), so
    /// a hardware engine can be handed a whole run at once.
    /// Open verifies the tag over the ciphertext first and decrypts only when it matches (constant-time
    /// compare); on a mismatch the output buffer is untouched. No allocation per call.
    /// </summary>
    public sealed class GcmMode : IAeadCipher
    {
        private const int RunBlocks = 16;

        private readonly IBlockCipher _cipher;
        private readonly GHash _ghash = new GHash();
        private readonly byte[] _salt = new byte[4];
        private readonly byte[] _j0 = new byte[16];
        private readonly byte[] _counters = new byte[16 * RunBlocks];
        private readonly byte[] _keystream = new byte[16 * RunBlocks];
        private readonly byte[] _tag = new byte[16];
        private bool _keyed;

        /// <summary>Wraps <paramref name="cipher"/>, which this instance then owns.</summary>
        public GcmMode(IBlockCipher cipher)
        {
            _cipher = cipher;
        }

        /// <summary>Sets key || salt (20, 28 or 36 bytes, RFC 4106 §8.1) and derives H = E(K, 0^128).</summary>
        public CryptoResult SetKey(byte[] keyAndSalt, int offset, int count)
        {
            _keyed = false;
            if (!Bounds.Fits(keyAndSalt, offset, count) || (count != 20 && count != 28 && count != 36))
            {
                return CryptoResult.InvalidKey;
            }

            CryptoResult result = _cipher.SetKey(keyAndSalt, offset, count - 4);
            if (result != CryptoResult.Ok)
            {
                return result;
            }

            System.Array.Copy(keyAndSalt, offset + count - 4, _salt, 0, 4);
            System.Array.Clear(_tag, 0, 16);
            _cipher.EncryptBlock(_tag, 0, _tag, 0);
            _ghash.SetKey(_tag, 0);
            System.Array.Clear(_tag, 0, 16);
            _keyed = true;
            return CryptoResult.Ok;
        }

        /// <summary>Encrypts <paramref name="count"/> bytes and writes the 16-byte ICV.</summary>
        public CryptoResult Seal(byte[] iv8, int ivOffset, byte[] aad, int aadOffset, int aadCount,
            byte[] input, int inputOffset, int count, byte[] output, int outputOffset, byte[] tag, int tagOffset)
        {
            CryptoResult check = Check(iv8, ivOffset, aad, aadOffset, aadCount, input, inputOffset, count, output, outputOffset, tag, tagOffset);
            if (check != CryptoResult.Ok)
            {
                return check;
            }

            SetJ0(iv8, ivOffset);
            Ctr(input, inputOffset, count, output, outputOffset);
            ComputeTag(aad, aadOffset, aadCount, output, outputOffset, count);
            System.Array.Copy(_tag, 0, tag, tagOffset, 16);
            return CryptoResult.Ok;
        }

        /// <summary>Checks the ICV over AAD and ciphertext, then decrypts; writes nothing when it does not match.</summary>
        public CryptoResult Open(byte[] iv8, int ivOffset, byte[] aad, int aadOffset, int aadCount,
            byte[] input, int inputOffset, int count, byte[] tag, int tagOffset, byte[] output, int outputOffset)
        {
            CryptoResult check = Check(iv8, ivOffset, aad, aadOffset, aadCount, input, inputOffset, count, output, outputOffset, tag, tagOffset);
            if (check != CryptoResult.Ok)
            {
                return check;
            }

            SetJ0(iv8, ivOffset);
            ComputeTag(aad, aadOffset, aadCount, input, inputOffset, count);
            if (!ConstantTime.AreEqual(_tag, 0, tag, tagOffset, 16))
            {
                System.Array.Clear(_tag, 0, 16);
                return CryptoResult.AuthenticationFailed;
            }

            Ctr(input, inputOffset, count, output, outputOffset);
            return CryptoResult.Ok;
        }

        /// <summary>Zeroises the key schedule, H's table, the salt and all scratch.</summary>
        public void Clear()
        {
            _cipher.Clear();
            _ghash.Clear();
            ConstantTime.Zeroise(_salt, 0, 4);
            ConstantTime.Zeroise(_j0, 0, 16);
            ConstantTime.Zeroise(_keystream, 0, _keystream.Length);
            ConstantTime.Zeroise(_counters, 0, _counters.Length);
            ConstantTime.Zeroise(_tag, 0, 16);
            _keyed = false;
        }

        private CryptoResult Check(byte[] iv8, int ivOffset, byte[] aad, int aadOffset, int aadCount,
            byte[] input, int inputOffset, int count, byte[] output, int outputOffset, byte[] tag, int tagOffset)
        {
            if (!_keyed)
            {
                return CryptoResult.InvalidState;
            }

            bool aadOk = aadCount == 0 || Bounds.Fits(aad, aadOffset, aadCount);
            if (!Bounds.Fits(iv8, ivOffset, 8) || !aadOk || aadCount < 0 || !Bounds.Fits(input, inputOffset, count)
                || !Bounds.Fits(output, outputOffset, count) || !Bounds.Fits(tag, tagOffset, 16))
            {
                return CryptoResult.InvalidLength;
            }

            return CryptoResult.Ok;
        }

        private void SetJ0(byte[] iv8, int ivOffset)
        {
            // RFC 4106 §4: nonce = salt || IV; SP 800-38D §7.1: J0 = nonce || 0x00000001.
            System.Array.Copy(_salt, 0, _j0, 0, 4);
            System.Array.Copy(iv8, ivOffset, _j0, 4, 8);
            _j0[12] = 0;
            _j0[13] = 0;
            _j0[14] = 0;
            _j0[15] = 1;
        }

        /// <summary>GCTR from inc32(J0) (SP 800-38D §6.5); the counter is the last 32 bits, big-endian.</summary>
        private void Ctr(byte[] input, int inputOffset, int count, byte[] output, int outputOffset)
        {
            uint counter = 2;
            int done = 0;
            while (done < count)
            {
                int bytes = count - done;
                if (bytes > _keystream.Length)
                {
                    bytes = _keystream.Length;
                }

                int blocks = (bytes + 15) / 16;
                for (int b = 0; b < blocks; b++)
                {
                    int o = 16 * b;
                    System.Array.Copy(_j0, 0, _counters, o, 12);
                    _counters[o + 12] = (byte)(counter >> 24);
                    _counters[o + 13] = (byte)(counter >> 16);
                    _counters[o + 14] = (byte)(counter >> 8);
                    _counters[o + 15] = (byte)counter;
                    counter++;
                }

                _cipher.EncryptBlocks(_counters, 0, _keystream, 0, blocks);
                for (int i = 0; i < bytes; i++)
                {
                    output[outputOffset + done + i] = (byte)(input[inputOffset + done + i] ^ _keystream[i]);
                }

                done += bytes;
            }
        }

        /// <summary>T = E(K, J0) ^ GHASH(A || 0* || C || 0* || [len(A)]64 || [len(C)]64) (SP 800-38D §7.1 steps 5-6).</summary>
        private void ComputeTag(byte[] aad, int aadOffset, int aadCount, byte[] ciphertext, int offset, int count)
        {
            _ghash.Reset();
            if (aadCount > 0)
            {
                _ghash.Update(aad, aadOffset, aadCount);
            }

            _ghash.Update(ciphertext, offset, count);
            _ghash.UpdateLengths(aadCount, count);
            _ghash.Final(_tag, 0);
            _cipher.EncryptBlock(_j0, 0, _keystream, 0);
            for (int i = 0; i < 16; i++)
            {
                _tag[i] ^= _keystream[i];
            }
        }
    }
}
