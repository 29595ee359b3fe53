namespace VpnAppliance.Ipsec.Ike
{
    /// <summary>
    /// Engine-wide IKE timing and limits. Defaults follow RFC 7296 §2.1/§2.4/§2.6 guidance and strongSwan's
    /// behaviour where the RFC leaves a choice; per-connection values (DPD, lifetimes) come from the config.
    /// </summary>
    public sealed class IkeSettings
    {
        /// <summary>First retransmission timeout of a request (RFC 7296 §2.1: exponential back-off).</summary>
        public int RetransmitTimeoutMs = 2000;
        /// <summary>Back-off factor, percent (200 = doubling).</summary>
        public int RetransmitBackoffPercent = 200;
        /// <summary>Transmissions of a request (the first one included) before the peer is declared dead.</summary>
        public int RetransmitTries = 5;
        /// <summary>Half-open IKE SAs (responder, IKE_SA_INIT answered, no IKE_AUTH yet) above which COOKIE is demanded (§2.6).</summary>
        public int CookieThreshold = 8;
        /// <summary>A half-open or unfinished SA is dropped after this long (bounded state, DESIGN.md rule 4).</summary>
        public int HalfOpenTimeoutMs = 30000;
        /// <summary>NAT-T keepalive interval (RFC 3948 §2.3; strongSwan keep_alive 20 s).</summary>
        public int NatKeepaliveMs = 20000;
        /// <summary>Largest IKE message sent unfragmented when the peer supports RFC 7383 (IPv4 minimum MTU 576 is too small for KE; 1280 as strongSwan).</summary>
        public int FragmentSize = 1280 - 28 - 4;
        /// <summary>First delay before an initiator connection retries after a failure.</summary>
        public int RetryDelayMs = 2000;
        /// <summary>Largest retry delay (the delay doubles after each failure up to this).</summary>
        public int RetryDelayMaxMs = 60000;
        /// <summary>Nonce length we send (RFC 7296 §2.10: at least half the prf key size, and at least 16 octets).</summary>
        public int NonceLength = 32;
    }
}
