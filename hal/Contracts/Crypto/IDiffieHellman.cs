namespace VpnAppliance.Hal.Crypto
{
    /// <summary>
    /// One Diffie-Hellman exchange in one IANA IKEv2 group (RFC 7296 §3.4, transform type 4):
    /// MODP (2, 5, 14, 24) or ECP (19, 20; RFC 5903 encoding x || y).
    /// </summary>
    public interface IDiffieHellman
    {
        /// <summary>IANA group number.</summary>
        int Group { get; }
        /// <summary>Length of the KE payload's key exchange data.</summary>
        int PublicValueLength { get; }
        /// <summary>Length of the shared secret g^ir.</summary>
        int SharedSecretLength { get; }
        /// <summary>Draws a private value from <paramref name="random"/> and computes the public value.</summary>
        CryptoResult GenerateKeyPair(IRandom random);
        /// <summary>Writes the public value (<see cref="PublicValueLength"/> bytes).</summary>
        void GetPublicValue(byte[] output, int offset);
        /// <summary>Validates the peer's public value and writes the shared secret.</summary>
        CryptoResult ComputeSharedSecret(byte[] peerPublic, int offset, int count, byte[] secret, int secretOffset);
        /// <summary>Overwrites the private value with zeros.</summary>
        void Clear();
    }
}
