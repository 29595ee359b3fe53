namespace VpnAppliance.Ipsec.Ike
{
    // Identification payload (IDi / IDr), RFC 7296 §3.5:  | generic header | ID Type | RESERVED (3) | Identification Data |
    // ID types: 1 ID_IPV4_ADDR, 2 ID_FQDN, 3 ID_RFC822_ADDR, 5 ID_IPV6_ADDR, 9 ID_DER_ASN1_DN, 11 ID_KEY_ID.
    // The same body layout carries AUTH (§3.8: Auth Method instead of ID Type), see AuthPayload.

    /// <summary>The IDi/IDr payload (RFC 7296 §3.5); the identification data is a slice of the buffer.</summary>
    public sealed class IdPayload
    {
        /// <summary>Generic header + ID Type + RESERVED.</summary>
        public const int FixedLength = 8;
        /// <summary>ID_IPV4_ADDR (RFC 7296 §3.5).</summary>
        public const byte IdIpv4Address = 1;
        /// <summary>ID_FQDN.</summary>
        public const byte IdFqdn = 2;
        /// <summary>ID_RFC822_ADDR.</summary>
        public const byte IdRfc822Address = 3;
        /// <summary>ID_IPV6_ADDR.</summary>
        public const byte IdIpv6Address = 5;
        /// <summary>ID_DER_ASN1_DN.</summary>
        public const byte IdDerAsn1Dn = 9;
        /// <summary>ID_KEY_ID.</summary>
        public const byte IdKeyId = 11;

        /// <summary>ID Type.</summary>
        public byte IdType;
        /// <summary>Buffer holding the identification data.</summary>
        public byte[] Data;
        /// <summary>Offset of the data in <see cref="Data"/>.</summary>
        public int DataOffset;
        /// <summary>Length of the data.</summary>
        public int DataLength;

        /// <summary>Parses buffer[offset..offset+length); ID_IPV4_ADDR must be 4 octets. Never throws.</summary>
        public IkeParseResult Parse(byte[] buffer, int offset, int length)
        {
            if (!IkePayloadChain.Fits(buffer, offset, length, length) || length < FixedLength) return IkeParseResult.Truncated;
            IdType = buffer[offset + 4];
            Data = buffer;
            DataOffset = offset + FixedLength;
            DataLength = length - FixedLength;
            if (IdType == IdIpv4Address && DataLength != 4) return IkeParseResult.InvalidSyntax;
            if (IdType == IdIpv6Address && DataLength != 16) return IkeParseResult.InvalidSyntax;
            return IkeParseResult.Ok;
        }

        /// <summary>Writes the payload; returns the bytes written, 0 if they do not fit.</summary>
        public int Emit(byte[] buffer, int offset, int capacity, byte nextPayload)
        {
            return TypedDataPayload.Emit(buffer, offset, capacity, nextPayload, IdType, Data, DataOffset, DataLength);
        }
    }
}
