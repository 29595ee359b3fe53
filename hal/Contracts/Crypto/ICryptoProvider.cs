namespace VpnAppliance.Hal.Crypto
{
    /// <summary>
    /// Makes the crypto objects an SA needs. Called when an SA is set up (never per packet);
    /// each returned object then works on caller buffers without allocating. Returns null for an
    /// algorithm or group the implementation does not offer.
    /// </summary>
    public interface ICryptoProvider
    {
        /// <summary>Implementation name for logs and benchmarks ("host", "managed", "device").</summary>
        string Name { get; }
        /// <summary>A raw AES block cipher.</summary>
        IBlockCipher CreateAes();
        /// <summary>AES-CBC without padding.</summary>
        ICbcCipher CreateAesCbc();
        /// <summary>AES-GCM with a 16-byte ICV (RFC 4106).</summary>
        IAeadCipher CreateAesGcm();
        /// <summary>A hash function.</summary>
        IHash CreateHash(HashAlgorithm algorithm);
        /// <summary>HMAC over the hash function (also the IKEv2 PRF, RFC 7296 §3.3.2 transform type 2).</summary>
        IMac CreateHmac(HashAlgorithm algorithm);
        /// <summary>
        /// A Diffie-Hellman exchange in IANA group <paramref name="group"/>, or null. Weak groups
        /// (<see cref="DhGroup.IsWeak"/>) are returned only when <paramref name="allowWeak"/> is true.
        /// </summary>
        IDiffieHellman CreateDiffieHellman(int group, bool allowWeak);
    }
}
