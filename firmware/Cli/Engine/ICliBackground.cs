namespace VpnAppliance.Cli
{
    /// <summary>
    /// A command whose output continues after <see cref="ICliHandler.Execute"/> returned (ping): the session
    /// holds the next prompt until <see cref="Active"/> is false, and Ctrl-C calls <see cref="Abort"/>.
    /// A handler hands it to <see cref="CliCall.RunInBackground"/>.
    /// </summary>
    public interface ICliBackground
    {
        /// <summary>True while the command still produces output.</summary>
        bool Active { get; }

        /// <summary>Stops the command (Ctrl-C).</summary>
        void Abort(long nowMs);
    }
}
