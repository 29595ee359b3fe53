namespace VpnAppliance.Bgp.Session
{
    /// <summary>
    /// What a session reports to its speaker (the route engine side, OpenBGPD's RDE): the session only runs the
    /// FSM and the codec; routes and policy live behind this interface.
    /// </summary>
    public interface IBgpSessionOwner
    {
        /// <summary>The session reached Established (Params negotiated): the speaker queues the initial table dump.</summary>
        void SessionEstablished(BgpSession session, long nowMs);

        /// <summary>
        /// The Established session ended. <paramref name="keepStale"/>: the peer negotiated graceful restart and
        /// the end was a TCP loss, so its routes stay as stale (RFC 4724 §4.2); otherwise they are removed.
        /// </summary>
        void SessionDown(BgpSession session, bool keepStale, long nowMs);

        /// <summary>An UPDATE arrived on the Established session (header included); the owner decodes and applies it.</summary>
        void UpdateReceived(BgpSession session, byte[] buffer, int offset, int length, long nowMs);

        /// <summary>The peer asked for our routes again (ROUTE-REFRESH, RFC 2918 §4).</summary>
        void RouteRefreshReceived(BgpSession session, int afi, int safi, long nowMs);
    }
}
