using System;

namespace VpnAppliance.Tcp
{
    /// <summary>
    /// A fixed circular byte buffer: the send buffer (unacknowledged and unsent data, oldest first) and the
    /// receive buffer (in-order data not yet read, followed by room where out-of-order data is placed at its
    /// offset, see <see cref="ReceiveAssembler"/>). Invariant: 0 &lt;= Count &lt;= Capacity; the bytes are
    /// storage[(head + i) mod Capacity] for i in [0, Count). Allocates only in the constructor.
    /// </summary>
    public sealed class ByteRing
    {
        private readonly byte[] _storage;
        private int _head;
        private int _count;

        /// <summary>A ring of <paramref name="capacity"/> bytes.</summary>
        public ByteRing(int capacity)
        {
            _storage = new byte[capacity];
        }

        /// <summary>Total bytes the ring holds.</summary>
        public int Capacity { get { return _storage.Length; } }

        /// <summary>Bytes held.</summary>
        public int Count { get { return _count; } }

        /// <summary>Room left.</summary>
        public int Free { get { return _storage.Length - _count; } }

        /// <summary>Empties the ring.</summary>
        public void Clear()
        {
            _head = 0;
            _count = 0;
        }

        /// <summary>Appends up to <paramref name="length"/> bytes; returns how many fit.</summary>
        public int Append(byte[] source, int offset, int length)
        {
            int n = length < Free ? length : Free;
            WriteAt(_count, source, offset, n);
            _count += n;
            return n;
        }

        /// <summary>
        /// Writes <paramref name="length"/> bytes at logical position <paramref name="at"/> (relative to the
        /// oldest byte) without changing Count; at + length must not exceed Capacity.
        /// </summary>
        public void WriteAt(int at, byte[] source, int offset, int length)
        {
            int capacity = _storage.Length;
            int start = _head + at;
            if (start >= capacity)
            {
                start -= capacity;
            }

            int first = capacity - start;
            if (first > length)
            {
                first = length;
            }

            Array.Copy(source, offset, _storage, start, first);
            if (length > first)
            {
                Array.Copy(source, offset + first, _storage, 0, length - first);
            }
        }

        /// <summary>Copies <paramref name="length"/> bytes starting at logical position <paramref name="at"/> into destination.</summary>
        public void CopyOut(int at, byte[] destination, int offset, int length)
        {
            int capacity = _storage.Length;
            int start = _head + at;
            if (start >= capacity)
            {
                start -= capacity;
            }

            int first = capacity - start;
            if (first > length)
            {
                first = length;
            }

            Array.Copy(_storage, start, destination, offset, first);
            if (length > first)
            {
                Array.Copy(_storage, 0, destination, offset + first, length - first);
            }
        }

        /// <summary>Counts <paramref name="length"/> more bytes (already written with <see cref="WriteAt"/>) as held.</summary>
        public void Extend(int length)
        {
            _count += length;
        }

        /// <summary>
        /// Drops the <paramref name="length"/> oldest bytes (length &lt;= Count). The head only moves forward, so
        /// bytes written past Count (out-of-order data) keep their logical positions relative to head + Count.
        /// </summary>
        public void Consume(int length)
        {
            _count -= length;
            _head += length;
            if (_head >= _storage.Length)
            {
                _head -= _storage.Length;
            }
        }
    }
}
