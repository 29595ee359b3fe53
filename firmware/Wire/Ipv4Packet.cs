namespace VpnAppliance.Wire
{
    // IPv4 header (RFC 791 §3.1):
    //
    //   0       1       2       3
    //   |ver|ihl|  tos  |  total length |
    //   | identification|flags|frag off |   flags: 0, DF, MF; fragment offset in units of 8 octets
    //   |  ttl  | proto |header checksum|
    //   |        source address         |
    //   |      destination address      |
    //   |   options (ihl*4 - 20 bytes)  |
    //
    // Check order: the 20 fixed bytes, version, IHL >= 5, IHL*4 bytes present, total length >= IHL*4, total
    // length present, header checksum (RFC 1812 §5.2.2: a router verifies it). The view then spans exactly the
    // total length (link padding dropped). Options are not interpreted: the payload starts at IHL*4, so any
    // option bytes, well formed or not, are skipped safely. A fragment (MF set or offset non-zero) is
    // recognised; only the first fragment (offset 0) carries the transport header.

    /// <summary>View over an IPv4 datagram; valid only when made by <see cref="Check"/> or <see cref="CheckQuoted"/>.</summary>
    public struct Ipv4Packet
    {
        /// <summary>Header without options.</summary>
        public const int MinimumHeaderLength = 20;

        /// <summary>IHL is 4 bits of 32-bit words.</summary>
        public const int MaximumHeaderLength = 60;

        /// <summary>Largest total length.</summary>
        public const int MaximumLength = 0xFFFF;

        private const int VersionAndHeaderLengthField = 0;
        private const int TypeOfServiceField = 1;
        private const int TotalLengthField = 2;
        private const int IdentificationField = 4;
        private const int FlagsAndFragmentOffsetField = 6;
        internal const int TtlField = 8;
        private const int ProtocolField = 9;
        internal const int ChecksumField = 10;
        private const int SourceField = 12;
        private const int DestinationField = 16;

        private const int DontFragmentBit = 0x4000;
        private const int MoreFragmentsBit = 0x2000;
        private const int FragmentOffsetMask = 0x1FFF;

        private readonly byte[] _buffer;
        private readonly int _offset;
        private readonly int _length;

        private Ipv4Packet(byte[] buffer, int offset, int length)
        {
            _buffer = buffer;
            _offset = offset;
            _length = length;
        }

        /// <summary>
        /// Checks a received datagram at buffer[offset .. offset + length) (length may include link padding):
        /// lengths, version and header checksum. On Ok the view spans the total length.
        /// </summary>
        public static WireResult Check(byte[] buffer, int offset, int length, out Ipv4Packet packet)
        {
            WireResult result = CheckLengths(buffer, offset, length, out packet);
            if (result != WireResult.Ok)
            {
                return result;
            }

            int totalLength = NetworkByteOrder.ReadUInt16(buffer, offset + TotalLengthField);
            if (totalLength > length)
            {
                packet = default(Ipv4Packet);
                return WireResult.Truncated;
            }

            if (!InternetChecksum.Verifies(InternetChecksum.Add(buffer, offset, (buffer[offset] & 0x0F) * 4, 0)))
            {
                packet = default(Ipv4Packet);
                return WireResult.BadChecksum;
            }

            packet = new Ipv4Packet(buffer, offset, totalLength);
            return WireResult.Ok;
        }

        /// <summary>
        /// Checks the header quoted in an ICMP error (RFC 792: the original header plus at least 64 bits of its
        /// data; RFC 1812 §4.3.2.3 allows more). The datagram is usually cut short, so the view spans
        /// min(total length, length) and the checksum is not verified; the header itself must be complete.
        /// </summary>
        public static WireResult CheckQuoted(byte[] buffer, int offset, int length, out Ipv4Packet packet)
        {
            WireResult result = CheckLengths(buffer, offset, length, out packet);
            if (result != WireResult.Ok)
            {
                return result;
            }

            int totalLength = NetworkByteOrder.ReadUInt16(buffer, offset + TotalLengthField);
            packet = new Ipv4Packet(buffer, offset, totalLength < length ? totalLength : length);
            return WireResult.Ok;
        }

        private static WireResult CheckLengths(byte[] buffer, int offset, int length, out Ipv4Packet packet)
        {
            packet = default(Ipv4Packet);
            if (!BufferWindow.IsValid(buffer, offset, length))
            {
                return WireResult.OutOfRange;
            }

            if (length < MinimumHeaderLength)
            {
                return WireResult.Truncated;
            }

            if ((buffer[offset + VersionAndHeaderLengthField] >> 4) != 4)
            {
                return WireResult.BadVersion;
            }

            int headerLength = (buffer[offset + VersionAndHeaderLengthField] & 0x0F) * 4;
            if (headerLength < MinimumHeaderLength)
            {
                return WireResult.BadHeaderLength;
            }

            if (headerLength > length)
            {
                return WireResult.Truncated;
            }

            if (NetworkByteOrder.ReadUInt16(buffer, offset + TotalLengthField) < headerLength)
            {
                return WireResult.BadLength;
            }

            return WireResult.Ok;
        }

        /// <summary>The buffer the view reads.</summary>
        public byte[] Buffer { get { return _buffer; } }

        /// <summary>Offset of the first header byte in <see cref="Buffer"/>.</summary>
        public int Offset { get { return _offset; } }

        /// <summary>Bytes the view spans: the total length (or what is present of a quoted datagram).</summary>
        public int Length { get { return _length; } }

        /// <summary>Header length in bytes (IHL * 4), 20..60.</summary>
        public int HeaderLength { get { return (_buffer[_offset + VersionAndHeaderLengthField] & 0x0F) * 4; } }

        /// <summary>Type of service octet: DSCP in the upper 6 bits, ECN in the lower 2 (RFC 2474, RFC 3168).</summary>
        public byte TypeOfService { get { return _buffer[_offset + TypeOfServiceField]; } }

        /// <summary>Total length field.</summary>
        public int TotalLength { get { return NetworkByteOrder.ReadUInt16(_buffer, _offset + TotalLengthField); } }

        /// <summary>Identification field.</summary>
        public ushort Identification { get { return NetworkByteOrder.ReadUInt16(_buffer, _offset + IdentificationField); } }

        /// <summary>DF: the datagram must not be fragmented (a router sends fragmentation needed instead, RFC 1191).</summary>
        public bool DontFragment { get { return (FlagsAndFragmentOffset & DontFragmentBit) != 0; } }

        /// <summary>MF: more fragments follow.</summary>
        public bool MoreFragments { get { return (FlagsAndFragmentOffset & MoreFragmentsBit) != 0; } }

        /// <summary>Fragment offset in units of 8 octets (RFC 791).</summary>
        public int FragmentOffset { get { return FlagsAndFragmentOffset & FragmentOffsetMask; } }

        /// <summary>True for any fragment of a fragmented datagram (MF set or offset non-zero).</summary>
        public bool IsFragment { get { return (FlagsAndFragmentOffset & (MoreFragmentsBit | FragmentOffsetMask)) != 0; } }

        /// <summary>Time to live.</summary>
        public byte Ttl { get { return _buffer[_offset + TtlField]; } }

        /// <summary>Protocol, e.g. <see cref="IpProtocol.Tcp"/>.</summary>
        public byte Protocol { get { return _buffer[_offset + ProtocolField]; } }

        /// <summary>Header checksum field.</summary>
        public ushort HeaderChecksum { get { return NetworkByteOrder.ReadUInt16(_buffer, _offset + ChecksumField); } }

        /// <summary>Source address, host order.</summary>
        public uint Source { get { return NetworkByteOrder.ReadUInt32(_buffer, _offset + SourceField); } }

        /// <summary>Destination address, host order.</summary>
        public uint Destination { get { return NetworkByteOrder.ReadUInt32(_buffer, _offset + DestinationField); } }

        /// <summary>Offset of the options (if any) in <see cref="Buffer"/>.</summary>
        public int OptionsOffset { get { return _offset + MinimumHeaderLength; } }

        /// <summary>Option bytes, 0..40; not interpreted.</summary>
        public int OptionsLength { get { return HeaderLength - MinimumHeaderLength; } }

        /// <summary>Offset of the payload in <see cref="Buffer"/>.</summary>
        public int PayloadOffset { get { return _offset + HeaderLength; } }

        /// <summary>Payload bytes in the view (total length minus header length, or fewer for a quoted datagram).</summary>
        public int PayloadLength { get { return _length - HeaderLength; } }

        private int FlagsAndFragmentOffset { get { return NetworkByteOrder.ReadUInt16(_buffer, _offset + FlagsAndFragmentOffsetField); } }
    }

    /// <summary>
    /// Parsed form of an IPv4 header. Options are not kept: <see cref="Emit"/> writes a 20-byte header.
    /// </summary>
    public struct Ipv4Repr
    {
        /// <summary>Source address, host order.</summary>
        public uint Source;

        /// <summary>Destination address, host order.</summary>
        public uint Destination;

        /// <summary>Protocol of the payload.</summary>
        public byte Protocol;

        /// <summary>Time to live.</summary>
        public byte Ttl;

        /// <summary>Type of service octet (DSCP and ECN).</summary>
        public byte TypeOfService;

        /// <summary>Identification.</summary>
        public ushort Identification;

        /// <summary>DF flag.</summary>
        public bool DontFragment;

        /// <summary>MF flag.</summary>
        public bool MoreFragments;

        /// <summary>Fragment offset in units of 8 octets, 0..8191.</summary>
        public int FragmentOffset;

        /// <summary>Payload bytes that follow the header.</summary>
        public int PayloadLength;

        /// <summary>Bytes of header <see cref="Emit"/> writes (20).</summary>
        public int HeaderLength { get { return Ipv4Packet.MinimumHeaderLength; } }

        /// <summary>Header plus payload: the total length.</summary>
        public int TotalLength { get { return Ipv4Packet.MinimumHeaderLength + PayloadLength; } }

        /// <summary>Reads a checked datagram (options skipped).</summary>
        public static WireResult Parse(Ipv4Packet packet, out Ipv4Repr repr)
        {
            repr = default(Ipv4Repr);
            if (packet.Buffer == null)
            {
                return WireResult.OutOfRange;
            }

            repr.Source = packet.Source;
            repr.Destination = packet.Destination;
            repr.Protocol = packet.Protocol;
            repr.Ttl = packet.Ttl;
            repr.TypeOfService = packet.TypeOfService;
            repr.Identification = packet.Identification;
            repr.DontFragment = packet.DontFragment;
            repr.MoreFragments = packet.MoreFragments;
            repr.FragmentOffset = packet.FragmentOffset;
            repr.PayloadLength = packet.PayloadLength;
            return WireResult.Ok;
        }

        /// <summary>
        /// Writes the 20-byte header with its checksum at buffer[offset]; the payload is expected at
        /// buffer[offset + 20] (not touched). <paramref name="length"/> is the room at offset and must hold
        /// <see cref="TotalLength"/> bytes.
        /// </summary>
        public WireResult Emit(byte[] buffer, int offset, int length)
        {
            if (!BufferWindow.IsValid(buffer, offset, length))
            {
                return WireResult.OutOfRange;
            }

            if (PayloadLength < 0 || PayloadLength > Ipv4Packet.MaximumLength - Ipv4Packet.MinimumHeaderLength)
            {
                return WireResult.BadLength;
            }

            if (FragmentOffset < 0 || FragmentOffset > 0x1FFF)
            {
                return WireResult.Malformed;
            }

            if (length < TotalLength)
            {
                return WireResult.Truncated;
            }

            int flags = (DontFragment ? 0x4000 : 0) | (MoreFragments ? 0x2000 : 0) | FragmentOffset;
            buffer[offset] = 0x45;
            buffer[offset + 1] = TypeOfService;
            NetworkByteOrder.WriteUInt16(buffer, offset + 2, TotalLength);
            NetworkByteOrder.WriteUInt16(buffer, offset + 4, Identification);
            NetworkByteOrder.WriteUInt16(buffer, offset + 6, flags);
            buffer[offset + 8] = Ttl;
            buffer[offset + 9] = Protocol;
            buffer[offset + 10] = 0;
            buffer[offset + 11] = 0;
            NetworkByteOrder.WriteUInt32(buffer, offset + 12, Source);
            NetworkByteOrder.WriteUInt32(buffer, offset + 16, Destination);
            NetworkByteOrder.WriteUInt16(buffer, offset + 10, InternetChecksum.Compute(buffer, offset, Ipv4Packet.MinimumHeaderLength));
            return WireResult.Ok;
        }
    }
}
