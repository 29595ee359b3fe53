namespace VpnAppliance.Tcp
{
    /// <summary>What <see cref="TcpStack.OnSegment"/> did with an inbound segment.</summary>
    public enum TcpInputResult
    {
        /// <summary>Processed by a connection or a listener (which may still have ignored it, as RFC 9293 §3.10.7 says).</summary>
        Processed = 0,

        /// <summary>The header is malformed (Wire check failed); dropped and counted.</summary>
        Malformed = 1,

        /// <summary>The checksum over the pseudo-header does not verify; dropped and counted.</summary>
        BadChecksum = 2,

        /// <summary>No connection or listener matches; a RST was sent unless the segment was itself a RST (RFC 9293 §3.10.7.1).</summary>
        NoConnection = 3,

        /// <summary>A SYN for a listener found the pool full; dropped and counted (the peer retransmits).</summary>
        Full = 4,
    }
}
