using VpnAppliance.Bgp.Wire;

namespace VpnAppliance.Bgp.Session
{
    /// <summary>
    /// Received messages per state (RFC 4271 §8.2.2): OPEN in OpenSent (checks, collision detection §6.8),
    /// KEEPALIVE in OpenConfirm (-&gt; Established), UPDATE / KEEPALIVE / ROUTE-REFRESH in Established,
    /// NOTIFICATION anywhere; any other message is a Finite State Machine Error (RFC 6608 subcodes).
    /// </summary>
    public sealed partial class BgpSession
    {
        private readonly NotificationMessage notification = new NotificationMessage();
        private readonly RouteRefreshMessage routeRefresh = new RouteRefreshMessage();

        /// <summary>Processes every complete message of <paramref name="c"/>; false when the connection was closed.</summary>
        private bool ProcessMessages(BgpConnection c, long nowMs)
        {
            BgpMessageReassembler r = c.Reassembler;
            for (int guard = 0; guard < 4096; guard++)
            {
                BgpMessageReassembler.Status status = r.Next();
                if (status == BgpMessageReassembler.Status.NeedMore)
                {
                    return true;
                }

                if (status == BgpMessageReassembler.Status.HeaderError)
                {
                    // RFC 4271 §6.1: Message Header Error, data as the reassembler set it.
                    DropWithNotification(c, r.Error, "message header error", true, false, nowMs);
                    return false;
                }

                if (!ProcessMessage(c, r.Buffer, r.MessageOffset, r.MessageLength, r.MessageType, nowMs))
                {
                    return false;
                }
            }

            return true;
        }

        private bool ProcessMessage(BgpConnection c, byte[] buffer, int offset, int length, byte type, long nowMs)
        {
            if (type == BgpMessageType.Notification)
            {
                Counters.NotificationsReceived++;
                string text = "NOTIFICATION received";
                if (notification.Decode(buffer, offset, length))
                {
                    text = text + ": " + notification.CodeName + "/" + notification.SubcodeName;
                }

                Drop(c, text, true, false, nowMs);
                return false;
            }

            // RFC 4271 §8.2.2: in OpenConfirm and Established any message restarts the Hold timer
            // (KeepAliveMsg, UpdateMsg); OpenSent keeps its large timer until the OPEN.
            if (c.Phase >= BgpConnection.OpenConfirm)
            {
                RestartHold(c, nowMs);
            }

            switch (c.Phase)
            {
                case BgpConnection.OpenSent:
                    if (type == BgpMessageType.Open)
                    {
                        return OpenReceived(c, buffer, offset, length, nowMs);
                    }

                    return FsmError(c, NotificationCode.FsmUnexpectedMessageInOpenSent, nowMs);
                case BgpConnection.OpenConfirm:
                    if (type == BgpMessageType.Keepalive)
                    {
                        Counters.KeepalivesReceived++;
                        EnterEstablished(c, nowMs);
                        return true;
                    }

                    return FsmError(c, NotificationCode.FsmUnexpectedMessageInOpenConfirm, nowMs);
                default:
                    return EstablishedMessage(c, buffer, offset, length, type, nowMs);
            }
        }

        private bool EstablishedMessage(BgpConnection c, byte[] buffer, int offset, int length, byte type, long nowMs)
        {
            if (type == BgpMessageType.Keepalive)
            {
                Counters.KeepalivesReceived++;
                return true;
            }

            if (type == BgpMessageType.Update)
            {
                Counters.UpdatesReceived++;
                owner.UpdateReceived(this, buffer, offset, length, nowMs);
                return established == c;
            }

            if (type == BgpMessageType.RouteRefresh)
            {
                Counters.RouteRefreshReceived++;
                RouteRefreshMessage.Status s = routeRefresh.Decode(buffer, offset, length, error);
                if (s == RouteRefreshMessage.Status.Valid)
                {
                    if (!Params.RouteRefresh)
                    {
                        Counters.UnexpectedRouteRefresh++;
                        return true;
                    }

                    if (routeRefresh.Afi == CapabilityCode.AfiIpv4 && routeRefresh.Safi == CapabilityCode.SafiUnicast
                        && routeRefresh.Subtype == RouteRefreshMessage.SubtypeRequest)
                    {
                        owner.RouteRefreshReceived(this, routeRefresh.Afi, routeRefresh.Safi, nowMs);
                    }

                    return true;
                }

                if (s == RouteRefreshMessage.Status.Error)
                {
                    // RFC 7313 §5: a ROUTE-REFRESH of bad length is answered with code 7.
                    DropWithNotification(c, error, "malformed ROUTE-REFRESH", true, false, nowMs);
                    return false;
                }

                return true; // unknown AFI/SAFI or subtype: ignored (RFC 2918 §4)
            }

            return FsmError(c, NotificationCode.FsmUnexpectedMessageInEstablished, nowMs);
        }

        private bool FsmError(BgpConnection c, int subcode, long nowMs)
        {
            error.Set(NotificationCode.FiniteStateMachineError, subcode);
            DropWithNotification(c, error, "unexpected message", true, false, nowMs);
            return false;
        }

        private void RestartHold(BgpConnection c, long nowMs)
        {
            int hold = NegotiatedHold(c);
            c.HoldDeadline = hold == 0 ? long.MaxValue : nowMs + hold * 1000L;
        }

        private int NegotiatedHold(BgpConnection c)
        {
            // RFC 4271 §4.2: the smaller of the two Hold Times.
            int peer = c.PeerOpen.HoldTime;
            return peer < config.HoldTime ? peer : config.HoldTime;
        }

