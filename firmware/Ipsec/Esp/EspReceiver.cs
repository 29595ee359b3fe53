using VpnAppliance.Wire;

namespace VpnAppliance.Ipsec
{
    // Inbound path of UDP 4500 (DESIGN.md §2 rule 4 and 5; RFC 3948 §2, §3; RFC 4303 §3.4):
    //
    //   UDP payload -> 1 byte 0xFF?                      NAT-keepalive (RFC 3948 §2.3), ignored
    //               -> first 4 bytes zero?               non-ESP marker: IKE message after it (RFC 3948 §2.2)
    //               -> shorter than an ESP header?       Truncated
    //               -> SPI lookup (installed pairs)      UnknownSpi
    //               -> pair past its hard lifetime?      LifetimeExpired
    //               -> EspInbound.Unprotect: replay pre-check, ICV, window update, decrypt, padding, next header
    //               -> inner IPv4 packet, with the tunnel id, for the router's ReceiveFromTunnel
    //
    // Every drop is counted globally here and, once an SA is known, on that SA.

    /// <summary>Classifies and unprotects datagrams received on UDP 4500. No allocation per packet.</summary>
    public sealed class EspReceiver
    {
        private readonly SecurityAssociationDatabase _sad;
        private readonly EspInbound _inbound = new EspInbound();
        private readonly EspCounters _totals = new EspCounters();
        private long _ikeMessages;
        private long _keepalives;

        /// <summary>Creates the receive path over <paramref name="sad"/>.</summary>
        public EspReceiver(SecurityAssociationDatabase sad)
        {
            if (sad == null)
            {
                throw new System.ArgumentNullException("sad");
            }

            _sad = sad;
        }

        /// <summary>Inbound totals: packets and inner bytes delivered, drops by reason.</summary>
        public EspCounters Counters { get { return _totals; } }

        /// <summary>IKE messages (non-ESP marker) passed to the caller.</summary>
        public long IkeMessages { get { return _ikeMessages; } }

        /// <summary>NAT-keepalives received.</summary>
        public long Keepalives { get { return _keepalives; } }

        /// <summary>
        /// Handles one UDP 4500 payload buffer[offset .. offset + length) (what the socket returns), decrypting in
        /// place. Never throws; the outcome is in <paramref name="result"/> and returned.
        /// </summary>
        public EspReceiveKind Receive(byte[] buffer, int offset, int length, long nowMs, EspReceiveResult result)
        {
            result.Reset();
            if (buffer == null || offset < 0 || length < 0 || offset > buffer.Length - length)
            {
                return Drop(result, EspDropReason.Truncated);
            }

            if (length == 1 && buffer[offset] == EspPacket.NatKeepalive)
            {
                _keepalives++;
                result.Kind = EspReceiveKind.Keepalive;
                return result.Kind;
            }

            if (length < EspPacket.NonEspMarkerLength)
            {
                return Drop(result, EspDropReason.Truncated);
            }

            uint spi = EspPacket.ReadSpi(buffer, offset);
            if (spi == 0)
            {
                _ikeMessages++;
                result.Kind = EspReceiveKind.Ike;
                result.Offset = offset + EspPacket.NonEspMarkerLength;
                result.Length = length - EspPacket.NonEspMarkerLength;
                return result.Kind;
            }

            if (length < EspPacket.HeaderLength)
            {
                return Drop(result, EspDropReason.Truncated);
            }

            ChildSaPair pair = _sad.FindInbound(spi);
            if (pair == null)
            {
                return Drop(result, EspDropReason.UnknownSpi);
            }

            if (pair.HardExpired)
            {
                pair.Inbound.Counters.CountDrop(EspDropReason.LifetimeExpired);
                return Drop(result, EspDropReason.LifetimeExpired);
            }

            int innerOffset;
            int innerLength;
            EspDropReason reason = _inbound.Unprotect(pair.Inbound, buffer, offset, length, nowMs, out innerOffset, out innerLength);
            if (pair.HardExpired)
            {
                _sad.OnOutboundExpired(pair.TunnelId); // the inbound side ran out: the tunnel stops sending on it too
            }

            if (reason != EspDropReason.None)
            {
                return Drop(result, reason);
            }

            if (pair.OutboundDeferred)
            {
                _sad.OnInboundSeen(pair);
            }

            _totals.Packets++;
            _totals.Bytes += innerLength;
            _sad.Tunnel(pair.TunnelId).CountReceived(innerLength);
            result.Kind = EspReceiveKind.Inner;
            result.TunnelId = pair.TunnelId;
            result.Handle = SecurityAssociationDatabase.HandleOf(pair);
            result.Offset = innerOffset;
            result.Length = innerLength;
            return result.Kind;
        }

        /// <summary>
        /// Same as <see cref="Receive"/> for a whole UDP datagram (header included, e.g. from the simulator):
        /// checks the header with Wire's <see cref="UdpDatagram"/> (RFC 768 lengths; the checksum is not verified:
        /// UDP-encapsulated ESP may carry 0, RFC 3948 §2.1, and the ICV protects the contents) and handles the payload.
        /// </summary>
        public EspReceiveKind ReceiveDatagram(byte[] buffer, int offset, int length, long nowMs, EspReceiveResult result)
        {
            UdpDatagram datagram;
            if (UdpDatagram.CheckHeader(buffer, offset, length, out datagram) != WireResult.Ok)
            {
                result.Reset();
                return Drop(result, EspDropReason.Truncated);
            }

            return Receive(buffer, datagram.PayloadOffset, datagram.PayloadLength, nowMs, result);
        }

        private EspReceiveKind Drop(EspReceiveResult result, EspDropReason reason)
        {
            _totals.CountDrop(reason);
            result.Kind = EspReceiveKind.Dropped;
            result.Reason = reason;
            return EspReceiveKind.Dropped;
        }
    }
}
