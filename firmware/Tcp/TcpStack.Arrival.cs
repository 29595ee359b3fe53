using VpnAppliance.Wire;

namespace VpnAppliance.Tcp
{
    // RFC 9293 §3.10.7 SEGMENT ARRIVES, in its order: CLOSED (no TCB, §3.10.7.1), LISTEN (§3.10.7.2),
    // SYN-SENT (§3.10.7.3), and the other states (§3.10.7.4): 1 sequence number check, 2 RST (with the
    // RFC 5961 §3 exact-match rule and challenge ACK), 4 SYN (RFC 5961 §4 challenge ACK), 5 ACK (with the
    // RFC 5961 §5 range check), 7 segment text, 8 FIN. Step 3 (security) and 6 (URG) do not apply.
    // After the steps, the connection's output runs (ACKs, data the new window allows, a FIN).
    public sealed partial class TcpStack
    {
        /// <summary>Least interval between ACKs sent in answer to unacceptable zero-length segments.</summary>
        public const int InvalidAckIntervalMs = 500;

        /// <summary>RFC 5681 §3.2: duplicate ACKs that trigger a fast retransmit.</summary>
        public const int DuplicateAckThreshold = 3;

        /// <summary>
        /// An inbound TCP segment buffer[offset .. offset + length) (the IPv4 payload) from
        /// <paramref name="source"/> to <paramref name="destination"/>, at <paramref name="nowMs"/>. Checks the
        /// header and checksum, finds the connection or listener, runs RFC 9293 §3.10.7 and sends what follows.
        /// Never throws on any input.
        /// </summary>
        public TcpInputResult OnSegment(uint source, uint destination, byte[] buffer, int offset, int length, long nowMs)
        {
            _now = nowMs;
            _counters.SegmentsReceived++;
            TcpRepr seg;
            int payloadOffset;
            TcpInputResult result = TcpSegmentCodec.Parse(source, destination, buffer, offset, length, _settings.VerifyChecksum, out seg, out payloadOffset);
            if (result == TcpInputResult.BadChecksum)
            {
                _counters.BadChecksum++;
                return result;
            }

            if (result != TcpInputResult.Processed || seg.SourcePort == 0 || seg.DestinationPort == 0)
            {
                _counters.Malformed++;
                return TcpInputResult.Malformed;
            }

            TcpConnection c = FindConnection(destination, seg.DestinationPort, source, seg.SourcePort);
            if (c == null)
            {
                TcpConnection l = FindListener(destination, seg.DestinationPort);
                if (l == null)
                {
                    // §3.10.7.1 CLOSED: every segment but a RST is answered with a RST.
                    _counters.NoConnection++;
                    ResetFor(destination, source, ref seg);
                    return TcpInputResult.NoConnection;
                }

                return OnListen(l, source, destination, ref seg, nowMs);
            }

            if (c.State == TcpState.SynSent)
            {
                OnSynSent(c, ref seg, nowMs);
            }
            else
            {
                OnSynchronized(c, ref seg, buffer, payloadOffset, nowMs);
            }

            if (c.InUse && c.State != TcpState.Closed)
            {
                Output(c);
            }

            return TcpInputResult.Processed;
        }

        // §3.10.7.1: RST for a segment that has no connection. If ACK: <SEQ=SEG.ACK><CTL=RST>,
        // else <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>. A RST is never answered.
        private void ResetFor(uint localAddress, uint remoteAddress, ref TcpRepr seg)
        {
            if ((seg.Flags & TcpFlags.Rst) != 0)
            {
                return;
            }

            if ((seg.Flags & TcpFlags.Ack) != 0)
            {
                SendReset(localAddress, seg.DestinationPort, remoteAddress, seg.SourcePort, seg.AcknowledgmentNumber, 0, false);
            }
            else
            {
                SendReset(localAddress, seg.DestinationPort, remoteAddress, seg.SourcePort, 0, seg.SequenceNumber + (uint)SegmentLength(ref seg), true);
            }
        }

