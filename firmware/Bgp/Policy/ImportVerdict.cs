namespace VpnAppliance.Bgp.Policy
{
    /// <summary>Why an announced prefix was or was not accepted into the Adj-RIB-In.</summary>
    public enum ImportVerdict
    {
        /// <summary>Accepted.</summary>
        Accept = 0,
        /// <summary>eBGP peer without an import policy: nothing is accepted (RFC 8212 §3).</summary>
        NoPolicy = 1,
        /// <summary>The import prefix-list denied it.</summary>
        Denied = 2,
        /// <summary>Our AS is in the AS_PATH (RFC 4271 §9.1.2).</summary>
        AsLoop = 3,
    }
}
