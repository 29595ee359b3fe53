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
        /// Words an insert may hold at once beyond the table's final contents: the old block of the node whose
        /// block is rewritten (at most a header, 16 child records of 2 words and 7 result words = 40) is freed only
        /// after the new one is written.
        /// </summary>
        public const int PeakWords = 48;

        /// <summary>Arena words for <paramref name="routes"/> routes and <paramref name="trieNodes"/> full trie nodes.</summary>
        public static int WordsFor(int routes, int trieNodes)
        {
            return 3 * trieNodes + routes + PeakWords;
        }

        /// <summary>
        /// Trie node capacity to configure for a route capacity. Measured with tools/Bench `fib --quick --sweep`
        /// (BGP-like tables, root width <see cref="RootBitsFor"/>): the tightest capacity holding the table is
        /// 0.33 x routes at 1k routes, 0.30 at 10k, 0.24 at 100k; this rule gives 0.4 x routes + 64, i.e. 35% or
        /// more headroom (room for less clustered tables and for inserts to find runs without compacting often).
        /// Tables of uniformly random addresses need far more (2.2 x routes at 1k, 1.45 at 10k, 0.7 at 100k):
        /// a board that expects such a table should configure TrieNodes from those figures.
        /// </summary>
        public static int TrieNodesFor(int routes)
        {
            return routes / 5 * 2 + 64;
        }

        /// <summary>
        /// Root width with the smallest static memory for a BGP-like table of <paramref name="routes"/> routes
        /// (measured sweep: 5 at 1k and 10k routes; 13 at 100k, within 0.6 byte per route of the best and one
        /// trie level shorter). 24 - bits is never a multiple of 4, so /21../24 share a node.
        /// </summary>
        public static int RootBitsFor(int routes)
        {
            return routes <= 20000 ? 5 : 13;
        }
    }
}
