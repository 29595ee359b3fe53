using VpnAppliance.Wire;

namespace VpnAppliance.Ipsec.Ike
{
    // Key Exchange payload, RFC 7296 §3.4:  | generic header | Diffie-Hellman Group Num (2) | RESERVED (2) | KE Data |
    // The KE data length is fixed by the group (e.g. 256 octets for MODP 2048, 64 for ECP 256, RFC 5903 §7);
    // checking it against the group is the policy's job (INVALID_KE_PAYLOAD / INVALID_SYNTAX).

    /// <summary>The KE payload (RFC 7296 §3.4); the key exchange data is a slice of the parsed or source buffer.</summary>
    public sealed class KePayload
    {
        /// <summary>Generic header + group + RESERVED.</summary>
        public const int FixedLength = 8;

        /// <summary>Diffie-Hellman Group Num (IANA Transform Type 4 IDs).</summary>
        public ushort DhGroup;
        /// <summary>Buffer holding the KE data (the parsed message, or the caller's public value to emit).</summary>
        public byte[] Data;
        /// <summary>Offset of the KE data in <see cref="Data"/>.</summary>
        public int DataOffset;
        /// <summary>Length of the KE data.</summary>
        public int DataLength;

        /// <summary>Parses buffer[offset..offset+length) (generic header included). Never throws.</summary>
        public IkeParseResult Parse(byte[] buffer, int offset, int length)
        {
            if (!IkePayloadChain.Fits(buffer, offset, length, length) || length < FixedLength) return IkeParseResult.Truncated;
            DhGroup = NetworkByteOrder.ReadUInt16(buffer, offset + 4);
            Data = buffer;
            DataOffset = offset + FixedLength;
            DataLength = length - FixedLength;
            return IkeParseResult.Ok;
        }

        /// <summary>Writes the payload; returns the bytes written, 0 if they do not fit.</summary>
        public int Emit(byte[] buffer, int offset, int capacity, byte nextPayload)
        {
            int total = FixedLength + DataLength;
            if (DataLength < 0 || total > 0xFFFF || !IkePayloadChain.Fits(buffer, offset, capacity, total)) return 0;
            if (DataLength > 0 && (Data == null || DataOffset < 0 || DataOffset > Data.Length - DataLength)) return 0;
            IkePayloadChain.WriteGenericHeader(buffer, offset, nextPayload, total);
            NetworkByteOrder.WriteUInt16(buffer, offset + 4, DhGroup);
            NetworkByteOrder.WriteUInt16(buffer, offset + 6, 0);
            if (DataLength > 0) System.Array.Copy(Data, DataOffset, buffer, offset + FixedLength, DataLength);
            return total;
        }
    }
}
