namespace VpnAppliance.Tcp
{
    /// <summary>Counters of the compact TCP (<c>show tcp statistics</c>); only ever incremented.</summary>
    public sealed class TcpCounters
    {
        /// <summary>Segments handed to OnSegment.</summary>
        public long SegmentsReceived;

        /// <summary>Segments written to the output.</summary>
        public long SegmentsSent;

        /// <summary>Segments dropped because the header is malformed.</summary>
        public long Malformed;

        /// <summary>Segments dropped because the checksum does not verify.</summary>
        public long BadChecksum;

        /// <summary>Segments for no connection or listener (answered with RST unless a RST).</summary>
        public long NoConnection;

        /// <summary>Segments outside the receive window (answered with an ACK unless a RST).</summary>
        public long OutOfWindow;

        /// <summary>Out-of-order segments held for later.</summary>
        public long OutOfOrder;

        /// <summary>Out-of-order segments refused because every reassembly range was in use.</summary>
        public long OutOfOrderRefused;

        /// <summary>Segments whose data had all been received already (duplicates).</summary>
        public long Duplicates;

        /// <summary>Retransmission timer expiries (RFC 6298 §5.4).</summary>
        public long Timeouts;

        /// <summary>Segments sent again (timeouts).</summary>
        public long Retransmissions;

        /// <summary>Fast retransmits on the third duplicate ACK (RFC 5681 §3.2).</summary>
        public long FastRetransmits;

        /// <summary>Zero-window probes sent (RFC 9293 §3.8.6.1).</summary>
        public long WindowProbes;

        /// <summary>RSTs sent.</summary>
        public long ResetsSent;

        /// <summary>RSTs accepted (connection reset).</summary>
        public long ResetsAccepted;

        /// <summary>Challenge ACKs sent for an in-window RST or a SYN (RFC 5961 §3.2, §4.2).</summary>
        public long ChallengeAcks;

        /// <summary>Connect, Listen or incoming SYN refused because the pool was full.</summary>
        public long PoolFull;

        /// <summary>TIME-WAIT slots recycled for a new connection because the pool was full.</summary>
        public long TimeWaitRecycled;

        /// <summary>Connections given up after <see cref="TcpSettings.MaximumRetransmissions"/>.</summary>
        public long RetransmissionLimit;

        /// <summary>Connections that reached ESTABLISHED.</summary>
        public long Established;

        /// <summary>SYNs to a listener refused by the <see cref="ITcpSynFilter"/> (answered with RST).</summary>
        public long SynsRefused;
    }
}
