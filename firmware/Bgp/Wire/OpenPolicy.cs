namespace VpnAppliance.Bgp.Wire
{
    /// <summary>
    /// What the local speaker accepts in a peer's OPEN (the inputs of RFC 4271 §6.2's checks). Filled by the
    /// session from the neighbor's configuration.
    /// </summary>
    public sealed class OpenPolicy
    {
        /// <summary>Our AS (4 octets).</summary>
        public uint LocalAs;
        /// <summary>Our BGP Identifier.</summary>
        public uint LocalIdentifier;
        /// <summary>The AS configured for the neighbor; 0 accepts any AS.</summary>
        public uint ExpectedPeerAs;
        /// <summary>Smallest acceptable non-zero Hold Time; 1 and 2 s are always refused (RFC 4271 §4.2, §6.2).</summary>
        public int MinHoldTime = 3;
        /// <summary>Refuse a peer without the 4-octet AS capability (Unsupported Capability, RFC 5492 §5).</summary>
        public bool RequireFourOctetAs;
        /// <summary>Refuse a peer whose Multiprotocol capabilities do not include IPv4 unicast when it sends any (RFC 5492 §5).</summary>
        public bool RequireIpv4Unicast;
    }
}