        // SEG.LEN: data octets plus one for SYN and one for FIN (RFC 9293 §3.4).
        private static int SegmentLength(ref TcpRepr seg)
        {
            int n = seg.PayloadLength;
            if ((seg.Flags & TcpFlags.Syn) != 0)
            {
                n++;
            }

            if ((seg.Flags & TcpFlags.Fin) != 0)
            {
                n++;
            }

            return n;
        }

        // §3.10.7.2 LISTEN: ignore RST; RST any ACK; a SYN opens a child in SYN-RECEIVED (its data, if any,
        // is not kept: the peer sends it again after the handshake); anything else is dropped.
        private TcpInputResult OnListen(TcpConnection l, uint source, uint destination, ref TcpRepr seg, long nowMs)
        {
            byte flags = seg.Flags;
            if ((flags & TcpFlags.Rst) != 0)
            {
                return TcpInputResult.Processed;
            }

            if ((flags & TcpFlags.Ack) != 0)
            {
                SendReset(destination, seg.DestinationPort, source, seg.SourcePort, seg.AcknowledgmentNumber, 0, false);
                return TcpInputResult.Processed;
            }

            if ((flags & TcpFlags.Syn) == 0)
            {
                return TcpInputResult.Processed;
            }

            if (_synFilter != null && !_synFilter.Admits(destination, seg.DestinationPort, source, nowMs))
            {
                // Refused as a closed port would be (§3.10.7.1): <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>.
                _counters.SynsRefused++;
                ResetFor(destination, source, ref seg);
                return TcpInputResult.Processed;
            }

            TcpConnection c = Allocate();
            if (c == null)
            {
                return TcpInputResult.Full;
            }

            Open(c, destination, seg.DestinationPort, source, seg.SourcePort, nowMs);
            c.Listener = l.Slot;
            c.State = TcpState.SynReceived;
            AcceptSyn(c, ref seg);
            Output(c);
            return TcpInputResult.Processed;
        }

        // Records the peer's SYN: IRS, RCV.NXT, its window and MSS option (RFC 9293 §3.7.1: absent = 536).
        private void AcceptSyn(TcpConnection c, ref TcpRepr seg)
        {
            c.Irs = seg.SequenceNumber;
            c.RcvNxt = seg.SequenceNumber + 1;
            c.RcvAdv = c.RcvNxt + (uint)ReceiveSpace(c);
            int mss = seg.Options.HasMaximumSegmentSize ? seg.Options.MaximumSegmentSize : DefaultPeerMss;
            if (mss > _settings.MaximumSegmentSize)
            {
                mss = _settings.MaximumSegmentSize;
            }

            c.SndMss = mss < 1 ? 1 : mss;
            c.SndWnd = seg.Window;
            c.MaxSndWnd = seg.Window;
            c.SndWl1 = seg.SequenceNumber;
            c.SndWl2 = seg.AcknowledgmentNumber;
            // RFC 5681 §3.1 eq. (1): IW = min(4*SMSS, max(2*SMSS, 4380)).
            int iw = 2 * c.SndMss > 4380 ? 2 * c.SndMss : 4380;
            c.Cwnd = iw < 4 * c.SndMss ? iw : 4 * c.SndMss;
        }

        // §3.10.7.3 SYN-SENT.
        private void OnSynSent(TcpConnection c, ref TcpRepr seg, long nowMs)
        {
            byte flags = seg.Flags;
            bool ack = (flags & TcpFlags.Ack) != 0;
            uint segAck = seg.AcknowledgmentNumber;
            // 1. An ACK must acknowledge our SYN: ISS < SEG.ACK <= SND.NXT; else RST it (unless a RST) and drop.
            if (ack && (SequenceNumber.Le(segAck, c.Iss) || SequenceNumber.Gt(segAck, c.SndMax)))
            {
                if ((flags & TcpFlags.Rst) == 0)
                {
                    SendReset(c.LocalAddress, c.LocalPort, c.RemoteAddress, c.RemotePort, segAck, 0, false);
                }

                return;
            }

            // 2. RST: with an acceptable ACK the connection is refused; without an ACK it is dropped
            // (RFC 5961 §3.2 keeps this rule for SYN-SENT).
            if ((flags & TcpFlags.Rst) != 0)
            {
                if (ack)
                {
                    _counters.ResetsAccepted++;
                    Terminate(c, TcpResult.ConnectionReset, TcpEvent.Reset);
                }

                return;
            }

            // 4. SYN.
            if ((flags & TcpFlags.Syn) == 0)
            {
                return;
            }

            AcceptSyn(c, ref seg);
            if (ack)
            {
                AcknowledgeTo(c, segAck, nowMs);
                Establish(c);
                c.AckNow = true;
            }
            else
            {
                // Simultaneous open (RFC 9293 Figure 8): SYN-RECEIVED, send <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>.
                c.State = TcpState.SynReceived;
                c.SndNxt = c.Iss;
                c.Timing = false;
            }
        }

