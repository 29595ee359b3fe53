using VpnAppliance.Wire;

namespace VpnAppliance.Ipsec
{
    // ESP packet, tunnel mode, as carried in UDP 4500 (RFC 4303 §2, RFC 3948 §2.1):
    //
    //   0        4          8              8+iv                        end-icv     end
    //   |  SPI   | Seq (low)| IV (8 or 16) | ciphertext ...            | ICV       |
    //                                      | inner IPv4 | pad 1,2,3.. | padlen | nh |
    //
    // The SPI and sequence number are in the clear (and authenticated); the IV is 8 bytes for AES-GCM
    // (RFC 4106 §3.1) and 16 for AES-CBC (RFC 3602 §3); the ICV is 16 bytes for GCM (RFC 4106 §6),
    // 12 for HMAC-SHA1-96 (RFC 2404 §3), 16 for HMAC-SHA2-256-128 (RFC 4868 §2.3). With extended sequence
    // numbers only the low 32 bits are sent (RFC 4303 §2.2.1). The UDP payload starts with the SPI, which is
    // never 0, so a first word of zero is the non-ESP marker of an IKE message (RFC 3948 §2.2) and a single
    // byte 0xFF is a NAT-keepalive (RFC 3948 §2.3).

    /// <summary>Offsets and sizes of the ESP header and the UDP encapsulation; reads of the clear fields.</summary>
    public static class EspPacket
    {
        /// <summary>SPI (4) + sequence number (4), RFC 4303 §2.</summary>
        public const int HeaderLength = 8;

        /// <summary>Offset of the SPI in the ESP packet.</summary>
        public const int SpiField = 0;

        /// <summary>Offset of the (low 32 bits of the) sequence number.</summary>
        public const int SequenceField = 4;

        /// <summary>Pad Length and Next Header octets at the end of the plaintext (RFC 4303 §2.5, §2.6).</summary>
        public const int TrailerLength = 2;

        /// <summary>Largest IV of the supported transforms (AES-CBC, RFC 3602 §3).</summary>
        public const int MaxIvLength = 16;

        /// <summary>Largest ICV of the supported transforms (HMAC-SHA2-512-256, RFC 4868 §2.3).</summary>
        public const int MaxIcvLength = 32;

        /// <summary>Largest padding: block 16 (AES-CBC), so at most 15 bytes (RFC 4303 §2.4).</summary>
        public const int MaxPadLength = 15;

        /// <summary>UDP header before the ESP packet (RFC 3948 §2.1); written by the socket on the device.</summary>
        public const int UdpHeaderLength = 8;

        /// <summary>The IKE/ESP NAT-T port (RFC 3948 §2.1, RFC 7296 §2.23).</summary>
        public const int NatTraversalPort = 4500;

        /// <summary>
        /// Bytes an outbound packet needs in front of the inner IPv4 packet for in-place work: UDP header,
        /// ESP header and the largest IV. A caller that leaves this much headroom never needs a copy.
        /// </summary>
        public const int MaxHeadroom = UdpHeaderLength + HeaderLength + MaxIvLength;

        /// <summary>Bytes an outbound packet may need after the inner IPv4 packet: padding, trailer, ICV.</summary>
        public const int MaxTailroom = MaxPadLength + TrailerLength + MaxIcvLength;

        /// <summary>
        /// Largest growth of an inner packet into the UDP payload handed to the socket (ESP header, IV, padding,
        /// trailer, ICV): the tunnel MTU plus this must fit the WAN path MTU minus 28 (outer IPv4 + UDP).
        /// </summary>
        public const int MaxEspOverhead = HeaderLength + MaxIvLength + MaxPadLength + TrailerLength + MaxIcvLength;

        /// <summary>Size of the non-ESP marker in front of IKE messages on port 4500 (RFC 3948 §2.2).</summary>
        public const int NonEspMarkerLength = 4;

        /// <summary>The NAT-keepalive payload: one octet 0xFF (RFC 3948 §2.3).</summary>
        public const byte NatKeepalive = 0xFF;

        /// <summary>Next Header for an IPv4 inner packet in tunnel mode (IANA protocol 4, RFC 4303 §2.6).</summary>
        public const byte NextHeaderIpv4 = 4;

        /// <summary>Next Header of a dummy packet, discarded by the receiver (RFC 4303 §2.6: 59 "no next header").</summary>
        public const byte NextHeaderNone = 59;

        /// <summary>Smallest SPI a peer may use: 1-255 are reserved by IANA, 0 is local-only (RFC 4303 §2.1).</summary>
        public const uint MinimumSpi = 256;

        /// <summary>Reads the SPI of the ESP packet at <paramref name="offset"/> (caller checked the length).</summary>
        public static uint ReadSpi(byte[] buffer, int offset)
        {
            return NetworkByteOrder.ReadUInt32(buffer, offset + SpiField);
        }

        /// <summary>Reads the transmitted (low 32 bits of the) sequence number.</summary>
        public static uint ReadSequence(byte[] buffer, int offset)
        {
            return NetworkByteOrder.ReadUInt32(buffer, offset + SequenceField);
        }

        /// <summary>
        /// Writes the 8-byte UDP header in front of an ESP packet of <paramref name="espLength"/> bytes at
        /// buffer[offset + 8]: source port 4500, destination <paramref name="peerPort"/>, checksum 0 (allowed for
        /// UDP-encapsulated ESP, RFC 3948 §2.1). For paths that build the UDP header themselves (simulator, a raw
        /// IP HAL); a socket adds its own.
        /// </summary>
        public static void WriteUdpHeader(byte[] buffer, int offset, int espLength, int peerPort)
        {
            NetworkByteOrder.WriteUInt16(buffer, offset, NatTraversalPort);
            NetworkByteOrder.WriteUInt16(buffer, offset + 2, peerPort);
            NetworkByteOrder.WriteUInt16(buffer, offset + 4, UdpHeaderLength + espLength);
            buffer[offset + 6] = 0;
            buffer[offset + 7] = 0;
        }
    }
}
