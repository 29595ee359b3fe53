namespace VpnAppliance.Ipsec.Ike
{
    /// <summary>
    /// Notify Message Types (RFC 7296 §3.10.1): 1..16383 are errors, 16384 and up are status. Values are the IANA
    /// "IKEv2 Notify Message Types" registry; those outside RFC 7296 name their RFC.
    /// </summary>
    public static class IkeNotifyType
    {
        /// <summary>UNSUPPORTED_CRITICAL_PAYLOAD (§3.10.1); data is the one-octet payload type.</summary>
        public const ushort UnsupportedCriticalPayload = 1;
        /// <summary>INVALID_IKE_SPI.</summary>
        public const ushort InvalidIkeSpi = 4;
        /// <summary>INVALID_MAJOR_VERSION.</summary>
        public const ushort InvalidMajorVersion = 5;
        /// <summary>INVALID_SYNTAX.</summary>
        public const ushort InvalidSyntax = 7;
        /// <summary>INVALID_MESSAGE_ID.</summary>
        public const ushort InvalidMessageId = 9;
        /// <summary>INVALID_SPI.</summary>
        public const ushort InvalidSpi = 11;
        /// <summary>NO_PROPOSAL_CHOSEN.</summary>
        public const ushort NoProposalChosen = 14;
        /// <summary>INVALID_KE_PAYLOAD; data is the two-octet accepted DH group (§1.2).</summary>
        public const ushort InvalidKePayload = 17;
        /// <summary>AUTHENTICATION_FAILED.</summary>
        public const ushort AuthenticationFailed = 24;
        /// <summary>SINGLE_PAIR_REQUIRED.</summary>
        public const ushort SinglePairRequired = 34;
        /// <summary>NO_ADDITIONAL_SAS.</summary>
        public const ushort NoAdditionalSas = 35;
        /// <summary>INTERNAL_ADDRESS_FAILURE.</summary>
        public const ushort InternalAddressFailure = 36;
        /// <summary>FAILED_CP_REQUIRED.</summary>
        public const ushort FailedCpRequired = 37;
        /// <summary>TS_UNACCEPTABLE.</summary>
        public const ushort TsUnacceptable = 38;
        /// <summary>INVALID_SELECTORS.</summary>
        public const ushort InvalidSelectors = 39;
        /// <summary>TEMPORARY_FAILURE.</summary>
        public const ushort TemporaryFailure = 43;
        /// <summary>CHILD_SA_NOT_FOUND.</summary>
        public const ushort ChildSaNotFound = 44;
        /// <summary>Largest error type (§3.10.1): types below 16384 are errors.</summary>
        public const ushort LastError = 16383;
        /// <summary>INITIAL_CONTACT.</summary>
        public const ushort InitialContact = 16384;
        /// <summary>SET_WINDOW_SIZE.</summary>
        public const ushort SetWindowSize = 16385;
        /// <summary>ADDITIONAL_TS_POSSIBLE.</summary>
        public const ushort AdditionalTsPossible = 16386;
        /// <summary>IPCOMP_SUPPORTED.</summary>
        public const ushort IpcompSupported = 16387;
        /// <summary>NAT_DETECTION_SOURCE_IP (§2.23); data is a 20-octet SHA-1 hash.</summary>
        public const ushort NatDetectionSourceIp = 16388;
        /// <summary>NAT_DETECTION_DESTINATION_IP (§2.23).</summary>
        public const ushort NatDetectionDestinationIp = 16389;
        /// <summary>COOKIE (§2.6); data 1..64 octets.</summary>
        public const ushort Cookie = 16390;
        /// <summary>USE_TRANSPORT_MODE.</summary>
        public const ushort UseTransportMode = 16391;
        /// <summary>HTTP_CERT_LOOKUP_SUPPORTED.</summary>
        public const ushort HttpCertLookupSupported = 16392;
        /// <summary>REKEY_SA (§1.3.3); carries the SPI of the Child SA being rekeyed.</summary>
        public const ushort RekeySa = 16393;
        /// <summary>ESP_TFC_PADDING_NOT_SUPPORTED.</summary>
        public const ushort EspTfcPaddingNotSupported = 16394;
        /// <summary>NON_FIRST_FRAGMENTS_ALSO.</summary>
        public const ushort NonFirstFragmentsAlso = 16395;
        /// <summary>MOBIKE_SUPPORTED (RFC 4555 §4.2.1).</summary>
        public const ushort MobikeSupported = 16396;
        /// <summary>IKEV2_FRAGMENTATION_SUPPORTED (RFC 7383 §2.3).</summary>
        public const ushort Ikev2FragmentationSupported = 16430;
        /// <summary>SIGNATURE_HASH_ALGORITHMS (RFC 7427 §4).</summary>
        public const ushort SignatureHashAlgorithms = 16431;

        /// <summary>True for error types (1..16383, RFC 7296 §3.10.1).</summary>
        public static bool IsError(ushort type)
        {
            return type != 0 && type <= LastError;
        }
    }
}
