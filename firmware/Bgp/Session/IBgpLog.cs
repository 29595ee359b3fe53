namespace VpnAppliance.Bgp.Session
{
    /// <summary>
    /// Where the BGP engine writes its log lines (state changes and errors only: never per UPDATE on the
    /// steady path). The appliance forwards them to its LogRing with subsystem "bgp".
    /// </summary>
    public interface IBgpLog
    {
        /// <summary>One line, e.g. <c>bgp 169.254.21.1: Established</c>; <paramref name="warning"/> marks errors and refusals.</summary>
        void Write(long nowMs, bool warning, string line);
    }
}
