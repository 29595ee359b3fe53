namespace VpnAppliance.Wire
{
    // Ethernet II frame (RFC 894, IEEE 802.3 §3.1.1), as handed over by the NIC without preamble and FCS:
    //
    //   0        6        12     14
    //   | dest   | source | type | payload (46..1500 bytes on the wire; senders pad short frames) |
    //
    // The view needs only the 14-byte header; minimum frame size and padding are the NIC's business (a frame
    // captured at the sender, before padding, is 42 bytes for ARP). Upper layers use their own lengths and so
    // ignore the padding. An EtherType below 0x0600 is an 802.3 length: Unsupported.

    /// <summary>View over an Ethernet II frame in the caller's buffer; valid only when made by <see cref="Check"/>.</summary>
    public struct EthernetFrame
    {
        /// <summary>Destination, source, EtherType.</summary>
        public const int HeaderLength = 14;

        private const int DestinationField = 0;
        private const int SourceField = 6;
        private const int EtherTypeField = 12;

        private readonly byte[] _buffer;
        private readonly int _offset;
        private readonly int _length;

        private EthernetFrame(byte[] buffer, int offset, int length)
        {
            _buffer = buffer;
            _offset = offset;
            _length = length;
        }

        /// <summary>
        /// Checks that buffer[offset .. offset + length) holds an Ethernet II header; on Ok no accessor of
        /// <paramref name="frame"/> can fail.
        /// </summary>
        public static WireResult Check(byte[] buffer, int offset, int length, out EthernetFrame frame)
        {
            frame = default(EthernetFrame);
            if (!BufferWindow.IsValid(buffer, offset, length))
            {
                return WireResult.OutOfRange;
            }

            if (length < HeaderLength)
            {
                return WireResult.Truncated;
            }

            if (NetworkByteOrder.ReadUInt16(buffer, offset + EtherTypeField) < Wire.EtherType.Minimum)
            {
                return WireResult.Unsupported;
            }

            frame = new EthernetFrame(buffer, offset, length);
            return WireResult.Ok;
        }

        /// <summary>The buffer the view reads.</summary>
        public byte[] Buffer { get { return _buffer; } }

        /// <summary>Offset of the first header byte in <see cref="Buffer"/>.</summary>
        public int Offset { get { return _offset; } }

        /// <summary>Header plus payload (including any padding).</summary>
        public int Length { get { return _length; } }

        /// <summary>Destination address (low 48 bits).</summary>
        public ulong Destination { get { return EthernetAddress.Read(_buffer, _offset + DestinationField); } }

        /// <summary>Source address (low 48 bits).</summary>
        public ulong Source { get { return EthernetAddress.Read(_buffer, _offset + SourceField); } }

        /// <summary>EtherType (at least 0x0600).</summary>
        public int EtherType { get { return NetworkByteOrder.ReadUInt16(_buffer, _offset + EtherTypeField); } }

        /// <summary>Offset of the payload in <see cref="Buffer"/>.</summary>
        public int PayloadOffset { get { return _offset + HeaderLength; } }

        /// <summary>Payload length, padding included.</summary>
        public int PayloadLength { get { return _length - HeaderLength; } }
    }

    /// <summary>Parsed form of an Ethernet II header.</summary>
    public struct EthernetRepr
    {
        /// <summary>Destination address (low 48 bits).</summary>
        public ulong Destination;

        /// <summary>Source address (low 48 bits).</summary>
        public ulong Source;

        /// <summary>EtherType, e.g. <see cref="Wire.EtherType.Ipv4"/>.</summary>
        public int EtherType;

        /// <summary>Bytes <see cref="Emit"/> writes.</summary>
        public int HeaderLength { get { return EthernetFrame.HeaderLength; } }

        /// <summary>Reads the header of a checked frame.</summary>
        public static WireResult Parse(EthernetFrame frame, out EthernetRepr repr)
        {
            repr = default(EthernetRepr);
            if (frame.Buffer == null)
            {
                return WireResult.OutOfRange;
            }

            repr.Destination = frame.Destination;
            repr.Source = frame.Source;
            repr.EtherType = frame.EtherType;
            return WireResult.Ok;
        }

        /// <summary>Writes the 14-byte header at buffer[offset]; <paramref name="length"/> is the room there.</summary>
        public WireResult Emit(byte[] buffer, int offset, int length)
        {
            if (!BufferWindow.IsValid(buffer, offset, length))
            {
                return WireResult.OutOfRange;
            }

            if (length < EthernetFrame.HeaderLength)
            {
                return WireResult.Truncated;
            }

            if (EtherType < Wire.EtherType.Minimum || EtherType > 0xFFFF)
            {
                return WireResult.Unsupported;
            }

            EthernetAddress.Write(buffer, offset, Destination);
            EthernetAddress.Write(buffer, offset + 6, Source);
            NetworkByteOrder.WriteUInt16(buffer, offset + 12, EtherType);
            return WireResult.Ok;
        }
    }
}
