using VpnAppliance.Wire;

namespace VpnAppliance.Ipsec.Ike
{
    // Traffic Selector payload (TSi / TSr), RFC 7296 §3.13:
    //   | generic header | Number of TSs | RESERVED (3) | Traffic Selectors ... |
    // Each selector (§3.13.1): | TS Type | IP Protocol ID | Selector Length (2) | Start Port (2) | End Port (2) |
    //                          | Starting Address | Ending Address |
    // Only the address-range types 7 and 8 are defined; an unknown type's length cannot be trusted, so it is
    // InvalidSyntax (the policy answers TS_UNACCEPTABLE).

    /// <summary>The TSi/TSr payload (RFC 7296 §3.13) with up to <see cref="MaxSelectors"/> preallocated selectors.</summary>
    public sealed class TrafficSelectorPayload
    {
        /// <summary>Generic header + Number of TSs + RESERVED.</summary>
        public const int FixedLength = 8;
        /// <summary>Selector fixed part: type, protocol, length, ports.</summary>
        public const int SelectorFixedLength = 8;
        /// <summary>Most selectors kept; more is <see cref="IkeParseResult.TooMany"/>.</summary>
        public const int MaxSelectors = 8;

        /// <summary>Number of valid entries in <see cref="Selectors"/>.</summary>
        public int SelectorCount;
        /// <summary>Preallocated selectors.</summary>
        public readonly TrafficSelector[] Selectors = new TrafficSelector[MaxSelectors];

        /// <summary>Creates the payload with its selector slots allocated.</summary>
        public TrafficSelectorPayload()
        {
            for (int i = 0; i < MaxSelectors; i++) Selectors[i] = new TrafficSelector();
        }

        /// <summary>Parses buffer[offset..offset+length). Never throws.</summary>
        public IkeParseResult Parse(byte[] buffer, int offset, int length)
        {
            SelectorCount = 0;
            if (!IkePayloadChain.Fits(buffer, offset, length, length) || length < FixedLength) return IkeParseResult.Truncated;
            int count = buffer[offset + 4];
            if (count == 0) return IkeParseResult.InvalidSyntax;
            if (count > MaxSelectors) return IkeParseResult.TooMany;
            int at = offset + FixedLength;
            int end = offset + length;
            for (int i = 0; i < count; i++)
            {
                if (end - at < SelectorFixedLength) return IkeParseResult.Truncated;
                TrafficSelector s = Selectors[i];
                s.TsType = buffer[at];
                s.IpProtocolId = buffer[at + 1];
                int selectorLength = NetworkByteOrder.ReadUInt16(buffer, at + 2);
                int addressLength = s.AddressLength;
                if (addressLength == 0) return IkeParseResult.InvalidSyntax;
                if (selectorLength != SelectorFixedLength + 2 * addressLength) return IkeParseResult.BadLength;
                if (selectorLength > end - at) return IkeParseResult.Truncated;
                s.StartPort = NetworkByteOrder.ReadUInt16(buffer, at + 4);
                s.EndPort = NetworkByteOrder.ReadUInt16(buffer, at + 6);
                System.Array.Copy(buffer, at + 8, s.StartAddress, 0, addressLength);
                System.Array.Copy(buffer, at + 8 + addressLength, s.EndAddress, 0, addressLength);
                SelectorCount++;
                at += selectorLength;
            }
            return at == end ? IkeParseResult.Ok : IkeParseResult.BadLength;
        }

        /// <summary>Writes the payload; returns the bytes written, 0 if they do not fit or a selector type is unknown.</summary>
        public int Emit(byte[] buffer, int offset, int capacity, byte nextPayload)
        {
            if (SelectorCount < 1 || SelectorCount > MaxSelectors) return 0;
            int total = FixedLength;
            for (int i = 0; i < SelectorCount; i++)
            {
                int a = Selectors[i].AddressLength;
                if (a == 0) return 0;
                total += SelectorFixedLength + 2 * a;
            }
            if (!IkePayloadChain.Fits(buffer, offset, capacity, total)) return 0;
            IkePayloadChain.WriteGenericHeader(buffer, offset, nextPayload, total);
            buffer[offset + 4] = (byte)SelectorCount;
            buffer[offset + 5] = 0;
            buffer[offset + 6] = 0;
            buffer[offset + 7] = 0;
            int at = offset + FixedLength;
            for (int i = 0; i < SelectorCount; i++)
            {
                TrafficSelector s = Selectors[i];
                int a = s.AddressLength;
                buffer[at] = s.TsType;
                buffer[at + 1] = s.IpProtocolId;
                NetworkByteOrder.WriteUInt16(buffer, at + 2, SelectorFixedLength + 2 * a);
                NetworkByteOrder.WriteUInt16(buffer, at + 4, s.StartPort);
                NetworkByteOrder.WriteUInt16(buffer, at + 6, s.EndPort);
                System.Array.Copy(s.StartAddress, 0, buffer, at + 8, a);
                System.Array.Copy(s.EndAddress, 0, buffer, at + 8 + a, a);
                at += SelectorFixedLength + 2 * a;
            }
            return total;
        }
    }
}
