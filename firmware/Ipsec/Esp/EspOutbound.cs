using VpnAppliance.Hal.Crypto;
using VpnAppliance.Wire;

namespace VpnAppliance.Ipsec
{
    // Outbound ESP processing, tunnel mode (RFC 4303 §3.3), in place:
    //
    //   buffer:  [ headroom ............ | inner IPv4 packet | tailroom ............ ]
    //                      espOffset     innerOffset
    //   result:  [ SPI | Seq | IV        | E(inner | pad 1,2,3.. | padlen | 4)       | ICV ]
    //
    //   1. the SA must be keyed and not past its hard lifetime;
    //   2. sequence number = last + 1; the counter must not cycle (RFC 4303 §3.3.3): after 2^32 - 1 (2^64 - 1
    //      with ESN) the SA is exhausted and must be replaced (rekey), so the packet is dropped;
    //   3. pad so that payload + padding + 2 is a multiple of the block (16 for CBC, RFC 3602 §3; 4 for GCM,
    //      RFC 4106 §3.2), pad bytes 1, 2, 3, ... (RFC 4303 §2.4), Next Header 4 (IPv4, tunnel mode);
    //   4. GCM: IV = the 64-bit sequence number (unique per key, RFC 4106 §3.1), AAD = SPI || [seq high] ||
    //      seq low (RFC 4106 §5), ICV = the 16-byte tag; CBC: IV = 16 random bytes from the DRBG (RFC 3602 §3),
    //      encrypt, then ICV = truncated HMAC over SPI .. end of ciphertext, plus the implicit high 32 bits of
    //      the sequence number under ESN (RFC 4303 §3.3.2.1, Appendix A);
    //   5. the counter advances only when the packet was built.
    //
    // The caller hands the result to the WAN socket (which adds UDP and IPv4 headers) or, with
    // EspPacket.WriteUdpHeader in the 8 bytes before espOffset, to a path that wants the UDP header.

    /// <summary>Builds ESP packets in place. One instance per ESP plane (scratch buffers); no allocation per packet.</summary>
    public sealed class EspOutbound
    {
        private const uint SoftSequenceLimit = 0xFF000000; // without ESN: ask for a rekey 2^24 packets before the end

        private readonly IRandom _random;
        private readonly byte[] _aad = new byte[12];
        private readonly byte[] _mac = new byte[64];
        private readonly byte[] _high = new byte[4];

        /// <summary>Creates the processor; <paramref name="random"/> supplies CBC IVs (RFC 3602 §3).</summary>
        public EspOutbound(IRandom random)
        {
            _random = random;
        }

        /// <summary>Headroom the SA needs before the inner packet for the ESP packet alone (ESP header + IV).</summary>
        public static int HeaderLength(EspSecurityAssociation sa)
        {
            return EspPacket.HeaderLength + sa.IvLength;
        }

        /// <summary>
        /// Bytes the ESP packet of an inner packet of <paramref name="innerLength"/> bytes takes under
        /// <paramref name="sa"/> (header, IV, padded payload, trailer, ICV).
        /// </summary>
        public static int ProtectedLength(EspSecurityAssociation sa, int innerLength)
        {
            int block = sa.PadBlock < 1 ? 1 : sa.PadBlock;
            int padded = (innerLength + EspPacket.TrailerLength + block - 1) / block * block;
            return EspPacket.HeaderLength + sa.IvLength + padded + sa.IcvLength;
        }

        /// <summary>
        /// Protects the inner IPv4 packet buffer[innerOffset .. innerOffset + innerLength) in place. Needs
        /// <see cref="HeaderLength"/> bytes before it and padding + trailer + ICV after it, up to
        /// <paramref name="limit"/> (exclusive end of the usable buffer). On None, the ESP packet is
        /// buffer[espOffset .. espOffset + espLength). On any other result nothing is sent and the SA's sequence
        /// counter is unchanged; the drop is counted on the SA (the caller counts it globally).
        /// </summary>
        public EspDropReason Protect(EspSecurityAssociation sa, byte[] buffer, int innerOffset, int innerLength, int limit,
            long nowMs, out int espOffset, out int espLength)
        {
            espOffset = 0;
            espLength = 0;
            EspDropReason reason = Build(sa, buffer, innerOffset, innerLength, limit, nowMs, ref espOffset, ref espLength);
            if (reason != EspDropReason.None && sa != null)
            {
                sa.Counters.CountDrop(reason);
            }

            return reason;
        }

