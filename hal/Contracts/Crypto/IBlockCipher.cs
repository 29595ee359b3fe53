namespace VpnAppliance.Hal.Crypto
{
    /// <summary>A raw block cipher (AES-ECB on one block), the primitive GCM and CBC are built on.</summary>
    public interface IBlockCipher
    {
        /// <summary>Block length in bytes (16 for AES).</summary>
        int BlockLength { get; }
        /// <summary>Sets the key (16, 24 or 32 bytes for AES).</summary>
        CryptoResult SetKey(byte[] key, int offset, int count);
        /// <summary>Encrypts one block; input and output may be the same region.</summary>
        void EncryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset);
        /// <summary>Decrypts one block; input and output may be the same region.</summary>
        void DecryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset);
        /// <summary>Overwrites key material with zeros.</summary>
        void Clear();
    }
}
