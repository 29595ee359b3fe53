namespace VpnAppliance.Hal.Crypto
{
    /// <summary>AES-CBC without padding (ESP pads itself, RFC 4303 §2.4; IV per RFC 3602).</summary>
    public interface ICbcCipher
    {
        /// <summary>Sets the key (16, 24 or 32 bytes).</summary>
        CryptoResult SetKey(byte[] key, int offset, int count);
        /// <summary>Encrypts <paramref name="count"/> bytes (a multiple of 16) with the 16-byte IV.</summary>
        CryptoResult Encrypt(byte[] iv, int ivOffset, byte[] input, int inputOffset, int count, byte[] output, int outputOffset);
        /// <summary>Decrypts <paramref name="count"/> bytes (a multiple of 16) with the 16-byte IV.</summary>
        CryptoResult Decrypt(byte[] iv, int ivOffset, byte[] input, int inputOffset, int count, byte[] output, int outputOffset);
        /// <summary>Overwrites key material with zeros.</summary>
        void Clear();
    }
}
