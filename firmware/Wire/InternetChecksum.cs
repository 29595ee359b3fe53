namespace VpnAppliance.Wire
{
    /// <summary>
    /// The internet checksum (RFC 1071): the 16-bit one's complement of the one's complement sum of the data
    /// taken as big-endian 16-bit words, an odd final byte padded with zero. Sums are kept in a uint with the
    /// carries in the upper half and folded at the end (RFC 1071 §4.1 "deferred carries"), so a checksum over
    /// several ranges is Finish(Add(range2, Add(range1, 0))). Every range except the last must have an even
    /// length (the ranges are then word-aligned relative to each other).
    ///
    /// Incremental update (RFC 1624 eqn. 3): when a 16-bit word m of the covered data becomes m', the new
    /// checksum is HC' = ~(~HC + ~m + m'), which, unlike eqn. 2, never produces the 0xFFFF (-0) that a full
    /// recomputation cannot produce. A 16-bit field at an odd byte offset contributes its byte-swapped value
    /// to the sum (RFC 1071 §2(B), byte order independence), so it is updated with both words swapped.
    /// </summary>
    public static class InternetChecksum
    {
        // 0x8000 words of at most 0xFFFF each, added to a folded sum (at most 0x1FFFE), stay below 2^31.
        private const int BytesPerFold = 0x10000;

        /// <summary>Adds the words of buffer[offset .. offset + length) to <paramref name="sum"/>; the caller checked the range.</summary>
        public static uint Add(byte[] buffer, int offset, int length, uint sum)
        {
            int end = offset + (length & ~1);
            int i = offset;
            while (i < end)
            {
                sum = (sum & 0xFFFFu) + (sum >> 16);
                int chunkEnd = end - i > BytesPerFold ? i + BytesPerFold : end;
                for (; i < chunkEnd; i += 2)
                {
                    sum += (uint)((buffer[i] << 8) | buffer[i + 1]);
                }
            }

            if ((length & 1) != 0)
            {
                sum = (sum & 0xFFFFu) + (sum >> 16) + (uint)(buffer[end] << 8);
            }

            return sum;
        }

        /// <summary>
        /// Adds the IPv4 pseudo-header of TCP and UDP (RFC 9293 §3.1, RFC 768): source, destination, zero,
        /// protocol and the TCP/UDP length.
        /// </summary>
        public static uint AddPseudoHeader(uint source, uint destination, int protocol, int length, uint sum)
        {
            sum += (source >> 16) + (source & 0xFFFFu);
            sum += (destination >> 16) + (destination & 0xFFFFu);
            sum += (uint)(protocol & 0xFF);
            sum += (uint)(length & 0xFFFF);
            return sum;
        }

        /// <summary>Folds the carries into the low 16 bits: the one's complement sum itself.</summary>
        public static ushort Fold(uint sum)
        {
            sum = (sum & 0xFFFFu) + (sum >> 16);
            sum = (sum & 0xFFFFu) + (sum >> 16);
            return (ushort)sum;
        }

        /// <summary>The checksum field value for a sum taken with the checksum field zero: ~Fold(sum).</summary>
        public static ushort Finish(uint sum)
        {
            return (ushort)~Fold(sum);
        }

        /// <summary>Checksum of buffer[offset .. offset + length).</summary>
        public static ushort Compute(byte[] buffer, int offset, int length)
        {
            return Finish(Add(buffer, offset, length, 0));
        }

        /// <summary>True when a sum taken over the data including its checksum field verifies (folds to 0xFFFF).</summary>
        public static bool Verifies(uint sumIncludingChecksum)
        {
            return Fold(sumIncludingChecksum) == 0xFFFF;
        }

        /// <summary>RFC 1624 eqn. 3: the checksum after one covered 16-bit word changes from <paramref name="oldWord"/> to <paramref name="newWord"/>.</summary>
        public static ushort Update(ushort checksum, ushort oldWord, ushort newWord)
        {
            uint sum = (uint)(~checksum & 0xFFFF) + (uint)(~oldWord & 0xFFFF) + newWord;
            return (ushort)~Fold(sum);
        }

        /// <summary>
        /// RFC 1624 eqn. 3 for a 16-bit field at byte <paramref name="fieldOffset"/> relative to the start of
        /// the checksummed data: swaps both words when the field is not word-aligned.
        /// </summary>
        public static ushort UpdateField(ushort checksum, int fieldOffset, ushort oldValue, ushort newValue)
        {
            if ((fieldOffset & 1) != 0)
            {
                oldValue = (ushort)((oldValue << 8) | (oldValue >> 8));
                newValue = (ushort)((newValue << 8) | (newValue >> 8));
            }

            return Update(checksum, oldValue, newValue);
        }
    }
}
