using VpnAppliance.Hal;

namespace VpnAppliance.Ipsec
{
    // A route-based tunnel interface (like a VTI / xfrm interface): the router sends inner IPv4 packets to it,
    // it encrypts them with its current outbound CHILD SA and sends ESP-in-UDP to the peer.
    //
    //   Transmit(inner) -> Up? (an installed, unexpired outbound pair) -> inner <= Mtu?
    //     -> copy into the scratch buffer behind EspPacket.MaxHeadroom -> EspOutbound.Protect (in place)
    //     -> IUdpPort.SendTo(peer address, peer port) (the socket adds UDP and IPv4 headers)
    //
    // Make-before-break rekey (RFC 7296 §2.8): several pairs may belong to one interface; all of them receive
    // (the SAD finds inbound SAs by SPI), but only the newest installed one sends. Install switches the outbound
    // pair; Delete or a hard expiry of the outbound pair falls back to the newest other usable pair, or the
    // interface goes down. Up/down changes are latched for the routing layer (failover) and counted.

    /// <summary>
    /// One tunnel interface. Its API matches the router's ITunnelTransmit (firmware/Net): <see cref="Up"/>,
    /// <see cref="Mtu"/>, <see cref="Transmit"/>. Allocation-free per packet.
    /// </summary>
    public sealed class TunnelInterface
    {
        /// <summary>Default inner MTU: Azure's 1400 (INTEROP.md), leaves room for the largest ESP overhead at 1500.</summary>
        public const int DefaultMtu = 1400;

        private readonly SecurityAssociationDatabase _sad;
        private readonly UdpEndpoint _peer = new UdpEndpoint();
        private ChildSaPair _current;
        private bool _up;
        private bool _stateChanged;
        private long _stateChanges;
        private int _mtu = DefaultMtu;

        internal TunnelInterface(int id, SecurityAssociationDatabase sad)
        {
            Id = id;
            _sad = sad;
        }

        /// <summary>Interface id (0 .. Tunnels - 1); the router numbers tunnels from 1, so router id = Id + 1.</summary>
        public int Id { get; private set; }

        /// <summary>True while an installed, unexpired outbound CHILD SA is attached.</summary>
        public bool Up { get { return _up; } }

        /// <summary>Largest inner IPv4 packet accepted (68 .. the packet buffer size).</summary>
        public int Mtu
        {
            get { return _mtu; }
            set
            {
                int max = _sad.Scratch.Length - EspPacket.MaxHeadroom - EspPacket.MaxTailroom;
                _mtu = value < 68 ? 68 : (value > max ? max : value);
            }
        }

        /// <summary>Up/down transitions so far.</summary>
        public long StateChanges { get { return _stateChanges; } }

        /// <summary>
        /// True once after each up/down transition (the routing layer polls it for failover); reading clears it.
        /// </summary>
        public bool TakeStateChange()
        {
            bool changed = _stateChanged;
            _stateChanged = false;
            return changed;
        }

        /// <summary>Handle of the pair currently sending, or <see cref="SecurityAssociationDatabase.NoHandle"/>.</summary>
        public int OutboundHandle
        {
            get { return _current != null ? SecurityAssociationDatabase.HandleOf(_current) : SecurityAssociationDatabase.NoHandle; }
        }

        /// <summary>Inner packets protected for this interface (all its pairs).</summary>
        public long TxPackets { get; private set; }

        /// <summary>Inner bytes protected for this interface.</summary>
        public long TxBytes { get; private set; }

        /// <summary>Inner packets received through this interface's inbound SAs (all its pairs).</summary>
        public long RxPackets { get; private set; }

        /// <summary>Inner bytes received through this interface's inbound SAs.</summary>
        public long RxBytes { get; private set; }

        /// <summary>Packets this interface refused to send (any reason, see the SA and SAD counters).</summary>
        public long TxDrops { get; private set; }

        /// <summary>Why the last Transmit did not send (None after a send).</summary>
        public EspDropReason LastDrop { get; private set; }

