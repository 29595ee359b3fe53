namespace VpnAppliance.Wire
{
    // ICMP for IPv4 (RFC 792). Every message the appliance handles has an 8-byte header:
    //
    //   0      1      2          4                     8
    //   | type | code | checksum | rest of header      | data ...
    //
    //   echo reply 0 / echo request 8:   rest = identifier, sequence number; data echoed back
    //   destination unreachable 3:        rest = unused (0), except code 4 "fragmentation needed and DF set",
    //                                     where the low 16 bits are the next-hop MTU (RFC 1191 §4)
    //   time exceeded 11:                 code 0 TTL exceeded in transit, 1 reassembly time exceeded; rest unused
    //
    // Errors quote the offending datagram's IPv4 header and at least its first 8 data bytes (RFC 792;
    // RFC 1812 §4.3.2.3 allows up to 576 bytes in all): see Ipv4Packet.CheckQuoted. The checksum covers the
    // whole message (header and data), so a first fragment's ICMP header can be read with CheckHeader but
    // only verified after reassembly.

    /// <summary>View over an ICMP message; valid only when made by <see cref="Check"/> or <see cref="CheckHeader"/>.</summary>
    public struct IcmpMessage
    {
        /// <summary>Type, code, checksum and the 4-byte rest of header.</summary>
        public const int HeaderLength = 8;

        /// <summary>Echo reply (RFC 792).</summary>
        public const byte TypeEchoReply = 0;

        /// <summary>Destination unreachable (RFC 792).</summary>
        public const byte TypeDestinationUnreachable = 3;

        /// <summary>Echo request (RFC 792).</summary>
        public const byte TypeEchoRequest = 8;

        /// <summary>Time exceeded (RFC 792).</summary>
        public const byte TypeTimeExceeded = 11;

        /// <summary>Destination unreachable code: net unreachable.</summary>
        public const byte CodeNetUnreachable = 0;

        /// <summary>Destination unreachable code: host unreachable.</summary>
        public const byte CodeHostUnreachable = 1;

        /// <summary>Destination unreachable code: protocol unreachable.</summary>
        public const byte CodeProtocolUnreachable = 2;

        /// <summary>Destination unreachable code: port unreachable.</summary>
        public const byte CodePortUnreachable = 3;

        /// <summary>Destination unreachable code: fragmentation needed and DF set (carries the next-hop MTU, RFC 1191).</summary>
        public const byte CodeFragmentationNeeded = 4;

        /// <summary>Destination unreachable code: communication administratively prohibited (RFC 1812 §5.2.7.1).</summary>
        public const byte CodeAdministrativelyProhibited = 13;

        /// <summary>Time exceeded code: TTL exceeded in transit.</summary>
        public const byte CodeTtlExceeded = 0;

        /// <summary>Time exceeded code: fragment reassembly time exceeded.</summary>
        public const byte CodeReassemblyTimeExceeded = 1;

        private const int TypeField = 0;
        private const int CodeField = 1;
        private const int ChecksumField = 2;
        private const int IdentifierField = 4;
        private const int SequenceNumberField = 6;
        private const int NextHopMtuField = 6;

        private readonly byte[] _buffer;
        private readonly int _offset;
        private readonly int _length;

        private IcmpMessage(byte[] buffer, int offset, int length)
        {
            _buffer = buffer;
            _offset = offset;
            _length = length;
        }

        /// <summary>Checks the 8-byte header and the checksum over buffer[offset .. offset + length), the whole message.</summary>
        public static WireResult Check(byte[] buffer, int offset, int length, out IcmpMessage message)
        {
            WireResult result = CheckHeader(buffer, offset, length, out message);
            if (result != WireResult.Ok)
            {
                return result;
            }

            if (!InternetChecksum.Verifies(InternetChecksum.Add(buffer, offset, length, 0)))
            {
                message = default(IcmpMessage);
                return WireResult.BadChecksum;
            }

            return WireResult.Ok;
        }

        /// <summary>Checks only that the 8-byte header is present (for a first fragment; the checksum is not verified).</summary>
        public static WireResult CheckHeader(byte[] buffer, int offset, int length, out IcmpMessage message)
        {
            message = default(IcmpMessage);
            if (!BufferWindow.IsValid(buffer, offset, length))
            {
                return WireResult.OutOfRange;
            }

            if (length < HeaderLength)
            {
                return WireResult.Truncated;
            }

            message = new IcmpMessage(buffer, offset, length);
            return WireResult.Ok;
        }

        /// <summary>The buffer the view reads.</summary>
        public byte[] Buffer { get { return _buffer; } }

        /// <summary>Offset of the first ICMP byte in <see cref="Buffer"/>.</summary>
        public int Offset { get { return _offset; } }

        /// <summary>Message length (header and data).</summary>
        public int Length { get { return _length; } }

        /// <summary>Type.</summary>
        public byte Type { get { return _buffer[_offset + TypeField]; } }

        /// <summary>Code.</summary>
        public byte Code { get { return _buffer[_offset + CodeField]; } }

        /// <summary>Checksum field.</summary>
        public ushort Checksum { get { return NetworkByteOrder.ReadUInt16(_buffer, _offset + ChecksumField); } }

        /// <summary>Echo identifier (bytes 4-5; meaningful for echo request/reply).</summary>
        public ushort Identifier { get { return NetworkByteOrder.ReadUInt16(_buffer, _offset + IdentifierField); } }

        /// <summary>Echo sequence number (bytes 6-7; meaningful for echo request/reply).</summary>
        public ushort SequenceNumber { get { return NetworkByteOrder.ReadUInt16(_buffer, _offset + SequenceNumberField); } }

        /// <summary>Next-hop MTU (bytes 6-7; meaningful for fragmentation needed, RFC 1191 §4; 0 from a pre-RFC 1191 router).</summary>
        public ushort NextHopMtu { get { return NetworkByteOrder.ReadUInt16(_buffer, _offset + NextHopMtuField); } }

        /// <summary>Offset of the data after the 8-byte header (echo data, or the quoted datagram of an error).</summary>
        public int DataOffset { get { return _offset + HeaderLength; } }

        /// <summary>Data bytes after the header.</summary>
        public int DataLength { get { return _length - HeaderLength; } }
    }

    /// <summary>
    /// Parsed form of the ICMP messages the appliance handles: echo request/reply, destination unreachable
    /// (with the next-hop MTU of fragmentation needed) and time exceeded. The data stays in the buffer.
    /// </summary>
    public struct IcmpRepr
    {
        /// <summary>Type (0, 3, 8 or 11).</summary>
        public byte Type;

        /// <summary>Code.</summary>
        public byte Code;

        /// <summary>Echo identifier (echo messages only).</summary>
        public ushort Identifier;

        /// <summary>Echo sequence number (echo messages only).</summary>
        public ushort SequenceNumber;

        /// <summary>Next-hop MTU (destination unreachable code 4 only).</summary>
        public ushort NextHopMtu;

        /// <summary>Data bytes after the header (echo data or quoted datagram).</summary>
        public int DataLength;

        /// <summary>Bytes of header <see cref="Emit"/> writes.</summary>
        public int HeaderLength { get { return IcmpMessage.HeaderLength; } }

        /// <summary>Header plus data.</summary>
        public int MessageLength { get { return IcmpMessage.HeaderLength + DataLength; } }

        /// <summary>True for echo request or reply.</summary>
        public bool IsEcho { get { return Type == IcmpMessage.TypeEchoRequest || Type == IcmpMessage.TypeEchoReply; } }

        /// <summary>Reads a checked message; other types are Unsupported.</summary>
        public static WireResult Parse(IcmpMessage message, out IcmpRepr repr)
        {
            repr = default(IcmpRepr);
            if (message.Buffer == null)
            {
                return WireResult.OutOfRange;
            }

            byte type = message.Type;
            if (type != IcmpMessage.TypeEchoReply && type != IcmpMessage.TypeEchoRequest
                && type != IcmpMessage.TypeDestinationUnreachable && type != IcmpMessage.TypeTimeExceeded)
            {
                return WireResult.Unsupported;
            }

            repr.Type = type;
            repr.Code = message.Code;
            repr.DataLength = message.DataLength;
            if (repr.IsEcho)
            {
                repr.Identifier = message.Identifier;
                repr.SequenceNumber = message.SequenceNumber;
            }
            else if (type == IcmpMessage.TypeDestinationUnreachable && repr.Code == IcmpMessage.CodeFragmentationNeeded)
            {
                repr.NextHopMtu = message.NextHopMtu;
            }

            return WireResult.Ok;
        }

        /// <summary>
        /// Writes the 8-byte header at buffer[offset] and the checksum over header and the
        /// <see cref="DataLength"/> data bytes already at buffer[offset + 8]. <paramref name="length"/> is the
        /// room at offset and must hold <see cref="MessageLength"/> bytes.
        /// </summary>
        public WireResult Emit(byte[] buffer, int offset, int length)
        {
            if (!BufferWindow.IsValid(buffer, offset, length))
            {
                return WireResult.OutOfRange;
            }

            if (DataLength < 0 || DataLength > Ipv4Packet.MaximumLength)
            {
                return WireResult.BadLength;
            }

            if (length < MessageLength)
            {
                return WireResult.Truncated;
            }

            buffer[offset] = Type;
            buffer[offset + 1] = Code;
            buffer[offset + 2] = 0;
            buffer[offset + 3] = 0;
            if (IsEcho)
            {
                NetworkByteOrder.WriteUInt16(buffer, offset + 4, Identifier);
                NetworkByteOrder.WriteUInt16(buffer, offset + 6, SequenceNumber);
            }
            else
            {
                // RFC 1191 §4: unused high-order 16 bits zero; next-hop MTU only in code 4 of type 3.
                bool fragmentationNeeded = Type == IcmpMessage.TypeDestinationUnreachable && Code == IcmpMessage.CodeFragmentationNeeded;
                NetworkByteOrder.WriteUInt16(buffer, offset + 4, 0);
                NetworkByteOrder.WriteUInt16(buffer, offset + 6, fragmentationNeeded ? NextHopMtu : 0);
            }

            NetworkByteOrder.WriteUInt16(buffer, offset + 2, InternetChecksum.Compute(buffer, offset, MessageLength));
            return WireResult.Ok;
        }
    }
}
