using VpnAppliance.Hal;

namespace VpnAppliance.Ipsec.Ike
{
    /// <summary>
    /// Where the IKE engine reports what an operator must see: one line per event (SA established, rekeyed,
    /// deleted, a peer's error notify with what to fix). Called only on events, never per packet.
    /// </summary>
    public interface IIkeEvents
    {
        /// <summary>One log line (no trailing newline).</summary>
        void Log(LogLevel level, string message);
    }
}
