namespace VpnAppliance.Firmware
{
    /// <summary>Executes one console line (the full CLI with modes and commit replaces the built-in set).</summary>
    public interface IConsoleCommands
    {
        /// <summary>Runs <paramref name="line"/>; writes its output through the appliance console.</summary>
        void Execute(string line, long nowMs);
    }
}
