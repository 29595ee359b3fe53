using VpnAppliance.Bgp.Policy;

namespace VpnAppliance.Bgp.Session
{
    /// <summary>
    /// Everything one peer's session and policy need, resolved from the configuration (defaults from the cloud
    /// profile filled in). BgpConfigReader builds it from the ConfigModel; tests build it directly.
    /// </summary>
    public sealed class BgpPeerConfig
    {
        /// <summary>Default ConnectRetry time (RFC 4271 §10 suggests 120 s; inside a VPN tunnel a faster retry is kinder).</summary>
        public const int DefaultConnectRetrySeconds = 30;
        /// <summary>Default graceful-restart Restart Time we advertise (RFC 4724 §3, FRR default 120 s).</summary>
        public const int DefaultRestartTimeSeconds = 120;
        /// <summary>Default time stale routes are kept after the peer is back, if End-of-RIB never comes (FRR: 360 s).</summary>
        public const int DefaultStaleTimeSeconds = 360;

        /// <summary>Peer address (the session's remote TCP address).</summary>
        public uint Address;
        /// <summary>Our source address (update-source; 0 = chosen by the transport).</summary>
        public uint LocalAddress;
        /// <summary>Peer's AS (remote-as).</summary>
        public uint RemoteAs;
        /// <summary>Our AS on this session.</summary>
        public uint LocalAs;
        /// <summary>Hold Time we offer, seconds (0 or &gt;= 3; RFC 4271 §4.2).</summary>
        public int HoldTime = 180;
        /// <summary>Keepalive interval, seconds; -1 = a third of the negotiated Hold Time (RFC 4271 §10).</summary>
        public int Keepalive = -1;
        /// <summary>ConnectRetry time, seconds (RFC 4271 §8.2.2).</summary>
        public int ConnectRetrySeconds = DefaultConnectRetrySeconds;
        /// <summary>Which opens are allowed.</summary>
        public ConnectMode Mode = ConnectMode.Both;
        /// <summary>IP TTL of the session (1 = directly connected; eBGP multihop otherwise).</summary>
        public int Ttl = 1;
        /// <summary>Tunnel the session runs over (vtiN -&gt; N), -1 when unknown; TunnelDown(N) closes it.</summary>
        public int TunnelId = -1;
        /// <summary>Advertise the graceful-restart capability and act as a helper (RFC 4724).</summary>
        public bool GracefulRestart = true;
        /// <summary>Restart Time we advertise, seconds.</summary>
        public int RestartTimeSeconds = DefaultRestartTimeSeconds;
        /// <summary>Longest time stale routes wait for End-of-RIB after the session is back, seconds.</summary>
        public int StaleTimeSeconds = DefaultStaleTimeSeconds;
        /// <summary>Import prefix-list (null = none: an eBGP peer accepts nothing, RFC 8212).</summary>
        public PrefixFilter Import;
        /// <summary>Export prefix-list (null = none: an eBGP peer is sent nothing, RFC 8212).</summary>
        public PrefixFilter Export;
        /// <summary>Extra copies of our AS prepended on export to this (external) peer.</summary>
        public int Prepend;
        /// <summary>True when MED is set on export.</summary>
        public bool HasMed;
        /// <summary>MULTI_EXIT_DISC sent on export (RFC 4271 §5.1.4).</summary>
        public uint Med;
        /// <summary>COMMUNITIES values added on export (RFC 1997); null = none.</summary>
        public uint[] ExportCommunities;
        /// <summary>Most accepted prefixes (0 = no limit).</summary>
        public int MaxPrefix;
        /// <summary>Action at MaxPrefix.</summary>
        public MaxPrefixAction MaxPrefixAction = MaxPrefixAction.Warning;
        /// <summary>Idle time after a max-prefix teardown, seconds.</summary>
        public int MaxPrefixRestartSeconds = 60;
        /// <summary>The cloud behind this peer (export rules).</summary>
        public CloudKind Cloud = CloudKind.Generic;
        /// <summary>Most prefixes advertised to this peer (0 = no limit); from the cloud's limit.</summary>
        public int AdvertiseLimit;
        /// <summary>Administratively shut down (no session).</summary>
        public bool Shutdown;

        /// <summary>True for an external peer.</summary>
        public bool IsExternal { get { return RemoteAs != LocalAs; } }

        /// <summary>Peer settings that need the session restarted when they change (AS numbers, timers, addresses, capabilities).</summary>
        public bool SameSession(BgpPeerConfig o)
        {
            return o != null && o.Address == Address && o.LocalAddress == LocalAddress && o.RemoteAs == RemoteAs
                && o.LocalAs == LocalAs && o.HoldTime == HoldTime && o.Keepalive == Keepalive && o.Mode == Mode
                && o.Ttl == Ttl && o.GracefulRestart == GracefulRestart && o.RestartTimeSeconds == RestartTimeSeconds
                && o.Shutdown == Shutdown;
        }
    }
}
