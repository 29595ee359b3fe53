using System;

namespace VpnAppliance.Hal.Device
{
    /// <summary>
    /// Milliseconds since boot from <c>Environment.TickCount64</c> (nanoFramework.Runtime.Native):
    /// 64-bit, so it does not wrap like the 32-bit TickCount (which wraps after 49.7 days).
    /// </summary>
    public sealed class DeviceClock : IClock
    {
        /// <summary>Milliseconds since boot.</summary>
        public long NowMs
        {
            get { return Environment.TickCount64; }
        }
    }
}
