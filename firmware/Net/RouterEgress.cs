using VpnAppliance.Fib;
using VpnAppliance.Hal;
using VpnAppliance.Wire;

namespace VpnAppliance.Net
{
    // Egress: forwarding decisions (FIB, next-hop group, TTL, MTU/DF, MSS clamp), locally originated packets,
    // transmission to a tunnel or to the LAN (ARP), fragmentation.
    public sealed partial class Router
    {
        /// <summary>
        /// Routes a locally generated IPv4 packet (TCP of the BGP speaker, the CLI's ping, ...): the router writes a
        /// 20-byte header (TTL 64; DF set for TCP so path MTU discovery works, RFC 1191 §3; clear otherwise) in front
        /// of a copy of payload[offset .. offset + length) in a pool buffer and sends it like a forwarded packet,
        /// without the TTL decrement. <paramref name="source"/> 0 picks the egress interface's address
        /// (<see cref="SourceAddressFor"/>). A packet to an own address is delivered locally.
        /// </summary>
        public NetResult SendLocal(uint source, uint destination, byte protocol, byte[] payload, int offset, int length, long nowMs)
        {
            return SendLocal(source, destination, protocol, DefaultTtl, payload, offset, length, nowMs);
        }

        /// <summary>
        /// <see cref="SendLocal(uint, uint, byte, byte[], int, int, long)"/> with IP TTL <paramref name="ttl"/>
        /// (1-255; 0 means <see cref="DefaultTtl"/>): eBGP sessions send TTL 1 to a directly connected neighbour
        /// and the multihop TTL otherwise.
        /// </summary>
        public NetResult SendLocal(uint source, uint destination, byte protocol, byte ttl, byte[] payload, int offset, int length, long nowMs)
        {
            int lo = LoopbackInterface;
            if (payload == null || offset < 0 || length < 0 || offset > payload.Length - length
                || length > _pool.BufferSize - EthernetHeader - Ipv4Packet.MinimumHeaderLength)
            {
                return NetResult.Invalid;
            }

            if (source == 0)
            {
                source = SourceAddressFor(destination);
            }

            int buffer = _pool.Allocate();
            if (buffer == Core.PacketPool.Full)
            {
                Count(DropReason.PoolFull, lo, true);
                return NetResult.Dropped;
            }

            int ip = _pool.Offset(buffer) + EthernetHeader;
            System.Array.Copy(payload, offset, _data, ip + Ipv4Packet.MinimumHeaderLength, length);
            Ipv4Repr repr = default(Ipv4Repr);
            repr.Source = source;
            repr.Destination = destination;
            repr.Protocol = protocol;
            repr.Ttl = ttl == 0 ? DefaultTtl : ttl;
            repr.Identification = _identification++;
            repr.DontFragment = protocol == IpProtocol.Tcp;
            repr.PayloadLength = length;
            repr.Emit(_data, ip, Ipv4Packet.MinimumHeaderLength + length);
            Ipv4Packet packet;
            Ipv4Packet.Check(_data, ip, repr.TotalLength, out packet);
            InterfaceCounters counters = _counters[lo];
            counters.RxPackets++;
            counters.RxBytes += repr.TotalLength;
            return RouteLocal(buffer, packet, nowMs);
        }

        /// <summary>
        /// The source address for a packet the router originates to <paramref name="destination"/>: the address of
        /// the egress interface the FIB picks (a tunnel's /32 or the LAN address), else the loopback, else the LAN
        /// address (RFC 1812 §4.2.2.1 / §5.2.5: the router-id when the interface has none).
        /// </summary>
        public uint SourceAddressFor(uint destination)
        {
            if (IsLocalAddress(destination))
            {
                return destination;
            }

            int group = _fib.Lookup(destination);
            int member = group < 0 ? -1 : _groups.Select(group, FlowHash.Compute(0, destination, 0, 0, 0));
            int egress = member < 0 ? -1 : _groups.MemberInterface(group, member);
            return AddressOf(egress);
        }

        // The address the router uses on an interface: its own, else the loopback (router-id), else the LAN address.
        private uint AddressOf(int interfaceId)
        {
            uint address = 0;
            if (interfaceId == LanInterface)
            {
                address = _lanAddress;
            }
            else if (IsTunnel(interfaceId))
            {
                address = _tunnelAddress[interfaceId];
            }

            if (address == 0)
            {
                address = _loopbackAddress != 0 ? _loopbackAddress : _lanAddress;
            }

            return address;
        }

