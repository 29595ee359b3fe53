using VpnAppliance.Hal.Crypto;

namespace VpnAppliance.Hal.Crypto.Managed.Hashing
{
    /// <summary>
    /// The buffering and padding shared by SHA-1 and the SHA-2 family (FIPS 180-4 §5.1): input is cut
    /// into blocks; the final block gets a 0x80 byte, zeros, and the message length in bits, big-endian,
    /// in the last 8 (SHA-1/256) or 16 (SHA-384/512) bytes. Subclasses compress blocks and write the digest.
    /// </summary>
    public abstract class MerkleDamgardHash : IHash
    {
        private readonly byte[] _block;
        private readonly int _lengthFieldBytes;
        private int _buffered;
        private long _totalBytes;

        /// <summary>Creates the buffer for a block of <paramref name="blockLength"/> bytes.</summary>
        protected MerkleDamgardHash(int blockLength, int lengthFieldBytes)
        {
            _block = new byte[blockLength];
            _lengthFieldBytes = lengthFieldBytes;
        }

        /// <summary>Digest length in bytes.</summary>
        public abstract int HashLength { get; }

        /// <summary>Block length in bytes.</summary>
        public int BlockLength { get { return _block.Length; } }

        /// <summary>Starts a new digest.</summary>
        public void Reset()
        {
            _buffered = 0;
            _totalBytes = 0;
            System.Array.Clear(_block, 0, _block.Length);
            InitializeState();
        }

        /// <summary>Absorbs bytes.</summary>
        public void Update(byte[] data, int offset, int count)
        {
            _totalBytes += count;
            int blockLength = _block.Length;
            if (_buffered > 0)
            {
                int take = blockLength - _buffered;
                if (take > count)
                {
                    take = count;
                }

                System.Array.Copy(data, offset, _block, _buffered, take);
                _buffered += take;
                offset += take;
                count -= take;
                if (_buffered < blockLength)
                {
                    return;
                }

                ProcessBlock(_block, 0);
                _buffered = 0;
            }

            while (count >= blockLength)
            {
                ProcessBlock(data, offset);
                offset += blockLength;
                count -= blockLength;
            }

            if (count > 0)
            {
                System.Array.Copy(data, offset, _block, 0, count);
                _buffered = count;
            }
        }

        /// <summary>Pads (FIPS 180-4 §5.1), writes the digest and resets.</summary>
        public void Final(byte[] output, int offset)
        {
            long bits = _totalBytes * 8;
            int blockLength = _block.Length;
            _block[_buffered++] = 0x80;
            if (_buffered > blockLength - _lengthFieldBytes)
            {
                System.Array.Clear(_block, _buffered, blockLength - _buffered);
                ProcessBlock(_block, 0);
                _buffered = 0;
            }

            System.Array.Clear(_block, _buffered, blockLength - _buffered);
            // Message length below 2^64 bits: the upper half of SHA-512's 128-bit field stays zero.
            for (int i = 0; i < 8; i++)
            {
                _block[blockLength - 1 - i] = (byte)(bits >> (8 * i));
            }

            ProcessBlock(_block, 0);
            WriteDigest(output, offset);
            Reset();
        }

        /// <summary>Loads the initial hash value H(0).</summary>
        protected abstract void InitializeState();

        /// <summary>Compresses one block starting at <paramref name="offset"/>.</summary>
        protected abstract void ProcessBlock(byte[] data, int offset);

        /// <summary>Writes the (possibly truncated) state as the big-endian digest.</summary>
        protected abstract void WriteDigest(byte[] output, int offset);
    }
}
