namespace VpnAppliance.Bgp.Speaker
{
    /// <summary>Speaker-wide counters (typed results of full pools and refused inputs are counted here).</summary>
    public sealed class BgpSpeakerCounters
    {
        /// <summary>Incoming connections from addresses that are no configured neighbour.</summary>
        public int UnknownPeerConnections;
        /// <summary>Peers in the configuration beyond the peer capacity.</summary>
        public int PeersNotConfigured;
        /// <summary>Originated networks refused because a pool was full.</summary>
        public int NetworksNotInstalled;
        /// <summary>UPDATEs received, all peers.</summary>
        public long UpdatesReceived;
        /// <summary>Prefixes announced to us, all peers.</summary>
        public long PrefixesAnnounced;
        /// <summary>Prefixes withdrawn by peers, all peers.</summary>
        public long PrefixesWithdrawn;
        /// <summary>UPDATE groups not sent because the attributes did not fit (encoder TooLarge / capacities).</summary>
        public int ExportTooLarge;
        /// <summary>Loc-RIB changes handed to the route sink.</summary>
        public long SinkChanges;
    }
}
