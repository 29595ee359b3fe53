namespace VpnAppliance.Bgp.Wire
{
    /// <summary>
    /// NOTIFICATION Error Codes and Error Subcodes (RFC 4271 §4.5 and §6; Unsupported Capability RFC 5492 §5;
    /// FSM Error subcodes RFC 6608 §4; Cease subcodes RFC 4486 §4 and RFC 8538 §5; ROUTE-REFRESH Message Error
    /// RFC 7313 §5). Subcode constants are named &lt;Code&gt;&lt;Subcode&gt; and are only meaningful with their code.
    /// </summary>
    public static class NotificationCode
    {
        /// <summary>Message Header Error (RFC 4271 §6.1).</summary>
        public const int MessageHeaderError = 1;
        /// <summary>OPEN Message Error (RFC 4271 §6.2).</summary>
        public const int OpenMessageError = 2;
        /// <summary>UPDATE Message Error (RFC 4271 §6.3).</summary>
        public const int UpdateMessageError = 3;
        /// <summary>Hold Timer Expired (RFC 4271 §6.5).</summary>
        public const int HoldTimerExpired = 4;
        /// <summary>Finite State Machine Error (RFC 4271 §6.6, subcodes RFC 6608).</summary>
        public const int FiniteStateMachineError = 5;
        /// <summary>Cease (RFC 4271 §6.7, subcodes RFC 4486).</summary>
        public const int Cease = 6;
        /// <summary>ROUTE-REFRESH Message Error (RFC 7313 §5).</summary>
        public const int RouteRefreshMessageError = 7;

        /// <summary>Subcode 0: no more specific subcode applies (RFC 4271 §4.5).</summary>
        public const int Unspecific = 0;

        /// <summary>Message Header Error: marker not all ones (RFC 4271 §6.1).</summary>
        public const int HeaderConnectionNotSynchronized = 1;
        /// <summary>Message Header Error: bad Length; data = the Length field (RFC 4271 §6.1).</summary>
        public const int HeaderBadMessageLength = 2;
        /// <summary>Message Header Error: unknown Type; data = the Type field (RFC 4271 §6.1).</summary>
        public const int HeaderBadMessageType = 3;

        /// <summary>OPEN: Unsupported Version Number; data = largest supported version, 2 octets (RFC 4271 §6.2).</summary>
        public const int OpenUnsupportedVersionNumber = 1;
        /// <summary>OPEN: Bad Peer AS (RFC 4271 §6.2).</summary>
        public const int OpenBadPeerAs = 2;
        /// <summary>OPEN: Bad BGP Identifier (RFC 4271 §6.2, RFC 6286 §2.2).</summary>
        public const int OpenBadBgpIdentifier = 3;
        /// <summary>OPEN: Unsupported Optional Parameter (RFC 4271 §6.2).</summary>
        public const int OpenUnsupportedOptionalParameter = 4;
        /// <summary>OPEN: Unacceptable Hold Time (RFC 4271 §6.2).</summary>
        public const int OpenUnacceptableHoldTime = 6;
        /// <summary>OPEN: Unsupported Capability; data = the capabilities required but missing (RFC 5492 §5).</summary>
        public const int OpenUnsupportedCapability = 7;
        /// <summary>OPEN: Role Mismatch (RFC 9234 §4.2).</summary>
        public const int OpenRoleMismatch = 11;

        /// <summary>UPDATE: Malformed Attribute List (RFC 4271 §6.3).</summary>
        public const int UpdateMalformedAttributeList = 1;
        /// <summary>UPDATE: Unrecognized Well-known Attribute (RFC 4271 §6.3).</summary>
        public const int UpdateUnrecognizedWellKnownAttribute = 2;
        /// <summary>UPDATE: Missing Well-known Attribute (RFC 4271 §6.3).</summary>
        public const int UpdateMissingWellKnownAttribute = 3;
        /// <summary>UPDATE: Attribute Flags Error (RFC 4271 §6.3).</summary>
        public const int UpdateAttributeFlagsError = 4;
        /// <summary>UPDATE: Attribute Length Error (RFC 4271 §6.3).</summary>
        public const int UpdateAttributeLengthError = 5;
        /// <summary>UPDATE: Invalid ORIGIN Attribute (RFC 4271 §6.3).</summary>
        public const int UpdateInvalidOriginAttribute = 6;
        /// <summary>UPDATE: Invalid NEXT_HOP Attribute (RFC 4271 §6.3).</summary>
        public const int UpdateInvalidNextHopAttribute = 8;
        /// <summary>UPDATE: Optional Attribute Error (RFC 4271 §6.3; RFC 4760 §7 for MP_REACH/MP_UNREACH).</summary>
        public const int UpdateOptionalAttributeError = 9;
        /// <summary>UPDATE: Invalid Network Field (RFC 4271 §6.3).</summary>
        public const int UpdateInvalidNetworkField = 10;
        /// <summary>UPDATE: Malformed AS_PATH (RFC 4271 §6.3).</summary>
        public const int UpdateMalformedAsPath = 11;

        /// <summary>FSM Error: Receive Unexpected Message in OpenSent State (RFC 6608 §4).</summary>
        public const int FsmUnexpectedMessageInOpenSent = 1;
        /// <summary>FSM Error: Receive Unexpected Message in OpenConfirm State (RFC 6608 §4).</summary>
        public const int FsmUnexpectedMessageInOpenConfirm = 2;
        /// <summary>FSM Error: Receive Unexpected Message in Established State (RFC 6608 §4).</summary>
        public const int FsmUnexpectedMessageInEstablished = 3;

        /// <summary>Cease: Maximum Number of Prefixes Reached; data = AFI 2, SAFI 1, prefix upper bound 4 (RFC 4486 §4).</summary>
        public const int CeaseMaximumNumberOfPrefixesReached = 1;
        /// <summary>Cease: Administrative Shutdown; data may be a Shutdown Communication (RFC 4486 §4, RFC 9003 §2).</summary>
        public const int CeaseAdministrativeShutdown = 2;
        /// <summary>Cease: Peer De-configured (RFC 4486 §4).</summary>
        public const int CeasePeerDeconfigured = 3;
        /// <summary>Cease: Administrative Reset; data may be a Shutdown Communication (RFC 4486 §4, RFC 9003 §2).</summary>
        public const int CeaseAdministrativeReset = 4;
        /// <summary>Cease: Connection Rejected (RFC 4486 §4).</summary>
        public const int CeaseConnectionRejected = 5;
        /// <summary>Cease: Other Configuration Change (RFC 4486 §4).</summary>
        public const int CeaseOtherConfigurationChange = 6;
        /// <summary>Cease: Connection Collision Resolution (RFC 4486 §4).</summary>
        public const int CeaseConnectionCollisionResolution = 7;
        /// <summary>Cease: Out of Resources (RFC 4486 §4).</summary>
        public const int CeaseOutOfResources = 8;
        /// <summary>Cease: Hard Reset (RFC 8538 §5).</summary>
        public const int CeaseHardReset = 9;
        /// <summary>Cease: BFD Down (RFC 9384 §2).</summary>
        public const int CeaseBfdDown = 10;

        /// <summary>ROUTE-REFRESH Message Error: Invalid Message Length; data = the whole message (RFC 7313 §5).</summary>
        public const int RouteRefreshInvalidMessageLength = 1;
    }
}
