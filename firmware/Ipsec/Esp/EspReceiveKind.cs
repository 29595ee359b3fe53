namespace VpnAppliance.Ipsec
{
    /// <summary>What a datagram received on UDP 4500 turned out to be.</summary>
    public enum EspReceiveKind
    {
        /// <summary>An authenticated ESP packet: the inner IPv4 packet goes to the tunnel interface's receive path.</summary>
        Inner = 0,
        /// <summary>An IKE message behind the non-ESP marker (RFC 3948 §2.2): hand it to the IKE engine.</summary>
        Ike = 1,
        /// <summary>A NAT-keepalive (RFC 3948 §2.3): nothing to do.</summary>
        Keepalive = 2,
        /// <summary>Dropped; see <see cref="EspReceiveResult.Reason"/>.</summary>
        Dropped = 3,
    }
}
