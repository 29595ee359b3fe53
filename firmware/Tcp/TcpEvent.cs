using System;

namespace VpnAppliance.Tcp
{
    /// <summary>
    /// What happened to a connection since its events were last taken (<see cref="TcpStack.TakeEvents"/>).
    /// Flags accumulate in the connection slot; nothing is allocated and no callback runs.
    /// </summary>
    [Flags]
    public enum TcpEvent
    {
        /// <summary>Nothing new.</summary>
        None = 0,

        /// <summary>The connection reached ESTABLISHED.</summary>
        Connected = 0x01,

        /// <summary>New in-order data can be read.</summary>
        Readable = 0x02,

        /// <summary>Send buffer space was freed by an acknowledgment.</summary>
        Writable = 0x04,

        /// <summary>The peer's FIN arrived: after the buffered data, the stream ends.</summary>
        PeerClosed = 0x08,

        /// <summary>The connection ended (both sides closed and acknowledged, reset, or timed out).</summary>
        Closed = 0x10,

        /// <summary>A valid RST arrived (RFC 9293 §3.10.7.4, RFC 5961 §3), or the active open was refused.</summary>
        Reset = 0x20,

        /// <summary>Retransmissions went unanswered and the connection was given up (RFC 9293 §3.8.3).</summary>
        TimedOut = 0x40,

        /// <summary>On a listener: an established connection waits for <see cref="TcpStack.Accept"/>.</summary>
        Acceptable = 0x80,
    }
}
