using System;

namespace VpnAppliance.Hal.Doubles
{
    /// <summary>
    /// A FIFO of whole frames (or datagrams) in fixed storage: <c>capacity</c> slots of
    /// <c>slotSize</c> bytes each, allocated once. Each slot also carries an address and a port
    /// (the peer of a datagram; unused for Ethernet frames). Enqueue and dequeue copy and never
    /// allocate. Invariant: 0 &lt;= Count &lt;= Capacity, slots [head, head+Count) hold data.
    /// </summary>
    public sealed class FrameRing
    {
        private readonly byte[][] _data;
        private readonly int[] _length;
        private readonly uint[] _address;
        private readonly int[] _port;
        private readonly int _slotSize;
        private int _head;
        private int _count;

        /// <summary>Creates a ring of <paramref name="capacity"/> slots of <paramref name="slotSize"/> bytes.</summary>
        public FrameRing(int capacity, int slotSize)
        {
            if (capacity < 1)
            {
                throw new ArgumentOutOfRangeException("capacity");
            }

            if (slotSize < 0)
            {
                throw new ArgumentOutOfRangeException("slotSize");
            }

            _data = new byte[capacity][];
            for (int i = 0; i < capacity; i++)
            {
                _data[i] = new byte[slotSize];
            }

            _length = new int[capacity];
            _address = new uint[capacity];
            _port = new int[capacity];
            _slotSize = slotSize;
        }

        /// <summary>Number of slots.</summary>
        public int Capacity { get { return _data.Length; } }

        /// <summary>Largest frame a slot holds.</summary>
        public int SlotSize { get { return _slotSize; } }

        /// <summary>Frames waiting.</summary>
        public int Count { get { return _count; } }

        /// <summary>True when no slot is free.</summary>
        public bool IsFull { get { return _count == _data.Length; } }

        /// <summary>Length of the oldest frame, -1 when empty.</summary>
        public int PeekLength()
        {
            return _count == 0 ? -1 : _length[_head];
        }

        /// <summary>Address stored with the oldest frame (0 when empty).</summary>
        public uint PeekAddress()
        {
            return _count == 0 ? 0 : _address[_head];
        }

        /// <summary>Port stored with the oldest frame (0 when empty).</summary>
        public int PeekPort()
        {
            return _count == 0 ? 0 : _port[_head];
        }

        /// <summary>
        /// Copies a frame in with its address and port; false when the ring is full or the frame
        /// is larger than a slot (the caller counts which one by checking first).
        /// </summary>
        public bool Enqueue(byte[] buffer, int offset, int length, uint address, int port)
        {
            if (_count == _data.Length || length > _slotSize || length < 0)
            {
                return false;
            }

            int tail = (_head + _count) % _data.Length;
            Array.Copy(buffer, offset, _data[tail], 0, length);
            _length[tail] = length;
            _address[tail] = address;
            _port[tail] = port;
            _count++;
            return true;
        }

        /// <summary>
        /// Removes the oldest frame, copying at most <paramref name="count"/> bytes of it; returns
        /// its full length (may exceed <paramref name="count"/>: the caller decides), -1 when empty.
        /// </summary>
        public int Dequeue(byte[] buffer, int offset, int count)
        {
            if (_count == 0)
            {
                return -1;
            }

            int length = _length[_head];
            int copy = length < count ? length : count;
            if (copy > 0)
            {
                Array.Copy(_data[_head], 0, buffer, offset, copy);
            }

            Drop();
            return length;
        }

        /// <summary>Removes the oldest frame without copying it.</summary>
        public void Drop()
        {
            if (_count == 0)
            {
                return;
            }

            _head = (_head + 1) % _data.Length;
            _count--;
        }

        /// <summary>Removes every frame.</summary>
        public void Clear()
        {
            _head = 0;
            _count = 0;
        }

        /// <summary>True when offset/length describe a range inside the buffer.</summary>
        public static bool RangeOk(byte[] buffer, int offset, int length)
        {
            return buffer != null && offset >= 0 && length >= 0 && offset <= buffer.Length - length;
        }
    }
}
