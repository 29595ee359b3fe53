namespace VpnAppliance.Tcp
{
    /// <summary>
    /// Bookkeeping of out-of-order data (RFC 9293 §3.10.7.4, "segments with higher beginning sequence numbers
    /// may be held for later processing"). The bytes themselves are written straight into the receive
    /// buffer at their offset past RCV.NXT; this keeps only which offsets hold data, as at most
    /// <see cref="MaximumRanges"/> disjoint, sorted, non-adjacent ranges [start, end) relative to RCV.NXT.
    /// A segment that would need one range too many is refused (the peer retransmits it); a segment at
    /// offset 0 is always taken. Allocates only in the constructor.
    /// </summary>
    public sealed class ReceiveAssembler
    {
        /// <summary>Out-of-order ranges held at most.</summary>
        public const int MaximumRanges = 4;

        // One spare slot so that a segment at offset 0 always fits before it is taken out.
        private readonly int[] _start = new int[MaximumRanges + 1];
        private readonly int[] _end = new int[MaximumRanges + 1];
        private int _count;

        /// <summary>Ranges held.</summary>
        public int RangeCount { get { return _count; } }

        /// <summary>True when no out-of-order data is held.</summary>
        public bool IsEmpty { get { return _count == 0; } }

        /// <summary>Forgets everything.</summary>
        public void Clear()
        {
            _count = 0;
        }

        /// <summary>
        /// Records data at offsets [start, end) past RCV.NXT (0 &lt;= start &lt; end). Returns how many bytes from
        /// offset 0 are now contiguous (the caller advances RCV.NXT by that much; the remaining ranges are
        /// shifted down by it), 0 when the data is held out of order, or -1 when it was refused for lack of a range.
        /// </summary>
        public int Add(int start, int end)
        {
            // Find the first range that ends at or after start (candidates to merge with).
            int i = 0;
            while (i < _count && _end[i] < start)
            {
                i++;
            }

            // Merge every range that touches or overlaps [start, end).
            int j = i;
            while (j < _count && _start[j] <= end)
            {
                if (_start[j] < start)
                {
                    start = _start[j];
                }

                if (_end[j] > end)
                {
                    end = _end[j];
                }

                j++;
            }

            int removed = j - i;
            if (removed == 0)
            {
                if (_count >= MaximumRanges && start != 0)
                {
                    return -1;
                }

                for (int k = _count; k > i; k--)
                {
                    _start[k] = _start[k - 1];
                    _end[k] = _end[k - 1];
                }

                _count++;
            }
            else if (removed > 1)
            {
                for (int k = j; k < _count; k++)
                {
                    _start[k - removed + 1] = _start[k];
                    _end[k - removed + 1] = _end[k];
                }

                _count -= removed - 1;
            }

            _start[i] = start;
            _end[i] = end;

            if (_start[0] != 0)
            {
                return 0;
            }

            int advanced = _end[0];
            for (int k = 1; k < _count; k++)
            {
                _start[k - 1] = _start[k] - advanced;
                _end[k - 1] = _end[k] - advanced;
            }

            _count--;
            return advanced;
        }

        /// <summary>Start offset of range <paramref name="index"/> (for tests and diagnostics).</summary>
        public int RangeStart(int index) { return _start[index]; }

        /// <summary>End offset of range <paramref name="index"/> (for tests and diagnostics).</summary>
        public int RangeEnd(int index) { return _end[index]; }
    }
}
