using VpnAppliance.Core;

namespace VpnAppliance.Firmware
{
    /// <summary>Event-loop and port counters (<c>show system</c>). Plain fields: incremented on hot paths.</summary>
    public sealed class ApplianceCounters
    {
        /// <summary>Poll calls.</summary>
        public long Polls;
        /// <summary>Frames received on the LAN port.</summary>
        public long LanRxFrames;
        /// <summary>Datagrams received on the WAN sockets.</summary>
        public long WanRxDatagrams;
        /// <summary>WAN datagrams dropped because they filled the packet buffer (possibly truncated).</summary>
        public long WanRxTruncated;
        /// <summary>Receives skipped because the packet pool was empty (the port keeps the packet).</summary>
        public long RxNoBuffer;
        /// <summary>Packets dropped because no packet handler is wired.</summary>
        public long RxNoHandler;
        /// <summary>Console lines executed.</summary>
        public long ConsoleLines;

        /// <summary>Describes this object for the memory budget.</summary>
        public static void Account(MemoryBudget budget)
        {
            budget.AddObject(7, 7 * 8);
        }
    }
}