        private void Establish(TcpConnection c)
        {
            c.State = TcpState.Established;
            c.Events |= TcpEvent.Connected;
            _counters.Established++;
            if (c.SynRetransmitted)
            {
                c.Rto.AfterSynRetransmission(); // RFC 6298 §5.7
            }

            if (c.Listener >= 0)
            {
                _connections[c.Listener].Events |= TcpEvent.Acceptable;
            }

            if (c.FinQueued)
            {
                c.State = TcpState.FinWait1; // CLOSE was called in SYN-RECEIVED (§3.10.4)
            }
        }

        // §3.10.7.4: SYN-RECEIVED, ESTABLISHED, FIN-WAIT-1/2, CLOSE-WAIT, CLOSING, LAST-ACK, TIME-WAIT.
        private void OnSynchronized(TcpConnection c, ref TcpRepr seg, byte[] buffer, int payloadOffset, long nowMs)
        {
            byte flags = seg.Flags;
            uint seq = seg.SequenceNumber;
            int payloadLength = seg.PayloadLength;
            bool syn = (flags & TcpFlags.Syn) != 0;
            bool fin = (flags & TcpFlags.Fin) != 0;
            bool rst = (flags & TcpFlags.Rst) != 0;

            if (c.State == TcpState.SynReceived && syn && seq == c.Irs)
            {
                if ((flags & TcpFlags.Ack) == 0)
                {
                    // The peer retransmitted its SYN: our SYN,ACK was lost; send it again.
                    c.SndNxt = c.Iss;
                    return;
                }

                // Simultaneous open: the peer's SYN,ACK; its SYN is already counted, keep the ACK.
                syn = false;
                seq++;
                payloadLength = 0;
                fin = false;
            }

            // 1. Sequence number check (the table of §3.10.7.4).
            int rcvWnd = (int)(c.RcvAdv - c.RcvNxt);
            int segLen = payloadLength + (syn ? 1 : 0) + (fin ? 1 : 0);
            if (!Acceptable(c, seq, segLen, rcvWnd))
            {
                if (rcvWnd == 0 && seq == c.RcvNxt && !syn)
                {
                    // "Special allowance ... to accept valid ACKs, URGs, and RSTs" with a zero window: keep
                    // the control part, not the data (a zero-window probe lands here and gets its ACK).
                    payloadLength = 0;
                    fin = false;
                    c.AckNow = true;
                }
                else
                {
                    _counters.OutOfWindow++;
                    if (segLen == 0 && !rst)
                    {
                        // An unacceptable bare ACK is answered at most once per InvalidAckIntervalMs: two ends that
                        // each find the other's ACKs unacceptable would otherwise ACK each other forever
                        // (RFC 5961 §7 asks for the same throttling of challenge ACKs).
                        if (nowMs - c.LastInvalidAckMs < InvalidAckIntervalMs)
                        {
                            return;
                        }

                        c.LastInvalidAckMs = nowMs;
                    }

                    if (!rst)
                    {
                        c.AckNow = true;
                        if (c.State == TcpState.TimeWait && fin)
                        {
                            c.StateDeadline = nowMs + _settings.TimeWaitMs; // a retransmitted FIN restarts TIME-WAIT
                        }
                    }

                    return;
                }
            }

            // 2. RST (RFC 5961 §3.2: reset only when SEG.SEQ == RCV.NXT exactly, else a challenge ACK).
            if (rst)
            {
                if (seq != c.RcvNxt)
                {
                    _counters.ChallengeAcks++;
                    c.AckNow = true;
                    return;
                }

                if (c.State == TcpState.TimeWait)
                {
                    // RFC 1337 §3 fix F1: ignore RST in TIME-WAIT (no "TIME-WAIT assassination"); the timer ends it.
                    return;
                }

                _counters.ResetsAccepted++;
                if (c.State == TcpState.SynReceived)
                {
                    // Passive: back to LISTEN (the listener stays; the child goes). Active: connection refused.
                    Terminate(c, TcpResult.ConnectionReset, TcpEvent.Reset);
                }
                else if (c.State == TcpState.Closing || c.State == TcpState.LastAck)
                {
                    // "Enter CLOSED, delete the TCB": both sides had closed; the peer's data is all in and stays
                    // readable if the user has not read it yet (Terminate keeps such a slot).
                    Terminate(c, TcpResult.Ok, TcpEvent.None);
                }
                else
                {
                    Terminate(c, TcpResult.ConnectionReset, TcpEvent.Reset);
                }

                return;
            }

            // 4. SYN in a synchronized state: challenge ACK (RFC 5961 §4.2, adopted by RFC 9293 §3.10.7.4).
            if (syn)
            {
                _counters.ChallengeAcks++;
                c.AckNow = true;
                return;
            }

            // 5. ACK.
            if ((flags & TcpFlags.Ack) == 0)
            {
                return;
            }

            uint segAck = seg.AcknowledgmentNumber;
            if (c.State == TcpState.SynReceived)
            {
                if (SequenceNumber.Le(segAck, c.SndUna) || SequenceNumber.Gt(segAck, c.SndMax))
                {
                    SendReset(c.LocalAddress, c.LocalPort, c.RemoteAddress, c.RemotePort, segAck, 0, false);
                    return;
                }

                c.SndWnd = seg.Window;
                c.SndWl1 = seq;
                c.SndWl2 = segAck;
                Establish(c);
            }

            if (SequenceNumber.Gt(segAck, c.AckLimit))
            {
                // Acknowledges something not yet sent: send an ACK and drop.
                c.AckNow = true;
                return;
            }

            if (SequenceNumber.Lt(segAck, c.SndUna - (uint)c.MaxSndWnd) && SequenceNumber.Lt(segAck, c.SndUna))
            {
                // RFC 5961 §5.2: older than the largest window the peer ever offered: ACK and drop.
                _counters.ChallengeAcks++;
                c.AckNow = true;
                return;
            }

            if (SequenceNumber.Gt(segAck, c.SndUna))
            {
                AcknowledgeTo(c, segAck, nowMs);
            }
            else if (segAck == c.SndUna && payloadLength == 0 && !fin && seg.Window == c.SndWnd && c.SndMax != c.SndUna)
            {
                OnDuplicateAck(c);
            }

            // Send window update: only from a segment not older than the last one used (SND.WL1/WL2).
            if (SequenceNumber.Lt(c.SndWl1, seq) || (c.SndWl1 == seq && SequenceNumber.Le(c.SndWl2, segAck)))
            {
                c.SndWnd = seg.Window;
                c.SndWl1 = seq;
                c.SndWl2 = segAck;
                if (c.SndWnd > c.MaxSndWnd)
                {
                    c.MaxSndWnd = c.SndWnd;
                }

                if (c.SndWnd > 0)
                {
                    c.PersistDeadline = TcpConnection.Never;
                    c.PersistIntervalMs = _settings.PersistInitialMs;
                }
            }

            if (c.FinAcked)
            {
                switch (c.State)
                {
                    case TcpState.FinWait1:
                        c.State = TcpState.FinWait2;
                        c.StateDeadline = nowMs + _settings.FinWait2TimeoutMs;
                        break;
                    case TcpState.Closing:
                        EnterTimeWait(c, nowMs);
                        break;
                    case TcpState.LastAck:
                        Terminate(c, TcpResult.Ok, TcpEvent.None);
                        return;
                }
            }

            // 7. Segment text, in ESTABLISHED, FIN-WAIT-1 and FIN-WAIT-2 only.
            if (payloadLength > 0)
            {
                if (c.State == TcpState.Established || c.State == TcpState.FinWait1 || c.State == TcpState.FinWait2)
                {
                    if (!ReceiveText(c, seq, buffer, payloadOffset, payloadLength, rcvWnd))
                    {
                        fin = false; // the FIN lies beyond what was taken
                    }
                }

                c.AckNow = true;
            }

            // 8. FIN: processed only in order (after all data before it); an early FIN is dropped (the peer repeats it).
            if (fin && !c.FinReceived && c.RcvNxt == seq + (uint)payloadLength)
            {
                c.RcvNxt++;
                c.FinReceived = true;
                c.Events |= TcpEvent.PeerClosed;
                c.AckNow = true;
                switch (c.State)
                {
                    case TcpState.Established:
                        c.State = TcpState.CloseWait;
                        break;
                    case TcpState.FinWait1:
                        if (c.FinAcked)
                        {
                            EnterTimeWait(c, nowMs);
                        }
                        else
                        {
                            c.State = TcpState.Closing;
                        }

                        break;
                    case TcpState.FinWait2:
                        EnterTimeWait(c, nowMs);
                        break;
                }

                // A FIN never moves the right edge of the window left: it consumed one number inside it.
                if (SequenceNumber.Lt(c.RcvAdv, c.RcvNxt))
                {
                    c.RcvAdv = c.RcvNxt;
                }
            }
            else if (fin)
            {
                c.AckNow = true;
            }
        }

