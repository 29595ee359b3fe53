using VpnAppliance.Bgp.Session;
using VpnAppliance.Bgp.Speaker;
using VpnAppliance.Tcp;

namespace VpnAppliance.Bgp.Transport
{
    /// <summary>
    /// IBgpTransport over the appliance's compact TCP (firmware/Tcp): BGP on port 179 (RFC 4271 §8.2.1.2).
    /// Pump() turns TcpStack events into speaker calls:
    /// <code>
    ///  Accept (every call, before the events) -&gt; speaker.OnAccepted (refused: Abort)
    ///  Connected -&gt; OnConnected   Readable -&gt; Receive -&gt; OnBytes   Writable -&gt; OnWritable
    ///  PeerClosed / Closed / Reset / TimedOut / end of stream -&gt; OnClosed
    /// </code>
    /// Call Pump after TcpStack.OnSegment/Poll in the event loop, then BgpSpeaker.Poll. The IP TTL of each
    /// neighbour's session (BgpPeerConfig.Ttl: 1 for a directly connected eBGP neighbour, the ebgp-multihop
    /// value, 64 for iBGP) is set in the stack's per-peer table (<see cref="SetPeerTtls"/> when the
    /// configuration is applied, and on every active open), so passive opens and their SYN-ACK use it too.
    /// </summary>
    public sealed class BgpTcpTransport : IBgpTransport
    {
        /// <summary>The BGP port (RFC 4271 §8.2.1.2).</summary>
        public const int BgpPort = 179;

        private readonly TcpStack tcp;
        private readonly byte[] receiveBuffer;
        private readonly int[] handles = new int[64];
        private int listener = -1;

        /// <summary>Source address used when a session asks for 0 (the compact TCP needs one); 0 = none: such connects fail.</summary>
        public uint DefaultLocalAddress;

        /// <summary>Creates the adapter over <paramref name="stack"/>; reads go through a buffer of <paramref name="receiveBytes"/>.</summary>
        public BgpTcpTransport(TcpStack stack, int receiveBytes)
        {
            tcp = stack;
            receiveBuffer = new byte[receiveBytes < 512 ? 512 : receiveBytes];
            for (int i = 0; i < handles.Length; i++)
            {
                handles[i] = -1;
            }
        }

        /// <summary>Listens on <paramref name="localAddress"/>:179 (0 = every address) for passive opens.</summary>
        public TcpResult Listen(uint localAddress)
        {
            return tcp.Listen(localAddress, BgpPort, out listener);
        }

        /// <summary>True while the port-179 listener is open.</summary>
        public bool Listening { get { return listener >= 0; } }

        /// <summary>Closes the port-179 listener (no neighbour configured any more).</summary>
        public void StopListening()
        {
            if (listener >= 0)
            {
                tcp.Close(listener);
                listener = -1;
            }
        }

        /// <inheritdoc/>
        public int Connect(uint localAddress, uint remoteAddress, int ttl, long nowMs)
        {
            int id;
            if (localAddress == 0)
            {
                localAddress = DefaultLocalAddress;
            }

            tcp.SetPeerTtl(remoteAddress, ttl > 255 ? 255 : (ttl < 0 ? 0 : ttl));
            if (tcp.Connect(localAddress, 0, remoteAddress, BgpPort, nowMs, out id) != TcpResult.Ok)
            {
                return -1;
            }

            Track(id);
            return id;
        }

        /// <summary>
        /// Replaces the stack's per-peer TTLs with those of <paramref name="peers"/> (called when the configuration
        /// is applied, before any passive open of a new neighbour can arrive).
        /// </summary>
        public void SetPeerTtls(BgpPeerConfig[] peers)
        {
            tcp.ClearPeerTtls();
            for (int i = 0; peers != null && i < peers.Length; i++)
            {
                tcp.SetPeerTtl(peers[i].Address, peers[i].Ttl);
            }
        }

        private void Track(int id)
        {
            for (int i = 0; i < handles.Length; i++)
            {
                if (handles[i] == -1 || handles[i] == id)
                {
                    handles[i] = id;
                    return;
                }
            }
        }

        /// <inheritdoc/>
        public int SendSpace(int handle)
        {
            return tcp.SendSpace(handle);
        }

        /// <inheritdoc/>
        public bool Send(int handle, byte[] buffer, int offset, int length)
        {
            if (tcp.SendSpace(handle) < length)
            {
                return false;
            }

            return tcp.Send(handle, buffer, offset, length) == length;
        }

        /// <inheritdoc/>
        public void Close(int handle)
        {
            for (int i = 0; i < handles.Length; i++)
            {
                if (handles[i] == handle)
                {
                    handles[i] = -1;
                }
            }

            tcp.Close(handle);
        }

        /// <inheritdoc/>
        public bool IsConnected(int handle)
        {
            TcpState s = tcp.State(handle);
            return s == TcpState.Established || s == TcpState.CloseWait;
        }

        /// <inheritdoc/>
        public uint LocalAddress(int handle)
        {
            return tcp.LocalAddress(handle);
        }

        /// <summary>
        /// Delivers the pending TCP events of the BGP connections (the listener and the connections this transport
        /// opened or accepted) to <paramref name="speaker"/>. Only its own connections are looked at
        /// (TcpStack.TakeEvents per id), so other users of the same TCP stack keep their events.
        /// </summary>
        public void Pump(BgpSpeaker speaker, long nowMs)
        {
            // Accept first: an accepted connection's data may already be readable.
            if (listener >= 0)
            {
                tcp.TakeEvents(listener);
                AcceptAll(speaker, nowMs);
            }

            for (int i = 0; i < handles.Length; i++)
            {
                int id = handles[i];
                if (id < 0)
                {
                    continue;
                }

                TcpEvent e = tcp.TakeEvents(id);
                if (e == TcpEvent.None)
                {
                    continue;
                }

                if ((e & TcpEvent.Connected) != 0)
                {
                    speaker.OnConnected(id, nowMs);
                }

                bool ended = (e & (TcpEvent.Closed | TcpEvent.Reset | TcpEvent.TimedOut)) != 0;
                if ((e & (TcpEvent.Readable | TcpEvent.PeerClosed)) != 0 || ended)
                {
                    ended |= Drain(speaker, id, nowMs);
                }

                if ((e & TcpEvent.Writable) != 0 && !ended)
                {
                    speaker.OnWritable(id, nowMs);
                }

                if (ended || (e & TcpEvent.PeerClosed) != 0)
                {
                    speaker.OnClosed(id, nowMs);
                }

                if (ended && handles[i] == id)
                {
                    handles[i] = -1;        // the id may be reused by another connection of the stack
                }
            }
        }

        private void AcceptAll(BgpSpeaker speaker, long nowMs)
        {
            int c;
            for (int guard = 0; guard < tcp.Capacity && tcp.Accept(listener, out c) == TcpResult.Ok; guard++)
            {
                Track(c);
                if (!speaker.OnAccepted(c, tcp.RemoteAddress(c), nowMs))
                {
                    tcp.Abort(c);
                }
            }
        }

        /// <summary>Reads everything available into the speaker; true when the stream ended.</summary>
        private bool Drain(BgpSpeaker speaker, int id, long nowMs)
        {
            for (int guard = 0; guard < 1024; guard++)
            {
                int n = tcp.Receive(id, receiveBuffer, 0, receiveBuffer.Length);
                if (n == 0)
                {
                    return false;
                }

                if (n < 0)
                {
                    return true;
                }

                speaker.OnBytes(id, receiveBuffer, 0, n, nowMs);
            }

            return false;
        }
    }
}
