namespace VpnAppliance.Net
{
    /// <summary>Outcome of <see cref="Router.SendLocal"/> (a locally generated packet).</summary>
    public enum NetResult
    {
        /// <summary>Handed to the LAN port or the tunnel (or delivered locally).</summary>
        Sent = 0,

        /// <summary>Waiting for ARP resolution of the next hop; sent when the reply comes.</summary>
        Queued = 1,

        /// <summary>Dropped; the reason was counted (see <see cref="Router.LastDrop"/>).</summary>
        Dropped = 2,

        /// <summary>Arguments out of range (payload window, protocol, length above 65,515).</summary>
        Invalid = 3,
    }
}
