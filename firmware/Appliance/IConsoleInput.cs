namespace VpnAppliance.Firmware
{
    /// <summary>
    /// A consumer of the raw console byte stream (the CLI's line editor needs escape sequences, Tab and '?'),
    /// installed with <see cref="Appliance.SetConsoleInput"/> in place of the built-in line reader.
    /// </summary>
    public interface IConsoleInput
    {
        /// <summary>Bytes read from the console in this Poll (at most <see cref="Appliance.ConsoleBytesPerPoll"/>).</summary>
        void OnConsoleBytes(byte[] buffer, int offset, int count, long nowMs);
    }
}
