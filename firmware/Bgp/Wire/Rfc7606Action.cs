namespace VpnAppliance.Bgp.Wire
{
    /// <summary>
    /// Error-handling approaches of RFC 7606 §2, ordered by strength: when an UPDATE has several errors, the
    /// strongest applies (RFC 7606 §3 j).
    /// </summary>
    public enum Rfc7606Action
    {
        /// <summary>No error: use the UPDATE as decoded.</summary>
        None = 0,
        /// <summary>"attribute discard": the attribute was dropped; the routes stand without it (RFC 7606 §2).</summary>
        AttributeDiscard = 1,
        /// <summary>"treat-as-withdraw": every prefix in the UPDATE (NLRI and MP_REACH_NLRI) is withdrawn, as are the Withdrawn Routes (RFC 7606 §2).</summary>
        TreatAsWithdraw = 2,
        /// <summary>"AFI/SAFI disable": drop and ignore the family's routes for the rest of the session (RFC 4760 §7, RFC 7606 §2).</summary>
        AfiSafiDisable = 3,
        /// <summary>"session reset": send the NOTIFICATION in UpdateDecision.Notification and close (RFC 4271 §6.3, RFC 7606 §2).</summary>
        SessionReset = 4,
    }
}
