namespace VpnAppliance.Bgp.Speaker
{
    /// <summary>Route-engine state of one peer beside its session: graceful-restart timers, export cursor, policy counters.</summary>
    public sealed class BgpPeerState
    {
        /// <summary>RFC 4724 §4.2 restart timer: stale routes go when it expires before the session is back.</summary>
        public long RestartDeadline = long.MaxValue;
        /// <summary>After the session is back: stale routes go at End-of-RIB or at this deadline.</summary>
        public long StaleDeadline = long.MaxValue;
        /// <summary>End-of-RIB sent after the initial dump (RFC 4724 §2).</summary>
        public bool EndOfRibSent;
        /// <summary>End-of-RIB received from the peer.</summary>
        public bool EndOfRibReceived;
        /// <summary>The max-prefix warning was logged for this session.</summary>
        public bool MaxPrefixWarned;
        /// <summary>The advertise-limit warning was logged for this session.</summary>
        public bool AdvertiseLimitWarned;
        /// <summary>Export scan position in the prefix pool.</summary>
        public int ScanCursor;
        /// <summary>Prefixes not advertised because of the cloud's limit.</summary>
        public int AdvertiseLimited;
        /// <summary>Announced prefixes refused by the import prefix-list.</summary>
        public long ImportDenied;
        /// <summary>Announced prefixes refused because the eBGP peer has no import policy (RFC 8212).</summary>
        public long Rfc8212Denied;
        /// <summary>Announcements whose AS_PATH holds our AS (RFC 4271 §9.1.2).</summary>
        public long AsLoopDenied;
        /// <summary>UPDATEs handled as treat-as-withdraw (RFC 7606 §2).</summary>
        public long TreatAsWithdraw;
        /// <summary>Announcements refused because a pool was full.</summary>
        public long PoolFull;
        /// <summary>Stale routes removed by the RFC 4724 sweep.</summary>
        public long StaleSwept;

        /// <summary>Resets per-session flags (a new session).</summary>
        public void NewSession()
        {
            EndOfRibSent = false;
            EndOfRibReceived = false;
            MaxPrefixWarned = false;
            AdvertiseLimitWarned = false;
            AdvertiseLimited = 0;
            ScanCursor = 0;
        }
    }
}
