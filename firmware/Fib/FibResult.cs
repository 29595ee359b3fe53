namespace VpnAppliance.Fib
{
    /// <summary>Outcome of a FIB or next-hop-group change.</summary>
    public enum FibResult
    {
        /// <summary>Done (inserted, replaced, deleted, member added or removed).</summary>
        Ok = 0,

        /// <summary>A preallocated pool (routes, trie nodes, result slots, groups, members) has no room; nothing changed.</summary>
        Full = 1,

        /// <summary>Bad arguments (length out of 0..32, host bits set, unknown group, weight out of 1..255); nothing changed.</summary>
        Invalid = 2,

        /// <summary>The prefix or member to delete is not present; nothing changed.</summary>
        NotFound = 3,
    }
}
