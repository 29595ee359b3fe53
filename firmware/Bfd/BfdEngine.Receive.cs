namespace VpnAppliance.Bfd
{
    // Reception of BFD Control packets (RFC 5880 §6.8.6, RFC 5881 §3 and §5), in the RFC's order:
    //
    //   TTL 255 (GTSM)? -> packet checks (codec) -> session by Your Discriminator (nonzero) or by interface and
    //   addresses (zero) -> record the remote variables -> a Final ends our Poll Sequence -> AdminDown session:
    //   discard -> restart the detection timer -> state machine (§6.2):
    //
    //     local \ remote |  AdminDown        Down             Init      Up
    //     Down           |  -                Init             Up        -
    //     Init           |  Down (Diag 3)    -                Up        Up
    //     Up             |  Down (Diag 3)    Down (Diag 3)    -         -
    //
    //   -> a Poll bit is answered at once with a Final (§6.8.7); a state change is announced at once as well.
    public sealed partial class BfdEngine
    {
        /// <summary>
        /// A BFD Control packet (the UDP payload buf[off .. off + len)) that arrived on <paramref name="interfaceId"/>
        /// from <paramref name="source"/> to <paramref name="destination"/> (host order) with IP TTL
        /// <paramref name="ttl"/>, UDP destination port 3784. Returns what became of it (also counted). Never throws;
        /// the buffer is only read during the call. May send (a Final, or the new state) through the output.
        /// </summary>
        public BfdReceiveResult OnPacket(int interfaceId, uint source, uint destination, int ttl, byte[] buf, int off, int len, long nowMs)
        {
            _counters.Received++;
            BfdReceiveResult result;
            if (ttl != RequiredTtl)
            {
                // RFC 5881 §5: single-hop packets are sent with TTL 255 and MUST be discarded with any other TTL.
                result = BfdReceiveResult.BadTtl;
                _counters.Count(result);
                return result;
            }

            BfdControlPacket p;
            result = BfdControlPacket.Parse(buf, off, len, out p);
            if (result != BfdReceiveResult.Accepted)
            {
                _counters.Count(result);
                return result;
            }

            int index;
            if (p.YourDiscriminator != 0)
            {
                index = FindByDiscriminator(p.YourDiscriminator);
                if (index < 0)
                {
                    result = BfdReceiveResult.NoSession;
                }
                else if (!Matches(_sessions[index], interfaceId, source, destination))
                {
                    // RFC 5881 §3: a session is bound to its interface and addresses; a packet naming our
                    // discriminator from elsewhere is not the peer's.
                    result = BfdReceiveResult.WrongSession;
                }
            }
            else
            {
                index = FindByAddress(interfaceId, source, destination);
                if (index < 0)
                {
                    result = BfdReceiveResult.NoSession;
                }
            }

            if (result != BfdReceiveResult.Accepted)
            {
                _counters.Count(result);
                return result;
            }

            BfdSession s = _sessions[index];
            long oldInterval = s.TransmitInterval;
            s.RemoteDiscr = p.MyDiscriminator;
            s.RemoteStateValue = p.State;
            s.RemoteDiagValue = p.Diag;
            s.RemoteDemandMode = p.Demand;
            s.RemoteMinRx = p.RequiredMinRxInterval;
            s.RemoteDesiredMinTx = p.DesiredMinTxInterval;
            s.RemoteDetectMultValue = p.DetectMult;
            if (p.Final && s.PollActive)
            {
                // §6.5: the Final ends the Poll Sequence; the new parameters now apply to our own use too (§6.8.3).
                s.PollActive = false;
                s.TxBasis = s.DesiredMinTx;
                s.RxBasis = s.RequiredMinRx;
            }

            if (s.StateValue == BfdState.AdminDown)
            {
                result = BfdReceiveResult.AdminDown;
                _counters.Count(result);
                return result;
            }

            s.RxCount++;
            s.LastRxMs = nowMs;
            s.DetectDeadlineMs = nowMs + MicrosecondsToMs(s.DetectionTime);
            if (s.TransmitInterval != oldInterval)
            {
                Reschedule(s, nowMs);
            }

            BfdState before = s.StateValue;
            BfdState remote = p.State;
            if (remote == BfdState.AdminDown)
            {
                if (before != BfdState.Down)
                {
                    ChangeState(s, BfdState.Down, BfdDiag.NeighborSignaledSessionDown, nowMs);
                }
            }
            else if (before == BfdState.Down)
            {
                if (remote == BfdState.Down)
                {
                    ChangeState(s, BfdState.Init, BfdDiag.None, nowMs);
                }
                else if (remote == BfdState.Init)
                {
                    ChangeState(s, BfdState.Up, BfdDiag.None, nowMs);
                }
            }
            else if (before == BfdState.Init)
            {
                if (remote == BfdState.Init || remote == BfdState.Up)
                {
                    ChangeState(s, BfdState.Up, BfdDiag.None, nowMs);
                }
            }
            else if (remote == BfdState.Down)
            {
                ChangeState(s, BfdState.Down, BfdDiag.NeighborSignaledSessionDown, nowMs);
            }

            if (s.NextTxMs == Never)
            {
                // Periodic transmission had stopped (the peer asked for none, or ran Demand mode): resume if that ended.
                Reschedule(s, nowMs);
            }

            if (p.Poll || s.StateValue != before)
            {
                // §6.8.7: a Poll is answered as soon as practicable, regardless of the transmit timer, with F set
                // and P clear. A new state is sent at once too (as BIRD and FRR do) so the three-way handshake
                // does not wait for the 1 s slow timer.
                Transmit(s, p.Poll, nowMs);
            }

            _counters.Count(result);
            return result;
        }

        private static bool Matches(BfdSession s, int interfaceId, uint source, uint destination)
        {
            return s.InterfaceIdValue == interfaceId && s.PeerValue == source && (s.LocalValue == 0 || s.LocalValue == destination);
        }

        // §6.8.6 / RFC 5881 §3: with Your Discriminator zero, the session is chosen by interface and addresses.
        private int FindByAddress(int interfaceId, uint source, uint destination)
        {
            for (int i = 0; i < _sessions.Length; i++)
            {
                BfdSession s = _sessions[i];
                if (s.InUse && Matches(s, interfaceId, source, destination))
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
