using VpnAppliance.Wire;

namespace VpnAppliance.Ipsec.Ike
{
    // IKE header, RFC 7296 §3.1 (28 octets, all fields big-endian):
    //
    //   0                  8                  16     17      18       19      20          24         28
    //   | IKE SA Init SPI  | IKE SA Resp SPI  | Next | MjVer | Exch   | Flags | Message ID | Length   |
    //                                                | MnVer| Type   | ..RVI...|
    //
    // Version: major 2 in the high nibble, minor 0 in the low nibble; a receiver rejects major > 2 and ignores
    // the minor (§3.1, §2.5). Flags: R (0x20) response, V (0x10) higher version capable (never set by us),
    // I (0x08) sent by the original initiator; other bits are cleared on send and ignored on receive.
    // Length is the whole message including this header.

    /// <summary>The IKE header (RFC 7296 §3.1): parsed representation with length-checked parse and emit.</summary>
    public sealed class IkeHeader
    {
        /// <summary>Size of the fixed header (RFC 7296 §3.1).</summary>
        public const int Length = 28;
        /// <summary>Offset of the IKE SA Initiator's SPI.</summary>
        public const int SpiInitiatorField = 0;
        /// <summary>Offset of the IKE SA Responder's SPI.</summary>
        public const int SpiResponderField = 8;
        /// <summary>Offset of Next Payload.</summary>
        public const int NextPayloadField = 16;
        /// <summary>Offset of the version octet (MjVer | MnVer).</summary>
        public const int VersionField = 17;
        /// <summary>Offset of Exchange Type.</summary>
        public const int ExchangeTypeField = 18;
        /// <summary>Offset of Flags.</summary>
        public const int FlagsField = 19;
        /// <summary>Offset of Message ID.</summary>
        public const int MessageIdField = 20;
        /// <summary>Offset of Length.</summary>
        public const int LengthField = 24;
        /// <summary>Version octet for IKEv2.0: major 2, minor 0 (RFC 7296 §3.1).</summary>
        public const byte Version20 = 0x20;
        /// <summary>Response flag (bit 5, RFC 7296 §3.1).</summary>
        public const byte FlagResponse = 0x20;
        /// <summary>Version flag (bit 4): must be 0 for IKEv2 implementations (RFC 7296 §3.1).</summary>
        public const byte FlagVersion = 0x10;
        /// <summary>Initiator flag (bit 3, RFC 7296 §3.1).</summary>
        public const byte FlagInitiator = 0x08;

        /// <summary>IKE SA Initiator's SPI (never 0 once sent, RFC 7296 §3.1).</summary>
        public ulong SpiInitiator;
        /// <summary>IKE SA Responder's SPI (0 in the first IKE_SA_INIT request).</summary>
        public ulong SpiResponder;
        /// <summary>Type of the first payload (<see cref="IkePayloadType"/>).</summary>
        public byte NextPayload;
        /// <summary>Major version (high nibble); parse accepts only 2.</summary>
        public byte MajorVersion = 2;
        /// <summary>Minor version (low nibble); ignored on receive, 0 on send.</summary>
        public byte MinorVersion;
        /// <summary>Exchange Type (<see cref="IkeExchangeType"/>).</summary>
        public byte ExchangeType;
        /// <summary>Flags octet as received (or to send): see the Flag* constants.</summary>
        public byte Flags;
        /// <summary>Message ID (RFC 7296 §2.2).</summary>
        public uint MessageId;
        /// <summary>Total message length including the header.</summary>
        public uint MessageLength;

        /// <summary>True if the R flag is set (this is a response).</summary>
        public bool IsResponse { get { return (Flags & FlagResponse) != 0; } }

        /// <summary>True if the I flag is set (sent by the original initiator).</summary>
        public bool IsInitiator { get { return (Flags & FlagInitiator) != 0; } }

        /// <summary>
        /// Parses the header at buffer[offset..offset+length). Checks, in order: 28 bytes present, major version 2,
        /// a known exchange type, and that Length is at least 28 and equals <paramref name="length"/> (the datagram).
        /// Never throws. On failure the fields hold whatever was read so far.
        /// </summary>
        public IkeParseResult Parse(byte[] buffer, int offset, int length)
        {
            if (buffer == null || offset < 0 || length < 0 || offset > buffer.Length - length) return IkeParseResult.Truncated;
            if (length < Length) return IkeParseResult.Truncated;
            SpiInitiator = ((ulong)NetworkByteOrder.ReadUInt32(buffer, offset) << 32) | NetworkByteOrder.ReadUInt32(buffer, offset + 4);
            SpiResponder = ((ulong)NetworkByteOrder.ReadUInt32(buffer, offset + 8) << 32) | NetworkByteOrder.ReadUInt32(buffer, offset + 12);
            NextPayload = buffer[offset + NextPayloadField];
            MajorVersion = (byte)(buffer[offset + VersionField] >> 4);
            MinorVersion = (byte)(buffer[offset + VersionField] & 0x0F);
            ExchangeType = buffer[offset + ExchangeTypeField];
            Flags = buffer[offset + FlagsField];
            MessageId = NetworkByteOrder.ReadUInt32(buffer, offset + MessageIdField);
            MessageLength = NetworkByteOrder.ReadUInt32(buffer, offset + LengthField);
            if (MajorVersion != 2) return IkeParseResult.InvalidMajorVersion;            // RFC 7296 §3.1
            if (!IkeExchangeType.IsKnown(ExchangeType)) return IkeParseResult.UnknownExchangeType;
            if (MessageLength < Length) return IkeParseResult.BadLength;
            if (MessageLength > (uint)length) return IkeParseResult.Truncated;
            if (MessageLength != (uint)length) return IkeParseResult.BadLength;          // trailing bytes
            return IkeParseResult.Ok;
        }

        /// <summary>
        /// Writes the 28-byte header at buffer[offset] (Length = <see cref="MessageLength"/>; patch it later with
        /// <see cref="WriteMessageLength"/>). Returns 28, or 0 if it does not fit in <paramref name="capacity"/>.
        /// </summary>
        public int Emit(byte[] buffer, int offset, int capacity)
        {
            if (buffer == null || offset < 0 || capacity < Length || offset > buffer.Length - Length) return 0;
            NetworkByteOrder.WriteUInt32(buffer, offset, (uint)(SpiInitiator >> 32));
            NetworkByteOrder.WriteUInt32(buffer, offset + 4, (uint)SpiInitiator);
            NetworkByteOrder.WriteUInt32(buffer, offset + 8, (uint)(SpiResponder >> 32));
            NetworkByteOrder.WriteUInt32(buffer, offset + 12, (uint)SpiResponder);
            buffer[offset + NextPayloadField] = NextPayload;
            buffer[offset + VersionField] = (byte)((MajorVersion << 4) | (MinorVersion & 0x0F));
            buffer[offset + ExchangeTypeField] = ExchangeType;
            buffer[offset + FlagsField] = (byte)(Flags & (FlagResponse | FlagVersion | FlagInitiator)); // §3.1: others 0
            NetworkByteOrder.WriteUInt32(buffer, offset + MessageIdField, MessageId);
            NetworkByteOrder.WriteUInt32(buffer, offset + LengthField, MessageLength);
            return Length;
        }

        /// <summary>Patches the Length field of a header already emitted at buffer[offset].</summary>
        public static void WriteMessageLength(byte[] buffer, int offset, int messageLength)
        {
            NetworkByteOrder.WriteUInt32(buffer, offset + LengthField, (uint)messageLength);
        }
    }
}
