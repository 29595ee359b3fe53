using VpnAppliance.Config;

namespace VpnAppliance.Cli
{
    /// <summary>
    /// What the CLI needs from the box it runs in (the appliance on a board, a test rig on the host): the
    /// running configuration, a way to make a validated text the running one, and a reboot.
    /// </summary>
    public interface ICliHost
    {
        /// <summary>The configuration in force.</summary>
        RunningConfig Running { get; }

        /// <summary>
        /// Makes <paramref name="text"/> the running configuration (parse, validate, swap, apply to the engines)
        /// when it has no error; otherwise nothing changes. Returns the parse result.
        /// </summary>
        ParseResult Apply(string text, long nowMs);

        /// <summary>Reboots (the host runner restarts the appliance; a board resets).</summary>
        void Reload(long nowMs);

        /// <summary>The host name for the prompt ("" when unset).</summary>
        string HostName { get; }
    }
}
