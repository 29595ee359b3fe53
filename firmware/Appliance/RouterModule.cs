using VpnAppliance.Core;
using VpnAppliance.Net;

namespace VpnAppliance.Firmware
{
    /// <summary>
    /// Plugs the router into the event loop: as the <see cref="IPacketHandler"/> it takes every LAN frame and WAN
    /// datagram the appliance drains (the router owns the pool buffer from then on, firmware/Net README), as an
    /// <see cref="IApplianceModule"/> it runs the router's ARP timers and announcements and returns their deadline.
    /// </summary>
    public sealed class RouterModule : IPacketHandler, IApplianceModule
    {
        private readonly Router _router;

        /// <summary>Wraps <paramref name="router"/>.</summary>
        public RouterModule(Router router)
        {
            _router = router;
        }

        /// <summary>Describes this object for the memory budget.</summary>
        public static void Account(MemoryBudget budget)
        {
            budget.AddObject(1, 8);
        }

        /// <summary>"router".</summary>
        public string Name { get { return _router.Name; } }

        /// <summary>ARP timers, link changes, gratuitous ARP; returns the router's next deadline.</summary>
        public long Poll(long nowMs)
        {
            return _router.Poll(nowMs);
        }

        /// <summary>A LAN frame: to the router's Ethernet input.</summary>
        public void OnLanFrame(int buffer, int length, long nowMs)
        {
            _router.OnLanFrame(buffer, length, nowMs);
        }

        /// <summary>A WAN datagram: to the router, which hands it to the IKE/ESP sink (or releases it).</summary>
        public void OnWanDatagram(int localPort, uint sourceAddress, int sourcePort, int buffer, int length, long nowMs)
        {
            _router.OnWanDatagram(localPort, sourceAddress, sourcePort, buffer, length, nowMs);
        }
    }
}
