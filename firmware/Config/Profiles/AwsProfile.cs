using System.Collections;

namespace VpnAppliance.Config
{
    /// <summary>
    /// AWS Site-to-Site VPN (INTEROP.md): inside /30 in 169.254.0.0/16 except 169.254.0.0/30..169.254.5.0/30 and
    /// 169.254.169.252/30; DH 2 and 14-24 for IKE and ESP; CHILD SA lifetime 900-3,600 s; DPD timeout at least
    /// 30 s; IKE lifetime at most 28,800 s; region-specific reserved ASNs (7224, 9059, ...).
    /// </summary>
    public sealed class AwsProfile : ICloudProfile
    {
        /// <summary>Keyword.</summary>
        public const string ProfileName = "aws";
        /// <summary>Reserved ASNs named in INTEROP.md (region-specific list; extend when AWS publishes more).</summary>
        public static readonly uint[] ReservedAsns = new uint[] { 7224, 7224, 9059, 9059 };
        /// <summary>DH groups AWS accepts that we implement: 2 and 14-24.</summary>
        public static readonly int[] DhGroups = new int[] { DhGroup.Modp1024, DhGroup.Modp2048, DhGroup.Ecp256, DhGroup.Ecp384, DhGroup.Modp2048s256 };
        /// <summary>Last reserved /30 is 169.254.5.0/30.</summary>
        public const int LastReservedThird = 5;
        /// <summary>CHILD SA lifetime bounds in seconds.</summary>
        public const int MinChildLifetime = 900, MaxChildLifetime = 3600;
        /// <summary>Longest IKE SA lifetime.</summary>
        public const int MaxIkeLifetime = 28800;
        /// <summary>Shortest DPD timeout.</summary>
        public const int MinDpdTimeout = 30;

        /// <inheritdoc/>
        public string Name { get { return ProfileName; } }

        /// <inheritdoc/>
        public void Validate(ConfigModel model, VpnPeer peer, DiagnosticList d)
        {
            ArrayList neighbors = CloudRules.NeighborsOf(model, peer);
            CloudRules.CheckReservedLocalAs(model, neighbors, ReservedAsns, "aws-reserved-asn", "AWS", d);
            CloudRules.CheckEbgp(model, neighbors, "cloud-same-asn", "AWS peers over eBGP: remote-as must differ from our local AS (AWS's default is 64512)", d);
            CloudRules.CheckInsideSlash30(model, peer, "AWS", "aws-inside-subnet", "aws-inside-range", LastReservedThird, d);
            IkeGroup ike = CloudRules.IkeGroupOf(model, peer);
            EspGroup esp = CloudRules.EspGroupOf(model, peer);
            CloudRules.CheckProposals(ike, DhGroups, true, true, "aws-ike-proposal", "AWS", true, d);
            CloudRules.CheckProposals(esp, DhGroups, true, true, "aws-esp-proposal", "AWS", true, d);
            if (esp != null && (esp.Lifetime < MinChildLifetime || esp.Lifetime > MaxChildLifetime))
            {
                d.Error(esp.LifetimeLine != 0 ? esp.LifetimeLine : esp.Line, esp.Lifetime.ToString(), "aws-esp-lifetime", "AWS accepts a CHILD SA lifetime of 900-3600 s");
            }
            if (ike != null)
            {
                if (ike.Lifetime > MaxIkeLifetime)
                {
                    d.Error(ike.LifetimeLine != 0 ? ike.LifetimeLine : ike.Line, ike.Lifetime.ToString(), "aws-ike-lifetime", "AWS accepts an IKE SA lifetime of at most 28800 s");
                }
                if (ike.DpdAction != DpdAction.None && ike.DpdTimeout < MinDpdTimeout)
                {
                    d.Error(ike.DpdTimeoutLine != 0 ? ike.DpdTimeoutLine : ike.Line, ike.DpdTimeout.ToString(), "aws-dpd-timeout", "AWS requires a DPD timeout of at least 30 s");
                }
            }
        }
    }
}
