namespace VpnAppliance.Ipsec.Ike
{
    /// <summary>Next Payload / payload type numbers (RFC 7296 §3.2; SKF from RFC 7383 §2.5).</summary>
    public static class IkePayloadType
    {
        /// <summary>No Next Payload (RFC 7296 §3.2).</summary>
        public const byte None = 0;
        /// <summary>Security Association, SA (§3.3).</summary>
        public const byte SecurityAssociation = 33;
        /// <summary>Key Exchange, KE (§3.4).</summary>
        public const byte KeyExchange = 34;
        /// <summary>Identification - Initiator, IDi (§3.5).</summary>
        public const byte IdInitiator = 35;
        /// <summary>Identification - Responder, IDr (§3.5).</summary>
        public const byte IdResponder = 36;
        /// <summary>Certificate, CERT (§3.6).</summary>
        public const byte Certificate = 37;
        /// <summary>Certificate Request, CERTREQ (§3.7).</summary>
        public const byte CertificateRequest = 38;
        /// <summary>Authentication, AUTH (§3.8).</summary>
        public const byte Authentication = 39;
        /// <summary>Nonce, Ni/Nr (§3.9).</summary>
        public const byte Nonce = 40;
        /// <summary>Notify, N (§3.10).</summary>
        public const byte Notify = 41;
        /// <summary>Delete, D (§3.11).</summary>
        public const byte Delete = 42;
        /// <summary>Vendor ID, V (§3.12).</summary>
        public const byte VendorId = 43;
        /// <summary>Traffic Selector - Initiator, TSi (§3.13).</summary>
        public const byte TsInitiator = 44;
        /// <summary>Traffic Selector - Responder, TSr (§3.13).</summary>
        public const byte TsResponder = 45;
        /// <summary>Encrypted and Authenticated, SK (§3.14); always the last payload of a message.</summary>
        public const byte Encrypted = 46;
        /// <summary>Configuration, CP (§3.15).</summary>
        public const byte Configuration = 47;
        /// <summary>Extensible Authentication, EAP (§3.16).</summary>
        public const byte Eap = 48;
        /// <summary>Encrypted and Authenticated Fragment, SKF (RFC 7383 §2.5); also last in its message.</summary>
        public const byte EncryptedFragment = 53;

        /// <summary>True for the payload types this codec recognizes (unknown ones may be skipped if not critical).</summary>
        public static bool IsKnown(byte type)
        {
            return (type >= SecurityAssociation && type <= Eap) || type == EncryptedFragment;
        }
    }
}
