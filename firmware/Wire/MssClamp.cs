namespace VpnAppliance.Wire
{
    /// <summary>
    /// TCP MSS clamping on forwarded SYNs: a router in front of a tunnel lowers the MSS a host advertises so
    /// its segments fit the tunnel MTU without fragmentation (what router configurations call "adjust-mss").
    /// Each MSS option above the maximum is rewritten in place and the TCP checksum fixed with the RFC 1624
    /// incremental update; the pseudo-header does not change, so the data need not be read. The MSS value sits
    /// at an even or odd offset from the TCP header depending on the NOPs before it; InternetChecksum.UpdateField
    /// handles both.
    /// </summary>
    public static class MssClamp
    {
        /// <summary>Clamps every MSS option of a checked SYN (or SYN-ACK) to <paramref name="maximum"/>.</summary>
        public static MssClampResult Apply(TcpSegment segment, ushort maximum)
        {
            byte[] buffer = segment.Buffer;
            if (buffer == null)
            {
                return MssClampResult.Invalid;
            }

            if (!segment.Syn)
            {
                return MssClampResult.NotSyn;
            }

            MssClampResult outcome = MssClampResult.NoOption;
            int checksumOffset = segment.Offset + TcpSegment.ChecksumField;
            int end = segment.OptionsOffset + segment.OptionsLength;
            int position = segment.OptionsOffset;
            while (position < end)
            {
                int kind;
                int optionLength;
                if (TcpOptions.ReadOption(buffer, position, end, out kind, out optionLength) != WireResult.Ok || kind == TcpOptions.KindEndOfList)
                {
                    break;
                }

                if (kind == TcpOptions.KindMaximumSegmentSize)
                {
                    int valueOffset = position + 2;
                    ushort mss = NetworkByteOrder.ReadUInt16(buffer, valueOffset);
                    if (mss > maximum)
                    {
                        ushort checksum = NetworkByteOrder.ReadUInt16(buffer, checksumOffset);
                        NetworkByteOrder.WriteUInt16(buffer, valueOffset, maximum);
                        NetworkByteOrder.WriteUInt16(buffer, checksumOffset, InternetChecksum.UpdateField(checksum, valueOffset - segment.Offset, mss, maximum));
                        outcome = MssClampResult.Clamped;
                    }
                    else if (outcome == MssClampResult.NoOption)
                    {
                        outcome = MssClampResult.WithinMaximum;
                    }
                }

                position += optionLength;
            }

            return outcome;
        }
    }
}
