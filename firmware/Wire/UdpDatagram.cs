namespace VpnAppliance.Wire
{
    // UDP header (RFC 768):
    //
    //   0             2                  4        6          8
    //   | source port | destination port | length | checksum | data ...
    //
    // Length counts header and data (>= 8). The checksum covers the IPv4 pseudo-header (source, destination,
    // zero, protocol 17, UDP length), the header and the data; a transmitted 0 means "no checksum", so a
    // computed 0 is sent as 0xFFFF (RFC 768). CheckHeader validates lengths only (what a router needs);
    // Check also verifies the checksum (what a local endpoint needs, e.g. IKE/ESP on 500/4500).

    /// <summary>View over a UDP datagram; valid only when made by <see cref="Check"/> or <see cref="CheckHeader"/>.</summary>
    public struct UdpDatagram
    {
        /// <summary>Ports, length, checksum.</summary>
        public const int HeaderLength = 8;

        private const int SourcePortField = 0;
        private const int DestinationPortField = 2;
        private const int LengthField = 4;
        private const int ChecksumField = 6;

        private readonly byte[] _buffer;
        private readonly int _offset;
        private readonly int _length;

        private UdpDatagram(byte[] buffer, int offset, int length)
        {
            _buffer = buffer;
            _offset = offset;
            _length = length;
        }

        /// <summary>
        /// Checks lengths at buffer[offset .. offset + length) (the IPv4 payload) and the checksum with the
        /// pseudo-header of <paramref name="source"/> and <paramref name="destination"/> (skipped when 0).
        /// </summary>
        public static WireResult Check(byte[] buffer, int offset, int length, uint source, uint destination, out UdpDatagram datagram)
        {
            WireResult result = CheckHeader(buffer, offset, length, out datagram);
            if (result != WireResult.Ok)
            {
                return result;
            }

            if (datagram.Checksum != 0)
            {
                uint sum = InternetChecksum.AddPseudoHeader(source, destination, IpProtocol.Udp, datagram.Length, 0);
                if (!InternetChecksum.Verifies(InternetChecksum.Add(buffer, offset, datagram.Length, sum)))
                {
                    datagram = default(UdpDatagram);
                    return WireResult.BadChecksum;
                }
            }

            return WireResult.Ok;
        }

        /// <summary>Checks the header and the length field only; the view spans the UDP length.</summary>
        public static WireResult CheckHeader(byte[] buffer, int offset, int length, out UdpDatagram datagram)
        {
            datagram = default(UdpDatagram);
            if (!BufferWindow.IsValid(buffer, offset, length))
            {
                return WireResult.OutOfRange;
            }

            if (length < HeaderLength)
            {
                return WireResult.Truncated;
            }

            int udpLength = NetworkByteOrder.ReadUInt16(buffer, offset + LengthField);
            if (udpLength < HeaderLength)
            {
                return WireResult.BadLength;
            }

            if (udpLength > length)
            {
                return WireResult.Truncated;
            }

            datagram = new UdpDatagram(buffer, offset, udpLength);
            return WireResult.Ok;
        }

        /// <summary>The buffer the view reads.</summary>
        public byte[] Buffer { get { return _buffer; } }

        /// <summary>Offset of the first UDP byte in <see cref="Buffer"/>.</summary>
        public int Offset { get { return _offset; } }

        /// <summary>The UDP length field: header plus data.</summary>
        public int Length { get { return _length; } }

        /// <summary>Source port.</summary>
        public ushort SourcePort { get { return NetworkByteOrder.ReadUInt16(_buffer, _offset + SourcePortField); } }

        /// <summary>Destination port.</summary>
        public ushort DestinationPort { get { return NetworkByteOrder.ReadUInt16(_buffer, _offset + DestinationPortField); } }

        /// <summary>Checksum field (0: none).</summary>
        public ushort Checksum { get { return NetworkByteOrder.ReadUInt16(_buffer, _offset + ChecksumField); } }

        /// <summary>Offset of the data in <see cref="Buffer"/>.</summary>
        public int PayloadOffset { get { return _offset + HeaderLength; } }

        /// <summary>Data bytes.</summary>
        public int PayloadLength { get { return _length - HeaderLength; } }
    }

    /// <summary>Parsed form of a UDP header; the data stays in the buffer.</summary>
    public struct UdpRepr
    {
        /// <summary>Source port.</summary>
        public ushort SourcePort;

        /// <summary>Destination port.</summary>
        public ushort DestinationPort;

        /// <summary>Data bytes after the header.</summary>
        public int PayloadLength;

        /// <summary>Bytes of header <see cref="Emit"/> writes.</summary>
        public int HeaderLength { get { return UdpDatagram.HeaderLength; } }

        /// <summary>Header plus data: the UDP length.</summary>
        public int DatagramLength { get { return UdpDatagram.HeaderLength + PayloadLength; } }

        /// <summary>Reads a checked datagram.</summary>
        public static WireResult Parse(UdpDatagram datagram, out UdpRepr repr)
        {
            repr = default(UdpRepr);
            if (datagram.Buffer == null)
            {
                return WireResult.OutOfRange;
            }

            repr.SourcePort = datagram.SourcePort;
            repr.DestinationPort = datagram.DestinationPort;
            repr.PayloadLength = datagram.PayloadLength;
            return WireResult.Ok;
        }

        /// <summary>
        /// Writes the header at buffer[offset] with the checksum over the pseudo-header, the header and the
        /// <see cref="PayloadLength"/> data bytes already at buffer[offset + 8]. <paramref name="length"/> is
        /// the room at offset and must hold <see cref="DatagramLength"/> bytes.
        /// </summary>
        public WireResult Emit(byte[] buffer, int offset, int length, uint source, uint destination)
        {
            if (!BufferWindow.IsValid(buffer, offset, length))
            {
                return WireResult.OutOfRange;
            }

            if (PayloadLength < 0 || PayloadLength > Ipv4Packet.MaximumLength - Ipv4Packet.MinimumHeaderLength - UdpDatagram.HeaderLength)
            {
                return WireResult.BadLength;
            }

            if (length < DatagramLength)
            {
                return WireResult.Truncated;
            }

            NetworkByteOrder.WriteUInt16(buffer, offset, SourcePort);
            NetworkByteOrder.WriteUInt16(buffer, offset + 2, DestinationPort);
            NetworkByteOrder.WriteUInt16(buffer, offset + 4, DatagramLength);
            buffer[offset + 6] = 0;
            buffer[offset + 7] = 0;
            uint sum = InternetChecksum.AddPseudoHeader(source, destination, IpProtocol.Udp, DatagramLength, 0);
            ushort checksum = InternetChecksum.Finish(InternetChecksum.Add(buffer, offset, DatagramLength, sum));
            NetworkByteOrder.WriteUInt16(buffer, offset + 6, checksum == 0 ? 0xFFFF : checksum);
            return WireResult.Ok;
        }
    }
}
