namespace VpnAppliance.Hal
{
    /// <summary>
    /// Raw entropy for seeding the DRBG (NIST SP 800-90A). A hardware RNG on the device
    /// (ESP32 RNG peripheral, STM32 RNG), the OS CSPRNG on the host, a seeded sequence in tests.
    /// Output is not used directly as key material: it seeds and reseeds the DRBG.
    /// </summary>
    public interface IEntropySource
    {
        /// <summary>
        /// Writes up to <paramref name="count"/> bytes at <paramref name="offset"/>; returns how many
        /// were written (0 when the source is temporarily exhausted). Never allocates.
        /// </summary>
        int Fill(byte[] buffer, int offset, int count);
    }
}
