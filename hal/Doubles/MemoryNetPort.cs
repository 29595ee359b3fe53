namespace VpnAppliance.Hal.Doubles
{
    /// <summary>
    /// An Ethernet port in RAM. The firmware side uses <see cref="INetPort"/>; the test (or the
    /// simulator's switch) pushes received frames with <see cref="Inject"/> and takes transmitted
    /// ones with <see cref="TakeSent"/>. Both directions are fixed-capacity rings allocated once;
    /// a full ring or an oversize frame is refused and counted, never grown.
    /// </summary>
    public sealed class MemoryNetPort : INetPort
    {
        private readonly byte[] _mac = new byte[6];
        private readonly FrameRing _rx;
        private readonly FrameRing _tx;
        private readonly int _maxFrameLength;
        private bool _linkUp = true;

        /// <summary>
        /// Creates a port with the given MAC (6 bytes at <paramref name="macOffset"/>), ring sizes in
        /// frames and largest frame length (1514 for a 1500-byte MTU). The link starts up.
        /// </summary>
        public MemoryNetPort(byte[] mac, int macOffset, int rxCapacity, int txCapacity, int maxFrameLength)
        {
            System.Array.Copy(mac, macOffset, _mac, 0, 6);
            _maxFrameLength = maxFrameLength;
            _rx = new FrameRing(rxCapacity, maxFrameLength);
            _tx = new FrameRing(txCapacity, maxFrameLength);
        }

        /// <summary>True while the link is up (see <see cref="SetLinkUp"/>).</summary>
        public bool LinkUp { get { return _linkUp; } }

        /// <summary>Largest frame accepted in either direction.</summary>
        public int MaxFrameLength { get { return _maxFrameLength; } }

        /// <summary>Frames delivered to the firmware by <see cref="Receive"/>.</summary>
        public long RxFrames { get; private set; }

        /// <summary>Frames refused by <see cref="Inject"/> because the receive ring was full.</summary>
        public long RxDroppedFull { get; private set; }

        /// <summary>Frames refused by <see cref="Inject"/> because they exceed MaxFrameLength.</summary>
        public long RxDroppedTooLarge { get; private set; }

        /// <summary>Frames dropped by <see cref="Receive"/> because the caller's buffer was too small.</summary>
        public long RxDroppedBufferTooSmall { get; private set; }

        /// <summary>Frames refused by <see cref="Inject"/> while the link was down.</summary>
        public long RxDroppedLinkDown { get; private set; }

        /// <summary>Frames accepted by <see cref="Send"/>.</summary>
        public long TxFrames { get; private set; }

        /// <summary>Sends refused with Busy (transmit ring full).</summary>
        public long TxDroppedFull { get; private set; }

        /// <summary>Sends refused with TooLarge.</summary>
        public long TxDroppedTooLarge { get; private set; }

        /// <summary>Frames waiting for the firmware.</summary>
        public int RxPending { get { return _rx.Count; } }

        /// <summary>Frames sent by the firmware and not yet taken.</summary>
        public int TxPending { get { return _tx.Count; } }

        /// <summary>Copies the MAC address.</summary>
        public void GetMacAddress(byte[] destination, int offset)
        {
            System.Array.Copy(_mac, 0, destination, offset, 6);
        }

        /// <summary>Raises or drops the link. Dropping it discards frames queued in both directions.</summary>
        public void SetLinkUp(bool up)
        {
            _linkUp = up;
            if (!up)
            {
                _rx.Clear();
                _tx.Clear();
            }
        }

        /// <summary>Next received frame into the buffer; 0 when none (oversize ones are dropped and counted).</summary>
        public int Receive(byte[] buffer, int offset, int count)
        {
            if (!FrameRing.RangeOk(buffer, offset, count))
            {
                return 0;
            }

            while (_rx.Count > 0)
            {
                int length = _rx.PeekLength();
                if (length > count)
                {
                    _rx.Drop();
                    RxDroppedBufferTooSmall++;
                    continue;
                }

                _rx.Dequeue(buffer, offset, count);
                RxFrames++;
                return length;
            }

            return 0;
        }

        /// <summary>Queues a copy of the frame on the transmit ring.</summary>
        public PortResult Send(byte[] buffer, int offset, int length)
        {
            if (!FrameRing.RangeOk(buffer, offset, length) || length == 0)
            {
                return PortResult.Invalid;
            }

            if (!_linkUp)
            {
                return PortResult.LinkDown;
            }

            if (length > _maxFrameLength)
            {
                TxDroppedTooLarge++;
                return PortResult.TooLarge;
            }

            if (_tx.IsFull)
            {
                TxDroppedFull++;
                return PortResult.Busy;
            }

            _tx.Enqueue(buffer, offset, length, 0, 0);
            TxFrames++;
            return PortResult.Ok;
        }

        /// <summary>
        /// Wire side: offers a frame to the port as if it arrived on the cable. False (and counted)
        /// when the link is down, the frame is too large or the receive ring is full.
        /// </summary>
        public bool Inject(byte[] buffer, int offset, int length)
        {
            if (!FrameRing.RangeOk(buffer, offset, length))
            {
                return false;
            }

            if (!_linkUp)
            {
                RxDroppedLinkDown++;
                return false;
            }

            if (length > _maxFrameLength)
            {
                RxDroppedTooLarge++;
                return false;
            }

            if (_rx.IsFull)
            {
                RxDroppedFull++;
                return false;
            }

            _rx.Enqueue(buffer, offset, length, 0, 0);
            return true;
        }

        /// <summary>
        /// Wire side: removes the oldest transmitted frame, copying at most <paramref name="count"/>
        /// bytes; returns its length, -1 when nothing was sent.
        /// </summary>
        public int TakeSent(byte[] buffer, int offset, int count)
        {
            return _tx.Dequeue(buffer, offset, count);
        }
    }
}
