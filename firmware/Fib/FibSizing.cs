namespace VpnAppliance.Fib
{
    /// <summary>
    /// Sizing rules for the FIB's word arena, for board profiles and the budget tool.
    ///
    /// The trie lives in one uint[] arena: a full node takes 3 words, a route takes at most 1 word (a leaf, or
    /// half of a packed result word), so a table for R routes and N full nodes needs at most 3N + R words,
    /// plus <see cref="PeakWords"/> for the moment an insert holds a node's old and new child block together.
    /// </summary>
    public static class FibSizing
    {
        /// <summary>
        /// Words an insert may hold at once beyond the table's contents: a node's block regrown (up to 16
        /// children x 3 words + 8 result words + the gap) while the old block is still held, plus a chain of
        /// fresh nodes down to /32.
        /// </summary>
        public const int PeakWords = 96;

        /// <summary>Arena words for <paramref name="routes"/> routes and <paramref name="trieNodes"/> full trie nodes.</summary>
        public static int WordsFor(int routes, int trieNodes)
        {
            return 3 * trieNodes + routes + PeakWords;
        }

        /// <summary>
        /// Trie node capacity to configure for a route capacity, measured on BGP-like tables (tools/Bench
        /// `fib --quick --sweep`: see the report of issue 3): full nodes needed per route fall from about 0.25 at
        /// 1k routes to about 0.2 at 100k with the root widths of <see cref="RootBitsFor"/>; the rule adds 25%
        /// headroom for less clustered tables and 16 for tiny ones. Uniformly random addresses need more (about
        /// 0.6 per route at 10k): boards that expect such tables should configure TrieNodes = routes.
        /// </summary>
        public static int TrieNodesFor(int routes)
        {
            return routes / 3 + 16;
        }

        /// <summary>
        /// Root width giving the smallest static memory for a BGP-like table of <paramref name="routes"/> routes
        /// (measured sweep); 24 - bits is kept off a multiple of 4 so that /24s are internal to a node.
        /// </summary>
        public static int RootBitsFor(int routes)
        {
            return routes <= 2000 ? 6 : routes <= 20000 ? 9 : 13;
        }
    }
}
