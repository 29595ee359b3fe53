namespace VpnAppliance.Hal.Crypto
{
    /// <summary>
    /// One Diffie-Hellman exchange in one IANA IKEv2 group (RFC 7296 §3.4, transform type 4):
    /// MODP (2, 5, 14: RFC 2409/3526; 24: RFC 5114), ECP (19, 20: RFC 5903, public value x || y,
    /// shared secret x only) or Curve25519 (31: RFC 8031, 32-byte little-endian u-coordinates).
    /// MODP and ECP values are big-endian and left-padded to the group's length.
    /// Created once per exchange; <see cref="Clear"/> zeroises the private value.
    /// </summary>
    public interface IDiffieHellman
    {
        /// <summary>IANA group number (see <see cref="DhGroup"/>).</summary>
        int Group { get; }
        /// <summary>True for groups kept only for cloud defaults (2, 5): below 112-bit security.</summary>
        bool IsWeak { get; }
        /// <summary>Length of the KE payload's key exchange data.</summary>
        int PublicValueLength { get; }
        /// <summary>Length of the shared secret g^ir.</summary>
        int SharedSecretLength { get; }
        /// <summary>Draws a private value from <paramref name="random"/> and computes the public value.</summary>
        CryptoResult GenerateKeyPair(IRandom random);
        /// <summary>
        /// Uses a given private value (big-endian) instead of a random one: for known-answer tests
        /// (RFC 5903 §8) and cross-checks. Rejects values outside the group's private range.
        /// </summary>
        CryptoResult SetPrivateValue(byte[] privateValue, int offset, int count);
        /// <summary>Writes the public value (<see cref="PublicValueLength"/> bytes).</summary>
        CryptoResult GetPublicValue(byte[] output, int offset);
        /// <summary>
        /// Validates the peer's public value (MODP: 1 &lt; y &lt; p-1 and y^q = 1 where q is defined;
        /// ECP: coordinates below p, on the curve, not the point at infinity) and writes the shared
        /// secret (<see cref="SharedSecretLength"/> bytes). On failure nothing is written.
        /// </summary>
        CryptoResult ComputeSharedSecret(byte[] peerPublic, int offset, int count, byte[] secret, int secretOffset);
        /// <summary>Overwrites the private value with zeros.</summary>
        void Clear();
    }
}
