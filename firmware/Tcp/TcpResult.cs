namespace VpnAppliance.Tcp
{
    /// <summary>
    /// Typed outcome of a <see cref="TcpStack"/> user call (RFC 9293 §3.10 "error: ..." responses). Send and
    /// Receive return a byte count, or the negated value of one of these when nothing can be transferred.
    /// </summary>
    public enum TcpResult
    {
        /// <summary>Done.</summary>
        Ok = 0,

        /// <summary>The connection pool is full (every slot in use, none in TIME-WAIT to recycle); counted.</summary>
        Full = 1,

        /// <summary>The id names no connection of this stack (never issued, or released since).</summary>
        InvalidId = 2,

        /// <summary>The call is not allowed in the connection's state (e.g. Send after Close, Accept on a connection).</summary>
        InvalidState = 3,

        /// <summary>A connection or listener with the same local/remote address and port exists ("connection already exists").</summary>
        AddressInUse = 4,

        /// <summary>Nothing to do now (no data to read, no connection to accept); try again later.</summary>
        WouldBlock = 5,

        /// <summary>The peer closed its side (FIN received) and every byte it sent has been read.</summary>
        EndOfStream = 6,

        /// <summary>The connection was reset (RST received or refused).</summary>
        ConnectionReset = 7,

        /// <summary>The connection was closed because retransmissions went unanswered (RFC 9293 §3.8.3, R2).</summary>
        TimedOut = 8,

        /// <summary>An argument is out of range (port 0 where a port is needed, bad buffer window).</summary>
        InvalidArgument = 9,
    }
}
