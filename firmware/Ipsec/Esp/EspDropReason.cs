namespace VpnAppliance.Ipsec
{
    /// <summary>
    /// Why an ESP packet was not delivered (inbound) or not sent (outbound). Each is counted per SA (when the SA
    /// is known) and globally (<see cref="EspCounters"/>).
    /// </summary>
    public enum EspDropReason
    {
        /// <summary>Not dropped.</summary>
        None = 0,
        /// <summary>Shorter than an ESP header + IV + ICV + one block, or not a whole number of cipher blocks.</summary>
        Truncated = 1,
        /// <summary>No installed inbound SA has this SPI (RFC 4303 §3.4.2: discard, auditable event).</summary>
        UnknownSpi = 2,
        /// <summary>Duplicate or left of the anti-replay window (RFC 4303 §3.4.3).</summary>
        Replay = 3,
        /// <summary>Integrity check failed (RFC 4303 §3.4.4): nothing in the packet was acted on.</summary>
        IcvFailed = 4,
        /// <summary>Pad Length exceeds the plaintext or the pad bytes are not 1, 2, 3, ... (RFC 4303 §2.4).</summary>
        BadPadding = 5,
        /// <summary>Next Header is neither 4 (IPv4, tunnel mode) nor 59 (RFC 4303 §2.6).</summary>
        BadNextHeader = 6,
        /// <summary>The SA's hard lifetime (bytes, packets or time) has passed (RFC 4301 §4.4.2.1).</summary>
        LifetimeExpired = 7,
        /// <summary>A dummy packet, Next Header 59, silently discarded (RFC 4303 §2.6); not an error.</summary>
        DummyPacket = 8,
        /// <summary>Outbound: the 32-bit sequence number would cycle without ESN (RFC 4303 §3.3.3): rekey.</summary>
        SequenceExhausted = 9,
        /// <summary>Outbound: no installed outbound SA on the tunnel interface.</summary>
        NoSa = 10,
        /// <summary>The packet does not fit the buffer, the headroom or the tunnel MTU.</summary>
        TooLarge = 11,
        /// <summary>The crypto provider refused the operation (wrong state or length) or the DRBG had no entropy.</summary>
        CryptoError = 12,
        /// <summary>The WAN UDP port refused the datagram (busy, down, too large).</summary>
        PortRefused = 13,
    }
}
