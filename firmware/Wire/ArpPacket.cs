namespace VpnAppliance.Wire
{
    // ARP for IPv4 over Ethernet (RFC 826; field names as in RFC 826 and RFC 5227):
    //
    //   0      2      4    5    6      8       14      18      24      28
    //   | htype| ptype|hlen|plen| oper | sha   | spa   | tha   | tpa   |
    //     1     0x0800  6    4   1 request, 2 reply
    //
    // Check first requires the 8-byte fixed part, then that it describes Ethernet/IPv4 (anything else is
    // Unsupported), then the 28 bytes those sizes imply. Trailing Ethernet padding is ignored.

    /// <summary>View over an ARP packet for Ethernet/IPv4; valid only when made by <see cref="Check"/>.</summary>
    public struct ArpPacket
    {
        /// <summary>Length of an Ethernet/IPv4 ARP packet.</summary>
        public const int PacketLength = 28;

        /// <summary>Hardware type Ethernet (RFC 826, IANA ARP parameters).</summary>
        public const int HardwareTypeEthernet = 1;

        /// <summary>ARP request (RFC 826 ares_op$REQUEST).</summary>
        public const int OperationRequest = 1;

        /// <summary>ARP reply (RFC 826 ares_op$REPLY).</summary>
        public const int OperationReply = 2;

        private const int FixedLength = 8;
        private const int HardwareTypeField = 0;
        private const int ProtocolTypeField = 2;
        private const int HardwareLengthField = 4;
        private const int ProtocolLengthField = 5;
        private const int OperationField = 6;
        private const int SenderHardwareAddressField = 8;
        private const int SenderProtocolAddressField = 14;
        private const int TargetHardwareAddressField = 18;
        private const int TargetProtocolAddressField = 24;

        private readonly byte[] _buffer;
        private readonly int _offset;

        private ArpPacket(byte[] buffer, int offset)
        {
            _buffer = buffer;
            _offset = offset;
        }

        /// <summary>Checks an Ethernet/IPv4 ARP packet at buffer[offset .. offset + length).</summary>
        public static WireResult Check(byte[] buffer, int offset, int length, out ArpPacket packet)
        {
            packet = default(ArpPacket);
            if (!BufferWindow.IsValid(buffer, offset, length))
            {
                return WireResult.OutOfRange;
            }

            if (length < FixedLength)
            {
                return WireResult.Truncated;
            }

            if (NetworkByteOrder.ReadUInt16(buffer, offset + HardwareTypeField) != HardwareTypeEthernet
                || NetworkByteOrder.ReadUInt16(buffer, offset + ProtocolTypeField) != EtherType.Ipv4
                || buffer[offset + HardwareLengthField] != EthernetAddress.Length
                || buffer[offset + ProtocolLengthField] != Ipv4Address.Length)
            {
                return WireResult.Unsupported;
            }

            if (length < PacketLength)
            {
                return WireResult.Truncated;
            }

            packet = new ArpPacket(buffer, offset);
            return WireResult.Ok;
        }

        /// <summary>The buffer the view reads.</summary>
        public byte[] Buffer { get { return _buffer; } }

        /// <summary>Offset of the first ARP byte in <see cref="Buffer"/>.</summary>
        public int Offset { get { return _offset; } }

        /// <summary>Operation: <see cref="OperationRequest"/>, <see cref="OperationReply"/> or another value.</summary>
        public int Operation { get { return NetworkByteOrder.ReadUInt16(_buffer, _offset + OperationField); } }

        /// <summary>Sender hardware address (sha).</summary>
        public ulong SenderHardwareAddress { get { return EthernetAddress.Read(_buffer, _offset + SenderHardwareAddressField); } }

        /// <summary>Sender protocol address (spa), host order.</summary>
        public uint SenderProtocolAddress { get { return NetworkByteOrder.ReadUInt32(_buffer, _offset + SenderProtocolAddressField); } }

        /// <summary>Target hardware address (tha).</summary>
        public ulong TargetHardwareAddress { get { return EthernetAddress.Read(_buffer, _offset + TargetHardwareAddressField); } }

        /// <summary>Target protocol address (tpa), host order.</summary>
        public uint TargetProtocolAddress { get { return NetworkByteOrder.ReadUInt32(_buffer, _offset + TargetProtocolAddressField); } }
    }

    /// <summary>Parsed form of an Ethernet/IPv4 ARP packet.</summary>
    public struct ArpRepr
    {
        /// <summary>Operation (1 request, 2 reply).</summary>
        public int Operation;

        /// <summary>Sender hardware address.</summary>
        public ulong SenderHardwareAddress;

        /// <summary>Sender protocol address, host order.</summary>
        public uint SenderProtocolAddress;

        /// <summary>Target hardware address (zero in a request).</summary>
        public ulong TargetHardwareAddress;

        /// <summary>Target protocol address, host order.</summary>
        public uint TargetProtocolAddress;

        /// <summary>Bytes <see cref="Emit"/> writes.</summary>
        public int PacketLength { get { return ArpPacket.PacketLength; } }

        /// <summary>Reads a checked packet. Operations other than request and reply are Unsupported.</summary>
        public static WireResult Parse(ArpPacket packet, out ArpRepr repr)
        {
            repr = default(ArpRepr);
            if (packet.Buffer == null)
            {
                return WireResult.OutOfRange;
            }

            int operation = packet.Operation;
            if (operation != ArpPacket.OperationRequest && operation != ArpPacket.OperationReply)
            {
                return WireResult.Unsupported;
            }

            repr.Operation = operation;
            repr.SenderHardwareAddress = packet.SenderHardwareAddress;
            repr.SenderProtocolAddress = packet.SenderProtocolAddress;
            repr.TargetHardwareAddress = packet.TargetHardwareAddress;
            repr.TargetProtocolAddress = packet.TargetProtocolAddress;
            return WireResult.Ok;
        }

        /// <summary>Writes the 28-byte packet at buffer[offset]; <paramref name="length"/> is the room there.</summary>
        public WireResult Emit(byte[] buffer, int offset, int length)
        {
            if (!BufferWindow.IsValid(buffer, offset, length))
            {
                return WireResult.OutOfRange;
            }

            if (length < ArpPacket.PacketLength)
            {
                return WireResult.Truncated;
            }

            if (Operation < 0 || Operation > 0xFFFF)
            {
                return WireResult.Malformed;
            }

            NetworkByteOrder.WriteUInt16(buffer, offset, ArpPacket.HardwareTypeEthernet);
            NetworkByteOrder.WriteUInt16(buffer, offset + 2, EtherType.Ipv4);
            buffer[offset + 4] = EthernetAddress.Length;
            buffer[offset + 5] = Ipv4Address.Length;
            NetworkByteOrder.WriteUInt16(buffer, offset + 6, Operation);
            EthernetAddress.Write(buffer, offset + 8, SenderHardwareAddress);
            NetworkByteOrder.WriteUInt32(buffer, offset + 14, SenderProtocolAddress);
            EthernetAddress.Write(buffer, offset + 18, TargetHardwareAddress);
            NetworkByteOrder.WriteUInt32(buffer, offset + 24, TargetProtocolAddress);
            return WireResult.Ok;
        }
    }
}
