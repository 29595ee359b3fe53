using VpnAppliance.Wire;

namespace VpnAppliance.Tcp
{
    // Output of one connection: the SYN or SYN,ACK while opening, then data segments as the send window
    // (min(SND.WND, cwnd)) allows, the FIN after the last byte, and a bare ACK when one is owed and no data
    // segment carried it. Every segment carries the current receive window (receiver SWS avoidance,
    // RFC 9293 §3.8.6.2.2). When the peer's window is zero and data waits, the persist timer is armed.
    public sealed partial class TcpStack
    {
        // Runs the connection's output at _now.
        private void Output(TcpConnection c)
        {
            c.Pending = false;
            switch (c.State)
            {
                case TcpState.SynSent:
                    if (c.SndNxt == c.Iss)
                    {
                        SendSyn(c, false);
                    }

                    break;
                case TcpState.SynReceived:
                    if (c.SndNxt == c.Iss)
                    {
                        SendSyn(c, true);
                    }

                    break;
                case TcpState.Established:
                case TcpState.CloseWait:
                case TcpState.FinWait1:
                case TcpState.Closing:
                case TcpState.LastAck:
                    SendData(c);
                    break;
            }

            if (c.AckNow && c.State != TcpState.Closed && c.State != TcpState.Listen && c.State != TcpState.SynSent)
            {
                // A bare ACK carries SEQ = SND.MAX, not SND.NXT: after a go-back SND.NXT may lie below the
                // peer's RCV.NXT, and a segment it finds unacceptable would be answered with an ACK of its own.
                // SYN-RECEIVED keeps SND.NXT (the SYN may not be counted by the peer yet).
                Emit(c, c.State == TcpState.SynReceived ? c.SndNxt : c.SndMax, TcpFlags.Ack, 0, 0);
            }

            c.AckNow = false;
            ArmPersist(c);
        }

        // SYN (active open) or SYN,ACK (passive or simultaneous open) with our MSS option (RFC 9293 §3.7.1).
        private void SendSyn(TcpConnection c, bool ack)
        {
            if (c.SndMax == c.Iss)
            {
                c.Timing = true;
                c.RttSeq = c.Iss;
                c.RttStartMs = _now;
            }
            else
            {
                _counters.Retransmissions++;
            }

            EmitSegment(c, c.Iss, ack ? (byte)(TcpFlags.Syn | TcpFlags.Ack) : TcpFlags.Syn, _settings.MaximumSegmentSize, 0, 0);
            c.SndNxt = c.Iss + 1;
            c.SndMax = SequenceNumber.Max(c.SndMax, c.SndNxt);
            if (c.RetransmitDeadline == TcpConnection.Never)
            {
                c.RetransmitDeadline = _now + c.Rto.RtoMs;
            }

            c.AckNow = false;
        }

        // Data and FIN from SND.NXT as far as the usable window allows (RFC 9293 §3.8.6.2.1 sender side: a
        // segment shorter than the MSS goes out only when it ends the queued data or nothing is in flight).
        private void SendData(TcpConnection c)
        {
            for (int guard = 0; guard < 256; guard++)
            {
                uint dataEnd = c.FinSeq;
                int unsent = SequenceNumber.Lt(c.SndNxt, dataEnd) ? (int)(dataEnd - c.SndNxt) : 0;
                int inFlight = (int)(c.SndNxt - c.SndUna);
                int window = c.SndWnd < c.Cwnd ? c.SndWnd : c.Cwnd;
                int usable = window - inFlight;
                if (usable < 0)
                {
                    usable = 0;
                }

                int length = unsent < usable ? unsent : usable;
                if (length > c.SndMss)
                {
                    length = c.SndMss;
                }

                bool fin = c.FinQueued && SequenceNumber.Le(c.SndNxt, dataEnd) && length == unsent;
                if (length == 0 && !fin)
                {
                    return;
                }

                if (length < c.SndMss && length < unsent && inFlight > 0)
                {
                    return; // wait for an ACK rather than send a runt
                }

                byte flags = TcpFlags.Ack;
                if (length > 0 && length == unsent)
                {
                    flags |= TcpFlags.Psh;
                }

                if (fin)
                {
                    flags |= TcpFlags.Fin;
                }

                if (SequenceNumber.Lt(c.SndNxt, c.SndMax))
                {
                    _counters.Retransmissions++;
                }
                else if (!c.Timing && length > 0)
                {
                    c.Timing = true;
                    c.RttSeq = c.SndNxt;
                    c.RttStartMs = _now;
                }

                EmitSegment(c, c.SndNxt, flags, 0, (int)(c.SndNxt - c.DataStart), length);
                c.SndNxt += (uint)(length + (fin ? 1 : 0));
                c.SndMax = SequenceNumber.Max(c.SndMax, c.SndNxt);
                if (c.RetransmitDeadline == TcpConnection.Never)
                {
                    c.RetransmitDeadline = _now + c.Rto.RtoMs; // RFC 6298 §5.1
                }

                c.AckNow = false;
                if (fin)
                {
                    return;
                }
            }
        }

