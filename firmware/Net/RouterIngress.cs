using VpnAppliance.Wire;

namespace VpnAppliance.Net
{
    // Ingress: the appliance's packet-handler entry points (LAN frames, WAN datagrams), the tunnel entry point
    // for decrypted inner packets, the IPv4 receive checks and local delivery.
    public sealed partial class Router
    {
        /// <summary>
        /// A frame from the LAN port in pool buffer <paramref name="buffer"/> (offset 0, <paramref name="length"/>
        /// bytes); the router owns the buffer from this call on (the appliance's IPacketHandler.OnLanFrame).
        /// </summary>
        public void OnLanFrame(int buffer, int length, long nowMs)
        {
            InterfaceCounters lan = _counters[LanInterface];
            lan.RxPackets++;
            lan.RxBytes += length;
            int start = _pool.Offset(buffer);
            EthernetFrame frame;
            if (length < 0 || length > _pool.BufferSize || EthernetFrame.Check(_data, start, length, out frame) != WireResult.Ok)
            {
                Drop(buffer, DropReason.BadHeader, LanInterface, true);
                return;
            }

            ulong destination = frame.Destination;
            bool linkBroadcast = EthernetAddress.IsMulticast(destination);
            if (!linkBroadcast && destination != _lanMac)
            {
                Drop(buffer, DropReason.NotForUs, LanInterface, true);
                return;
            }

            int etherType = frame.EtherType;
            if (etherType == EtherType.Arp)
            {
                OnArp(frame, nowMs);
                _pool.Release(buffer);
                return;
            }

            if (etherType != EtherType.Ipv4)
            {
                Drop(buffer, DropReason.UnsupportedProtocol, LanInterface, true);
                return;
            }

            Ipv4Packet packet;
            WireResult result = Ipv4Packet.Check(_data, frame.PayloadOffset, frame.PayloadLength, out packet);
            if (result != WireResult.Ok)
            {
                Drop(buffer, result == WireResult.BadChecksum ? DropReason.BadChecksum : DropReason.BadHeader, LanInterface, true);
                return;
            }

            OnIpv4(LanInterface, buffer, packet, linkBroadcast, nowMs);
        }

        /// <summary>
        /// A WAN datagram (UDP 500/4500) in pool buffer <paramref name="buffer"/>: handed to the attached
        /// <see cref="IWanDatagramSink"/> (IKE/ESP), or released and counted in <see cref="WanUnclaimed"/>.
        /// </summary>
        public void OnWanDatagram(int localPort, uint sourceAddress, int sourcePort, int buffer, int length, long nowMs)
        {
            IWanDatagramSink sink = _wanSink;
            if (sink == null)
            {
                _wanUnclaimed++;
                _pool.Release(buffer);
                return;
            }

            sink.OnWanDatagram(localPort, sourceAddress, sourcePort, buffer, length, nowMs);
        }

        /// <summary>A decrypted inner IPv4 packet at offset 0 of pool buffer <paramref name="buffer"/>; see the overload with an offset.</summary>
        public void ReceiveFromTunnel(int tunnelId, int buffer, int length, long nowMs)
        {
            ReceiveFromTunnel(tunnelId, buffer, 0, length, nowMs);
        }

        /// <summary>
        /// A decrypted inner IPv4 packet from tunnel <paramref name="tunnelId"/> at
        /// <c>pool.Data[pool.Offset(buffer) + offset ..+ length]</c>; the router owns the buffer from this call on.
        /// An offset of at least 14 lets a packet to the LAN get its Ethernet header in place; a smaller one costs
        /// a move of the packet inside its buffer.
        /// </summary>
        public void ReceiveFromTunnel(int tunnelId, int buffer, int offset, int length, long nowMs)
        {
            if (!IsTunnel(tunnelId) || _tunnel[tunnelId] == null)
            {
                Drop(buffer, DropReason.InterfaceDown, IsTunnel(tunnelId) ? tunnelId : -1, true);
                return;
            }

            InterfaceCounters counters = _counters[tunnelId];
            counters.RxPackets++;
            counters.RxBytes += length;
            int start = _pool.Offset(buffer);
            int size = _pool.BufferSize;
            if (offset < 0 || length < 0 || offset > size - length)
            {
                Drop(buffer, DropReason.BadHeader, tunnelId, true);
                return;
            }

            if (offset < EthernetHeader)
            {
                if (length > size - EthernetHeader)
                {
                    Drop(buffer, DropReason.TooBig, tunnelId, true);
                    return;
                }

                // Move the packet up to the headroom, last byte first (the ranges overlap; no reliance on how a
                // runtime's Array.Copy handles overlap).
                int from = start + offset;
                int to = start + EthernetHeader;
                for (int i = length - 1; i >= 0; i--)
                {
                    _data[to + i] = _data[from + i];
                }

                offset = EthernetHeader;
            }

            Ipv4Packet packet;
            WireResult result = Ipv4Packet.Check(_data, start + offset, length, out packet);
            if (result != WireResult.Ok)
            {
                Drop(buffer, result == WireResult.BadChecksum ? DropReason.BadChecksum : DropReason.BadHeader, tunnelId, true);
                return;
            }

            OnIpv4(tunnelId, buffer, packet, false, nowMs);
        }

