namespace VpnAppliance.Wire
{
    /// <summary>Outcome of <see cref="MssClamp.Apply"/>.</summary>
    public enum MssClampResult
    {
        /// <summary>At least one MSS option was above the maximum and now equals it; the checksum was updated.</summary>
        Clamped = 0,

        /// <summary>Every MSS option was already at or below the maximum; nothing changed.</summary>
        WithinMaximum = 1,

        /// <summary>The SYN carries no MSS option (the peer then assumes 536, RFC 9293 §3.7.1); nothing changed.</summary>
        NoOption = 2,

        /// <summary>Not a SYN (MSS is only sent in SYNs); nothing changed.</summary>
        NotSyn = 3,

        /// <summary>The view was not made by a Check; nothing changed.</summary>
        Invalid = 4,
    }
}
