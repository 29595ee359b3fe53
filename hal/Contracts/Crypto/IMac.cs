namespace VpnAppliance.Hal.Crypto
{
    /// <summary>
    /// Keyed MAC (HMAC, RFC 2104). The key is set once per SA; each message is Reset/Update/Final.
    /// IPsec truncations (RFC 2404, RFC 4868) take the leading bytes of the full output.
    /// </summary>
    public interface IMac
    {
        /// <summary>Full output length in bytes.</summary>
        int MacLength { get; }
        /// <summary>Sets the key (any length; longer than a block is hashed first).</summary>
        CryptoResult SetKey(byte[] key, int offset, int count);
        /// <summary>Starts a new message under the current key.</summary>
        void Reset();
        /// <summary>Absorbs bytes.</summary>
        void Update(byte[] data, int offset, int count);
        /// <summary>Writes the full MAC and resets for the next message.</summary>
        void Final(byte[] output, int offset);
        /// <summary>Overwrites key material with zeros.</summary>
        void Clear();
    }
}
