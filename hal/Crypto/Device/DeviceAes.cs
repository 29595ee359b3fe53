using System.Security.Cryptography;
using VpnAppliance.Hal.Crypto;

namespace VpnAppliance.Hal.Crypto.Device
{
    /// <summary>
    /// AES-ECB blocks on the board's crypto engine through nanoFramework's Aes (CipherMode.ECB; the ESP32 and
    /// STM32 firmware back it with the hardware AES peripheral, which has no cache-timing leak). The runtime API
    /// is byte[] Encrypt(byte[]): it takes a whole array and returns a new one, so each call allocates its
    /// result. To keep that to one allocation per run rather than per block, inputs are staged in fixed
    /// buffers sized for one block and for a run of <see cref="RunBlocks"/> blocks (GCM hands whole runs of
    /// counter blocks to <see cref="EncryptBlocks"/>).
    /// </summary>
    public sealed class DeviceAes : IBlockCipher
    {
        /// <summary>Blocks per staged run (matches the managed GCM's counter run).</summary>
        public const int RunBlocks = 16;

        private readonly byte[] _block = new byte[16];
        private readonly byte[] _run = new byte[16 * RunBlocks];
        private System.Security.Cryptography.Aes _aes;

        /// <summary>16.</summary>
        public int BlockLength { get { return 16; } }

        /// <summary>Sets a 128/192/256-bit key on an ECB engine.</summary>
        public CryptoResult SetKey(byte[] key, int offset, int count)
        {
            if (key == null || offset < 0 || count < 0 || offset > key.Length - count || (count != 16 && count != 24 && count != 32))
            {
                return CryptoResult.InvalidKey;
            }

            byte[] exact = new byte[count];
            System.Array.Copy(key, offset, exact, 0, count);
            _aes = new System.Security.Cryptography.Aes(CipherMode.ECB);
            _aes.Key = exact;
            return CryptoResult.Ok;
        }

        /// <summary>One block (allocates the runtime's result array).</summary>
        public void EncryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset)
        {
            System.Array.Copy(input, inputOffset, _block, 0, 16);
            byte[] result = _aes.Encrypt(_block);
            System.Array.Copy(result, 0, output, outputOffset, 16);
            System.Array.Clear(result, 0, result.Length);
        }

        /// <summary>One block (allocates the runtime's result array).</summary>
        public void DecryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset)
        {
            System.Array.Copy(input, inputOffset, _block, 0, 16);
            byte[] result = _aes.Decrypt(_block);
            System.Array.Copy(result, 0, output, outputOffset, 16);
            System.Array.Clear(result, 0, result.Length);
        }

        /// <summary>Runs of up to <see cref="RunBlocks"/> blocks per runtime call.</summary>
        public void EncryptBlocks(byte[] input, int inputOffset, byte[] output, int outputOffset, int blockCount)
        {
            int done = 0;
            while (done < blockCount)
            {
                int blocks = blockCount - done;
                if (blocks == 1)
                {
                    EncryptBlock(input, inputOffset + 16 * done, output, outputOffset + 16 * done);
                    return;
                }

                if (blocks > RunBlocks)
                {
                    blocks = RunBlocks;
                }

                // The runtime encrypts the whole array it is given: use the full staging buffer only for full runs.
                if (blocks == RunBlocks)
                {
                    System.Array.Copy(input, inputOffset + 16 * done, _run, 0, 16 * RunBlocks);
                    byte[] result = _aes.Encrypt(_run);
                    System.Array.Copy(result, 0, output, outputOffset + 16 * done, 16 * RunBlocks);
                    System.Array.Clear(result, 0, result.Length);
                }
                else
                {
                    for (int i = 0; i < blocks; i++)
                    {
                        EncryptBlock(input, inputOffset + 16 * (done + i), output, outputOffset + 16 * (done + i));
                    }
                }

                done += blocks;
            }
        }

        /// <summary>Drops the engine (the runtime holds the key) and zeroises the staging buffers.</summary>
        public void Clear()
        {
            System.Array.Clear(_block, 0, _block.Length);
            System.Array.Clear(_run, 0, _run.Length);
            _aes = null;
        }
    }
}
