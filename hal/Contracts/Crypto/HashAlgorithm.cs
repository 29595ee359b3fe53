namespace VpnAppliance.Hal.Crypto
{
    /// <summary>Hash functions used by IKEv2 PRFs, ESP integrity and the DRBG.</summary>
    public enum HashAlgorithm
    {
        /// <summary>SHA-1, 20-byte digest (FIPS 180-4).</summary>
        Sha1 = 1,
        /// <summary>SHA-256, 32-byte digest.</summary>
        Sha256 = 2,
        /// <summary>SHA-384, 48-byte digest.</summary>
        Sha384 = 3,
        /// <summary>SHA-512, 64-byte digest.</summary>
        Sha512 = 4,
    }
}
