namespace VpnAppliance.Hal.Crypto
{
    /// <summary>Outcome of a crypto operation. Crypto code never throws on bad input.</summary>
    public enum CryptoResult
    {
        /// <summary>Done.</summary>
        Ok = 0,
        /// <summary>Key length not supported by the algorithm.</summary>
        InvalidKey = 1,
        /// <summary>A length (data, IV, tag, output buffer) is wrong for the algorithm.</summary>
        InvalidLength = 2,
        /// <summary>ICV / tag mismatch (AEAD open); no plaintext was written.</summary>
        AuthenticationFailed = 3,
        /// <summary>The peer's Diffie-Hellman public value failed validation.</summary>
        InvalidPublicValue = 4,
        /// <summary>The algorithm or group is not available in this implementation.</summary>
        NotSupported = 5,
        /// <summary>Called in the wrong order (no key set, no key pair generated).</summary>
        InvalidState = 6,
        /// <summary>The entropy source delivered too little to (re)seed the DRBG; no output was produced.</summary>
        EntropyUnavailable = 7,
    }
}
