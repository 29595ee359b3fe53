namespace VpnAppliance.Hal
{
    /// <summary>
    /// Monotonic millisecond clock. Never goes backwards, never jumps with wall-clock changes;
    /// starts at an arbitrary value (boot). Engines never read it: the event loop reads it once per
    /// Poll and hands the value down as <c>nowMs</c>.
    /// </summary>
    public interface IClock
    {
        /// <summary>Milliseconds since an arbitrary origin; monotonic non-decreasing.</summary>
        long NowMs { get; }
    }
}
