namespace VpnAppliance.Ipsec.Ike
{
    /// <summary>Outcome of offering one SKF message to the reassembler (RFC 7383 §2.6).</summary>
    public enum FragmentResult
    {
        /// <summary>Stored; more fragments are missing.</summary>
        Incomplete = 0,
        /// <summary>The last missing fragment: the reassembled plaintext is available.</summary>
        Complete = 1,
        /// <summary>This fragment number is already stored (a retransmission); nothing changed.</summary>
        Duplicate = 2,
        /// <summary>
        /// Discarded: bad Fragment Number / Total Fragments, ICV failure or malformed SKF, an older message, or a
        /// smaller Total Fragments than the set being reassembled. Only this fragment is dropped (§2.6).
        /// </summary>
        Invalid = 3,
        /// <summary>More than <see cref="IkeFragmentReassembler.MaxFragments"/> fragments or more plaintext than the buffers hold.</summary>
        TooLarge = 4,
    }
}
