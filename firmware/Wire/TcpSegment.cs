namespace VpnAppliance.Wire
{
    // TCP header (RFC 9293 §3.1):
    //
    //   0             2                  4                 8              12         13      14       16         18
    //   | source port | destination port | sequence number | ack number   |doff|rsvd | flags | window | checksum | urgent |
    //   | options (doff*4 - 20 bytes) | data ...
    //
    // A segment has no length field: its length is the IPv4 payload length. CheckHeader validates the
    // 20 fixed bytes, data offset >= 5, the options area present and every option well formed (TcpOptions);
    // that is all a router needs (MSS clamping). Check also verifies the checksum over the IPv4
    // pseudo-header (protocol 6, TCP length), the header and the data: what the appliance's own TCP needs.

    /// <summary>View over a TCP segment; valid only when made by <see cref="Check"/> or <see cref="CheckHeader"/>.</summary>
    public struct TcpSegment
    {
        /// <summary>Header without options.</summary>
        public const int MinimumHeaderLength = 20;

        /// <summary>Data offset is 4 bits of 32-bit words.</summary>
        public const int MaximumHeaderLength = 60;

        private const int SourcePortField = 0;
        private const int DestinationPortField = 2;
        private const int SequenceNumberField = 4;
        private const int AcknowledgmentNumberField = 8;
        private const int DataOffsetField = 12;
        private const int FlagsField = 13;
        private const int WindowField = 14;
        internal const int ChecksumField = 16;
        private const int UrgentPointerField = 18;

        private readonly byte[] _buffer;
        private readonly int _offset;
        private readonly int _length;

        private TcpSegment(byte[] buffer, int offset, int length)
        {
            _buffer = buffer;
            _offset = offset;
            _length = length;
        }

        /// <summary>
        /// Checks the segment at buffer[offset .. offset + length) (the IPv4 payload) as <see cref="CheckHeader"/>
        /// does, then the checksum with the pseudo-header of <paramref name="source"/> and <paramref name="destination"/>.
        /// </summary>
        public static WireResult Check(byte[] buffer, int offset, int length, uint source, uint destination, out TcpSegment segment)
        {
            WireResult result = CheckHeader(buffer, offset, length, out segment);
            if (result != WireResult.Ok)
            {
                return result;
            }

            uint sum = InternetChecksum.AddPseudoHeader(source, destination, IpProtocol.Tcp, length, 0);
            if (!InternetChecksum.Verifies(InternetChecksum.Add(buffer, offset, length, sum)))
            {
                segment = default(TcpSegment);
                return WireResult.BadChecksum;
            }

            return WireResult.Ok;
        }

        /// <summary>Checks the header and its options, not the checksum.</summary>
        public static WireResult CheckHeader(byte[] buffer, int offset, int length, out TcpSegment segment)
        {
            segment = default(TcpSegment);
            if (!BufferWindow.IsValid(buffer, offset, length))
            {
                return WireResult.OutOfRange;
            }

            if (length < MinimumHeaderLength)
            {
                return WireResult.Truncated;
            }

            int headerLength = (buffer[offset + DataOffsetField] >> 4) * 4;
            if (headerLength < MinimumHeaderLength)
            {
                return WireResult.BadHeaderLength;
            }

            if (headerLength > length)
            {
                return WireResult.Truncated;
            }

            int end = offset + headerLength;
            for (int position = offset + MinimumHeaderLength; position < end;)
            {
                int kind;
                int optionLength;
                if (TcpOptions.ReadOption(buffer, position, end, out kind, out optionLength) != WireResult.Ok)
                {
                    return WireResult.Malformed;
                }

                if (kind == TcpOptions.KindEndOfList)
                {
                    break;
                }

                position += optionLength;
            }

            segment = new TcpSegment(buffer, offset, length);
            return WireResult.Ok;
        }

        /// <summary>The buffer the view reads.</summary>
        public byte[] Buffer { get { return _buffer; } }

        /// <summary>Offset of the first TCP byte in <see cref="Buffer"/>.</summary>
        public int Offset { get { return _offset; } }

        /// <summary>Segment length: header, options and data.</summary>
        public int Length { get { return _length; } }

        /// <summary>Source port.</summary>
        public ushort SourcePort { get { return NetworkByteOrder.ReadUInt16(_buffer, _offset + SourcePortField); } }

        /// <summary>Destination port.</summary>
        public ushort DestinationPort { get { return NetworkByteOrder.ReadUInt16(_buffer, _offset + DestinationPortField); } }

        /// <summary>Sequence number.</summary>
        public uint SequenceNumber { get { return NetworkByteOrder.ReadUInt32(_buffer, _offset + SequenceNumberField); } }

        /// <summary>Acknowledgment number.</summary>
        public uint AcknowledgmentNumber { get { return NetworkByteOrder.ReadUInt32(_buffer, _offset + AcknowledgmentNumberField); } }

        /// <summary>Header length in bytes (data offset * 4), 20..60.</summary>
        public int HeaderLength { get { return (_buffer[_offset + DataOffsetField] >> 4) * 4; } }

        /// <summary>Control bits (see <see cref="TcpFlags"/>).</summary>
        public byte Flags { get { return _buffer[_offset + FlagsField]; } }

        /// <summary>SYN set.</summary>
        public bool Syn { get { return (Flags & TcpFlags.Syn) != 0; } }

        /// <summary>ACK set.</summary>
        public bool Ack { get { return (Flags & TcpFlags.Ack) != 0; } }

        /// <summary>FIN set.</summary>
        public bool Fin { get { return (Flags & TcpFlags.Fin) != 0; } }

        /// <summary>RST set.</summary>
        public bool Rst { get { return (Flags & TcpFlags.Rst) != 0; } }

        /// <summary>PSH set.</summary>
        public bool Psh { get { return (Flags & TcpFlags.Psh) != 0; } }

        /// <summary>URG set.</summary>
        public bool Urg { get { return (Flags & TcpFlags.Urg) != 0; } }

        /// <summary>Window (unscaled).</summary>
        public ushort Window { get { return NetworkByteOrder.ReadUInt16(_buffer, _offset + WindowField); } }

        /// <summary>Checksum field.</summary>
        public ushort Checksum { get { return NetworkByteOrder.ReadUInt16(_buffer, _offset + ChecksumField); } }

        /// <summary>Urgent pointer.</summary>
        public ushort UrgentPointer { get { return NetworkByteOrder.ReadUInt16(_buffer, _offset + UrgentPointerField); } }

        /// <summary>Offset of the options area in <see cref="Buffer"/>.</summary>
        public int OptionsOffset { get { return _offset + MinimumHeaderLength; } }

        /// <summary>Options area length, 0..40 (checked well formed).</summary>
        public int OptionsLength { get { return HeaderLength - MinimumHeaderLength; } }

        /// <summary>Offset of the data in <see cref="Buffer"/>.</summary>
        public int PayloadOffset { get { return _offset + HeaderLength; } }

        /// <summary>Data bytes.</summary>
        public int PayloadLength { get { return _length - HeaderLength; } }
    }

    /// <summary>Parsed form of a TCP header with its options; the data stays in the buffer.</summary>
    public struct TcpRepr
    {
        /// <summary>Source port.</summary>
        public ushort SourcePort;

        /// <summary>Destination port.</summary>
        public ushort DestinationPort;

        /// <summary>Sequence number.</summary>
        public uint SequenceNumber;

        /// <summary>Acknowledgment number.</summary>
        public uint AcknowledgmentNumber;

        /// <summary>Control bits (see <see cref="TcpFlags"/>).</summary>
        public byte Flags;

        /// <summary>Window (unscaled).</summary>
        public ushort Window;

        /// <summary>Urgent pointer.</summary>
        public ushort UrgentPointer;

        /// <summary>Options (unknown ones are not kept).</summary>
        public TcpOptions Options;

        /// <summary>Data bytes after the header.</summary>
        public int PayloadLength;

        /// <summary>Header bytes <see cref="Emit"/> writes: 20 plus the options.</summary>
        public int HeaderLength { get { return TcpSegment.MinimumHeaderLength + Options.Length; } }

        /// <summary>Header plus data.</summary>
        public int SegmentLength { get { return HeaderLength + PayloadLength; } }

        /// <summary>Reads a checked segment and its options.</summary>
        public static WireResult Parse(TcpSegment segment, out TcpRepr repr)
        {
            repr = default(TcpRepr);
            if (segment.Buffer == null)
            {
                return WireResult.OutOfRange;
            }

            WireResult result = TcpOptions.Parse(segment.Buffer, segment.OptionsOffset, segment.OptionsLength, out repr.Options);
            if (result != WireResult.Ok)
            {
                repr = default(TcpRepr);
                return result;
            }

            repr.SourcePort = segment.SourcePort;
            repr.DestinationPort = segment.DestinationPort;
            repr.SequenceNumber = segment.SequenceNumber;
            repr.AcknowledgmentNumber = segment.AcknowledgmentNumber;
            repr.Flags = segment.Flags;
            repr.Window = segment.Window;
            repr.UrgentPointer = segment.UrgentPointer;
            repr.PayloadLength = segment.PayloadLength;
            return WireResult.Ok;
        }

        /// <summary>
        /// Writes header and options at buffer[offset] with the checksum over the pseudo-header, the header and
        /// the <see cref="PayloadLength"/> data bytes already at buffer[offset + HeaderLength].
        /// <paramref name="length"/> is the room at offset and must hold <see cref="SegmentLength"/> bytes.
        /// </summary>
        public WireResult Emit(byte[] buffer, int offset, int length, uint source, uint destination)
        {
            if (!BufferWindow.IsValid(buffer, offset, length))
            {
                return WireResult.OutOfRange;
            }

            int headerLength = HeaderLength;
            if (PayloadLength < 0 || PayloadLength > Ipv4Packet.MaximumLength - Ipv4Packet.MinimumHeaderLength - headerLength)
            {
                return WireResult.BadLength;
            }

            if (length < headerLength + PayloadLength)
            {
                return WireResult.Truncated;
            }

            NetworkByteOrder.WriteUInt16(buffer, offset, SourcePort);
            NetworkByteOrder.WriteUInt16(buffer, offset + 2, DestinationPort);
            NetworkByteOrder.WriteUInt32(buffer, offset + 4, SequenceNumber);
            NetworkByteOrder.WriteUInt32(buffer, offset + 8, AcknowledgmentNumber);
            buffer[offset + 12] = (byte)((headerLength / 4) << 4);
            buffer[offset + 13] = Flags;
            NetworkByteOrder.WriteUInt16(buffer, offset + 14, Window);
            buffer[offset + 16] = 0;
            buffer[offset + 17] = 0;
            NetworkByteOrder.WriteUInt16(buffer, offset + 18, UrgentPointer);
            Options.Emit(buffer, offset + TcpSegment.MinimumHeaderLength);
            int segmentLength = headerLength + PayloadLength;
            uint sum = InternetChecksum.AddPseudoHeader(source, destination, IpProtocol.Tcp, segmentLength, 0);
            NetworkByteOrder.WriteUInt16(buffer, offset + 16, InternetChecksum.Finish(InternetChecksum.Add(buffer, offset, segmentLength, sum)));
            return WireResult.Ok;
        }
    }
}
