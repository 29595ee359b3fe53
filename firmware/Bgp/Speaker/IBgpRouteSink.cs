namespace VpnAppliance.Bgp.Speaker
{
    /// <summary>
    /// Where the speaker sends Loc-RIB changes: the routing manager, which feeds the FIB (one next-hop group per
    /// ECMP set). Called from BgpSpeaker.Poll, once per changed prefix, with arrays the speaker reuses (copy
    /// what you keep). A count of 0 means the prefix has no BGP route any more.
    /// </summary>
    public interface IBgpRouteSink
    {
        /// <summary>
        /// The best path(s) to <paramref name="prefix"/>/<paramref name="length"/> changed: <paramref name="count"/>
        /// next hops in <paramref name="nextHops"/>[0..count), learned from the peers at <paramref name="peerAddresses"/>
        /// (same order; 0 = a network we originate ourselves, nothing to install).
        /// </summary>
        void OnBestPathChanged(uint prefix, int length, uint[] nextHops, uint[] peerAddresses, int count);
    }
}
