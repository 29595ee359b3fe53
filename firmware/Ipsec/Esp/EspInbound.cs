using VpnAppliance.Hal.Crypto;
using VpnAppliance.Wire;

namespace VpnAppliance.Ipsec
{
    // Inbound ESP processing for one SA, tunnel mode (RFC 4303 §3.4), in place. Order (DESIGN.md rule 4: nothing
    // unauthenticated changes state):
    //
    //   1. lengths: header + IV + ICV + trailer present; CBC ciphertext a whole number of blocks   -> Truncated
    //   2. SA keyed and within its hard lifetime                                                  -> LifetimeExpired
    //   3. anti-replay pre-check (pure; infers the ESN high bits, RFC 4303 Appendix A2.2)          -> Replay
    //   4. ICV verify (RFC 4303 §3.4.4): CBC: HMAC over SPI .. ciphertext (+ implicit seq high) compared in
    //      constant time; GCM: the tag is verified before any plaintext is released (IAeadCipher.Open) -> IcvFailed
    //   5. only now: window update (§3.4.3), then decrypt (CBC; GCM's plaintext came with step 4)
    //   6. Pad Length within the plaintext and pad bytes 1, 2, 3, ... (§2.4)                      -> BadPadding
    //   7. Next Header: 59 = dummy, discarded (§2.6)                                              -> DummyPacket
    //                   anything but 4 (IPv4) in tunnel mode                                      -> BadNextHeader
    //   8. count packet and inner bytes, re-evaluate lifetimes.
    //
    // Steps 1-4 leave the SA untouched except the drop counter.

    /// <summary>Verifies and decrypts ESP packets in place. One instance per ESP plane; no allocation per packet.</summary>
    public sealed class EspInbound
    {
        private readonly byte[] _aad = new byte[12];
        private readonly byte[] _mac = new byte[64];
        private readonly byte[] _high = new byte[4];

        /// <summary>
        /// Unprotects the ESP packet buffer[espOffset .. espOffset + espLength) whose SPI selected
        /// <paramref name="sa"/>. On None the inner IPv4 packet is buffer[innerOffset .. innerOffset + innerLength).
        /// Every other result is counted on the SA (the caller counts it globally).
        /// </summary>
        public EspDropReason Unprotect(EspSecurityAssociation sa, byte[] buffer, int espOffset, int espLength, long nowMs,
            out int innerOffset, out int innerLength)
        {
            innerOffset = 0;
            innerLength = 0;
            EspDropReason reason = Open(sa, buffer, espOffset, espLength, nowMs, ref innerOffset, ref innerLength);
            if (reason != EspDropReason.None && sa != null)
            {
                sa.Counters.CountDrop(reason);
            }

            return reason;
        }

        private EspDropReason Open(EspSecurityAssociation sa, byte[] buffer, int espOffset, int espLength, long nowMs,
            ref int innerOffset, ref int innerLength)
        {
            if (sa == null || !sa.IsKeyed)
            {
                return EspDropReason.UnknownSpi;
            }

            if (buffer == null || espOffset < 0 || espLength < 0 || espOffset > buffer.Length - espLength)
            {
                return EspDropReason.Truncated;
            }

            int ivOffset = espOffset + EspPacket.HeaderLength;
            int cipherOffset = ivOffset + sa.IvLength;
            int cipherLength = espLength - EspPacket.HeaderLength - sa.IvLength - sa.IcvLength;
            if (cipherLength < EspPacket.TrailerLength || (!sa.IsAead && cipherLength % 16 != 0))
            {
                return EspDropReason.Truncated;
            }

            if (sa.UpdateLifetime(nowMs))
            {
                return EspDropReason.LifetimeExpired;
            }

            ulong sequence;
            if (sa.Window.Check(EspPacket.ReadSequence(buffer, espOffset), out sequence) != ReplayCheck.Ok)
            {
                return EspDropReason.Replay;
            }

            uint high = (uint)(sequence >> 32);
            int icvOffset = cipherOffset + cipherLength;
            if (sa.IsAead)
            {
                int aadLength = EspOutbound.WriteAad(_aad, sa.Spi, sa.ExtendedSequenceNumbers, high, (uint)sequence);
                CryptoResult opened = sa.Gcm.Open(buffer, ivOffset, _aad, 0, aadLength, buffer, cipherOffset, cipherLength,
                    buffer, icvOffset, buffer, cipherOffset);
                if (opened == CryptoResult.AuthenticationFailed)
                {
                    return EspDropReason.IcvFailed;
                }

                if (opened != CryptoResult.Ok)
                {
                    return EspDropReason.CryptoError;
                }

                if (!sa.Window.Update(sequence))
                {
                    return EspDropReason.Replay;
                }
            }
            else
            {
                IMac mac = sa.Mac;
                mac.Reset();
                mac.Update(buffer, espOffset, icvOffset - espOffset);
                if (sa.ExtendedSequenceNumbers)
                {
                    NetworkByteOrder.WriteUInt32(_high, 0, high); // RFC 4303 §2.2.1: implicit, authenticated
                    mac.Update(_high, 0, 4);
                }

                mac.Final(_mac, 0);
                if (!ConstantTime.AreEqual(_mac, 0, buffer, icvOffset, sa.IcvLength))
                {
                    return EspDropReason.IcvFailed;
                }

                if (!sa.Window.Update(sequence))
                {
                    return EspDropReason.Replay;
                }

                if (sa.Cbc.Decrypt(buffer, ivOffset, buffer, cipherOffset, cipherLength, buffer, cipherOffset) != CryptoResult.Ok)
                {
                    return EspDropReason.CryptoError;
                }
            }

            // RFC 4303 §2.4-2.6: trailer at the end of the plaintext.
            int padLength = buffer[icvOffset - 2];
            byte nextHeader = buffer[icvOffset - 1];
            int payloadLength = cipherLength - EspPacket.TrailerLength - padLength;
            if (payloadLength < 0)
            {
                return EspDropReason.BadPadding;
            }

            int padOffset = cipherOffset + payloadLength;
            for (int i = 0; i < padLength; i++)
            {
                if (buffer[padOffset + i] != (byte)(i + 1))
                {
                    return EspDropReason.BadPadding;
                }
            }

            if (nextHeader == EspPacket.NextHeaderNone)
            {
                return EspDropReason.DummyPacket;
            }

            if (nextHeader != EspPacket.NextHeaderIpv4)
            {
                return EspDropReason.BadNextHeader;
            }

            sa.Counters.Packets++;
            sa.Counters.Bytes += payloadLength;
            sa.UpdateLifetime(nowMs);
            innerOffset = cipherOffset;
            innerLength = payloadLength;
            return EspDropReason.None;
        }
    }
}
