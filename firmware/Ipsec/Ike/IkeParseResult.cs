namespace VpnAppliance.Ipsec.Ike
{
    /// <summary>
    /// Outcome of parsing (or emitting) an IKEv2 message or payload. Parsers never throw: every malformed input
    /// maps to one of these (RFC 7296 §2.21.1: errors in unauthenticated messages are mostly silently dropped, so
    /// the caller decides what to answer).
    /// </summary>
    public enum IkeParseResult
    {
        /// <summary>Well formed.</summary>
        Ok = 0,
        /// <summary>Fewer bytes than the fixed part of a header or than a length field claims.</summary>
        Truncated = 1,
        /// <summary>A length field is inconsistent (smaller than its header, or disagrees with the datagram).</summary>
        BadLength = 2,
        /// <summary>Major version is not 2 (RFC 7296 §3.1: answer INVALID_MAJOR_VERSION, notify type 5).</summary>
        InvalidMajorVersion = 3,
        /// <summary>Exchange type is not 34, 35, 36 or 37 (RFC 7296 §3.1).</summary>
        UnknownExchangeType = 4,
        /// <summary>An unrecognized payload with the critical bit set (RFC 7296 §2.5, §3.2: notify type 1).</summary>
        UnsupportedCriticalPayload = 5,
        /// <summary>More payloads, proposals, transforms or selectors than the preallocated capacity.</summary>
        TooMany = 6,
        /// <summary>A field value forbidden by the RFC (e.g. a Last Substruc value other than 0/2/3, RFC 7296 §3.3.1).</summary>
        InvalidSyntax = 7,
        /// <summary>Emit: the output buffer is too small.</summary>
        BufferTooSmall = 8,
    }
}
