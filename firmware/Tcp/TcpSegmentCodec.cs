using VpnAppliance.Wire;

namespace VpnAppliance.Tcp
{
    /// <summary>
    /// The only place the stack touches the TCP header format: parsing an inbound segment and emitting an
    /// outbound one, both through firmware/Wire (TcpSegment view, TcpRepr, checksum over the RFC 9293 §3.1
    /// pseudo-header). Swap this file to change the header codec.
    /// </summary>
    internal static class TcpSegmentCodec
    {
        /// <summary>Header length of a SYN we send: 20 bytes plus the 4-byte MSS option (RFC 9293 §3.7.1).</summary>
        public const int SynHeaderLength = TcpSegment.MinimumHeaderLength + 4;

        /// <summary>Header length of every other segment we send (no options).</summary>
        public const int HeaderLength = TcpSegment.MinimumHeaderLength;

        /// <summary>
        /// Checks length, header, options and (when <paramref name="verifyChecksum"/>) the checksum of buffer[offset .. offset + length) from
        /// <paramref name="source"/> to <paramref name="destination"/>; on Processed, <paramref name="repr"/>
        /// holds the header and <paramref name="payloadOffset"/> the first data byte. Never throws.
        /// </summary>
        public static TcpInputResult Parse(uint source, uint destination, byte[] buffer, int offset, int length, bool verifyChecksum,
            out TcpRepr repr, out int payloadOffset)
        {
            repr = default(TcpRepr);
            payloadOffset = 0;
            TcpSegment segment;
            WireResult result = verifyChecksum
                ? TcpSegment.Check(buffer, offset, length, source, destination, out segment)
                : TcpSegment.CheckHeader(buffer, offset, length, out segment);
            if (result == WireResult.BadChecksum)
            {
                return TcpInputResult.BadChecksum;
            }

            if (result != WireResult.Ok || TcpRepr.Parse(segment, out repr) != WireResult.Ok)
            {
                return TcpInputResult.Malformed;
            }

            payloadOffset = segment.PayloadOffset;
            return TcpInputResult.Processed;
        }

        /// <summary>
        /// Writes the header (with the MSS option when <paramref name="mss"/> &gt; 0) at buffer[offset], in front of
        /// the <paramref name="payloadLength"/> data bytes the caller already placed at offset + header length,
        /// and the checksum. Returns the segment length. The caller sized the buffer.
        /// </summary>
        public static int Emit(byte[] buffer, int offset, uint source, uint destination, int sourcePort, int destinationPort,
            uint sequence, uint acknowledgment, byte flags, int window, int mss, int payloadLength)
        {
            TcpRepr repr = default(TcpRepr);
            repr.SourcePort = (ushort)sourcePort;
            repr.DestinationPort = (ushort)destinationPort;
            repr.SequenceNumber = sequence;
            repr.AcknowledgmentNumber = acknowledgment;
            repr.Flags = flags;
            repr.Window = (ushort)window;
            repr.PayloadLength = payloadLength;
            if (mss > 0)
            {
                repr.Options.HasMaximumSegmentSize = true;
                repr.Options.MaximumSegmentSize = (ushort)mss;
            }

            int segmentLength = repr.SegmentLength;
            repr.Emit(buffer, offset, segmentLength, source, destination);
            return segmentLength;
        }
    }
}
