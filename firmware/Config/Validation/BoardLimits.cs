namespace VpnAppliance.Config.Validation
{
    /// <summary>
    /// The board capacities a configuration must fit (from boards/&lt;board&gt;/board.json, passed in as numbers
    /// because Config does not depend on Core). -1 (the default) means "not limited"; 0 means the board has none
    /// (wt32-eth01: no BGP neighbours).
    /// </summary>
    public sealed class BoardLimits
    {
        /// <summary>Board name for messages.</summary>
        public string Board = "";
        /// <summary>Tunnel interfaces.</summary>
        public int Tunnels = -1;
        /// <summary>IKE SAs (one per peer).</summary>
        public int IkeSas = -1;
        /// <summary>FIB routes (connected + static + originated).</summary>
        public int Routes = -1;
        /// <summary>BGP neighbours.</summary>
        public int BgpPeers = -1;
    }
}
