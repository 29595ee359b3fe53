namespace VpnAppliance.Bgp.Session
{
    /// <summary>What happens when a peer sends more prefixes than its maximum-prefix (RFC 4271 §8.1.2 AllowAutomaticStart, RFC 4486 §4).</summary>
    public enum MaxPrefixAction
    {
        /// <summary>Log a warning once and keep the session and the routes.</summary>
        Warning = 0,
        /// <summary>Send NOTIFICATION Cease / Maximum Number of Prefixes Reached and stay Idle for the restart time.</summary>
        Teardown = 1,
    }
}