        // The acceptability test of §3.10.7.4 (four cases by SEG.LEN and RCV.WND), with one leniency: a
        // zero-length segment may sit exactly at the right edge (SEG.SEQ = RCV.NXT + RCV.WND), as Linux
        // allows. A peer that filled our window and lost a segment sends its bare ACKs (SEQ = its SND.MAX)
        // there; the strict test would drop the acknowledgments they carry.
        private static bool Acceptable(TcpConnection c, uint seq, int segLen, int rcvWnd)
        {
            if (segLen == 0)
            {
                return SequenceNumber.InWindow(seq, c.RcvNxt, rcvWnd + 1);
            }

            if (rcvWnd == 0)
            {
                return false;
            }

            return SequenceNumber.InWindow(seq, c.RcvNxt, rcvWnd) || SequenceNumber.InWindow(seq + (uint)segLen - 1, c.RcvNxt, rcvWnd);
        }

        // Step 7: places the in-window part of the data at its offset past RCV.NXT and advances RCV.NXT over
        // whatever became contiguous. Returns false when the tail beyond the window was cut (so no FIN).
        private bool ReceiveText(TcpConnection c, uint seq, byte[] buffer, int payloadOffset, int payloadLength, int rcvWnd)
        {
            int skip = 0;
            if (SequenceNumber.Lt(seq, c.RcvNxt))
            {
                skip = (int)(c.RcvNxt - seq);
            }

            if (skip >= payloadLength)
            {
                _counters.Duplicates++;
                return true;
            }

            int rel = (int)(seq + (uint)skip - c.RcvNxt);
            int length = payloadLength - skip;
            bool whole = true;
            if (rel + length > rcvWnd)
            {
                length = rcvWnd - rel;
                whole = false;
            }

            if (length <= 0)
            {
                return false;
            }

            ByteRing ring = c.ReceiveBuffer;
            ring.WriteAt(ring.Count + rel, buffer, payloadOffset + skip, length);
            int advanced = c.Assembler.Add(rel, rel + length);
            if (advanced > 0)
            {
                ring.Extend(advanced);
                c.RcvNxt += (uint)advanced;
                c.Events |= TcpEvent.Readable;
            }
            else if (advanced == 0)
            {
                _counters.OutOfOrder++;
            }
            else
            {
                _counters.OutOfOrderRefused++;
            }

            return whole;
        }

