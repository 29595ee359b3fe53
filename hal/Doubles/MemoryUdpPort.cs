namespace VpnAppliance.Hal.Doubles
{
    /// <summary>
    /// A UDP socket in RAM. The firmware side uses <see cref="IUdpPort"/>; the test or the
    /// simulator's UDP network delivers datagrams with <see cref="Inject"/> (with their source) and
    /// takes sent ones with <see cref="TakeSent"/> (with their destination). Fixed rings allocated
    /// once; nothing allocates per datagram.
    ///
    /// Socket semantics kept: unbound or closed ports send nothing (Closed) and receive nothing (-1);
    /// a second Bind is Invalid; port 0 binds an ephemeral port; a datagram longer than the
    /// receive buffer is truncated to it (returned length == count).
    /// </summary>
    public sealed class MemoryUdpPort : IUdpPort
    {
        /// <summary>First ephemeral port handed out without a registry (IANA dynamic range, RFC 6335 §6).</summary>
        public const int FirstEphemeralPort = 49152;

        private readonly FrameRing _rx;
        private readonly FrameRing _tx;
        private readonly int _maxDatagramLength;
        private readonly IUdpBindRegistry _registry;
        private readonly UdpEndpoint _resolved = new UdpEndpoint();
        private int _nextEphemeral = FirstEphemeralPort;
        private bool _bound;
        private bool _closed;
        private uint _localAddress;
        private int _localPort;

        /// <summary>
        /// Creates an unbound port with ring sizes in datagrams and the largest datagram payload it
        /// carries; <paramref name="registry"/> may be null.
        /// </summary>
        public MemoryUdpPort(int rxCapacity, int txCapacity, int maxDatagramLength, IUdpBindRegistry registry)
        {
            _rx = new FrameRing(rxCapacity, maxDatagramLength);
            _tx = new FrameRing(txCapacity, maxDatagramLength);
            _maxDatagramLength = maxDatagramLength;
            _registry = registry;
        }

        /// <summary>True after a successful Bind and before Close.</summary>
        public bool IsBound { get { return _bound && !_closed; } }

        /// <summary>True after Close.</summary>
        public bool IsClosed { get { return _closed; } }

        /// <summary>Bound local address (0 = any).</summary>
        public uint LocalAddress { get { return _localAddress; } }

        /// <summary>Bound local port (resolved when ephemeral).</summary>
        public int LocalPort { get { return _localPort; } }

        /// <summary>Largest datagram payload carried.</summary>
        public int MaxDatagramLength { get { return _maxDatagramLength; } }

        /// <summary>Datagrams delivered to the firmware.</summary>
        public long RxDatagrams { get; private set; }

        /// <summary>Datagrams delivered truncated because the caller's buffer was smaller.</summary>
        public long RxTruncated { get; private set; }

        /// <summary>Datagrams refused by <see cref="Inject"/>: receive ring full.</summary>
        public long RxDroppedFull { get; private set; }

        /// <summary>Datagrams refused by <see cref="Inject"/>: not bound, closed or too large.</summary>
        public long RxDroppedOther { get; private set; }

        /// <summary>Datagrams accepted by SendTo.</summary>
        public long TxDatagrams { get; private set; }

        /// <summary>Sends refused with Busy (transmit ring full).</summary>
        public long TxDroppedFull { get; private set; }

        /// <summary>Sends refused with TooLarge.</summary>
        public long TxDroppedTooLarge { get; private set; }

        /// <summary>Datagrams waiting for the firmware.</summary>
        public int RxPending { get { return _rx.Count; } }

        /// <summary>Datagrams sent and not yet taken.</summary>
        public int TxPending { get { return _tx.Count; } }

        /// <summary>Binds once; port 0 picks an ephemeral port.</summary>
        public PortResult Bind(uint localAddress, int localPort)
        {
            if (_closed)
            {
                return PortResult.Closed;
            }

            if (_bound || localPort < 0 || localPort > 65535)
            {
                return PortResult.Invalid;
            }

            if (_registry != null)
            {
                PortResult r = _registry.Register(this, localAddress, localPort, _resolved);
                if (r != PortResult.Ok)
                {
                    return r;
                }

                _localAddress = _resolved.Address;
                _localPort = _resolved.Port;
            }
            else
            {
                _localAddress = localAddress;
                _localPort = localPort != 0 ? localPort : _nextEphemeral++;
            }

            _bound = true;
            return PortResult.Ok;
        }

        /// <summary>The bound endpoint (0.0.0.0:0 before Bind).</summary>
        public void GetLocalEndpoint(UdpEndpoint destination)
        {
            destination.Set(_localAddress, _localPort);
        }

        /// <summary>True when a datagram is waiting.</summary>
        public bool DataAvailable { get { return IsBound && _rx.Count > 0; } }

        /// <summary>Next datagram and its source; -1 when none, truncated to <paramref name="count"/>.</summary>
        public int ReceiveFrom(byte[] buffer, int offset, int count, UdpEndpoint source)
        {
            if (!IsBound || _rx.Count == 0 || !FrameRing.RangeOk(buffer, offset, count))
            {
                return -1;
            }

            if (source != null)
            {
                source.Set(_rx.PeekAddress(), _rx.PeekPort());
            }

            int length = _rx.Dequeue(buffer, offset, count);
            RxDatagrams++;
            if (length > count)
            {
                RxTruncated++;
                return count;
            }

            return length;
        }

        /// <summary>Queues a copy of the datagram with its destination.</summary>
        public PortResult SendTo(byte[] buffer, int offset, int length, UdpEndpoint destination)
        {
            if (!IsBound)
            {
                return PortResult.Closed;
            }

            if (!FrameRing.RangeOk(buffer, offset, length) || destination == null ||
                destination.Port <= 0 || destination.Port > 65535)
            {
                return PortResult.Invalid;
            }

            if (length > _maxDatagramLength)
            {
                TxDroppedTooLarge++;
                return PortResult.TooLarge;
            }

            if (_tx.IsFull)
            {
                TxDroppedFull++;
                return PortResult.Busy;
            }

            _tx.Enqueue(buffer, offset, length, destination.Address, destination.Port);
            TxDatagrams++;
            return PortResult.Ok;
        }

        /// <summary>Closes: releases the binding and discards queued datagrams.</summary>
        public void Close()
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            _rx.Clear();
            _tx.Clear();
            if (_bound && _registry != null)
            {
                _registry.Unregister(this);
            }
        }

        /// <summary>
        /// Network side: offers a datagram from sourceAddress:sourcePort. False (and counted) when the
        /// port is not bound, closed, the datagram is too large or the receive ring is full.
        /// </summary>
        public bool Inject(byte[] buffer, int offset, int length, uint sourceAddress, int sourcePort)
        {
            if (!IsBound || !FrameRing.RangeOk(buffer, offset, length) || length > _maxDatagramLength)
            {
                RxDroppedOther++;
                return false;
            }

            if (_rx.IsFull)
            {
                RxDroppedFull++;
                return false;
            }

            _rx.Enqueue(buffer, offset, length, sourceAddress, sourcePort);
            return true;
        }

        /// <summary>
        /// Network side: removes the oldest sent datagram, copying at most <paramref name="count"/>
        /// bytes and its destination; returns its length, -1 when nothing was sent.
        /// </summary>
        public int TakeSent(byte[] buffer, int offset, int count, UdpEndpoint destination)
        {
            if (_tx.Count == 0)
            {
                return -1;
            }

            if (destination != null)
            {
                destination.Set(_tx.PeekAddress(), _tx.PeekPort());
            }

            return _tx.Dequeue(buffer, offset, count);
        }
    }
}
