namespace VpnAppliance.Bgp.Session
{
    /// <summary>Per-peer message and event counters (<c>show bgp neighbors</c>).</summary>
    public sealed class BgpSessionCounters
    {
        /// <summary>OPEN messages sent / received.</summary>
        public int OpensSent, OpensReceived;
        /// <summary>UPDATE messages sent / received.</summary>
        public long UpdatesSent, UpdatesReceived;
        /// <summary>KEEPALIVE messages sent / received.</summary>
        public long KeepalivesSent, KeepalivesReceived;
        /// <summary>NOTIFICATION messages sent / received.</summary>
        public int NotificationsSent, NotificationsReceived;
        /// <summary>ROUTE-REFRESH messages sent / received.</summary>
        public int RouteRefreshSent, RouteRefreshReceived;
        /// <summary>Times the session reached Established / left it.</summary>
        public int EstablishedTransitions, Drops;
        /// <summary>Connection collisions resolved (RFC 4271 §6.8).</summary>
        public int Collisions;
        /// <summary>Hold timer expiries.</summary>
        public int HoldTimerExpired;
        /// <summary>Incoming connections refused (passive opens not allowed, no free connection, already Established).</summary>
        public int ConnectionsRefused;
        /// <summary>Messages not sent because the transport had no room (retried).</summary>
        public int SendBlocked;
        /// <summary>ROUTE-REFRESH received without the capability negotiated (ignored).</summary>
        public int UnexpectedRouteRefresh;

        /// <summary>Zeroes everything.</summary>
        public void Clear()
        {
            OpensSent = OpensReceived = 0;
            UpdatesSent = UpdatesReceived = KeepalivesSent = KeepalivesReceived = 0;
            NotificationsSent = NotificationsReceived = RouteRefreshSent = RouteRefreshReceived = 0;
            EstablishedTransitions = Drops = Collisions = HoldTimerExpired = ConnectionsRefused = SendBlocked = UnexpectedRouteRefresh = 0;
        }
    }
}