        // SND.UNA advances to segAck (SND.UNA < segAck <= SND.MAX): the SYN and/or data bytes leave the send
        // buffer, an RTT sample is taken if the timed segment is covered (Karn), the window grows (RFC 5681),
        // and the retransmission timer restarts or stops (RFC 6298 §5.2, §5.3).
        private void AcknowledgeTo(TcpConnection c, uint segAck, long nowMs)
        {
            int acked = (int)(segAck - c.SndUna);
            if (SequenceNumber.Gt(segAck, c.DataStart))
            {
                int data = (int)(segAck - c.DataStart);
                if (data > c.SendBuffer.Count)
                {
                    data = c.SendBuffer.Count; // the rest is our FIN
                }

                if (data > 0)
                {
                    c.SendBuffer.Consume(data);
                    c.DataStart += (uint)data;
                    c.Events |= TcpEvent.Writable;
                }
            }

            c.SndUna = segAck;
            c.SndMax = SequenceNumber.Max(c.SndMax, segAck); // a probe byte was taken
            c.ProbeOutstanding = false;
            if (SequenceNumber.Lt(c.SndNxt, c.SndUna))
            {
                c.SndNxt = c.SndUna;
            }

            if (c.Timing && SequenceNumber.Gt(segAck, c.RttSeq))
            {
                c.Timing = false;
                c.Rto.Sample((int)(nowMs - c.RttStartMs));
            }

            // RFC 5681 §3.1: slow start below ssthresh (eq. 2), congestion avoidance above (eq. 3);
            // §3.2 step 6: the ACK that ends fast recovery deflates cwnd to ssthresh.
            if (c.DupAcks >= DuplicateAckThreshold)
            {
                c.Cwnd = c.Ssthresh;
            }
            else if (c.Cwnd < c.Ssthresh)
            {
                c.Cwnd += acked < c.SndMss ? acked : c.SndMss;
            }
            else
            {
                int increment = c.SndMss * c.SndMss / (c.Cwnd < 1 ? 1 : c.Cwnd);
                c.Cwnd += increment < 1 ? 1 : increment;
            }

            if (c.Cwnd > MaximumWindow)
            {
                c.Cwnd = MaximumWindow;
            }

            c.DupAcks = 0;
            c.Retransmits = 0;
            c.RetransmitDeadline = c.SndUna == c.SndMax ? TcpConnection.Never : nowMs + c.Rto.RtoMs;
        }

