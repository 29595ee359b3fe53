namespace VpnAppliance.Config
{
    /// <summary>
    /// A BGP neighbour (RFC 4271) with its session and policy settings. Unset numbers are -1 (timers) or 0
    /// (ASN override, multihop, max-prefix), meaning "protocol default".
    /// </summary>
    public sealed class BgpNeighbor
    {
        /// <summary>Default keepalive in seconds when not set (as FRR; RFC 4271 §10 suggests 1/3 of hold).</summary>
        public const int DefaultKeepalive = 60;
        /// <summary>Default hold time in seconds when not set.</summary>
        public const int DefaultHold = 180;

        /// <summary>Neighbour address.</summary>
        public uint Address;
        /// <summary>First line mentioning it.</summary>
        public int Line;
        /// <summary>Remote AS (0 = unset).</summary>
        public uint RemoteAs;
        /// <summary>Line of remote-as.</summary>
        public int RemoteAsLine;
        /// <summary>Local AS override (0 = the global local-as).</summary>
        public uint LocalAs;
        /// <summary>Line of the local-as override.</summary>
        public int LocalAsLine;
        /// <summary>Tunnel the session runs over (null = found from the inside subnets).</summary>
        public string Tunnel;
        /// <summary>Line of the tunnel statement.</summary>
        public int TunnelLine;
        /// <summary>True when an update-source is set.</summary>
        public bool HasUpdateSource;
        /// <summary>Source address of the TCP session (one of ours).</summary>
        public uint UpdateSource;
        /// <summary>Line of update-source.</summary>
        public int UpdateSourceLine;
        /// <summary>eBGP multihop TTL (0 = directly connected, TTL 1).</summary>
        public int EbgpMultihop;
        /// <summary>Keepalive seconds (-1 = default).</summary>
        public int Keepalive = -1;
        /// <summary>Line of keepalive.</summary>
        public int KeepaliveLine;
        /// <summary>Hold time seconds (-1 = default; 0 = no keepalives, RFC 4271 §4.2).</summary>
        public int Hold = -1;
        /// <summary>Line of hold.</summary>
        public int HoldLine;
        /// <summary>Import prefix-list name (null = none: eBGP accepts nothing, RFC 8212).</summary>
        public string ImportList;
        /// <summary>Line of the import list.</summary>
        public int ImportLine;
        /// <summary>Export prefix-list name (null = none: eBGP sends nothing, RFC 8212).</summary>
        public string ExportList;
        /// <summary>Line of the export list.</summary>
        public int ExportLine;
        /// <summary>Times our AS is prepended on export (0 = none).</summary>
        public int Prepend;
        /// <summary>True when a MED is set on export.</summary>
        public bool HasMed;
        /// <summary>MULTI_EXIT_DISC sent on export (RFC 4271 §5.1.4).</summary>
        public uint Med;
        /// <summary>Most prefixes accepted before the session is closed (0 = unlimited; RFC 4486 cease subcode 1).</summary>
        public int MaximumPrefix;
        /// <summary>What happens above maximum-prefix: false = warning only (default), true = close and restart later.</summary>
        public bool MaximumPrefixRestart;
        /// <summary>Seconds the session stays down after a maximum-prefix close (0 = default 60).</summary>
        public int MaximumPrefixRestartSeconds;
        /// <summary>Which TCP opens: 0 both (default), 1 active only, 2 passive only (<see cref="ConnectModeNames"/>).</summary>
        public int ConnectMode;
        /// <summary>Graceful restart helper (RFC 4724) on this session (default on).</summary>
        public bool GracefulRestart = true;
        /// <summary>COMMUNITIES added to every route sent to this neighbour (RFC 1997), <see cref="MaxExportCommunities"/> at most.</summary>
        public readonly System.Collections.ArrayList ExportCommunities = new System.Collections.ArrayList();

        /// <summary>Keywords of <see cref="ConnectMode"/>.</summary>
        public static readonly string[] ConnectModeNames = new string[] { "both", "active", "passive" };
        /// <summary>Keywords of the maximum-prefix action.</summary>
        public static readonly string[] MaximumPrefixActionNames = new string[] { "warning", "restart" };
        /// <summary>Most export communities per neighbour.</summary>
        public const int MaxExportCommunities = 8;

        /// <summary>Export community <paramref name="i"/>.</summary>
        public uint ExportCommunityAt(int i) { return (uint)ExportCommunities[i]; }

        /// <summary>Creates a neighbour.</summary>
        public BgpNeighbor(uint address, int line) { Address = address; Line = line; }

        /// <summary>Keepalive in force.</summary>
        public int EffectiveKeepalive { get { return Keepalive >= 0 ? Keepalive : (Hold >= 0 ? Hold / 3 : DefaultKeepalive); } }

        /// <summary>Hold time in force.</summary>
        public int EffectiveHold { get { return Hold >= 0 ? Hold : DefaultHold; } }

        /// <summary>Structural equality.</summary>
        public bool SameAs(BgpNeighbor o)
        {
            return o.Address == Address && o.RemoteAs == RemoteAs && o.LocalAs == LocalAs && o.Tunnel == Tunnel
                && o.HasUpdateSource == HasUpdateSource && o.UpdateSource == UpdateSource && o.EbgpMultihop == EbgpMultihop
                && o.Keepalive == Keepalive && o.Hold == Hold && o.ImportList == ImportList && o.ExportList == ExportList
                && o.Prepend == Prepend && o.HasMed == HasMed && o.Med == Med && o.MaximumPrefix == MaximumPrefix
                && o.MaximumPrefixRestart == MaximumPrefixRestart && o.MaximumPrefixRestartSeconds == MaximumPrefixRestartSeconds
                && o.ConnectMode == ConnectMode && o.GracefulRestart == GracefulRestart && SameCommunities(o);
        }

        private bool SameCommunities(BgpNeighbor o)
        {
            if (o.ExportCommunities.Count != ExportCommunities.Count) return false;
            for (int i = 0; i < ExportCommunities.Count; i++)
            {
                if (o.ExportCommunities.IndexOf(ExportCommunities[i]) < 0) return false;
            }
            return true;
        }
    }
}
