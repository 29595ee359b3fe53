using VpnAppliance.Wire;

namespace VpnAppliance.Ipsec.Ike
{
    // Generic payload header, RFC 7296 §3.2 (4 octets):
    //
    //   | Next Payload | C | RESERVED (7) | Payload Length (2, includes these 4) |
    //
    // The chain starts with the IKE header's Next Payload and ends at type 0. Walking rules (RFC 7296 §2.5,
    // §3.2): each length is >= 4 and inside the message; an unrecognized payload with the C bit set fails the
    // whole message (UNSUPPORTED_CRITICAL_PAYLOAD, and UnsupportedType records which); an unrecognized one
    // without it is skipped. SK (§3.14) and SKF (RFC 7383 §2.5) are last: their Next Payload names the first
    // inner payload, so the walk stops there. The last payload must end exactly at the message end.

    /// <summary>
    /// The payload chain of one message: type, critical bit, offset and length of each payload, in preallocated
    /// arrays of <see cref="MaxPayloads"/> entries (bounded loop). Offsets are of the generic header in the buffer.
    /// </summary>
    public sealed class IkePayloadChain
    {
        /// <summary>Size of the generic payload header (RFC 7296 §3.2).</summary>
        public const int GenericHeaderLength = 4;
        /// <summary>Critical bit in the second octet (RFC 7296 §3.2).</summary>
        public const byte CriticalBit = 0x80;
        /// <summary>Most payloads accepted in one message; more is <see cref="IkeParseResult.TooMany"/>.</summary>
        public const int MaxPayloads = 32;

        readonly byte[] _types = new byte[MaxPayloads];
        readonly bool[] _critical = new bool[MaxPayloads];
        readonly int[] _offsets = new int[MaxPayloads];
        readonly int[] _lengths = new int[MaxPayloads];

        /// <summary>Number of payloads found by the last <see cref="Walk"/>.</summary>
        public int Count;
        /// <summary>After <see cref="IkeParseResult.UnsupportedCriticalPayload"/>: the offending payload type (RFC 7296 §3.10.1 puts it in the notify data).</summary>
        public byte UnsupportedType;
        /// <summary>For SK/SKF as the last payload: its Next Payload, the type of the first inner payload (§3.14).</summary>
        public byte InnerNextPayload;

        /// <summary>Type of payload <paramref name="index"/>.</summary>
        public byte Type(int index) { return _types[index]; }
        /// <summary>Critical bit of payload <paramref name="index"/>.</summary>
        public bool IsCritical(int index) { return _critical[index]; }
        /// <summary>Offset of payload <paramref name="index"/>'s generic header in the buffer.</summary>
        public int Offset(int index) { return _offsets[index]; }
        /// <summary>Payload Length of payload <paramref name="index"/> (generic header included).</summary>
        public int Length(int index) { return _lengths[index]; }

        /// <summary>
        /// Walks the chain in buffer[offset..offset+length) (the bytes after the IKE header) starting with type
        /// <paramref name="first"/>. Unknown non-critical payloads are recorded too (callers skip them). Never throws.
        /// </summary>
        public IkeParseResult Walk(byte[] buffer, int offset, int length, byte first)
        {
            Count = 0;
            UnsupportedType = 0;
            InnerNextPayload = 0;
            if (buffer == null || offset < 0 || length < 0 || offset > buffer.Length - length) return IkeParseResult.Truncated;
            int end = offset + length;
            int at = offset;
            byte type = first;
            for (int guard = 0; guard <= MaxPayloads; guard++)
            {
                if (type == IkePayloadType.None)
                {
                    return at == end ? IkeParseResult.Ok : IkeParseResult.BadLength;     // trailing bytes
                }
                if (Count == MaxPayloads) return IkeParseResult.TooMany;
                if (end - at < GenericHeaderLength) return IkeParseResult.Truncated;
                byte next = buffer[at];
                bool critical = (buffer[at + 1] & CriticalBit) != 0;
                int payloadLength = NetworkByteOrder.ReadUInt16(buffer, at + 2);
                if (payloadLength < GenericHeaderLength) return IkeParseResult.BadLength;
                if (payloadLength > end - at) return IkeParseResult.Truncated;
                if (!IkePayloadType.IsKnown(type) && critical)
                {
                    UnsupportedType = type;                                              // RFC 7296 §2.5
                    return IkeParseResult.UnsupportedCriticalPayload;
                }
                _types[Count] = type;
                _critical[Count] = critical;
                _offsets[Count] = at;
                _lengths[Count] = payloadLength;
                Count++;
                at += payloadLength;
                if (type == IkePayloadType.Encrypted || type == IkePayloadType.EncryptedFragment)
                {
                    InnerNextPayload = next;                                             // RFC 7296 §3.14
                    return at == end ? IkeParseResult.Ok : IkeParseResult.BadLength;
                }
                type = next;
            }
            return IkeParseResult.TooMany;
        }

        /// <summary>
        /// Writes a generic payload header at buffer[offset] (critical bit clear, RFC 7296 §3.2: senders set it
        /// only for payloads they need understood; every payload here is mandatory-to-implement).
        /// </summary>
        public static void WriteGenericHeader(byte[] buffer, int offset, byte nextPayload, int payloadLength)
        {
            buffer[offset] = nextPayload;
            buffer[offset + 1] = 0;
            NetworkByteOrder.WriteUInt16(buffer, offset + 2, payloadLength);
        }

        /// <summary>True if <paramref name="bytes"/> bytes fit at buffer[offset] within <paramref name="capacity"/>.</summary>
        public static bool Fits(byte[] buffer, int offset, int capacity, int bytes)
        {
            return buffer != null && offset >= 0 && bytes <= capacity && capacity >= 0 && offset <= buffer.Length - bytes;
        }
    }
}
