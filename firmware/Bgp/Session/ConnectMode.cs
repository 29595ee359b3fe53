namespace VpnAppliance.Bgp.Session
{
    /// <summary>
    /// Which TCP opens a peer's session uses (RFC 4271 §8.1.1 PassiveTcpEstablishment). Azure with APIPA
    /// addresses never opens the session itself, so the branch must open actively (INTEROP.md).
    /// </summary>
    public enum ConnectMode
    {
        /// <summary>Open actively and accept the peer's connection; collisions resolved by RFC 4271 §6.8.</summary>
        Both = 0,
        /// <summary>Only open actively; incoming connections are refused.</summary>
        Active = 1,
        /// <summary>Only accept the peer's connection; never connect.</summary>
        Passive = 2,
    }
}
