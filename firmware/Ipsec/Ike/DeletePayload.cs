using VpnAppliance.Wire;

namespace VpnAppliance.Ipsec.Ike
{
    // Delete payload, RFC 7296 §3.11:
    //   | generic header | Protocol ID | SPI Size | Num of SPIs (2) | SPIs (SPI Size each) |
    // For the IKE SA: Protocol ID 1, SPI Size 0, Num 0 (the SA is named by the header). For AH/ESP: SPI Size 4.

    /// <summary>The Delete payload (RFC 7296 §3.11) with up to <see cref="MaxSpis"/> 4-octet SPIs preallocated.</summary>
    public sealed class DeletePayload
    {
        /// <summary>Generic header + Protocol ID + SPI Size + Num of SPIs.</summary>
        public const int FixedLength = 8;
        /// <summary>Most SPIs kept; more is <see cref="IkeParseResult.TooMany"/>.</summary>
        public const int MaxSpis = 16;

        /// <summary>Protocol ID (1 IKE, 2 AH, 3 ESP).</summary>
        public byte ProtocolId;
        /// <summary>SPI Size: 0 for IKE, 4 for AH/ESP (anything else is InvalidSyntax).</summary>
        public byte SpiSize;
        /// <summary>Number of valid entries in <see cref="Spis"/>.</summary>
        public int SpiCount;
        /// <summary>Preallocated SPIs.</summary>
        public readonly uint[] Spis = new uint[MaxSpis];

        /// <summary>Parses buffer[offset..offset+length). Never throws.</summary>
        public IkeParseResult Parse(byte[] buffer, int offset, int length)
        {
            SpiCount = 0;
            if (!IkePayloadChain.Fits(buffer, offset, length, length) || length < FixedLength) return IkeParseResult.Truncated;
            ProtocolId = buffer[offset + 4];
            SpiSize = buffer[offset + 5];
            int count = NetworkByteOrder.ReadUInt16(buffer, offset + 6);
            if (SpiSize != 0 && SpiSize != 4) return IkeParseResult.InvalidSyntax;
            if (SpiSize == 0 && count != 0) return IkeParseResult.InvalidSyntax;
            if (count > MaxSpis) return IkeParseResult.TooMany;
            if (length != FixedLength + count * SpiSize) return count * SpiSize > length - FixedLength ? IkeParseResult.Truncated : IkeParseResult.BadLength;
            for (int i = 0; i < count; i++) Spis[i] = NetworkByteOrder.ReadUInt32(buffer, offset + FixedLength + 4 * i);
            SpiCount = count;
            return IkeParseResult.Ok;
        }

        /// <summary>Writes the payload; returns the bytes written, 0 if they do not fit.</summary>
        public int Emit(byte[] buffer, int offset, int capacity, byte nextPayload)
        {
            if ((SpiSize != 0 && SpiSize != 4) || SpiCount < 0 || SpiCount > MaxSpis || (SpiSize == 0 && SpiCount != 0)) return 0;
            int total = FixedLength + SpiCount * SpiSize;
            if (!IkePayloadChain.Fits(buffer, offset, capacity, total)) return 0;
            IkePayloadChain.WriteGenericHeader(buffer, offset, nextPayload, total);
            buffer[offset + 4] = ProtocolId;
            buffer[offset + 5] = SpiSize;
            NetworkByteOrder.WriteUInt16(buffer, offset + 6, SpiCount);
            for (int i = 0; i < SpiCount; i++) NetworkByteOrder.WriteUInt32(buffer, offset + FixedLength + 4 * i, Spis[i]);
            return total;
        }
    }
}
