namespace VpnAppliance.Ipsec.Ike
{
    /// <summary>Engine-wide IKE counters (what <c>show ike sa</c> prints under the table).</summary>
    public sealed class IkeCounters
    {
        /// <summary>IKE messages received.</summary>
        public long Received;
        /// <summary>IKE messages sent (retransmissions included).</summary>
        public long Sent;
        /// <summary>Requests sent again after a timeout.</summary>
        public long Retransmits;
        /// <summary>Cached responses sent again for a retransmitted request (RFC 7296 §2.1).</summary>
        public long ResponsesResent;
        /// <summary>Messages that did not parse.</summary>
        public long Malformed;
        /// <summary>Messages for no known IKE SA.</summary>
        public long UnknownSpi;
        /// <summary>Messages whose message ID was outside the window.</summary>
        public long InvalidMessageId;
        /// <summary>SK payloads whose ICV did not verify (or whose padding was bad).</summary>
        public long IntegrityFailures;
        /// <summary>IKE_SA_INIT requests from addresses no connection is configured for.</summary>
        public long UnknownPeer;
        /// <summary>IKE SA slots not available (pool full).</summary>
        public long PoolFull;
        /// <summary>COOKIE notifies sent (half-open threshold reached, RFC 7296 §2.6).</summary>
        public long CookiesSent;
        /// <summary>IKE SAs established (initial and rekeyed).</summary>
        public long Established;
        /// <summary>CHILD SA rekeys completed.</summary>
        public long ChildRekeys;
        /// <summary>IKE SA rekeys completed.</summary>
        public long IkeRekeys;
        /// <summary>Rekey collisions resolved (RFC 7296 §2.8.1).</summary>
        public long Collisions;
        /// <summary>Peers declared dead (no answer to a request).</summary>
        public long PeersDead;
        /// <summary>Authentication failures (either side).</summary>
        public long AuthFailures;
        /// <summary>Negotiation failures (NO_PROPOSAL_CHOSEN, INVALID_KE_PAYLOAD we could not follow, TS_UNACCEPTABLE).</summary>
        public long NegotiationFailures;
        /// <summary>Fragmented messages reassembled (RFC 7383).</summary>
        public long Reassembled;
        /// <summary>Messages we sent as fragments.</summary>
        public long FragmentedSent;
        /// <summary>NAT-T keepalives sent (RFC 3948 §2.3).</summary>
        public long KeepalivesSent;
    }
}
