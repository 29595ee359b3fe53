namespace VpnAppliance.Cli
{
    /// <summary>
    /// What a CLI command does. The appliance and every engine (IKE, BGP, ...) implement this for each
    /// command they register in a <see cref="CommandTree"/>; the session calls <see cref="Execute"/> with the
    /// words the operator typed (keywords already expanded from their abbreviations) once the line resolves
    /// to the command's node. Output goes through <see cref="CliCall.Out"/>, which streams it to the console in
    /// bounded chunks. A handler never throws on bad arguments: it prints a "% ..." line instead.
    /// </summary>
    public interface ICliHandler
    {
        /// <summary>Runs the command.</summary>
        void Execute(CliCall call);
    }
}