        // RFC 826 "Packet Reception": merge the sender into an existing entry; if we are the target, add it and,
        // for a request, reply. A sender claiming our own address is a conflict (RFC 5227 §2.4), never learnt.
        private void OnArp(EthernetFrame frame, long nowMs)
        {
            ArpPacket arp;
            WireResult result = ArpPacket.Check(_data, frame.PayloadOffset, frame.PayloadLength, out arp);
            ArpRepr repr = default(ArpRepr);
            if (result == WireResult.Ok)
            {
                result = ArpRepr.Parse(arp, out repr);
            }

            if (result != WireResult.Ok)
            {
                Count(result == WireResult.Unsupported ? DropReason.UnsupportedProtocol : DropReason.BadHeader, LanInterface, true);
                return;
            }

            ulong sha = repr.SenderHardwareAddress;
            uint spa = repr.SenderProtocolAddress;
            if (sha == _lanMac || EthernetAddress.IsMulticast(sha) || sha == EthernetAddress.Unspecified)
            {
                return;
            }

            if (spa != 0 && spa == _lanAddress)
            {
                _arpConflicts++;
                return;
            }

            bool forUs = _lanAddress != 0 && repr.TargetProtocolAddress == _lanAddress;
            if (spa != 0 && IsUnicastHost(spa))
            {
                _arp.Learn(spa, sha, forUs, nowMs);
            }

            if (forUs && repr.Operation == ArpPacket.OperationRequest)
            {
                SendArp(ArpPacket.OperationReply, sha, sha, spa);
            }
        }

        // Receive side after the header checks: local delivery, martian filter, forwarding.
        private void OnIpv4(int ingress, int buffer, Ipv4Packet packet, bool linkBroadcast, long nowMs)
        {
            uint source = packet.Source;
            uint destination = packet.Destination;
            if (!IsUnicastHost(source))
            {
                // RFC 1812 §5.3.7: a source that is zero, loopback, broadcast, multicast or class E is invalid.
                Drop(buffer, DropReason.Martian, ingress, true);
                return;
            }

            bool broadcast = destination == Ipv4Address.Broadcast || (ingress == LanInterface && IsLanBroadcast(destination));
            if (broadcast || IsLocalAddress(destination))
            {
                DeliverLocal(ingress, buffer, packet, broadcast, nowMs);
                return;
            }

            if (linkBroadcast)
            {
                // RFC 1812 §5.3.4: a link-layer broadcast carrying a unicast IP destination is not forwarded.
                Drop(buffer, DropReason.NotForUs, ingress, true);
                return;
            }

            if (!IsUnicastHost(destination) || IsLanBroadcast(destination))
            {
                // No multicast routing; directed broadcasts are not forwarded (RFC 1812 §5.3.5.2 default off).
                Drop(buffer, DropReason.Martian, ingress, true);
                return;
            }

            Forward(ingress, buffer, packet, nowMs);
        }

