namespace VpnAppliance.Hal
{
    /// <summary>
    /// Where log lines go besides the firmware's own ring buffer (<c>show log</c>): the UART on a
    /// board, stderr on the host, a list in tests. Logging is for state changes, never per packet.
    /// </summary>
    public interface ILogSink
    {
        /// <summary>One line: time of the event, severity, subsystem (e.g. "ike"), text without newline.</summary>
        void Write(long nowMs, LogLevel level, string subsystem, string message);
    }
}