        // Forwarding (RFC 1812 §5.2.1 order): route lookup, TTL, MTU/DF, then TTL decrement, MSS clamp, egress.
        private void Forward(int ingress, int buffer, Ipv4Packet packet, long nowMs)
        {
            int group = _fib.Lookup(packet.Destination);
            int member = group < 0 ? -1 : _groups.Select(group, FlowHashOf(packet));
            if (member < 0)
            {
                // RFC 1812 §5.2.7.1: destination unreachable, net unreachable, when no route exists.
                SendIcmpError(ingress, packet, IcmpMessage.TypeDestinationUnreachable, IcmpMessage.CodeNetUnreachable, 0, nowMs);
                Drop(buffer, DropReason.NoRoute, ingress, true);
                return;
            }

            if (packet.Ttl <= 1)
            {
                // RFC 1812 §5.3.1: a packet whose TTL would reach 0 is discarded with time exceeded (code 0);
                // the quoted header is the one received (TTL not yet decremented).
                SendIcmpError(ingress, packet, IcmpMessage.TypeTimeExceeded, IcmpMessage.CodeTtlExceeded, 0, nowMs);
                Drop(buffer, DropReason.TtlExceeded, ingress, true);
                return;
            }

            int egress = _groups.MemberInterface(group, member);
            int mtu = EgressMtu(egress);
            if (mtu <= 0)
            {
                Drop(buffer, DropReason.InterfaceDown, egress >= 0 && egress < _counters.Length ? egress : ingress, false);
                return;
            }

            if (packet.Length > mtu && packet.DontFragment)
            {
                // RFC 1191 §4 / RFC 1812 §5.2.7.1: fragmentation needed and DF set, with the next-hop MTU.
                SendIcmpError(ingress, packet, IcmpMessage.TypeDestinationUnreachable, IcmpMessage.CodeFragmentationNeeded, mtu, nowMs);
                Drop(buffer, DropReason.TooBig, egress, false);
                return;
            }

            TtlDecrement.Apply(packet);
            ClampMss(packet, ingress, egress);
            Emit(egress, _groups.MemberGateway(group, member), buffer, packet, nowMs);
        }

        // A packet the router originated (SendLocal, ICMP messages): no TTL decrement, no ICMP about it.
        private NetResult RouteLocal(int buffer, Ipv4Packet packet, long nowMs)
        {
            int lo = LoopbackInterface;
            if (IsLocalAddress(packet.Destination))
            {
                DeliverLocal(lo, buffer, packet, false, nowMs);
                return NetResult.Sent;
            }

            int group = _fib.Lookup(packet.Destination);
            int member = group < 0 ? -1 : _groups.Select(group, FlowHashOf(packet));
            if (member < 0)
            {
                Drop(buffer, DropReason.NoRoute, lo, true);
                return NetResult.Dropped;
            }

            int egress = _groups.MemberInterface(group, member);
            int mtu = EgressMtu(egress);
            if (mtu <= 0)
            {
                Drop(buffer, DropReason.InterfaceDown, egress >= 0 && egress < _counters.Length ? egress : lo, false);
                return NetResult.Dropped;
            }

            if (packet.Length > mtu && packet.DontFragment)
            {
                Drop(buffer, DropReason.TooBig, egress, false);
                return NetResult.Dropped;
            }

            ClampMss(packet, lo, egress);
            return Emit(egress, _groups.MemberGateway(group, member), buffer, packet, nowMs);
        }

        // MTU of an egress interface, 0 when it cannot send (unknown id, tunnel detached or down, LAN link down).
        private int EgressMtu(int egress)
        {
            if (egress == LanInterface)
            {
                return _lan.LinkUp ? LanMtu : 0;
            }

            if (!IsTunnel(egress))
            {
                return 0;
            }

            ITunnelTransmit tunnel = _tunnel[egress];
            return tunnel != null && tunnel.Up ? TunnelMtu(egress) : 0;
        }

        // Hands the packet to its egress interface; the buffer is released here or queued for ARP.
        private NetResult Emit(int egress, uint gateway, int buffer, Ipv4Packet packet, long nowMs)
        {
            if (egress == LanInterface)
            {
                return EmitLan(buffer, packet.Offset, packet.Length, gateway != 0 ? gateway : packet.Destination, nowMs);
            }

            ITunnelTransmit tunnel = _tunnel[egress];
            int mtu = TunnelMtu(egress);
            NetResult result = NetResult.Sent;
            if (packet.Length <= mtu)
            {
                if (!TransmitTunnel(egress, tunnel, _data, packet.Offset, packet.Length, nowMs))
                {
                    result = NetResult.Dropped;
                }
            }
            else if (!_fragmenter.Begin(packet, mtu))
            {
                Count(DropReason.TooBig, egress, false);
                result = NetResult.Dropped;
            }
            else
            {
                // RFC 791 §3.2: fragment before the packet enters the tunnel (AWS: "fragment before encryption").
                int n;
                while ((n = _fragmenter.Next(_scratch, 0, _scratch.Length)) > 0)
                {
                    if (!TransmitTunnel(egress, tunnel, _scratch, 0, n, nowMs))
                    {
                        result = NetResult.Dropped;
                    }
                }
            }

            _pool.Release(buffer);
            return result;
        }

        private bool TransmitTunnel(int egress, ITunnelTransmit tunnel, byte[] buf, int off, int len, long nowMs)
        {
            PortResult r = tunnel.Transmit(buf, off, len, nowMs);
            if (r != PortResult.Ok)
            {
                Count(r == PortResult.LinkDown ? DropReason.InterfaceDown : DropReason.TransmitFailed, egress, false);
                return false;
            }

            InterfaceCounters counters = _counters[egress];
            counters.TxPackets++;
            counters.TxBytes += len;
            return true;
        }

