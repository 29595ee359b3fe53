namespace VpnAppliance.Ipsec.Ike
{
    /// <summary>
    /// One Transform substructure (RFC 7296 §3.3.2) with its attributes (§3.3.5). The only attribute RFC 7296
    /// defines is Key Length (type 14, TV format); any other is recorded in <see cref="HasUnknownAttribute"/> so
    /// the policy can reject the transform (§3.3.6).
    /// </summary>
    public sealed class IkeTransform
    {
        /// <summary>Transform Type 1: Encryption Algorithm (ENCR), RFC 7296 §3.3.2.</summary>
        public const byte TypeEncryption = 1;
        /// <summary>Transform Type 2: Pseudorandom Function (PRF).</summary>
        public const byte TypePrf = 2;
        /// <summary>Transform Type 3: Integrity Algorithm (INTEG).</summary>
        public const byte TypeIntegrity = 3;
        /// <summary>Transform Type 4: Diffie-Hellman group (D-H).</summary>
        public const byte TypeDiffieHellman = 4;
        /// <summary>Transform Type 5: Extended Sequence Numbers (ESN).</summary>
        public const byte TypeEsn = 5;
        /// <summary>Attribute Type 14, Key Length in bits (RFC 7296 §3.3.5).</summary>
        public const int AttributeKeyLength = 14;
        /// <summary>Attribute Format bit: 1 = TV (2-byte value inline), 0 = TLV (RFC 7296 §3.3.5).</summary>
        public const int AttributeFormatTv = 0x8000;
        /// <summary>Fixed part of a transform: Last, RESERVED, Length(2), Type, RESERVED, ID(2).</summary>
        public const int FixedLength = 8;
        /// <summary>Last Substruc value for "more transforms follow" (RFC 7296 §3.3.2).</summary>
        public const byte MoreTransforms = 3;

        /// <summary>Transform Type (1..5).</summary>
        public byte Type;
        /// <summary>Transform ID (IANA IKEv2 registries, e.g. ENCR_AES_GCM_16 = 20, PRF_HMAC_SHA2_256 = 5).</summary>
        public ushort Id;
        /// <summary>Key Length attribute in bits, valid when <see cref="HasKeyLength"/>.</summary>
        public ushort KeyLength;
        /// <summary>True if a Key Length attribute is present.</summary>
        public bool HasKeyLength;
        /// <summary>True if an attribute other than Key Length was present (RFC 7296 §3.3.6: reject transform).</summary>
        public bool HasUnknownAttribute;

        /// <summary>Sets all fields (for building proposals to emit).</summary>
        public void Set(byte type, ushort id, ushort keyLength)
        {
            Type = type;
            Id = id;
            KeyLength = keyLength;
            HasKeyLength = keyLength != 0;
            HasUnknownAttribute = false;
        }

        /// <summary>Bytes this transform takes when emitted.</summary>
        public int EmitLength { get { return FixedLength + (HasKeyLength ? 4 : 0); } }
    }
}