        private EspDropReason Build(EspSecurityAssociation sa, byte[] buffer, int innerOffset, int innerLength, int limit,
            long nowMs, ref int espOffset, ref int espLength)
        {
            if (sa == null || !sa.IsKeyed)
            {
                return EspDropReason.NoSa;
            }

            if (sa.UpdateLifetime(nowMs))
            {
                return EspDropReason.LifetimeExpired;
            }

            if ((!sa.ExtendedSequenceNumbers && sa.LastSequence >= 0xFFFFFFFF) || sa.LastSequence == ulong.MaxValue)
            {
                sa.SoftExpired = true;
                sa.HardExpired = true;
                return EspDropReason.SequenceExhausted;
            }

            int header = HeaderLength(sa);
            int total = ProtectedLength(sa, innerLength);
            int start = innerOffset - header;
            if (buffer == null || innerLength < 0 || start < 0 || limit > buffer.Length || innerOffset > limit - innerLength ||
                start > limit - total)
            {
                return EspDropReason.TooLarge;
            }

            // RFC 4303 §2.4: padding 1, 2, 3, ...; then Pad Length and Next Header (§2.5, §2.6).
            int padded = total - header - sa.IcvLength;
            int padLength = padded - innerLength - EspPacket.TrailerLength;
            int p = innerOffset + innerLength;
            for (int i = 1; i <= padLength; i++)
            {
                buffer[p++] = (byte)i;
            }

            buffer[p++] = (byte)padLength;
            buffer[p] = EspPacket.NextHeaderIpv4;

            ulong sequence = sa.LastSequence + 1;
            uint high = (uint)(sequence >> 32);
            NetworkByteOrder.WriteUInt32(buffer, start + EspPacket.SpiField, sa.Spi);
            NetworkByteOrder.WriteUInt32(buffer, start + EspPacket.SequenceField, (uint)sequence);
            int ivOffset = start + EspPacket.HeaderLength;
            int icvOffset = innerOffset + padded;

            if (sa.IsAead)
            {
                // RFC 4106 §3.1: the IV only has to be unique per key; the sequence number is.
                NetworkByteOrder.WriteUInt32(buffer, ivOffset, high);
                NetworkByteOrder.WriteUInt32(buffer, ivOffset + 4, (uint)sequence);
                int aadLength = WriteAad(_aad, sa.Spi, sa.ExtendedSequenceNumbers, high, (uint)sequence);
                CryptoResult sealedResult = sa.Gcm.Seal(buffer, ivOffset, _aad, 0, aadLength, buffer, innerOffset, padded,
                    buffer, innerOffset, buffer, icvOffset);
                if (sealedResult != CryptoResult.Ok)
                {
                    return EspDropReason.CryptoError;
                }
            }
            else
            {
                if (_random == null || _random.NextBytes(buffer, ivOffset, sa.IvLength) != CryptoResult.Ok)
                {
                    return EspDropReason.CryptoError;
                }

                if (sa.Cbc.Encrypt(buffer, ivOffset, buffer, innerOffset, padded, buffer, innerOffset) != CryptoResult.Ok)
                {
                    return EspDropReason.CryptoError;
                }

                IMac mac = sa.Mac;
                mac.Reset();
                mac.Update(buffer, start, icvOffset - start);
                if (sa.ExtendedSequenceNumbers)
                {
                    NetworkByteOrder.WriteUInt32(_high, 0, high); // RFC 4303 §2.2.1: implicit, authenticated
                    mac.Update(_high, 0, 4);
                }

                mac.Final(_mac, 0);
                System.Array.Copy(_mac, 0, buffer, icvOffset, sa.IcvLength);
            }

            sa.LastSequence = sequence;
            sa.Counters.Packets++;
            sa.Counters.Bytes += innerLength;
            if (!sa.ExtendedSequenceNumbers && sequence >= SoftSequenceLimit)
            {
                sa.SoftExpired = true;
            }

            sa.UpdateLifetime(nowMs);
            espOffset = start;
            espLength = total;
            return EspDropReason.None;
        }

        // RFC 4106 §5: AAD = SPI || 32-bit seq (8 bytes), or SPI || 64-bit ESN (high then low, 12 bytes).
        /// <summary>Writes the GCM AAD (both directions use it).</summary>
        internal static int WriteAad(byte[] aad, uint spi, bool esn, uint high, uint low)
        {
            NetworkByteOrder.WriteUInt32(aad, 0, spi);
            if (esn)
            {
                NetworkByteOrder.WriteUInt32(aad, 4, high);
                NetworkByteOrder.WriteUInt32(aad, 8, low);
                return 12;
            }

            NetworkByteOrder.WriteUInt32(aad, 4, low);
            return 8;
        }
    }
}
