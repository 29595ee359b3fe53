namespace VpnAppliance.Tcp
{
    /// <summary>
    /// Connection states of RFC 9293 §3.3.2 (Figure 5). A connection slot that is free, or whose connection
    /// ended and is waiting for the user's Close/Abort, reads as <see cref="Closed"/>.
    /// </summary>
    public enum TcpState
    {
        /// <summary>No connection (free slot, stale id, or a connection that ended: reset, timed out, fully closed).</summary>
        Closed = 0,

        /// <summary>Waiting for a connection request from any remote TCP peer and port.</summary>
        Listen = 1,

        /// <summary>SYN sent, waiting for a matching SYN.</summary>
        SynSent = 2,

        /// <summary>SYN received and SYN sent, waiting for the acknowledgment of our SYN.</summary>
        SynReceived = 3,

        /// <summary>Open connection: data flows both ways.</summary>
        Established = 4,

        /// <summary>We closed (FIN sent), waiting for its acknowledgment or the peer's FIN.</summary>
        FinWait1 = 5,

        /// <summary>Our FIN is acknowledged, waiting for the peer's FIN.</summary>
        FinWait2 = 6,

        /// <summary>The peer closed (FIN received), waiting for our user to close.</summary>
        CloseWait = 7,

        /// <summary>Both sides closed at once, waiting for the acknowledgment of our FIN.</summary>
        Closing = 8,

        /// <summary>The peer closed first and we closed, waiting for the acknowledgment of our FIN.</summary>
        LastAck = 9,

        /// <summary>Both FINs exchanged and acknowledged; waiting (bounded) so that delayed segments die out.</summary>
        TimeWait = 10,
    }
}
