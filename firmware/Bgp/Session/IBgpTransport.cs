namespace VpnAppliance.Bgp.Session
{
    /// <summary>
    /// The stream service a BGP session runs on (RFC 4271 §2: TCP port 179). Connections are named by a handle
    /// the transport chooses (&gt;= 0). The other direction is calls into BgpSpeaker: OnConnected, OnAccepted,
    /// OnBytes, OnWritable, OnClosed. Implemented by BgpTcpTransport over the compact TcpStack, and by an
    /// in-memory pipe in tests. Calls must not re-enter the speaker.
    /// </summary>
    public interface IBgpTransport
    {
        /// <summary>
        /// Starts an active open from <paramref name="localAddress"/> (0 = chosen by the transport) to
        /// <paramref name="remoteAddress"/>:179 with IP TTL <paramref name="ttl"/> (1 = directly connected,
        /// more for eBGP multihop). Returns the handle, or -1 when no connection is available now.
        /// </summary>
        int Connect(uint localAddress, uint remoteAddress, int ttl, long nowMs);

        /// <summary>Octets Send would accept now on <paramref name="handle"/> (0 when closed).</summary>
        int SendSpace(int handle);

        /// <summary>Queues buffer[offset..offset+length) on <paramref name="handle"/>: all of it or nothing (returns false).</summary>
        bool Send(int handle, byte[] buffer, int offset, int length);

        /// <summary>Closes <paramref name="handle"/> after queued data is sent (the handle is dead for the session afterwards).</summary>
        void Close(int handle);

        /// <summary>True while <paramref name="handle"/> is an open connection.</summary>
        bool IsConnected(int handle);

        /// <summary>Our address on <paramref name="handle"/> (NEXT_HOP of what we advertise, RFC 4271 §5.1.3), 0 when unknown.</summary>
        uint LocalAddress(int handle);
    }
}
