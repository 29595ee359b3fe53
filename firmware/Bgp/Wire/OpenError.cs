namespace VpnAppliance.Bgp.Wire
{
    /// <summary>
    /// Why an OPEN was refused: format errors from OpenMessage.Decode and content errors from OpenCheck.Validate
    /// (RFC 4271 §6.2, RFC 5492 §5, RFC 6793 §4.1, RFC 6286 §2.2). The NOTIFICATION to send is in the
    /// ErrorNotification passed alongside; OpenErrorText gives the log line.
    /// </summary>
    public enum OpenError
    {
        /// <summary>Acceptable.</summary>
        None = 0,
        /// <summary>Opt Parm Len or a parameter length does not add up (OPEN Message Error / Unspecific).</summary>
        MalformedOptionalParameters,
        /// <summary>An Optional Parameter other than Capabilities (OPEN Message Error / Unsupported Optional Parameter).</summary>
        UnsupportedOptionalParameter,
        /// <summary>A capability overruns its parameter, or a known capability has the wrong length (OPEN Message Error / Unspecific).</summary>
        MalformedCapability,
        /// <summary>Version other than 4 (Unsupported Version Number, data = 4).</summary>
        UnsupportedVersionNumber,
        /// <summary>The peer's AS is 0 or AS_TRANS (Bad Peer AS).</summary>
        PeerAsReserved,
        /// <summary>My AS contradicts the 4-octet AS capability (Bad Peer AS).</summary>
        PeerAsInconsistent,
        /// <summary>The peer's AS is not the configured remote AS (Bad Peer AS).</summary>
        PeerAsNotConfigured,
        /// <summary>BGP Identifier 0, or ours on an internal session (Bad BGP Identifier).</summary>
        BadBgpIdentifier,
        /// <summary>Hold Time 1 or 2 s, or below the configured minimum (Unacceptable Hold Time).</summary>
        UnacceptableHoldTime,
        /// <summary>The 4-octet AS capability is required but absent (Unsupported Capability).</summary>
        MissingFourOctetAsCapability,
        /// <summary>Multiprotocol capabilities without IPv4 unicast (Unsupported Capability).</summary>
        MissingIpv4UnicastCapability,
    }

    /// <summary>Log lines for OpenError values (literals: no allocation).</summary>
    public static class OpenErrorText
    {
        /// <summary>The log line for <paramref name="error"/>.</summary>
        public static string Describe(OpenError error)
        {
            switch (error)
            {
                case OpenError.None: return "OPEN accepted";
                case OpenError.MalformedOptionalParameters: return "OPEN refused: optional parameter lengths do not add up (RFC 4271 4.2)";
                case OpenError.UnsupportedOptionalParameter: return "OPEN refused: optional parameter other than Capabilities (RFC 4271 6.2)";
                case OpenError.MalformedCapability: return "OPEN refused: malformed capability (RFC 5492 4)";
                case OpenError.UnsupportedVersionNumber: return "OPEN refused: unsupported BGP version, only 4 (RFC 4271 6.2)";
                case OpenError.PeerAsReserved: return "OPEN refused: peer AS is 0 or AS_TRANS (RFC 7607, RFC 6793 9)";
                case OpenError.PeerAsInconsistent: return "OPEN refused: My AS disagrees with the 4-octet AS capability (RFC 6793 4.1)";
                case OpenError.PeerAsNotConfigured: return "OPEN refused: peer AS differs from the configured remote AS (RFC 4271 6.2)";
                case OpenError.BadBgpIdentifier: return "OPEN refused: BGP Identifier is zero or equals ours on an internal session (RFC 6286 2.2)";
                case OpenError.UnacceptableHoldTime: return "OPEN refused: unacceptable Hold Time (RFC 4271 6.2)";
                case OpenError.MissingFourOctetAsCapability: return "OPEN refused: peer lacks the 4-octet AS capability (RFC 5492 5)";
                case OpenError.MissingIpv4UnicastCapability: return "OPEN refused: peer does not offer IPv4 unicast (RFC 5492 5)";
                default: return "OPEN refused";
            }
        }
    }
}
