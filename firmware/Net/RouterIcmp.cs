using VpnAppliance.Wire;

namespace VpnAppliance.Net
{
    // ICMP the router originates (errors, echo replies) and the ARP frames it sends.
    public sealed partial class Router
    {
        /// <summary>ICMP error messages sent (after the rate limit).</summary>
        public long IcmpErrorsSent { get { return _icmpErrorsSent; } }

        private long _icmpErrorsSent;

        // Sends an ICMP error about `original` (still in its buffer, unchanged) back to its source, in a new pool
        // buffer. RFC 1812 §4.3.2.7: never about an ICMP error, a fragment other than the first, a datagram to a
        // broadcast or multicast address, or one whose source is not a single host. RFC 1812 §4.3.2.8: rate
        // limited by a token bucket. RFC 1812 §4.3.2.3: quotes the original datagram, as much as fits in 576 bytes
        // (at least the header and 8 data bytes, RFC 792). RFC 1812 §4.3.2.5: precedence 6 (TOS 0xC0).
        // RFC 1812 §4.3.2.4: the source is an address of the interface the error leaves by; the error goes back
        // where the offending packet came from, so the ingress interface's address (else the router-id); with
        // ingress -1 (not known any more: a packet that waited for ARP) the address of the route back.
        private void SendIcmpError(int ingress, Ipv4Packet original, byte type, byte code, int mtu, long nowMs)
        {
            uint destination = original.Source;
            uint originalDestination = original.Destination;
            if (original.FragmentOffset != 0 || !IsUnicastHost(destination) || IsLanBroadcast(destination)
                || !IsUnicastHost(originalDestination) || IsLanBroadcast(originalDestination))
            {
                return;
            }

            if (original.Protocol == IpProtocol.Icmp && original.PayloadLength > 0 && IsIcmpError(_data[original.PayloadOffset]))
            {
                return;
            }

            if (!_icmpLimiter.TryTake(nowMs))
            {
                Count(DropReason.RateLimited, ingress, true);
                return;
            }

            int buffer = _pool.Allocate();
            if (buffer == Core.PacketPool.Full)
            {
                Count(DropReason.PoolFull, ingress, true);
                return;
            }

            int headers = Ipv4Packet.MinimumHeaderLength + IcmpMessage.HeaderLength;
            int quote = original.Length;
            int room = (IcmpErrorMaxLength < _pool.BufferSize - EthernetHeader ? IcmpErrorMaxLength : _pool.BufferSize - EthernetHeader) - headers;
            if (quote > room)
            {
                quote = room;
            }

            int ip = _pool.Offset(buffer) + EthernetHeader;
            System.Array.Copy(_data, original.Offset, _data, ip + headers, quote);
            IcmpRepr icmp = default(IcmpRepr);
            icmp.Type = type;
            icmp.Code = code;
            icmp.NextHopMtu = (ushort)mtu;
            icmp.DataLength = quote;
            icmp.Emit(_data, ip + Ipv4Packet.MinimumHeaderLength, IcmpMessage.HeaderLength + quote);
            Ipv4Repr repr = default(Ipv4Repr);
            repr.Source = ingress < 0 ? SourceAddressFor(destination) : AddressOf(ingress);
            repr.Destination = destination;
            repr.Protocol = IpProtocol.Icmp;
            repr.Ttl = DefaultTtl;
            repr.TypeOfService = 0xC0;
            repr.Identification = _identification++;
            repr.PayloadLength = IcmpMessage.HeaderLength + quote;
            repr.Emit(_data, ip, headers + quote);
            Ipv4Packet packet;
            Ipv4Packet.Check(_data, ip, headers + quote, out packet);
            _icmpErrorsSent++;
            InterfaceCounters lo = _counters[LoopbackInterface];
            lo.RxPackets++;
            lo.RxBytes += headers + quote;
            RouteLocal(buffer, packet, nowMs);
        }

        // RFC 1812 §4.3.2.7 counts these types as ICMP error messages: destination unreachable, source quench,
        // redirect, time exceeded, parameter problem.
        private static bool IsIcmpError(int type)
        {
            return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
        }

