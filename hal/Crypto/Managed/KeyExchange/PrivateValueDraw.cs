namespace VpnAppliance.Hal.Crypto.Managed
{
    /// <summary>
    /// Draws a Diffie-Hellman private value by rejection sampling: random bytes are offered to the
    /// exchange's SetPrivateValue until it accepts them (MODP: in range / below q; ECP: 1 &lt;= d &lt; n).
    /// The scratch buffer is zeroised after every draw. Shared by the MODP and ECP exchanges.
    /// </summary>
    public static class PrivateValueDraw
    {
        /// <summary>Draws before giving up with EntropyUnavailable (a rejection is rare: &lt; 2^-32 per draw for the groups we offer).</summary>
        public const int MaxDraws = 64;

        /// <summary>Fills <paramref name="scratch"/> from <paramref name="random"/> until <paramref name="exchange"/> accepts it.</summary>
        public static CryptoResult Generate(IDiffieHellman exchange, IRandom random, byte[] scratch)
        {
            for (int attempt = 0; attempt < MaxDraws; attempt++)
            {
                CryptoResult drawn = random.NextBytes(scratch, 0, scratch.Length);
                if (drawn != CryptoResult.Ok)
                {
                    ConstantTime.Zeroise(scratch, 0, scratch.Length);
                    return drawn;
                }

                CryptoResult set = exchange.SetPrivateValue(scratch, 0, scratch.Length);
                ConstantTime.Zeroise(scratch, 0, scratch.Length);
                if (set == CryptoResult.Ok)
                {
                    return CryptoResult.Ok;
                }
            }

            return CryptoResult.EntropyUnavailable;
        }
    }
}
