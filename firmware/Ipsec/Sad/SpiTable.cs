namespace VpnAppliance.Ipsec
{
    /// <summary>
    /// Inbound SPI -> slot index, as a sorted array searched by bisection: allocation-free, O(log n) per packet,
    /// O(n) per insert/remove (SA setup and deletion only). Capacity is the number of CHILD SA slots.
    /// Invariant: _spi[0 .. _count) strictly increasing; _slot[i] is the slot holding _spi[i].
    /// </summary>
    public sealed class SpiTable
    {
        private readonly uint[] _spi;
        private readonly int[] _slot;
        private int _count;

        /// <summary>Creates a table for <paramref name="capacity"/> SPIs.</summary>
        public SpiTable(int capacity)
        {
            _spi = new uint[capacity];
            _slot = new int[capacity];
        }

        /// <summary>SPIs held.</summary>
        public int Count { get { return _count; } }

        /// <summary>The slot for <paramref name="spi"/>, or -1.</summary>
        public int Find(uint spi)
        {
            int i = Search(spi);
            return i >= 0 ? _slot[i] : -1;
        }

        /// <summary>Adds spi -> slot; false when the SPI is present or the table is full.</summary>
        public bool Add(uint spi, int slot)
        {
            int i = Search(spi);
            if (i >= 0 || _count == _spi.Length)
            {
                return false;
            }

            i = ~i;
            System.Array.Copy(_spi, i, _spi, i + 1, _count - i);
            System.Array.Copy(_slot, i, _slot, i + 1, _count - i);
            _spi[i] = spi;
            _slot[i] = slot;
            _count++;
            return true;
        }

        /// <summary>Removes <paramref name="spi"/>; false when absent.</summary>
        public bool Remove(uint spi)
        {
            int i = Search(spi);
            if (i < 0)
            {
                return false;
            }

            _count--;
            System.Array.Copy(_spi, i + 1, _spi, i, _count - i);
            System.Array.Copy(_slot, i + 1, _slot, i, _count - i);
            return true;
        }

        // Index of spi, or ~(insertion point).
        private int Search(uint spi)
        {
            int lo = 0;
            int hi = _count - 1;
            while (lo <= hi)
            {
                int mid = (lo + hi) >> 1;
                uint v = _spi[mid];
                if (v == spi)
                {
                    return mid;
                }

                if (v < spi)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid - 1;
                }
            }

            return ~lo;
        }
    }
}
