namespace VpnAppliance.Cli
{
    /// <summary>
    /// The commands of one CLI mode, as a tree of keywords (<see cref="CliCommand"/>). Registering a command is
    /// one call with its full keyword path:
    /// <code>
    ///   tree.Describe("show ike", "IKEv2 state");
    ///   tree.Register("show ike sa", "IKE security associations", null, new ShowIkeSa(engine));
    ///   tree.Register("clear ipsec sa", "delete the CHILD SAs of a peer", "&lt;peer&gt;", new ClearIpsecSa(engine));
    /// </code>
    /// Intermediate keywords are created as needed. A line resolves keyword by keyword; each word may be any
    /// unambiguous prefix of a keyword ("sh ip ro" = "show ip route"); words after a node with a handler
    /// that takes arguments are its arguments.
    /// </summary>
    public sealed class CommandTree
    {
        private readonly CliCommand _root = new CliCommand("", "");

        /// <summary>The root (its children are the first words).</summary>
        public CliCommand Root { get { return _root; } }

        /// <summary>
        /// Registers <paramref name="handler"/> at <paramref name="path"/> (keywords separated by spaces).
        /// <paramref name="argumentsHelp"/> describes its arguments (null: takes none). Registering a path twice
        /// replaces the handler. Returns the node.
        /// </summary>
        public CliCommand Register(string path, string help, string argumentsHelp, ICliHandler handler)
        {
            CliCommand node = Walk(path, help);
            node.Help = help;
            node.Handler = handler;
            node.ArgumentsHelp = argumentsHelp;
            return node;
        }

        /// <summary>Sets the help text of a grouping keyword (creating it): <c>Describe("show bgp", "BGP state")</c>.</summary>
        public CliCommand Describe(string path, string help)
        {
            CliCommand node = Walk(path, help);
            node.Help = help;
            return node;
        }

        /// <summary>Removes the command at <paramref name="path"/> with everything below it; false when absent.</summary>
        public bool Unregister(string path)
        {
            string[] words = CliWords.Split(path);
            CliCommand node = _root;
            for (int i = 0; i < words.Length - 1 && node != null; i++)
            {
                node = node.Exact(words[i]);
            }

            return node != null && words.Length > 0 && node.Remove(words[words.Length - 1]);
        }

        /// <summary>The node at exactly <paramref name="path"/>, or null.</summary>
        public CliCommand Find(string path)
        {
            string[] words = CliWords.Split(path);
            CliCommand node = _root;
            for (int i = 0; i < words.Length && node != null; i++)
            {
                node = node.Exact(words[i]);
            }

            return node;
        }

        private CliCommand Walk(string path, string help)
        {
            string[] words = CliWords.Split(path);
            CliCommand node = _root;
            for (int i = 0; i < words.Length; i++)
            {
                node = node.GetOrAdd(words[i], i == words.Length - 1 ? help : null);
            }

            return node;
        }

        /// <summary>Resolves the words of a line (see the class comment).</summary>
        public CommandMatch Resolve(string[] words)
        {
            CommandMatch m = new CommandMatch();
            m.Words = new string[words.Length];
            for (int i = 0; i < words.Length; i++)
            {
                m.Words[i] = words[i];
            }

            m.Node = _root;
            if (words.Length == 0)
            {
                m.Status = MatchStatus.Empty;
                return m;
            }

            int k = 0;
            while (k < words.Length)
            {
                int matches;
                CliCommand next = m.Node.Match(words[k], out matches);
                if (next == null)
                {
                    if (m.Node.Handler != null && m.Node.ArgumentsHelp != null && matches < 2)
                    {
                        break; // the rest are arguments
                    }

                    m.Status = matches >= 2 ? MatchStatus.Ambiguous : MatchStatus.Unknown;
                    m.ErrorIndex = k;
                    m.Consumed = k;
                    return m;
                }

                m.Words[k] = next.Keyword;
                m.Node = next;
                k++;
            }

            m.Consumed = k;
            if (m.Node.Handler == null)
            {
                m.Status = MatchStatus.Incomplete;
                m.ErrorIndex = k;
                return m;
            }

            if (k < words.Length && m.Node.ArgumentsHelp == null)
            {
                m.Status = MatchStatus.Unknown;
                m.ErrorIndex = k;
                return m;
            }

            m.Status = MatchStatus.Ok;
            return m;
        }
    }
}
