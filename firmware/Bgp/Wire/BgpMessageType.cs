namespace VpnAppliance.Bgp.Wire
{
    /// <summary>
    /// The Type octet of the BGP message header (RFC 4271 §4.1; ROUTE-REFRESH from RFC 2918 §3).
    /// </summary>
    public static class BgpMessageType
    {
        /// <summary>OPEN (RFC 4271 §4.2).</summary>
        public const byte Open = 1;
        /// <summary>UPDATE (RFC 4271 §4.3).</summary>
        public const byte Update = 2;
        /// <summary>NOTIFICATION (RFC 4271 §4.5).</summary>
        public const byte Notification = 3;
        /// <summary>KEEPALIVE (RFC 4271 §4.4).</summary>
        public const byte Keepalive = 4;
        /// <summary>ROUTE-REFRESH (RFC 2918 §3).</summary>
        public const byte RouteRefresh = 5;

        /// <summary>True for the types this speaker understands (1..5); any other type is a Message Header Error, subcode 3 (RFC 4271 §6.1).</summary>
        public static bool IsKnown(int type)
        {
            return type >= Open && type <= RouteRefresh;
        }

        /// <summary>Protocol name of a message type, for logs.</summary>
        public static string Name(int type)
        {
            switch (type)
            {
                case Open: return "OPEN";
                case Update: return "UPDATE";
                case Notification: return "NOTIFICATION";
                case Keepalive: return "KEEPALIVE";
                case RouteRefresh: return "ROUTE-REFRESH";
                default: return "unknown message type";
            }
        }
    }
}
