namespace VpnAppliance.Bgp.Wire
{
    /// <summary>
    /// Capability Codes carried in the OPEN's Capabilities Optional Parameter (RFC 5492 §4; IANA "Capability
    /// Codes" registry), plus the address family numbers this speaker uses.
    /// </summary>
    public static class CapabilityCode
    {
        /// <summary>Optional Parameter Type 2: Capabilities (RFC 5492 §4).</summary>
        public const int OptionalParameterCapabilities = 2;

        /// <summary>Multiprotocol Extensions: AFI 2, Reserved 1, SAFI 1 (RFC 4760 §8).</summary>
        public const int Multiprotocol = 1;
        /// <summary>Route Refresh, empty (RFC 2918 §2).</summary>
        public const int RouteRefresh = 2;
        /// <summary>Extended Message, empty (RFC 8654 §3).</summary>
        public const int ExtendedMessage = 6;
        /// <summary>Graceful Restart: flags/time 2, then AFI 2 SAFI 1 flags 1 per family (RFC 4724 §3).</summary>
        public const int GracefulRestart = 64;
        /// <summary>Support for 4-octet AS number: the AS, 4 octets (RFC 6793 §3).</summary>
        public const int FourOctetAs = 65;
        /// <summary>Enhanced Route Refresh, empty (RFC 7313 §3.1).</summary>
        public const int EnhancedRouteRefresh = 70;

        /// <summary>AFI 1: IPv4 (IANA Address Family Numbers).</summary>
        public const int AfiIpv4 = 1;
        /// <summary>SAFI 1: unicast (RFC 4760 §6).</summary>
        public const int SafiUnicast = 1;

        /// <summary>AS_TRANS, sent in 2-octet AS fields for an AS above 65535 (RFC 6793 §9).</summary>
        public const uint AsTrans = 23456;

        /// <summary>Graceful Restart Restart Flags bit R: the sender has restarted (RFC 4724 §3).</summary>
        public const int GracefulRestartFlagRestarted = 0x8;
        /// <summary>Graceful Restart Restart Flags bit N: notification support (RFC 8538 §2).</summary>
        public const int GracefulRestartFlagNotification = 0x4;
        /// <summary>Graceful Restart per-family flag F: forwarding state preserved (RFC 4724 §3).</summary>
        public const int GracefulRestartFlagForwarding = 0x80;
        /// <summary>Largest Restart Time, 12 bits, in seconds (RFC 4724 §3).</summary>
        public const int MaxRestartTime = 4095;

        /// <summary>Name of a capability code, for logs.</summary>
        public static string Name(int code)
        {
            switch (code)
            {
                case Multiprotocol: return "Multiprotocol Extensions";
                case RouteRefresh: return "Route Refresh";
                case ExtendedMessage: return "Extended Message";
                case GracefulRestart: return "Graceful Restart";
                case FourOctetAs: return "4-octet AS number";
                case EnhancedRouteRefresh: return "Enhanced Route Refresh";
                default: return "unknown capability";
            }
        }
    }
}
