namespace VpnAppliance.Bgp.Session
{
    /// <summary>The six states of the BGP finite state machine (RFC 4271 §8.2.2), as shown by <c>show bgp summary</c>.</summary>
    public enum BgpState
    {
        /// <summary>Refusing connections; the IdleHold timer (back-off after errors) runs.</summary>
        Idle = 0,
        /// <summary>Our TCP connection attempt is in progress (ConnectRetry timer runs).</summary>
        Connect = 1,
        /// <summary>Waiting for the peer's TCP connection (passive open), ConnectRetry timer runs.</summary>
        Active = 2,
        /// <summary>Our OPEN is sent; waiting for the peer's.</summary>
        OpenSent = 3,
        /// <summary>OPENs exchanged; waiting for the KEEPALIVE that confirms ours.</summary>
        OpenConfirm = 4,
        /// <summary>UPDATE, KEEPALIVE, NOTIFICATION and ROUTE-REFRESH flow.</summary>
        Established = 5,
    }

    /// <summary>Names of <see cref="BgpState"/> values as FRR prints them.</summary>
    public static class BgpStateNames
    {
        /// <summary>The name of <paramref name="state"/>.</summary>
        public static string Name(BgpState state)
        {
            switch (state)
            {
                case BgpState.Idle: return "Idle";
                case BgpState.Connect: return "Connect";
                case BgpState.Active: return "Active";
                case BgpState.OpenSent: return "OpenSent";
                case BgpState.OpenConfirm: return "OpenConfirm";
                default: return "Established";
            }
        }
    }
}
