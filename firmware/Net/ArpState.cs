namespace VpnAppliance.Net
{
    /// <summary>State of an ARP cache entry (names after RFC 4861 §7.3.2's neighbour states, which fit ARP too).</summary>
    public enum ArpState
    {
        /// <summary>Slot unused.</summary>
        Free = 0,

        /// <summary>Request sent, no reply yet; packets wait in the entry's queue.</summary>
        Incomplete = 1,

        /// <summary>Confirmed by a reply or request from the neighbour less than ReachableTimeMs ago.</summary>
        Reachable = 2,

        /// <summary>Not confirmed recently; still used, and the first use starts a re-probe.</summary>
        Stale = 3,

        /// <summary>Used while stale: requests are being retried; still used until the retries run out.</summary>
        Probe = 4,
    }
}