        // RFC 5681 §3.2 fast retransmit / fast recovery: the third duplicate ACK (same ACK, no data, same
        // window, data outstanding) resends the first unacknowledged segment without waiting for the RTO,
        // sets ssthresh = max(FlightSize / 2, 2*SMSS) and cwnd = ssthresh + 3*SMSS; each further duplicate
        // inflates cwnd by one SMSS so that new data keeps the ACK clock going.
        private void OnDuplicateAck(TcpConnection c)
        {
            c.DupAcks++;
            if (c.DupAcks > DuplicateAckThreshold)
            {
                c.Cwnd += c.SndMss;
                if (c.Cwnd > MaximumWindow)
                {
                    c.Cwnd = MaximumWindow;
                }

                return;
            }

            if (c.DupAcks < DuplicateAckThreshold || SequenceNumber.Lt(c.SndUna, c.DataStart))
            {
                return;
            }

            int length = c.SendBuffer.Count;
            int sent = (int)(c.SndMax - c.SndUna);
            if (length > sent)
            {
                length = sent; // only bytes sent before (an ACK beyond SND.MAX would be refused)
            }

            if (length > c.SndMss)
            {
                length = c.SndMss;
            }

            int flight = (int)(c.SndMax - c.SndUna);
            c.Ssthresh = flight / 2 > 2 * c.SndMss ? flight / 2 : 2 * c.SndMss;
            c.Cwnd = c.Ssthresh + DuplicateAckThreshold * c.SndMss;
            c.Timing = false; // Karn: the timed segment may be the one resent
            if (length > 0)
            {
                _counters.FastRetransmits++;
                _counters.Retransmissions++;
                Emit(c, c.SndUna, TcpFlags.Ack, (int)(c.SndUna - c.DataStart), length);
            }
        }

        private void EnterTimeWait(TcpConnection c, long nowMs)
        {
            c.State = TcpState.TimeWait;
            c.RetransmitDeadline = TcpConnection.Never;
            c.PersistDeadline = TcpConnection.Never;
            c.StateDeadline = nowMs + _settings.TimeWaitMs;
        }
    }
}
