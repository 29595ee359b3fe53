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
    /// Call Pump after TcpStack.OnSegment/Poll in the event loop, then BgpSpeaker.Poll. The TTL of eBGP
    /// multihop is recorded per connection (TtlOf) but the compact TCP has no per-connection TTL yet: its
    /// segments leave with the router's default TTL.
    /// </summary>
    public sealed class BgpTcpTransport : IBgpTransport
    {
        /// <summary>The BGP port (RFC 4271 §8.2.1.2).</summary>
        public const int BgpPort = 179;

        private readonly TcpStack tcp;
        private readonly byte[] receiveBuffer;
        private readonly int[] ttlByHandle = new int[64];
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

        /// <inheritdoc/>
        public int Connect(uint localAddress, uint remoteAddress, int ttl, long nowMs)
        {
            int id;
            if (localAddress == 0)
            {
                localAddress = DefaultLocalAddress;
            }

            if (tcp.Connect(localAddress, 0, remoteAddress, BgpPort, nowMs, out id) != TcpResult.Ok)
            {
                return -1;
            }

            RememberTtl(id, ttl);
            return id;
        }

        private void RememberTtl(int id, int ttl)
        {
            for (int i = 0; i < handles.Length; i++)
            {
                if (handles[i] == -1 || handles[i] == id)
                {
                    handles[i] = id;
                    ttlByHandle[i] = ttl;
                    return;
                }
            }
        }

        /// <summary>The TTL the session asked for on <paramref name="handle"/> (1 when unknown).</summary>
        public int TtlOf(int handle)
        {
            for (int i = 0; i < handles.Length; i++)
            {
                if (handles[i] == handle)
                {
                    return ttlByHandle[i];
                }
            }

            return 1;
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

        /// <summary>Delivers every pending TCP event to <paramref name="speaker"/> (bounded by the table size per call).</summary>
        public void Pump(BgpSpeaker speaker, long nowMs)
        {
            // Accept first: an accepted connection's data may already be readable, and its Readable event can come
            // before the listener's Acceptable in the stack's round-robin; unknown bytes would be lost.
            if (listener >= 0)
            {
                AcceptAll(speaker, nowMs);
            }

            int id;
            TcpEvent e;
            for (int guard = 0; guard < 4 * tcp.Capacity + 4 && tcp.TakeNextEvent(out id, out e); guard++)
            {
                if (id == listener)
                {
                    if ((e & TcpEvent.Acceptable) != 0)
                    {
                        AcceptAll(speaker, nowMs);
                    }

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
            }
        }

        private void AcceptAll(BgpSpeaker speaker, long nowMs)
        {
            int c;
            for (int guard = 0; guard < tcp.Capacity && tcp.Accept(listener, out c) == TcpResult.Ok; guard++)
            {
                RememberTtl(c, 1);
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
