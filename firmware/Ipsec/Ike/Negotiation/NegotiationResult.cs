namespace VpnAppliance.Ipsec.Ike
{
    /// <summary>Outcome of choosing or accepting SA proposals (RFC 7296 §2.7, §3.3.6).</summary>
    public enum NegotiationResult
    {
        /// <summary>A suite was chosen (responder) or the answer is one we offered (initiator).</summary>
        Ok = 0,
        /// <summary>
        /// Nothing acceptable (responder: answer NO_PROPOSAL_CHOSEN, notify 14) or the answer names a proposal or
        /// transform we never offered (initiator: the exchange fails, RFC 7296 §3.3.6).
        /// </summary>
        NoProposalChosen = 1,
        /// <summary>
        /// Structurally wrong: no proposal at all, or an answer with more than one proposal, two transforms of one type,
        /// a missing mandatory type or an unknown attribute (INVALID_SYNTAX, notify 7).
        /// </summary>
        InvalidSyntax = 2,
    }
}