        // LAN egress: resolve the next hop, then send (the Ethernet header goes into the 14 bytes of headroom every
        // packet buffer keeps in front of the IPv4 header), or queue in the ARP cache.
        private NetResult EmitLan(int buffer, int ipOffset, int ipLength, uint nextHop, long nowMs)
        {
            if (!_lan.LinkUp)
            {
                Drop(buffer, DropReason.InterfaceDown, LanInterface, false);
                return NetResult.Dropped;
            }

            ulong mac;
            if (_arp.Resolve(nextHop, nowMs, out mac))
            {
                bool sent = TransmitLan(ipOffset, ipLength, mac);
                _pool.Release(buffer);
                return sent ? NetResult.Sent : NetResult.Dropped;
            }

            ArpQueueResult queued = _arp.Enqueue(nextHop, buffer, ipOffset, ipLength, nowMs);
            if (queued == ArpQueueResult.Queued)
            {
                return NetResult.Queued;
            }

            Drop(buffer, queued == ArpQueueResult.QueueFull ? DropReason.NoArpQueueFull : DropReason.NoArpTableFull, LanInterface, false);
            return NetResult.Dropped;
        }

        // Sends the IPv4 packet _data[ipOffset ..+ ipLength] to mac, fragmenting it for the LAN MTU if needed.
        private bool TransmitLan(int ipOffset, int ipLength, ulong mac)
        {
            int mtu = LanMtu;
            if (ipLength <= mtu)
            {
                WriteEthernet(_data, ipOffset - EthernetHeader, mac, EtherType.Ipv4);
                return SendLanFrame(_data, ipOffset - EthernetHeader, ipLength + EthernetHeader);
            }

            Ipv4Packet packet;
            if (Ipv4Packet.Check(_data, ipOffset, ipLength, out packet) != WireResult.Ok || !_fragmenter.Begin(packet, mtu))
            {
                Count(DropReason.TooBig, LanInterface, false);
                return false;
            }

            bool ok = true;
            int n;
            while ((n = _fragmenter.Next(_scratch, EthernetHeader, _scratch.Length - EthernetHeader)) > 0)
            {
                WriteEthernet(_scratch, 0, mac, EtherType.Ipv4);
                ok &= SendLanFrame(_scratch, 0, n + EthernetHeader);
            }

            return ok;
        }

        private bool SendLanFrame(byte[] buf, int off, int len)
        {
            PortResult r = _lan.Send(buf, off, len);
            if (r != PortResult.Ok)
            {
                Count(r == PortResult.LinkDown ? DropReason.InterfaceDown : DropReason.TransmitFailed, LanInterface, false);
                return false;
            }

            InterfaceCounters counters = _counters[LanInterface];
            counters.TxPackets++;
            counters.TxBytes += len;
            return true;
        }

        private void WriteEthernet(byte[] buf, int off, ulong destination, int etherType)
        {
            EthernetAddress.Write(buf, off, destination);
            EthernetAddress.Write(buf, off + 6, _lanMac);
            NetworkByteOrder.WriteUInt16(buf, off + 12, etherType);
        }

        // TCP MSS clamping (RFC 879 §3 / RFC 6691 §2: MSS = MTU - 40) of SYNs that enter a tunnel (egress) or leave
        // one (ingress): the smaller of the two tunnels' values. Only the first fragment carries the TCP header.
        private void ClampMss(Ipv4Packet packet, int ingress, int egress)
        {
            if (packet.Protocol != IpProtocol.Tcp || packet.FragmentOffset != 0)
            {
                return;
            }

            int limit = IsTunnel(egress) ? TunnelMss(egress) : 0;
            if (IsTunnel(ingress))
            {
                int other = TunnelMss(ingress);
                if (other > 0 && (limit == 0 || other < limit))
                {
                    limit = other;
                }
            }

            int tcp = packet.PayloadOffset;
            if (limit <= 0 || packet.PayloadLength < TcpSegment.MinimumHeaderLength || (_data[tcp + 13] & TcpFlags.Syn) == 0)
            {
                return;
            }

            TcpSegment segment;
            if (TcpSegment.CheckHeader(_data, tcp, packet.PayloadLength, out segment) == WireResult.Ok)
            {
                MssClamp.Apply(segment, (ushort)limit);
            }
        }

        // The flow hash that picks the ECMP member: the 5-tuple, ports only when the packet is not a fragment so
        // every fragment of a datagram (and the unfragmented flow's packets) take one member.
        private uint FlowHashOf(Ipv4Packet packet)
        {
            int protocol = packet.Protocol;
            int sourcePort = 0;
            int destinationPort = 0;
            if ((protocol == IpProtocol.Tcp || protocol == IpProtocol.Udp) && !packet.IsFragment && packet.PayloadLength >= 4)
            {
                int p = packet.PayloadOffset;
                sourcePort = NetworkByteOrder.ReadUInt16(_data, p);
                destinationPort = NetworkByteOrder.ReadUInt16(_data, p + 2);
            }

            return FlowHash.Compute(packet.Source, packet.Destination, protocol, sourcePort, destinationPort);
        }
    }
}
