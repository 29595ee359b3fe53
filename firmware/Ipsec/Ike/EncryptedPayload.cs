namespace VpnAppliance.Ipsec.Ike
{
    // Encrypted and Authenticated payload, RFC 7296 §3.14:
    //   | generic header (Next Payload = first inner payload) | IV | encrypted IKE payloads | Padding | Pad Length | ICV |
    // It is always the last payload. Only the generic header is read here: IV, padding and ICV sizes depend on the
    // negotiated transforms, so the body is kept as one slice for the (later) SK processor.

    /// <summary>The SK payload's header fields (RFC 7296 §3.14): inner Next Payload and the protected body slice.</summary>
    public sealed class EncryptedPayload
    {
        /// <summary>Type of the first payload inside the encryption (the SK generic header's Next Payload).</summary>
        public byte InnerNextPayload;
        /// <summary>Offset of the SK generic header in the message buffer (the ICV covers from the IKE header up to the ICV).</summary>
        public int PayloadOffset;
        /// <summary>Offset of the body (IV onward).</summary>
        public int BodyOffset;
        /// <summary>Length of the body: IV + ciphertext + ICV.</summary>
        public int BodyLength;

        /// <summary>Records the fields of the SK payload at buffer[offset..offset+length). Never throws.</summary>
        public IkeParseResult Parse(byte[] buffer, int offset, int length)
        {
            if (!IkePayloadChain.Fits(buffer, offset, length, length) || length < IkePayloadChain.GenericHeaderLength) return IkeParseResult.Truncated;
            InnerNextPayload = buffer[offset];
            PayloadOffset = offset;
            BodyOffset = offset + IkePayloadChain.GenericHeaderLength;
            BodyLength = length - IkePayloadChain.GenericHeaderLength;
            return IkeParseResult.Ok;
        }

        /// <summary>
        /// Writes the SK generic header for a body of <paramref name="bodyLength"/> octets (written later in place
        /// by the SK processor); returns 4, or 0 if header and body do not fit.
        /// </summary>
        public static int EmitHeader(byte[] buffer, int offset, int capacity, byte innerNextPayload, int bodyLength)
        {
            int total = IkePayloadChain.GenericHeaderLength + bodyLength;
            if (bodyLength < 0 || total > 0xFFFF || !IkePayloadChain.Fits(buffer, offset, capacity, total)) return 0;
            IkePayloadChain.WriteGenericHeader(buffer, offset, innerNextPayload, total);
            return IkePayloadChain.GenericHeaderLength;
        }
    }
}
