namespace VpnAppliance.Bgp.Policy
{
    /// <summary>The cloud a peer's tunnel leads to (the <c>vpn peer ... profile</c>), which selects export rules and timer defaults (INTEROP.md).</summary>
    public enum CloudKind
    {
        /// <summary>Any other BGP speaker.</summary>
        Generic = 0,
        /// <summary>Azure VPN Gateway: 60/180 s, at most 4,000 prefixes, never a VNet prefix back, never 65517:65517.</summary>
        Azure = 1,
        /// <summary>AWS Site-to-Site VPN: 10/30 s, at most 100 prefixes.</summary>
        Aws = 2,
        /// <summary>GCP HA VPN: 20/60 s.</summary>
        Gcp = 3,
        /// <summary>Alibaba Cloud VPN Gateway: at most 50 prefixes, never 0.0.0.0/0 nor 100.64.0.0/10.</summary>
        Alibaba = 4,
    }

    /// <summary>Per-cloud numbers (INTEROP.md "Timers keepalive/hold", "Routes the branch may send").</summary>
    public static class CloudDefaults
    {
        /// <summary>The cloud for a profile keyword (unknown names: Generic).</summary>
        public static CloudKind FromProfile(string profile)
        {
            if (profile == "azure") return CloudKind.Azure;
            if (profile == "aws") return CloudKind.Aws;
            if (profile == "gcp") return CloudKind.Gcp;
            if (profile == "alibaba") return CloudKind.Alibaba;
            return CloudKind.Generic;
        }

        /// <summary>Default hold time in seconds (Generic: 180, RFC 4271 §10 suggests 90; FRR uses 180).</summary>
        public static int HoldTime(CloudKind cloud)
        {
            switch (cloud)
            {
                case CloudKind.Aws: return 30;
                case CloudKind.Gcp: return 60;
                default: return 180;
            }
        }

        /// <summary>Default keepalive in seconds: a third of the hold time (RFC 4271 §10).</summary>
        public static int Keepalive(CloudKind cloud) { return HoldTime(cloud) / 3; }

        /// <summary>Most prefixes the cloud accepts from the branch before dropping the session (0 = no limit).</summary>
        public static int AdvertiseLimit(CloudKind cloud)
        {
            switch (cloud)
            {
                case CloudKind.Azure: return 4000;
                case CloudKind.Aws: return 100;
                case CloudKind.Alibaba: return 50;
                default: return 0;
            }
        }

        /// <summary>Profile keyword of <paramref name="cloud"/>.</summary>
        public static string Name(CloudKind cloud)
        {
            switch (cloud)
            {
                case CloudKind.Azure: return "azure";
                case CloudKind.Aws: return "aws";
                case CloudKind.Gcp: return "gcp";
                case CloudKind.Alibaba: return "alibaba";
                default: return "generic";
            }
        }
    }
}
