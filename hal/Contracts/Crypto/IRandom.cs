namespace VpnAppliance.Hal.Crypto
{
    /// <summary>A cryptographically secure generator (HMAC-DRBG seeded from an IEntropySource).</summary>
    public interface IRandom
    {
        /// <summary>Fills the range with random bytes.</summary>
        void NextBytes(byte[] buffer, int offset, int count);
    }
}
