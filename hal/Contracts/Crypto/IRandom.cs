namespace VpnAppliance.Hal.Crypto
{
    /// <summary>A cryptographically secure generator (HMAC-DRBG, NIST SP 800-90A, seeded from an IEntropySource).</summary>
    public interface IRandom
    {
        /// <summary>
        /// Fills the range with random bytes. Returns EntropyUnavailable (and leaves the range unspecified,
        /// never partially "random") when a required reseed could not get entropy.
        /// </summary>
        CryptoResult NextBytes(byte[] buffer, int offset, int count);
    }
}