        // RFC 9293 §3.8.6.1: with data waiting, a zero send window and nothing in flight, the persist timer runs.
        private void ArmPersist(TcpConnection c)
        {
            bool waiting = c.State >= TcpState.Established && c.SndWnd == 0 && c.SndNxt == c.SndUna
                && SequenceNumber.Lt(c.SndNxt, c.FinSeq) && c.RetransmitDeadline == TcpConnection.Never;
            if (!waiting)
            {
                c.PersistDeadline = TcpConnection.Never;
            }
            else if (c.PersistDeadline == TcpConnection.Never)
            {
                c.PersistDeadline = _now + c.PersistIntervalMs;
            }
        }

        // A zero-window probe: one byte of new data at SND.NXT beyond the closed window. Neither SND.NXT nor
        // SND.MAX moves (the byte is sent again normally once the window opens; bare ACKs keep a sequence number
        // the peer accepts), but an ACK covering the byte is acceptable (AckLimit). The probe interval backs off to the maximum RTO; probes never give up while answered.
        private void SendWindowProbe(TcpConnection c)
        {
            _counters.WindowProbes++;
            EmitSegment(c, c.SndNxt, TcpFlags.Ack, 0, (int)(c.SndNxt - c.DataStart), 1);
            if (c.SndNxt == c.SndMax)
            {
                c.ProbeOutstanding = true;
            }

            long doubled = (long)c.PersistIntervalMs * 2;
            c.PersistIntervalMs = doubled > _settings.MaximumRtoMs ? _settings.MaximumRtoMs : (int)doubled;
            c.PersistDeadline = _now + c.PersistIntervalMs;
        }

        // Receiver SWS avoidance (RFC 9293 §3.8.6.2.2): the right edge moves only when it gains at least
        // min(buffer / 2, MSS); it never moves left. Returns RCV.WND to advertise.
        private int AdvertisedWindow(TcpConnection c)
        {
            if (WindowUpdateDue(c))
            {
                c.RcvAdv = c.RcvNxt + (uint)ReceiveSpace(c);
            }

            return (int)(c.RcvAdv - c.RcvNxt);
        }

        private bool WindowUpdateDue(TcpConnection c)
        {
            uint edge = c.RcvNxt + (uint)ReceiveSpace(c);
            if (!SequenceNumber.Gt(edge, c.RcvAdv))
            {
                return false;
            }

            int threshold = _bufferSize / 2 < _settings.MaximumSegmentSize ? _bufferSize / 2 : _settings.MaximumSegmentSize;
            return (int)(edge - c.RcvAdv) >= (threshold < 1 ? 1 : threshold);
        }

        // Room for data past RCV.NXT: the free part of the receive buffer, at most a 16-bit window.
        private static int ReceiveSpace(TcpConnection c)
        {
            int free = c.ReceiveBuffer.Free;
            return free > MaximumWindow ? MaximumWindow : free;
        }

        // A segment of the connection: SEQ as given, ACK = RCV.NXT (except on our first SYN), current window.
        private void EmitSegment(TcpConnection c, uint seq, byte flags, int mss, int dataAt, int dataLength)
        {
            uint ack = (flags & TcpFlags.Ack) != 0 ? c.RcvNxt : 0;
            int window = c.State == TcpState.SynSent ? ReceiveSpace(c) : AdvertisedWindow(c);
            int headerLength = mss > 0 ? TcpSegmentCodec.SynHeaderLength : TcpSegmentCodec.HeaderLength;
            if (dataLength > 0)
            {
                c.SendBuffer.CopyOut(dataAt, _out, _outOffset + headerLength, dataLength);
            }

            int length = TcpSegmentCodec.Emit(_out, _outOffset, c.LocalAddress, c.RemoteAddress, c.LocalPort, c.RemotePort,
                seq, ack, flags, window, mss, dataLength);
            _counters.SegmentsSent++;
            _output.SendSegment(c.LocalAddress, c.RemoteAddress, _out, _outOffset, length, PeerTtl(c.RemoteAddress), _now);
        }

        private void Emit(TcpConnection c, uint seq, byte flags, int dataAt, int dataLength)
        {
            EmitSegment(c, seq, flags, 0, dataAt, dataLength);
        }

        // <SEQ=seq><CTL=RST>, or with withAck <SEQ=seq><ACK=ack><CTL=RST,ACK> (RFC 9293 §3.10.7.1).
        private void SendReset(uint localAddress, int localPort, uint remoteAddress, int remotePort, uint seq, uint ack, bool withAck)
        {
            byte flags = withAck ? (byte)(TcpFlags.Rst | TcpFlags.Ack) : TcpFlags.Rst;
            int length = TcpSegmentCodec.Emit(_out, _outOffset, localAddress, remoteAddress, localPort, remotePort, seq, ack, flags, 0, 0, 0);
            _counters.ResetsSent++;
            _counters.SegmentsSent++;
            _output.SendSegment(localAddress, remoteAddress, _out, _outOffset, length, PeerTtl(remoteAddress), _now);
        }
    }
}
