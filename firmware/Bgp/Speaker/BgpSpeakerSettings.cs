using VpnAppliance.Bgp.Session;

namespace VpnAppliance.Bgp.Speaker
{
    /// <summary>The speaker's whole configuration in engine terms (BgpConfigReader builds it from the ConfigModel).</summary>
    public sealed class BgpSpeakerSettings
    {
        /// <summary>Our AS (RFC 6793: 4 octets).</summary>
        public uint LocalAs;
        /// <summary>BGP Identifier (RFC 6286).</summary>
        public uint RouterId;
        /// <summary>Paths per ECMP set (1 = no multipath).</summary>
        public int MaximumPaths = 1;
        /// <summary>Compare MED across neighbour ASes.</summary>
        public bool AlwaysCompareMed;
        /// <summary>Networks we originate: addresses.</summary>
        public uint[] NetworkAddress = new uint[0];
        /// <summary>Networks we originate: lengths.</summary>
        public int[] NetworkLength = new int[0];
        /// <summary>Peers (at most the speaker's peer capacity).</summary>
        public BgpPeerConfig[] Peers = new BgpPeerConfig[0];
    }
}
