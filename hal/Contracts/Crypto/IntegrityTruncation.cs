namespace VpnAppliance.Hal.Crypto
{
    /// <summary>
    /// ICV lengths of the IPsec/IKEv2 integrity transforms: HMAC-SHA1-96 (RFC 2404) and
    /// HMAC-SHA2-256-128, -384-192, -512-256 (RFC 4868 §2.3). The ICV is the leading bytes of the full HMAC.
    /// </summary>
    public static class IntegrityTruncation
    {
        /// <summary>ICV length in bytes for the HMAC over <paramref name="algorithm"/>: half the digest (96 bits for SHA-1).</summary>
        public static int IcvLength(HashAlgorithm algorithm)
        {
            switch (algorithm)
            {
                case HashAlgorithm.Sha1: return 12;
                case HashAlgorithm.Sha256: return 16;
                case HashAlgorithm.Sha384: return 24;
                case HashAlgorithm.Sha512: return 32;
                default: return 0;
            }
        }

        /// <summary>Digest length in bytes of <paramref name="algorithm"/> (FIPS 180-4).</summary>
        public static int DigestLength(HashAlgorithm algorithm)
        {
            switch (algorithm)
            {
                case HashAlgorithm.Sha1: return 20;
                case HashAlgorithm.Sha256: return 32;
                case HashAlgorithm.Sha384: return 48;
                case HashAlgorithm.Sha512: return 64;
                default: return 0;
            }
        }
    }
}
