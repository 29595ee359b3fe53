namespace VpnAppliance.Hal
{
    /// <summary>Severity of a log line, syslog order (lower is more severe).</summary>
    public enum LogLevel
    {
        /// <summary>Something failed and needs the operator (tunnel refused, config rejected).</summary>
        Error = 3,
        /// <summary>Something is off but the appliance copes (weak DH group, pool full).</summary>
        Warning = 4,
        /// <summary>State changes worth a line (tunnel up, BGP Established).</summary>
        Info = 6,
        /// <summary>Protocol detail for debugging.</summary>
        Debug = 7,
    }
}
