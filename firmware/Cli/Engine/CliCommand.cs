using System.Collections;

namespace VpnAppliance.Cli
{
    /// <summary>
    /// A node of a command tree: one keyword with its help text, its sub-keywords, and - when a line may end
    /// here - the handler and a description of the arguments it takes (shown by '?'). A node without handler
    /// only groups (e.g. "show ip"). Children are kept in alphabetical order for help listings.
    /// </summary>
    public sealed class CliCommand
    {
        private readonly ArrayList _children = new ArrayList();

        /// <summary>Creates a node.</summary>
        public CliCommand(string keyword, string help)
        {
            Keyword = keyword;
            Help = help;
        }

        /// <summary>The word typed to reach this node.</summary>
        public readonly string Keyword;

        /// <summary>One line of help.</summary>
        public string Help;

        /// <summary>What runs when a line ends at this node (or continues with arguments); null for grouping nodes.</summary>
        public ICliHandler Handler;

        /// <summary>The arguments after the keywords, e.g. "&lt;a.b.c.d&gt; [count &lt;n&gt;]"; null when it takes none.</summary>
        public string ArgumentsHelp;

        /// <summary>Sub-keywords.</summary>
        public int ChildCount { get { return _children.Count; } }

        /// <summary>The i-th sub-keyword in alphabetical order.</summary>
        public CliCommand Child(int i)
        {
            return (CliCommand)_children[i];
        }

        /// <summary>The child with exactly this keyword, or null.</summary>
        public CliCommand Exact(string keyword)
        {
            for (int i = 0; i < _children.Count; i++)
            {
                if (Child(i).Keyword == keyword)
                {
                    return Child(i);
                }
            }

            return null;
        }

        /// <summary>
        /// The child <paramref name="word"/> names: the exact keyword, else the only keyword it is a prefix of.
        /// <paramref name="matches"/> is how many keywords it is a prefix of (2+ = ambiguous, null returned).
        /// </summary>
        public CliCommand Match(string word, out int matches)
        {
            CliCommand exact = Exact(word);
            if (exact != null)
            {
                matches = 1;
                return exact;
            }

            CliCommand found = null;
            matches = 0;
            for (int i = 0; i < _children.Count; i++)
            {
                if (Child(i).Keyword.StartsWith(word))
                {
                    found = Child(i);
                    matches++;
                }
            }

            return matches == 1 ? found : null;
        }

        /// <summary>Returns the child with <paramref name="keyword"/>, creating it (sorted) when absent.</summary>
        public CliCommand GetOrAdd(string keyword, string help)
        {
            CliCommand c = Exact(keyword);
            if (c != null)
            {
                if (help != null && (c.Help == null || c.Help.Length == 0))
                {
                    c.Help = help;
                }

                return c;
            }

            c = new CliCommand(keyword, help == null ? "" : help);
            int at = 0;
            while (at < _children.Count && string.Compare(Child(at).Keyword, keyword) < 0)
            {
                at++;
            }

            _children.Insert(at, c);
            return c;
        }

        /// <summary>Removes the child with <paramref name="keyword"/>; false when absent.</summary>
        public bool Remove(string keyword)
        {
            CliCommand c = Exact(keyword);
            if (c == null)
            {
                return false;
            }

            _children.Remove(c);
            return true;
        }
    }
}
