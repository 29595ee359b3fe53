namespace VpnAppliance.Bfd
{
    // Timers and transmission (RFC 5880 §6.8.2-§6.8.4, §6.8.7):
    //
    //   transmit interval = max(our Desired Min TX in use, peer's Required Min RX), our Desired Min TX at least
    //     1 s while not Up (§6.8.3); each periodic packet after 75-100 % of it (75-90 % with Detect Mult 1);
    //     none while the peer's Required Min RX is 0 or the peer is in Demand mode with both sides Up (§6.8.7).
    //   detection time = peer's Detect Mult x max(our Required Min RX in use, peer's Desired Min TX) (§6.8.4),
    //     restarted by every accepted packet; expiry: Init/Up -> Down with Diag 1, remote discriminator forgotten.
    //   timer changes while Up run a Poll Sequence (§6.5): P on every packet until a packet with F arrives; a
    //     larger Desired Min TX or a smaller Required Min RX only applies to us after the Final (§6.8.3).
    public sealed partial class BfdEngine
    {
        /// <summary>
        /// Runs the due detection and transmit timers at <paramref name="nowMs"/> (each session at most one
        /// packet per call); returns <see cref="NextDeadline"/>.
        /// </summary>
        public long Poll(long nowMs)
        {
            for (int i = 0; i < _sessions.Length; i++)
            {
                BfdSession s = _sessions[i];
                if (!s.InUse)
                {
                    continue;
                }

                if (s.DetectDeadlineMs <= nowMs)
                {
                    s.DetectDeadlineMs = Never;
                    s.RemoteDiscr = 0;                  // §6.8.1: forgotten after a Detection Time of silence
                    s.RemoteStateValue = BfdState.Down;
                    s.RemoteDemandMode = false;
                    if (s.StateValue == BfdState.Init || s.StateValue == BfdState.Up)
                    {
                        ChangeState(s, BfdState.Down, BfdDiag.ControlDetectionTimeExpired, nowMs);
                        s.NextTxMs = nowMs;
                    }
                }

                if (s.NextTxMs <= nowMs)
                {
                    if (TransmitsPeriodically(s))
                    {
                        Transmit(s, false, nowMs);
                        s.NextTxMs = nowMs + JitteredIntervalMs(s);
                    }
                    else
                    {
                        s.NextTxMs = Never;   // re-armed by Reschedule when a packet changes the conditions
                    }
                }
            }

            return NextDeadline;
        }

        // §6.8.7: no periodic packets when the peer asked for none (Required Min RX 0), when the peer runs Demand
        // mode and both sides are Up, or once the AdminDown announcement is done.
        private static bool TransmitsPeriodically(BfdSession s)
        {
            if (s.StateValue == BfdState.AdminDown)
            {
                return s.AdminDownPacketsLeft > 0;
            }

            if (s.RemoteMinRx == 0)
            {
                return false;
            }

            return !(s.RemoteDemandMode && s.StateValue == BfdState.Up && s.RemoteStateValue == BfdState.Up);
        }

        // §6.8.7 jitter: the interval reduced by a random 0-25 % (10-25 % when Detect Mult is 1).
        private long JitteredIntervalMs(BfdSession s)
        {
            long interval = s.TransmitInterval;
            int percent = s.DetectMultValue == 1 ? 75 + _random.Below(16) : 75 + _random.Below(26);
            long ms = interval * percent / 100000;
            return ms > 0 ? ms : 1;
        }

        private static long MicrosecondsToMs(long us)
        {
            return (us + 999) / 1000;
        }

        // The transmit interval changed: the next packet goes out no later than one new (jittered) interval from
        // now (§6.8.2: a shorter interval applies at once; a longer one from the next packet on).
        private void Reschedule(BfdSession s, long nowMs)
        {
            if (!TransmitsPeriodically(s))
            {
                return;
            }

            long next = nowMs + JitteredIntervalMs(s);
            if (next < s.NextTxMs)
            {
                s.NextTxMs = next;
            }
        }

        // Derives the advertised intervals from the configuration and the state (§6.8.3), starting a Poll Sequence
        // when they change while Up.
        private void ApplyIntervals(BfdSession s, long nowMs)
        {
            long tx = s.ConfiguredDesiredMinTx;
            if (s.StateValue != BfdState.Up && tx < SlowTxInterval)
            {
                tx = SlowTxInterval;
            }

            long rx = s.ConfiguredRequiredMinRx;
            long oldInterval = s.TransmitInterval;
            if (tx != s.DesiredMinTx || rx != s.RequiredMinRx)
            {
                if (s.StateValue == BfdState.Up)
                {
                    s.PollActive = true;
                    if (tx < s.TxBasis)
                    {
                        s.TxBasis = tx;       // sending faster is safe at once
                    }

                    if (rx > s.RxBasis)
                    {
                        s.RxBasis = rx;       // a longer detection time is safe at once
                    }
                }
                else
                {
                    s.PollActive = false;
                    s.TxBasis = tx;
                    s.RxBasis = rx;
                }

                s.DesiredMinTx = tx;
                s.RequiredMinRx = rx;
            }

            if (s.TransmitInterval != oldInterval)
            {
                Reschedule(s, nowMs);
            }
        }

        // Enters a new state; latches the change for TakeStateChange. Diag is set when leaving for Down or
        // AdminDown and cleared on Up.
        private void ChangeState(BfdSession s, BfdState state, BfdDiag diag, long nowMs)
        {
            BfdState old = s.StateValue;
            if (old == state)
            {
                return;
            }

            s.StateValue = state;
            s.StateSinceMs = nowMs;
            s.Changed = true;
            if (state == BfdState.Up)
            {
                s.LocalDiag = BfdDiag.None;
                s.UpTransitions++;
            }
            else if (state == BfdState.Down || state == BfdState.AdminDown)
            {
                s.LocalDiag = diag;
                if (old == BfdState.Up || old == BfdState.Init)
                {
                    s.DownTransitions++;
                }
            }

            if (old == BfdState.Up)
            {
                // Leaving Up ends any Poll Sequence; the slow rate applies at once (§6.8.3).
                s.PollActive = false;
                s.LeftUp = true;
            }

            ApplyIntervals(s, nowMs);
            if (state != BfdState.Up)
            {
                s.TxBasis = s.DesiredMinTx;
                s.RxBasis = s.RequiredMinRx;
            }
        }

        // Builds and sends one Control packet (§6.8.7): P while a Poll Sequence runs (never together with F).
        private void Transmit(BfdSession s, bool final, long nowMs)
        {
            BfdControlPacket p = default(BfdControlPacket);
            p.Version = BfdControlPacket.ProtocolVersion;
            p.Diag = s.LocalDiag;
            p.State = s.StateValue;
            p.Poll = s.PollActive && !final;
            p.Final = final;
            p.DetectMult = s.DetectMultValue;
            p.Length = BfdControlPacket.MandatoryLength;
            p.MyDiscriminator = s.LocalDiscr;
            p.YourDiscriminator = s.RemoteDiscr;
            p.DesiredMinTxInterval = (uint)s.DesiredMinTx;
            p.RequiredMinRxInterval = (uint)s.RequiredMinRx;
            p.RequiredMinEchoRxInterval = 0;   // no echo function (§6.8.9)
            int n = p.Emit(_tx, 0, _tx.Length);
            if (s.StateValue == BfdState.AdminDown && s.AdminDownPacketsLeft > 0)
            {
                s.AdminDownPacketsLeft--;
            }

            s.TxCount++;
            if (_output.Send(s.InterfaceIdValue, s.LocalValue, s.PeerValue, s.SourcePortValue, _tx, 0, n, nowMs))
            {
                _counters.Sent++;
            }
            else
            {
                _counters.SendFailures++;
            }
        }
    }
}
