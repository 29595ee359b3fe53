namespace VpnAppliance.Net
{
    /// <summary>
    /// Why the router discarded a packet (or, for <see cref="RateLimited"/>, an ICMP error it did not send).
    /// Each reason has its own counter (<see cref="Router.Drops"/>), shown by <c>show interfaces</c>; values are
    /// dense from 0 so they index the counter array.
    /// </summary>
    public enum DropReason
    {
        /// <summary>No FIB route for the destination, or its next-hop group has no member (RFC 1812 §5.2.7.1: net unreachable sent).</summary>
        NoRoute = 0,

        /// <summary>TTL 0 or 1 on a packet to forward (RFC 1812 §5.3.1: time exceeded sent).</summary>
        TtlExceeded = 1,

        /// <summary>ARP resolution pending and the entry's or the cache's queue of waiting packets is full.</summary>
        NoArpQueueFull = 2,

        /// <summary>ARP requests were retried the bounded number of times without a reply; the waiting packets are dropped.</summary>
        NoArpTimeout = 3,

        /// <summary>Every ARP entry is in use by a resolution or a fresh entry: nothing to evict.</summary>
        NoArpTableFull = 4,

        /// <summary>Larger than the egress MTU with DF set (RFC 1191: fragmentation needed sent), or unfragmentable.</summary>
        TooBig = 5,

        /// <summary>Malformed Ethernet, ARP or IPv4 header (lengths, version, IHL).</summary>
        BadHeader = 6,

        /// <summary>IPv4 header, ICMP or TCP checksum does not verify (RFC 1812 §5.2.2).</summary>
        BadChecksum = 7,

        /// <summary>No packet buffer free for an ICMP message or a locally generated packet.</summary>
        PoolFull = 8,

        /// <summary>An ICMP error was due but the token bucket was empty (RFC 1812 §4.3.2.8); the error is not sent.</summary>
        RateLimited = 9,

        /// <summary>Egress interface down (LAN link down, tunnel not up, tunnel not attached).</summary>
        InterfaceDown = 10,

        /// <summary>The egress port or tunnel refused the packet (queue busy, too large, error).</summary>
        TransmitFailed = 11,

        /// <summary>A frame not addressed to us at the link layer, or an IPv4 packet received as link broadcast that is not for us (RFC 1812 §5.3.4).</summary>
        NotForUs = 12,

        /// <summary>Source or destination an IPv4 router must not forward: multicast/broadcast/zero source, multicast or limited broadcast destination (RFC 1812 §5.3.7, §5.3.5).</summary>
        Martian = 13,

        /// <summary>A fragment addressed to the router itself: the router does not reassemble.</summary>
        FragmentToSelf = 14,

        /// <summary>A packet for a local address whose protocol has no local listener (protocol/port unreachable sent).</summary>
        Unreachable = 15,

        /// <summary>An EtherType other than IPv4 and ARP, or an ARP operation other than request/reply.</summary>
        UnsupportedProtocol = 16,
    }

    /// <summary>Names and count of <see cref="DropReason"/> values, for counters and <c>show interfaces</c>.</summary>
    public static class DropReasons
    {
        /// <summary>Number of reasons (the counter array length).</summary>
        public const int Count = 17;

        private static readonly string[] Names = new string[]
        {
            "no-route", "ttl-exceeded", "no-arp-queue-full", "no-arp-timeout", "no-arp-table-full", "too-big",
            "bad-header", "bad-checksum", "pool-full", "rate-limited", "interface-down", "transmit-failed",
            "not-for-us", "martian", "fragment-to-self", "unreachable", "unsupported-protocol",
        };

        /// <summary>The reason's name as <c>show interfaces</c> prints it.</summary>
        public static string Name(DropReason reason)
        {
            int i = (int)reason;
            return i >= 0 && i < Names.Length ? Names[i] : "unknown";
        }
    }
}