        private bool OpenReceived(BgpConnection c, byte[] buffer, int offset, int length, long nowMs)
        {
            Counters.OpensReceived++;
            OpenError result = c.PeerOpen.Decode(buffer, offset, length, error);
            if (result == OpenError.None)
            {
                result = OpenCheck.Validate(c.PeerOpen, openPolicy, error);
            }

            if (result != OpenError.None)
            {
                DropWithNotification(c, error, OpenRejectText(result, c.PeerOpen), true, false, nowMs);
                return false;
            }

            if (!ResolveCollision(c, nowMs))
            {
                return false;
            }

            PeerIdentifier = c.PeerOpen.BgpIdentifier;
            if (!SendKeepalive(c))
            {
                Drop(c, "KEEPALIVE could not be sent", true, false, nowMs);
                return false;
            }

            c.Phase = BgpConnection.OpenConfirm;
            RestartHold(c, nowMs);
            // The KeepaliveTimer runs from OpenConfirm on (RFC 4271 §8.2.2), with the negotiated Hold Time.
            Params.HoldTime = NegotiatedHold(c);
            int keepalive = KeepaliveInterval();
            keepaliveAt = keepalive > 0 ? nowMs + keepalive * 1000L : long.MaxValue;
            lastChangeAt = nowMs;
            return true;
        }

        /// <summary>
        /// RFC 4271 §6.8: an OPEN arrived on <paramref name="c"/> while another connection to the same peer exists.
        /// The connection opened by the speaker with the higher BGP Identifier survives; the loser gets NOTIFICATION
        /// Cease / Connection Collision Resolution (RFC 4486 §3). Against an Established connection the new one
        /// loses, unless the peer negotiated graceful restart: then a new OPEN means the peer restarted (RFC 4724
        /// §4.2) and the old connection is dropped with its routes kept stale. Returns false when <paramref name="c"/> lost.
        /// A connection still in OpenSent is judged later, when its own OPEN arrives.
        /// </summary>
        private bool ResolveCollision(BgpConnection c, long nowMs)
        {
            BgpConnection other = Other(c);
            if (other == null)
            {
                return true;
            }

            if (other.Phase == BgpConnection.Connecting)
            {
                Drop(other, null, false, false, nowMs);
                return true;
            }

            if (other.Phase == BgpConnection.OpenSent)
            {
                // The other connection's OPEN is not in yet: decide when it arrives (§6.8 compares connections
                // in OpenConfirm). Deciding now could keep a connection the peer is refusing.
                return true;
            }

            Counters.Collisions++;
            error.Set(NotificationCode.Cease, NotificationCode.CeaseConnectionCollisionResolution);
            if (other.Phase == BgpConnection.Established)
            {
                if (PeerGracefulRestart)
                {
                    Drop(other, "peer restarted (new OPEN while Established)", true, true, nowMs);
                    return true;
                }

                DropWithNotification(c, error, null, false, false, nowMs);
                return false;
            }

            bool keepOutgoing = routerId > c.PeerOpen.BgpIdentifier;
            BgpConnection loser;
            if (c.Outgoing == other.Outgoing)
            {
                loser = other; // two incoming: the newer one wins
            }
            else
            {
                loser = (c.Outgoing == keepOutgoing) ? other : c;
            }

            DropWithNotification(loser, error, null, false, false, nowMs);
            return loser != c;
        }

        private void EnterEstablished(BgpConnection c, long nowMs)
        {
            c.Phase = BgpConnection.Established;
            established = c;
            establishedAt = nowMs;
            lastChangeAt = nowMs;
            Params.Negotiate(LocalOpen, c.PeerOpen);
            Params.LocalAddress = config.LocalAddress;
            PeerGracefulRestart = config.GracefulRestart && c.PeerOpen.HasGracefulRestart;
            PeerRestartTimeSeconds = c.PeerOpen.RestartTime;
            Counters.EstablishedTransitions++;
            Params.KeepaliveTime = KeepaliveInterval();
            keepaliveAt = Params.KeepaliveTime > 0 ? nowMs + Params.KeepaliveTime * 1000L : long.MaxValue;
            connectRetryAt = long.MaxValue; // RFC 4271 §8.2.2: ConnectRetryTimer stopped once Established
            log.Write(nowMs, false, Prefix() + "Established (hold " + Params.HoldTime.ToString() + " s, keepalive " + KeepaliveInterval().ToString() + " s)");
            owner.SessionEstablished(this, nowMs);
        }

        /// <summary>The one log line for a refused OPEN, naming the setting to check (e.g. the remote-as).</summary>
        private string OpenRejectText(OpenError result, OpenMessage peer)
        {
            string addr = VpnAppliance.Config.Ipv4.Format(config.Address);
            switch (result)
            {
                case OpenError.PeerAsNotConfigured:
                    return "OPEN rejected: bad peer AS " + peer.EffectiveAs.ToString() + " (expected " + config.RemoteAs.ToString()
                        + "): set protocols bgp neighbor " + addr + " remote-as";
                case OpenError.UnacceptableHoldTime:
                    return "OPEN rejected: unacceptable hold time " + peer.HoldTime.ToString() + " s: set protocols bgp neighbor " + addr + " timers hold";
                case OpenError.BadBgpIdentifier:
                    return "OPEN rejected: bad BGP identifier " + VpnAppliance.Config.Ipv4.Format(peer.BgpIdentifier) + ": set protocols bgp router-id";
                default:
                    return OpenErrorText.Describe(result);
            }
        }
    }
}
