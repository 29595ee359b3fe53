namespace VpnAppliance.Net
{
    /// <summary>
    /// Per-interface counters for <c>show interfaces</c> (LAN, each tunnel, loopback). Packets and bytes are
    /// IPv4 packets (LAN: whole frames, Ethernet header included) as the router saw them; a drop is charged to
    /// the interface the packet arrived on (receive side) or was to leave by (transmit side).
    /// </summary>
    public sealed class InterfaceCounters
    {
        /// <summary>Packets received (every frame or inner packet handed to the router on this interface).</summary>
        public long RxPackets;

        /// <summary>Bytes received.</summary>
        public long RxBytes;

        /// <summary>Packets transmitted (each fragment counts).</summary>
        public long TxPackets;

        /// <summary>Bytes transmitted.</summary>
        public long TxBytes;

        /// <summary>Packets dropped after arriving here (bad header, no route, TTL, ...).</summary>
        public long RxDrops;

        /// <summary>Packets dropped on the way out of here (no ARP, too big, down, transmit refused).</summary>
        public long TxDrops;

        /// <summary>Describes the object the constructor allocates.</summary>
        public static void Account(VpnAppliance.Core.MemoryBudget budget)
        {
            budget.AddObject(6, 6 * 8);
        }

        /// <summary>Sets every counter to zero (<c>clear counters</c>).</summary>
        public void Clear()
        {
            RxPackets = 0;
            RxBytes = 0;
            TxPackets = 0;
            TxBytes = 0;
            RxDrops = 0;
            TxDrops = 0;
        }
    }
}
