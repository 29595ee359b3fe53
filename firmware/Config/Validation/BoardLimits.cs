namespace VpnAppliance.Config.Validation
{
    /// <summary>
    /// The board capacities a configuration must fit (from boards/&lt;board&gt;/board.json, passed in as numbers
    /// because Config does not depend on Core). Zero means "not limited".
    /// </summary>
    public sealed class BoardLimits
    {
        /// <summary>Board name for messages.</summary>
        public string Board = "";
        /// <summary>Tunnel interfaces.</summary>
        public int Tunnels;
        /// <summary>IKE SAs (one per peer).</summary>
        public int IkeSas;
        /// <summary>FIB routes (connected + static + originated).</summary>
        public int Routes;
        /// <summary>BGP neighbours.</summary>
        public int BgpPeers;
    }
}
