namespace VpnAppliance.Fib
{
    /// <summary>
    /// Sizing rules for the FIB pools, for board profiles and the budget tool.
    /// </summary>
    public static class FibSizing
    {
        /// <summary>
        /// Result slots for a route capacity: one per route plus 16. The table compacts the result arena when
        /// holes block an allocation, so the only extra room needed is the peak of one insert: a full node's
        /// block of 15 results is copied into a new block of 16 before the old one is freed.
        /// </summary>
        public static int ResultSlotsFor(int routes)
        {
            return routes + 16;
        }

        /// <summary>
        /// Trie node capacity for a route capacity and root width. PLACEHOLDER: replaced by the measured rule.
        /// </summary>
        public static int TrieNodesFor(int routes, int rootBits)
        {
            return routes * 2 + 16;
        }
    }
}
