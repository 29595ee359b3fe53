namespace VpnAppliance.Tcp
{
    /// <summary>
    /// Tunables of the compact TCP, with the RFC defaults. Tests lower the timers (virtual time makes that
    /// unnecessary for speed, but it keeps runs short); the firmware uses the defaults.
    /// </summary>
    public sealed class TcpSettings
    {
        /// <summary>
        /// MSS we announce and the largest segment data we send (RFC 9293 §3.7.1). 1360 = an inner MTU of 1400
        /// (what fits in an ESP-in-UDP tunnel over a 1500-byte path) minus 40 bytes of IPv4 and TCP headers.
        /// </summary>
        public int MaximumSegmentSize = 1360;

        /// <summary>RFC 6298 §2.1: RTO before the first RTT sample.</summary>
        public int InitialRtoMs = 1000;

        /// <summary>RFC 6298 §2.4: lower bound of RTO (1 s; tests may lower it).</summary>
        public int MinimumRtoMs = 1000;

        /// <summary>RFC 6298 §2.5: upper bound of RTO (60 s).</summary>
        public int MaximumRtoMs = 60000;

        /// <summary>
        /// Retransmissions of one segment before the connection is given up (RFC 9293 §3.8.3 threshold R2;
        /// with RTO doubling from 1 s up to 60 s, 8 retransmissions last about 3 minutes, above the 100 s
        /// R2 asks for data and the 3 minutes it asks for a SYN).
        /// </summary>
        public int MaximumRetransmissions = 8;

        /// <summary>
        /// TIME-WAIT duration. RFC 9293 §3.3.2 says 2 MSL (4 minutes); we bound it to 60 s (RFC 6528's ISNs and
        /// the RFC 5961 checks protect a new incarnation), and a slot in TIME-WAIT is recycled when the pool is full.
        /// </summary>
        public int TimeWaitMs = 60000;

        /// <summary>How long FIN-WAIT-2 waits for the peer's FIN after our user closed (bounded, as common stacks do).</summary>
        public int FinWait2TimeoutMs = 60000;

        /// <summary>First interval of the persist timer (zero-window probes, RFC 9293 §3.8.6.1); it backs off up to <see cref="MaximumRtoMs"/>.</summary>
        public int PersistInitialMs = 1000;

        /// <summary>
        /// Verify the TCP checksum in OnSegment. The router (firmware/Net) already verifies it before handing a
        /// segment to the local transport; set false there to skip the second pass. Header checks always run.
        /// </summary>
        public bool VerifyChecksum = true;

        /// <summary>Bytes left free before the TCP header in the output buffer, for an IP header written in place.</summary>
        public int OutputHeadroom = 0;
    }
}
