namespace VpnAppliance.Wire
{
    /// <summary>
    /// Outcome of checking or parsing a header. Every parser in this folder returns one of these and
    /// never throws, whatever the input.
    /// </summary>
    public enum WireResult
    {
        /// <summary>The header is well formed; the view or parsed form is valid.</summary>
        Ok = 0,

        /// <summary>Fewer bytes than the header (or the length it declares) needs.</summary>
        Truncated = 1,

        /// <summary>A version field has a value this parser does not handle (IPv4: version is not 4).</summary>
        BadVersion = 2,

        /// <summary>A header length field is below the minimum (IPv4 IHL &lt; 5, TCP data offset &lt; 5).</summary>
        BadHeaderLength = 3,

        /// <summary>The internet checksum does not verify.</summary>
        BadChecksum = 4,

        /// <summary>A length field is inconsistent (IPv4 total length below the header length, UDP length below 8) or out of range on emit.</summary>
        BadLength = 5,

        /// <summary>The structure is invalid (e.g. a TCP option whose length is below 2, runs past the options, or is wrong for its kind).</summary>
        Malformed = 6,

        /// <summary>Well formed but not handled here (ARP for other than Ethernet/IPv4, an 802.3 length instead of an EtherType, an ICMP type without a parsed form).</summary>
        Unsupported = 7,

        /// <summary>The (buffer, offset, length) window itself is invalid: null buffer, negative offset or length, or it runs past the end of the buffer.</summary>
        OutOfRange = 8,
    }
}
