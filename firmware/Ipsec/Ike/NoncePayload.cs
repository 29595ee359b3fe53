namespace VpnAppliance.Ipsec.Ike
{
    // Nonce payload, RFC 7296 §3.9:  | generic header | Nonce Data (16..256 octets) |
    // §2.10: the nonce is at least 128 bits and at least half the PRF key size; the 16..256 bound is checked here.

    /// <summary>The Nonce payload (RFC 7296 §3.9); the nonce is a slice of the parsed or source buffer.</summary>
    public sealed class NoncePayload
    {
        /// <summary>Smallest nonce (RFC 7296 §3.9).</summary>
        public const int MinNonceLength = 16;
        /// <summary>Largest nonce (RFC 7296 §3.9).</summary>
        public const int MaxNonceLength = 256;

        /// <summary>Buffer holding the nonce data.</summary>
        public byte[] Data;
        /// <summary>Offset of the nonce in <see cref="Data"/>.</summary>
        public int DataOffset;
        /// <summary>Length of the nonce.</summary>
        public int DataLength;

        /// <summary>Parses buffer[offset..offset+length); a nonce outside 16..256 octets is InvalidSyntax. Never throws.</summary>
        public IkeParseResult Parse(byte[] buffer, int offset, int length)
        {
            if (!IkePayloadChain.Fits(buffer, offset, length, length) || length < IkePayloadChain.GenericHeaderLength) return IkeParseResult.Truncated;
            Data = buffer;
            DataOffset = offset + IkePayloadChain.GenericHeaderLength;
            DataLength = length - IkePayloadChain.GenericHeaderLength;
            if (DataLength < MinNonceLength || DataLength > MaxNonceLength) return IkeParseResult.InvalidSyntax;
            return IkeParseResult.Ok;
        }

        /// <summary>Writes the payload; returns the bytes written, 0 if they do not fit or the nonce length is out of range.</summary>
        public int Emit(byte[] buffer, int offset, int capacity, byte nextPayload)
        {
            int total = IkePayloadChain.GenericHeaderLength + DataLength;
            if (DataLength < MinNonceLength || DataLength > MaxNonceLength) return 0;
            if (Data == null || DataOffset < 0 || DataOffset > Data.Length - DataLength) return 0;
            if (!IkePayloadChain.Fits(buffer, offset, capacity, total)) return 0;
            IkePayloadChain.WriteGenericHeader(buffer, offset, nextPayload, total);
            System.Array.Copy(Data, DataOffset, buffer, offset + IkePayloadChain.GenericHeaderLength, DataLength);
            return total;
        }
    }
}
