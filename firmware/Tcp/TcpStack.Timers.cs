namespace VpnAppliance.Tcp
{
    // Timers, all explicit deadlines in the TCB, fired by Poll(nowMs):
    //   retransmission (RFC 6298 §5): expiry backs RTO off, goes back to SND.UNA and resends (RFC 5681 §3.1
    //     loss window of one segment); after MaximumRetransmissions the connection is given up (RFC 9293 §3.8.3);
    //   persist (RFC 9293 §3.8.6.1): zero-window probes;
    //   state: TIME-WAIT end (bounded, TcpSettings.TimeWaitMs) and the FIN-WAIT-2 limit.
    public sealed partial class TcpStack
    {
        /// <summary>
        /// Fires the timers due at <paramref name="nowMs"/> and sends what user calls left pending (data, FIN,
        /// window updates). Call it at <see cref="NextDeadline"/> and after Send/Receive/Close.
        /// </summary>
        public void Poll(long nowMs)
        {
            _now = nowMs;
            for (int i = 0; i < _connections.Length; i++)
            {
                TcpConnection c = _connections[i];
                if (!c.InUse || c.State == TcpState.Listen || c.State == TcpState.Closed)
                {
                    continue;
                }

                if (c.StateDeadline <= nowMs)
                {
                    Terminate(c, TcpResult.Ok, TcpEvent.None);
                    continue;
                }

                if (c.RetransmitDeadline <= nowMs)
                {
                    OnRetransmitTimeout(c);
                    if (!c.InUse || c.State == TcpState.Closed)
                    {
                        continue;
                    }
                }

                if (c.PersistDeadline <= nowMs)
                {
                    SendWindowProbe(c);
                }

                if (c.Pending)
                {
                    Output(c);
                }
            }
        }

        private void OnRetransmitTimeout(TcpConnection c)
        {
            c.RetransmitDeadline = TcpConnection.Never;
            _counters.Timeouts++;
            c.Retransmits++;
            if (c.Retransmits > _settings.MaximumRetransmissions)
            {
                _counters.RetransmissionLimit++;
                if (c.State != TcpState.SynSent)
                {
                    SendReset(c.LocalAddress, c.LocalPort, c.RemoteAddress, c.RemotePort, c.SndNxt, 0, false);
                }

                Terminate(c, TcpResult.TimedOut, TcpEvent.TimedOut);
                return;
            }

            c.Rto.BackOff();           // RFC 6298 §5.5
            c.Timing = false;          // Karn (RFC 6298 §3): no sample from a retransmitted segment
            if (c.State == TcpState.SynSent || c.State == TcpState.SynReceived)
            {
                c.SynRetransmitted = true;
            }

            // RFC 5681 §3.1 eq. (4) and the loss window: ssthresh = max(FlightSize / 2, 2*SMSS), cwnd = 1 SMSS.
            int flight = (int)(c.SndMax - c.SndUna);
            c.Ssthresh = flight / 2 > 2 * c.SndMss ? flight / 2 : 2 * c.SndMss;
            c.Cwnd = c.SndMss;
            c.SndNxt = c.SndUna;       // RFC 6298 §5.4: retransmit the earliest unacknowledged segment
            Output(c);                 // restarts the timer with the backed-off RTO (§5.6)
        }
    }
}