        // A packet for one of our addresses (or a broadcast). No reassembly: fragments are dropped.
        private void DeliverLocal(int ingress, int buffer, Ipv4Packet packet, bool broadcast, long nowMs)
        {
            if (packet.IsFragment)
            {
                Drop(buffer, DropReason.FragmentToSelf, ingress, true);
                return;
            }

            int protocol = packet.Protocol;
            int payload = packet.PayloadOffset;
            int payloadLength = packet.PayloadLength;
            if (protocol == IpProtocol.Icmp)
            {
                IcmpMessage message;
                WireResult result = IcmpMessage.Check(_data, payload, payloadLength, out message);
                if (result != WireResult.Ok)
                {
                    Drop(buffer, result == WireResult.BadChecksum ? DropReason.BadChecksum : DropReason.BadHeader, ingress, true);
                    return;
                }

                if (message.Type == IcmpMessage.TypeEchoRequest)
                {
                    if (broadcast)
                    {
                        // RFC 1122 §3.2.2.6: an echo request to a broadcast address MAY be silently discarded.
                        Drop(buffer, DropReason.NotForUs, ingress, true);
                        return;
                    }

                    CountLocalDelivery(packet.Length);
                    AnswerEcho(buffer, packet, nowMs);
                    return;
                }

                ILocalIcmp listener = _icmpListener;
                if (listener == null)
                {
                    Drop(buffer, DropReason.Unreachable, ingress, true);
                    return;
                }

                CountLocalDelivery(packet.Length);
                listener.OnIcmp(packet.Source, packet.Destination, _data, payload, payloadLength, nowMs);
                _pool.Release(buffer);
                return;
            }

            if (broadcast)
            {
                // No local service listens on broadcast; no ICMP error about a broadcast (RFC 1812 §4.3.2.7).
                Drop(buffer, DropReason.Unreachable, ingress, true);
                return;
            }

            if (protocol == IpProtocol.Tcp && _transport != null)
            {
                TcpSegment segment;
                WireResult result = TcpSegment.Check(_data, payload, payloadLength, packet.Source, packet.Destination, out segment);
                if (result != WireResult.Ok)
                {
                    Drop(buffer, result == WireResult.BadChecksum ? DropReason.BadChecksum : DropReason.BadHeader, ingress, true);
                    return;
                }

                CountLocalDelivery(packet.Length);
                _transport.OnSegment(packet.Source, packet.Destination, _data, payload, payloadLength, nowMs);
                _pool.Release(buffer);
                return;
            }

            if (protocol == IpProtocol.Udp && _localUdp != null)
            {
                UdpDatagram datagram;
                WireResult result = UdpDatagram.Check(_data, payload, payloadLength, packet.Source, packet.Destination, out datagram);
                if (result != WireResult.Ok)
                {
                    Drop(buffer, result == WireResult.BadChecksum ? DropReason.BadChecksum : DropReason.BadHeader, ingress, true);
                    return;
                }

                if (_localUdp.OnUdp(ingress, packet.Source, packet.Destination, packet.Ttl, datagram.SourcePort, datagram.DestinationPort,
                    _data, datagram.PayloadOffset, datagram.PayloadLength, nowMs))
                {
                    CountLocalDelivery(packet.Length);
                    _pool.Release(buffer);
                    return;
                }
            }

            // RFC 1122 §3.2.2.1 / RFC 792: protocol unreachable, port unreachable for UDP no ILocalUdp service took
            // (IKE runs on the WAN sockets, not through the router).
            byte code = protocol == IpProtocol.Udp ? IcmpMessage.CodePortUnreachable : IcmpMessage.CodeProtocolUnreachable;
            SendIcmpError(ingress, packet, IcmpMessage.TypeDestinationUnreachable, code, 0, nowMs);
            Drop(buffer, DropReason.Unreachable, ingress, true);
        }

        private void CountLocalDelivery(int length)
        {
            _localDelivered++;
            InterfaceCounters lo = _counters[LoopbackInterface];
            lo.TxPackets++;
            lo.TxBytes += length;
        }

        // RFC 1812 §4.3.2.7 / §5.3.7: an address that names a single host (not 0/8, 127/8, class D or E, 255.255.255.255).
        private static bool IsUnicastHost(uint address)
        {
            uint first = address >> 24;
            return first != 0 && first != 127 && first < 224;
        }

        // The LAN's directed broadcast address (RFC 919/922), when the prefix is shorter than /31 (RFC 3021).
        private bool IsLanBroadcast(uint address)
        {
            return _lanAddress != 0 && _lanMask != 0 && _lanMask < 0xFFFFFFFEu
                && (address & _lanMask) == (_lanAddress & _lanMask) && (address | _lanMask) == 0xFFFFFFFFu;
        }
    }
}
