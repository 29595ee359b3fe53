namespace VpnAppliance.Cli
{
    /// <summary>
    /// Help and Tab completion for the arguments of a command (e.g. the configuration paths after <c>set</c>).
    /// </summary>
    public interface ICliCompleter
    {
        /// <summary>
        /// What may follow words[argStart..argStart+count): entries "word\thelp" (a word in angle brackets is a
        /// value placeholder, shown but never inserted); only words starting with <paramref name="partial"/>
        /// when it is not null.
        /// </summary>
        string[] Next(string[] words, int argStart, int count, string partial);
    }
}
