namespace VpnAppliance.Ipsec.Ike
{
    /// <summary>Outcome of SK/SKF payload protection and verification (RFC 7296 §3.14, RFC 7383 §2.5).</summary>
    public enum IkeKeysResult
    {
        /// <summary>Done: the ICV matched and the plaintext is in place.</summary>
        Ok = 0,
        /// <summary>No keys derived yet (or cleared).</summary>
        NotReady = 1,
        /// <summary>The ICV did not match (RFC 7296 §2.21.2: drop silently, count, act on nothing inside).</summary>
        AuthenticationFailed = 2,
        /// <summary>Lengths inconsistent (too short for IV + ICV, not block aligned, bad Pad Length).</summary>
        Malformed = 3,
        /// <summary>The output buffer is too small.</summary>
        NoRoom = 4,
        /// <summary>Transform combination not implemented.</summary>
        Unsupported = 5,
    }
}