        // RFC 792 / RFC 1122 §3.2.2.6: the echo request becomes the reply in its own buffer: addresses swapped (the
        // reply's source is the address the request was sent to), type 0, TTL 64; checksums updated incrementally
        // (RFC 1624): swapping two header words leaves the IPv4 checksum as it was.
        private void AnswerEcho(int buffer, Ipv4Packet packet, long nowMs)
        {
            byte[] d = _data;
            int ip = packet.Offset;
            int icmp = packet.PayloadOffset;
            int code = d[icmp + 1];
            ushort icmpChecksum = NetworkByteOrder.ReadUInt16(d, icmp + 2);
            d[icmp] = IcmpMessage.TypeEchoReply;
            NetworkByteOrder.WriteUInt16(d, icmp + 2, InternetChecksum.Update(icmpChecksum,
                (ushort)((IcmpMessage.TypeEchoRequest << 8) | code), (ushort)((IcmpMessage.TypeEchoReply << 8) | code)));

            uint source = packet.Source;
            uint destination = packet.Destination;
            NetworkByteOrder.WriteUInt32(d, ip + 12, destination);
            NetworkByteOrder.WriteUInt32(d, ip + 16, source);
            int ttl = d[ip + 8];
            int protocol = d[ip + 9];
            ushort checksum = NetworkByteOrder.ReadUInt16(d, ip + 10);
            d[ip + 8] = DefaultTtl;
            NetworkByteOrder.WriteUInt16(d, ip + 10, InternetChecksum.Update(checksum, (ushort)((ttl << 8) | protocol), (ushort)((DefaultTtl << 8) | protocol)));
            InterfaceCounters lo = _counters[LoopbackInterface];
            lo.RxPackets++;
            lo.RxBytes += packet.Length;
            RouteLocal(buffer, packet, nowMs);
        }

        // One ARP frame (RFC 826) from our LAN address: requests are broadcast; replies go to the asker; an
        // announcement (gratuitous ARP, RFC 5227 §3) is a broadcast request with sender = target = our address.
        private void SendArp(int operation, ulong ethernetDestination, ulong targetHardware, uint targetProtocol)
        {
            if (!_lan.LinkUp || _lanAddress == 0)
            {
                return;
            }

            WriteEthernet(_arpFrame, 0, ethernetDestination, EtherType.Arp);
            ArpRepr arp = default(ArpRepr);
            arp.Operation = operation;
            arp.SenderHardwareAddress = _lanMac;
            arp.SenderProtocolAddress = _lanAddress;
            arp.TargetHardwareAddress = targetHardware;
            arp.TargetProtocolAddress = targetProtocol == 0 ? _lanAddress : targetProtocol;
            arp.Emit(_arpFrame, EthernetHeader, ArpPacket.PacketLength);
            SendLanFrame(_arpFrame, 0, ArpFrameLength);
        }

        void IArpEvents.SendArpRequest(uint target, long nowMs)
        {
            SendArp(ArpPacket.OperationRequest, EthernetAddress.Broadcast, EthernetAddress.Unspecified, target);
        }

        void IArpEvents.ReleaseResolved(int buffer, int offset, int length, uint nextHop, ulong mac, long nowMs)
        {
            if (_lan.LinkUp)
            {
                TransmitLan(offset, length, mac);
            }
            else
            {
                Count(DropReason.InterfaceDown, LanInterface, false);
            }

            _pool.Release(buffer);
        }

        void IArpEvents.ReleaseDropped(int buffer, int offset, int length, DropReason reason, long nowMs)
        {
            if (reason == DropReason.NoArpTimeout)
            {
                // RFC 1812 §5.2.7.1: the next hop on the LAN never answered: destination unreachable, host unreachable
                // (the quoted header is the queued one, TTL already decremented). Errors about our own packets are
                // not sent (the source is one of our addresses: nobody to tell).
                Ipv4Packet packet;
                if (Ipv4Packet.Check(_data, offset, length, out packet) == WireResult.Ok && !IsLocalAddress(packet.Source))
                {
                    SendIcmpError(-1, packet, IcmpMessage.TypeDestinationUnreachable, IcmpMessage.CodeHostUnreachable, 0, nowMs);
                }
            }

            Drop(buffer, reason, LanInterface, false);
        }
    }
}
