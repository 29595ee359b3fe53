using VpnAppliance.Wire;

namespace VpnAppliance.Net
{
    // Locally originated UDP with a chosen TTL and, for single-hop protocols (BFD, RFC 5881 §4), a chosen egress
    // interface that bypasses the FIB: the packet leaves on that interface (LAN: ARP for the destination itself,
    // which must be on-link) or not at all.
    public sealed partial class Router
    {
        /// <summary>
        /// Sends payload[offset .. offset + length) as UDP <paramref name="sourcePort"/> -&gt;
        /// <paramref name="destinationPort"/> in IPv4 from <paramref name="source"/> (0: the interface's address) to
        /// <paramref name="destination"/> with IP TTL <paramref name="ttl"/> (DF clear). <paramref name="interfaceId"/>
        /// 0 (LAN, destination on-link) or a tunnel id sends out of that interface without a FIB lookup; any other
        /// value (e.g. <see cref="LoopbackInterface"/>) routes it like <see cref="SendLocal"/>. A packet to an own
        /// address is delivered locally. The UDP checksum is always computed.
        /// </summary>
        public NetResult SendUdp(int interfaceId, uint source, uint destination, int sourcePort, int destinationPort, byte ttl,
            byte[] payload, int offset, int length, long nowMs)
        {
            int lo = LoopbackInterface;
            int header = Ipv4Packet.MinimumHeaderLength + UdpDatagram.HeaderLength;
            if (payload == null || offset < 0 || length < 0 || offset > payload.Length - length
                || length > _pool.BufferSize - EthernetHeader - header
                || sourcePort < 0 || sourcePort > 65535 || destinationPort < 0 || destinationPort > 65535 || ttl == 0)
            {
                return NetResult.Invalid;
            }

            bool direct = interfaceId == LanInterface || IsTunnel(interfaceId);
            if (source == 0)
            {
                source = direct ? AddressOf(interfaceId) : SourceAddressFor(destination);
            }

            int buffer = _pool.Allocate();
            if (buffer == Core.PacketPool.Full)
            {
                Count(DropReason.PoolFull, lo, true);
                return NetResult.Dropped;
            }

            int ip = _pool.Offset(buffer) + EthernetHeader;
            int udp = ip + Ipv4Packet.MinimumHeaderLength;
            System.Array.Copy(payload, offset, _data, udp + UdpDatagram.HeaderLength, length);
            UdpRepr u = default(UdpRepr);
            u.SourcePort = (ushort)sourcePort;
            u.DestinationPort = (ushort)destinationPort;
            u.PayloadLength = length;
            u.Emit(_data, udp, u.DatagramLength, source, destination);
            Ipv4Repr repr = default(Ipv4Repr);
            repr.Source = source;
            repr.Destination = destination;
            repr.Protocol = IpProtocol.Udp;
            repr.Ttl = ttl;
            repr.Identification = _identification++;
            repr.DontFragment = false;
            repr.PayloadLength = u.DatagramLength;
            repr.Emit(_data, ip, repr.TotalLength);
            Ipv4Packet packet;
            Ipv4Packet.Check(_data, ip, repr.TotalLength, out packet);
            InterfaceCounters counters = _counters[lo];
            counters.RxPackets++;
            counters.RxBytes += repr.TotalLength;
            if (!direct || IsLocalAddress(destination))
            {
                return RouteLocal(buffer, packet, nowMs);
            }

            if (EgressMtu(interfaceId) <= 0)
            {
                Drop(buffer, DropReason.InterfaceDown, interfaceId, false);
                return NetResult.Dropped;
            }

            return Emit(interfaceId, 0, buffer, packet, nowMs);
        }
    }
}
