namespace VpnAppliance.Hal.Crypto
{
    /// <summary>
    /// AES-GCM as ESP uses it (RFC 4106): the key material is the AES key followed by a 4-byte salt;
    /// the 12-byte nonce is salt || 8-byte explicit IV; the ICV is 16 bytes.
    /// </summary>
    public interface IAeadCipher
    {
        /// <summary>Sets key || salt (20, 28 or 36 bytes).</summary>
        CryptoResult SetKey(byte[] keyAndSalt, int offset, int count);
        /// <summary>Encrypts and writes the 16-byte tag at <paramref name="tagOffset"/>.</summary>
        CryptoResult Seal(byte[] iv8, int ivOffset, byte[] aad, int aadOffset, int aadCount,
            byte[] input, int inputOffset, int count, byte[] output, int outputOffset, byte[] tag, int tagOffset);
        /// <summary>
        /// Verifies the tag (constant-time compare), then decrypts. On a mismatch returns AuthenticationFailed and
        /// releases no plaintext: the output range is either untouched (managed) or zero-filled (host).
        /// </summary>
        CryptoResult Open(byte[] iv8, int ivOffset, byte[] aad, int aadOffset, int aadCount,
            byte[] input, int inputOffset, int count, byte[] tag, int tagOffset, byte[] output, int outputOffset);
        /// <summary>Overwrites key material with zeros.</summary>
        void Clear();
    }
}