        /// <summary>
        /// Encrypts and sends the inner IPv4 packet buf[off .. off + len) (copied first; buf is not modified).
        /// Ok when the WAN port accepted it; LinkDown when no outbound SA is usable (down, or it expired or ran out
        /// of sequence numbers, RFC 4303 §3.3.3); TooLarge above <see cref="Mtu"/>; Invalid for a bad range;
        /// Error for a crypto failure; otherwise the WAN port's own result.
        /// </summary>
        public PortResult Transmit(byte[] buf, int off, int len, long nowMs)
        {
            if (buf == null || off < 0 || len < 0 || off > buf.Length - len)
            {
                return Refuse(EspDropReason.TooLarge, PortResult.Invalid);
            }

            if (_current == null)
            {
                return Refuse(EspDropReason.NoSa, PortResult.LinkDown);
            }

            if (len > _mtu)
            {
                return Refuse(EspDropReason.TooLarge, PortResult.TooLarge);
            }

            byte[] scratch = _sad.Scratch;
            System.Array.Copy(buf, off, scratch, EspPacket.MaxHeadroom, len);
            int espOffset;
            int espLength;
            EspDropReason reason = Protect(scratch, EspPacket.MaxHeadroom, len, scratch.Length, nowMs, out espOffset, out espLength);
            if (reason != EspDropReason.None)
            {
                return reason == EspDropReason.CryptoError ? PortResult.Error :
                    (reason == EspDropReason.TooLarge ? PortResult.TooLarge : PortResult.LinkDown);
            }

            IUdpPort wan = _sad.Wan;
            if (wan == null)
            {
                return Refuse(EspDropReason.PortRefused, PortResult.Closed);
            }

            PortResult sent = wan.SendTo(scratch, espOffset, espLength, _peer);
            if (sent != PortResult.Ok)
            {
                return Refuse(EspDropReason.PortRefused, sent);
            }

            return PortResult.Ok;
        }

        /// <summary>
        /// In-place variant for callers that left <see cref="EspPacket.MaxHeadroom"/> before and
        /// <see cref="EspPacket.MaxTailroom"/> after the inner packet (e.g. in a PacketPool buffer): protects
        /// buf[innerOffset .. innerOffset + innerLength) with the current outbound SA, without sending. The ESP
        /// packet (UDP payload) is buf[espOffset .. espOffset + espLength); send it to <see cref="PeerAddress"/>:
        /// <see cref="PeerPort"/>. The drop, if any, is counted on the SA and in the outbound totals.
        /// </summary>
        public EspDropReason Protect(byte[] buf, int innerOffset, int innerLength, int limit, long nowMs,
            out int espOffset, out int espLength)
        {
            espOffset = 0;
            espLength = 0;
            if (_current == null)
            {
                Count(EspDropReason.NoSa);
                return EspDropReason.NoSa;
            }

            ChildSaPair pair = _current;
            EspDropReason reason = _sad.OutboundProcessor.Protect(pair.Outbound, buf, innerOffset, innerLength, limit, nowMs,
                out espOffset, out espLength);
            if (reason == EspDropReason.None)
            {
                _sad.OutboundCounters.Packets++;
                _sad.OutboundCounters.Bytes += innerLength;
                TxPackets++;
                TxBytes += innerLength;
                _peer.Set(pair.PeerAddress, pair.PeerPort);
                LastDrop = EspDropReason.None;
            }
            else
            {
                Count(reason);
            }

            if (pair.HardExpired)
            {
                // This packet may have been the last one the SA allows: fall back or go down now, not at the next poll.
                _sad.OnOutboundExpired(Id);
            }

            return reason;
        }

        /// <summary>Peer WAN address of the current outbound pair (0 when down).</summary>
        public uint PeerAddress { get { return _current != null ? _current.PeerAddress : 0; } }

        /// <summary>Peer UDP port of the current outbound pair (0 when down).</summary>
        public int PeerPort { get { return _current != null ? _current.PeerPort : 0; } }

        /// <summary>Makes <paramref name="pair"/> (just installed) the sending pair.</summary>
        internal void UseOutbound(ChildSaPair pair)
        {
            _current = pair;
            SetUp(true);
        }

        /// <summary>Keeps the current pair if still usable, else falls back to the newest usable one.</summary>
        internal void Refresh()
        {
            if (_current != null && _current.IsUsable && _current.TunnelId == Id)
            {
                return;
            }

            _current = _sad.NewestUsable(Id, _current);
            if (_current != null) _current.OutboundDeferred = false;
            SetUp(_current != null);
        }

        private void SetUp(bool up)
        {
            if (up != _up)
            {
                _up = up;
                _stateChanged = true;
                _stateChanges++;
            }
        }

        private PortResult Refuse(EspDropReason reason, PortResult result)
        {
            Count(reason);
            return result;
        }

        /// <summary>Counts an inner packet the receive path delivered for this interface.</summary>
        internal void CountReceived(int length)
        {
            RxPackets++;
            RxBytes += length;
        }

        private void Count(EspDropReason reason)
        {
            TxDrops++;
            LastDrop = reason;
            _sad.OutboundCounters.CountDrop(reason);
        }
    }
}
