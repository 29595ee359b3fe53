namespace VpnAppliance.Bgp.Rib
{
    /// <summary>Outcome of a RIB change. Full pools are typed, counted results, never an allocation or exception.</summary>
    public enum RibResult
    {
        /// <summary>Applied.</summary>
        Ok = 0,
        /// <summary>Nothing to do (withdraw of an unknown path, identical re-announcement).</summary>
        Unchanged = 1,
        /// <summary>The path pool (Capacities.BgpPaths) is full.</summary>
        PathsFull = 2,
        /// <summary>The prefix pool is full.</summary>
        PrefixesFull = 3,
        /// <summary>The attribute-set pool is full.</summary>
        AttributesFull = 4,
        /// <summary>The attribute set is larger than the largest attribute slot.</summary>
        AttributesTooLarge = 5,
    }
}
