namespace VpnAppliance.Cli
{
    /// <summary>How a line resolved against a <see cref="CommandTree"/>.</summary>
    public enum MatchStatus
    {
        /// <summary>A node with a handler; the remaining words are its arguments.</summary>
        Ok = 0,
        /// <summary>A word names no keyword here (and the node takes no arguments).</summary>
        Unknown = 1,
        /// <summary>A word is a prefix of several keywords.</summary>
        Ambiguous = 2,
        /// <summary>The line ends at a grouping node (more keywords needed).</summary>
        Incomplete = 3,
        /// <summary>The line is empty.</summary>
        Empty = 4,
    }

    /// <summary>The result of <see cref="CommandTree.Resolve"/>.</summary>
    public sealed class CommandMatch
    {
        /// <summary>Outcome.</summary>
        public MatchStatus Status;
        /// <summary>The deepest node reached.</summary>
        public CliCommand Node;
        /// <summary>Keyword words consumed (index of the first argument).</summary>
        public int Consumed;
        /// <summary>Index of the offending word for Unknown/Ambiguous.</summary>
        public int ErrorIndex;
        /// <summary>The words with every keyword expanded to its full spelling.</summary>
        public string[] Words;
    }
}
