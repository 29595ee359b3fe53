using System.Text;

namespace VpnAppliance.Firmware
{
    /// <summary>
    /// A module's console commands as text in, text out (IPsec, BGP, BFD): the built-in console and the CLI both run
    /// them, so every <c>show</c> has one source.
    /// </summary>
    public interface ITextCommands
    {
        /// <summary>
        /// Runs <paramref name="command"/> (keywords and arguments separated by single spaces) into
        /// <paramref name="output"/>; false when it is not one of this module's commands.
        /// </summary>
        bool Execute(string command, StringBuilder output, long nowMs);
    }
}
