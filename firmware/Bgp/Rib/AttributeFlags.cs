namespace VpnAppliance.Bgp.Rib
{
    /// <summary>Facts about an interned attribute set that the decision process and export policy test often.</summary>
    public static class AttributeFlags
    {
        /// <summary>MULTI_EXIT_DISC present.</summary>
        public const int HasMed = 0x01;
        /// <summary>LOCAL_PREF present.</summary>
        public const int HasLocalPref = 0x02;
        /// <summary>COMMUNITIES holds NO_EXPORT (RFC 1997).</summary>
        public const int NoExport = 0x04;
        /// <summary>COMMUNITIES holds NO_ADVERTISE (RFC 1997).</summary>
        public const int NoAdvertise = 0x08;
        /// <summary>ATOMIC_AGGREGATE present.</summary>
        public const int AtomicAggregate = 0x10;
        /// <summary>AGGREGATOR present.</summary>
        public const int Aggregator = 0x20;
    }
}
