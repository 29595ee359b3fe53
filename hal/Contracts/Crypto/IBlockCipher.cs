namespace VpnAppliance.Hal.Crypto
{
    /// <summary>
    /// A raw block cipher (AES-ECB, FIPS 197), the primitive GCM and CBC are built on. The key is set
    /// once per SA; the block operations work on caller buffers and allocate nothing (except where a
    /// device runtime's own API allocates, which that implementation documents).
    /// </summary>
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
        /// <summary>
        /// Encrypts <paramref name="blockCount"/> consecutive blocks independently (ECB). Lets GCM hand a
        /// whole run of counter blocks to a hardware engine in one call. Input and output may be the same region.
        /// </summary>
        void EncryptBlocks(byte[] input, int inputOffset, byte[] output, int outputOffset, int blockCount);
        /// <summary>Overwrites key material with zeros.</summary>
        void Clear();
    }
}
