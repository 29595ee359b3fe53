using VpnAppliance.Wire;

namespace VpnAppliance.Ipsec.Ike
{
    // Notify payload, RFC 7296 §3.10:
    //   | generic header | Protocol ID | SPI Size | Notify Message Type (2) | SPI (SPI Size) | Notification Data |
    // Protocol ID is 0 (and SPI Size 0) for IKE SA notifications, 2/3 with a 4-octet SPI for AH/ESP (REKEY_SA).

    /// <summary>The Notify payload (RFC 7296 §3.10); the SPI is in a ulong, the data is a slice of the buffer.</summary>
    public sealed class NotifyPayload
    {
        /// <summary>Generic header + Protocol ID + SPI Size + Notify Message Type.</summary>
        public const int FixedLength = 8;

        /// <summary>Protocol ID (0 none, 1 IKE, 2 AH, 3 ESP).</summary>
        public byte ProtocolId;
        /// <summary>SPI Size in octets (0, 4 or 8).</summary>
        public byte SpiSize;
        /// <summary>Notify Message Type (<see cref="IkeNotifyType"/>).</summary>
        public ushort NotifyType;
        /// <summary>The SPI, big-endian, in the low <see cref="SpiSize"/> octets.</summary>
        public ulong Spi;
        /// <summary>Buffer holding the notification data.</summary>
        public byte[] Data;
        /// <summary>Offset of the data in <see cref="Data"/>.</summary>
        public int DataOffset;
        /// <summary>Length of the data.</summary>
        public int DataLength;

        /// <summary>Parses buffer[offset..offset+length). SPI Size above 8 is InvalidSyntax. Never throws.</summary>
        public IkeParseResult Parse(byte[] buffer, int offset, int length)
        {
            if (!IkePayloadChain.Fits(buffer, offset, length, length) || length < FixedLength) return IkeParseResult.Truncated;
            ProtocolId = buffer[offset + 4];
            SpiSize = buffer[offset + 5];
            NotifyType = NetworkByteOrder.ReadUInt16(buffer, offset + 6);
            Spi = 0;
            if (SpiSize > 8) return IkeParseResult.InvalidSyntax;
            if (SpiSize > length - FixedLength) return IkeParseResult.Truncated;
            for (int i = 0; i < SpiSize; i++) Spi = (Spi << 8) | buffer[offset + FixedLength + i];
            Data = buffer;
            DataOffset = offset + FixedLength + SpiSize;
            DataLength = length - FixedLength - SpiSize;
            return IkeParseResult.Ok;
        }

        /// <summary>Writes the payload; returns the bytes written, 0 if they do not fit.</summary>
        public int Emit(byte[] buffer, int offset, int capacity, byte nextPayload)
        {
            int total = FixedLength + SpiSize + DataLength;
            if (SpiSize > 8 || DataLength < 0 || total > 0xFFFF || !IkePayloadChain.Fits(buffer, offset, capacity, total)) return 0;
            if (DataLength > 0 && (Data == null || DataOffset < 0 || DataOffset > Data.Length - DataLength)) return 0;
            IkePayloadChain.WriteGenericHeader(buffer, offset, nextPayload, total);
            buffer[offset + 4] = ProtocolId;
            buffer[offset + 5] = SpiSize;
            NetworkByteOrder.WriteUInt16(buffer, offset + 6, NotifyType);
            int at = offset + FixedLength;
            for (int k = SpiSize - 1; k >= 0; k--) buffer[at++] = (byte)(Spi >> (8 * k));
            if (DataLength > 0) System.Array.Copy(Data, DataOffset, buffer, at, DataLength);
            return total;
        }
    }
}
