namespace VpnAppliance.Ipsec.Ike
{
    // Authentication payload, RFC 7296 §3.8:  | generic header | Auth Method | RESERVED (3) | Authentication Data |
    // Methods: 1 RSA Digital Signature, 2 Shared Key Message Integrity Code, 3 DSS; 14 Digital Signature (RFC 7427).

    /// <summary>The AUTH payload (RFC 7296 §3.8); the authentication data is a slice of the buffer.</summary>
    public sealed class AuthPayload
    {
        /// <summary>Generic header + Auth Method + RESERVED.</summary>
        public const int FixedLength = 8;
        /// <summary>RSA Digital Signature (RFC 7296 §3.8).</summary>
        public const byte MethodRsaSignature = 1;
        /// <summary>Shared Key Message Integrity Code (RFC 7296 §3.8, §2.15).</summary>
        public const byte MethodSharedKey = 2;
        /// <summary>Digital Signature (RFC 7427 §3).</summary>
        public const byte MethodDigitalSignature = 14;

        /// <summary>Auth Method.</summary>
        public byte AuthMethod;
        /// <summary>Buffer holding the authentication data.</summary>
        public byte[] Data;
        /// <summary>Offset of the data in <see cref="Data"/>.</summary>
        public int DataOffset;
        /// <summary>Length of the data.</summary>
        public int DataLength;

        /// <summary>Parses buffer[offset..offset+length). Never throws.</summary>
        public IkeParseResult Parse(byte[] buffer, int offset, int length)
        {
            if (!IkePayloadChain.Fits(buffer, offset, length, length) || length < FixedLength) return IkeParseResult.Truncated;
            AuthMethod = buffer[offset + 4];
            Data = buffer;
            DataOffset = offset + FixedLength;
            DataLength = length - FixedLength;
            return IkeParseResult.Ok;
        }

        /// <summary>Writes the payload; returns the bytes written, 0 if they do not fit.</summary>
        public int Emit(byte[] buffer, int offset, int capacity, byte nextPayload)
        {
            return TypedDataPayload.Emit(buffer, offset, capacity, nextPayload, AuthMethod, Data, DataOffset, DataLength);
        }
    }
}
