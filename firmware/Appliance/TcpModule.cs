using VpnAppliance.Core;
using VpnAppliance.Net;
using VpnAppliance.Tcp;
using VpnAppliance.Wire;

namespace VpnAppliance.Firmware
{
    /// <summary>
    /// Joins the compact TCP and the router (firmware/Tcp and firmware/Net READMEs):
    ///
    ///   router --ILocalTransport.OnSegment--> TcpStack.OnSegment      (segments to our own addresses)
    ///   TcpStack --ITcpOutput.SendSegment--> Router.SendLocal           (IPv4 header with the connection's TTL added, routed: LAN or tunnel)
    ///
    /// The stack must never be re-entered from its own output. That can only happen for a segment to one of our
    /// own addresses (the router would deliver it straight back to OnSegment), so such segments are copied into a
    /// packet buffer and queued (<see cref="LoopbackQueueLength"/> entries); <see cref="Poll"/> sends them through
    /// the router after the stack returned. Segments from the router into the stack are never nested in a stack
    /// call (the router only calls OnSegment from its receive paths and from SendLocal of a local destination,
    /// which this class never does), so they are handed over directly.
    /// A full queue or pool drops the segment (counted in <see cref="LoopbackDrops"/>); TCP retransmits it.
    /// </summary>
    public sealed class TcpModule : ILocalTransport, ITcpOutput, IApplianceModule
    {
        /// <summary>Segments to our own addresses that can wait for the next Poll.</summary>
        public const int LoopbackQueueLength = 8;

        private readonly Router _router;
        private readonly PacketPool _pool;
        private readonly int[] _queueBuffer;
        private readonly int[] _queueLength;
        private readonly uint[] _queueSource;
        private readonly uint[] _queueDestination;
        private TcpStack _stack;
        private int _queueHead;
        private int _queueCount;
        private long _loopbackDrops;
        private long _sendDrops;

        /// <summary>The bridge between <paramref name="router"/> and a stack attached later with <see cref="Attach"/>.</summary>
        public TcpModule(Router router, PacketPool pool)
        {
            _router = router;
            _pool = pool;
            _queueBuffer = new int[LoopbackQueueLength];
            _queueLength = new int[LoopbackQueueLength];
            _queueSource = new uint[LoopbackQueueLength];
            _queueDestination = new uint[LoopbackQueueLength];
        }

        /// <summary>Describes this object for the memory budget (the stack is accounted by the appliance).</summary>
        public static void Account(MemoryBudget budget)
        {
            budget.AddObject(11, 7 * 8 + 2 * 4 + 2 * 8);
            for (int i = 0; i < 4; i++)
            {
                budget.AddValueArray(4, LoopbackQueueLength);
            }
        }

        /// <summary>Attaches the stack (it needs this object as its output, so it is built after it).</summary>
        public void Attach(TcpStack stack)
        {
            _stack = stack;
        }

        /// <summary>"tcp".</summary>
        public string Name { get { return "tcp"; } }

        /// <summary>Segments to our own addresses dropped because the loopback queue or the packet pool was full.</summary>
        public long LoopbackDrops { get { return _loopbackDrops; } }

        /// <summary>Segments the router did not send or queue for ARP (its drop counters say why).</summary>
        public long SendDrops { get { return _sendDrops; } }

        /// <summary>Segments waiting in the loopback queue.</summary>
        public int QueuedSegments { get { return _queueCount; } }

        /// <summary>ILocalTransport: a verified segment to one of our addresses goes to the stack.</summary>
        public void OnSegment(uint src, uint dst, byte[] buf, int off, int len, long nowMs)
        {
            if (_stack != null)
            {
                _stack.OnSegment(src, dst, buf, off, len, nowMs);
            }
        }

        /// <summary>ITcpOutput: routes the segment with the connection's TTL, or queues it when it is addressed to ourselves (TTL irrelevant there).</summary>
        public void SendSegment(uint source, uint destination, byte[] buffer, int offset, int length, int ttl, long nowMs)
        {
            if (!_router.IsLocalAddress(destination))
            {
                NetResult r = _router.SendLocal(source, destination, IpProtocol.Tcp, (byte)ttl, buffer, offset, length, nowMs);
                if (r == NetResult.Dropped || r == NetResult.Invalid)
                {
                    _sendDrops++;
                }

                return;
            }

            if (_queueCount == LoopbackQueueLength || length > _pool.BufferSize)
            {
                _loopbackDrops++;
                return;
            }

            int b = _pool.Allocate();
            if (b == PacketPool.Full)
            {
                _loopbackDrops++;
                return;
            }

            System.Array.Copy(buffer, offset, _pool.Data, _pool.Offset(b), length);
            int slot = (_queueHead + _queueCount) % LoopbackQueueLength;
            _queueBuffer[slot] = b;
            _queueLength[slot] = length;
            _queueSource[slot] = source;
            _queueDestination[slot] = destination;
            _queueCount++;
        }

        /// <summary>
        /// Runs the stack's timers and pending output, then sends the segments that were queued before this call
        /// to ourselves (replies they cause wait for the next Poll). Returns the stack's deadline, or nowMs while
        /// segments are queued.
        /// </summary>
        public long Poll(long nowMs)
        {
            if (_stack == null)
            {
                return Appliance.Never;
            }

            _stack.Poll(nowMs);
            int n = _queueCount;
            for (int i = 0; i < n; i++)
            {
                int slot = _queueHead;
                _queueHead = (_queueHead + 1) % LoopbackQueueLength;
                _queueCount--;
                int b = _queueBuffer[slot];
                NetResult r = _router.SendLocal(_queueSource[slot], _queueDestination[slot], IpProtocol.Tcp, _pool.Data, _pool.Offset(b), _queueLength[slot], nowMs);
                if (r == NetResult.Dropped || r == NetResult.Invalid)
                {
                    _sendDrops++;
                }

                _pool.Release(b);
            }

            return Deadline(nowMs);
        }

        /// <summary>
        /// When the stack next has work: nowMs while segments are queued, else its timers and pending output. The
        /// appliance reads it again after every module ran, so output that a later module (BGP) caused is not
        /// left waiting for a timer.
        /// </summary>
        public long Deadline(long nowMs)
        {
            if (_stack == null)
            {
                return Appliance.Never;
            }

            return _queueCount > 0 ? nowMs : _stack.NextDeadline;
        }
    }
}
