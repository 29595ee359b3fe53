namespace VpnAppliance.Ipsec
{
    /// <summary>
    /// What the IKE engine hands the SAD to install a negotiated CHILD SA pair (RFC 7296 §2.17, §3.3). Mutable so
    /// the engine can keep one instance and refill it for every exchange (no allocation).
    /// </summary>
    public sealed class ChildSaParameters
    {
        /// <summary>Encryption transform ID (<see cref="EspTransform.EncrAesGcm16"/> or <see cref="EspTransform.EncrAesCbc"/>).</summary>
        public int Encryption;
        /// <summary>AES key length in bits (the Key Length attribute, RFC 7296 §3.3.5): 128, 192 or 256.</summary>
        public int KeyBits;
        /// <summary>Integrity transform ID (<see cref="EspTransform.AuthNone"/> with GCM).</summary>
        public int Integrity;
        /// <summary>Extended Sequence Numbers negotiated (transform type 5 ID 1, RFC 7296 §3.3.2).</summary>
        public bool ExtendedSequenceNumbers;
        /// <summary>The peer's SPI from its SA payload: the SPI of our outbound SA (&gt;= 256).</summary>
        public uint OutboundSpi;
        /// <summary>
        /// True when this end was the initiator of the exchange that created the CHILD SA: the first half of
        /// KEYMAT then keys our outbound SA (RFC 7296 §2.17).
        /// </summary>
        public bool Initiator;
        /// <summary>KEYMAT = prf+(SK_d, [g^ir (new) |] Ni | Nr) (RFC 7296 §2.17); the SAD only reads it.</summary>
        public byte[] KeyMaterial;
        /// <summary>Offset of KEYMAT in <see cref="KeyMaterial"/>.</summary>
        public int KeyMaterialOffset;
        /// <summary>Bytes of KEYMAT available (at least <see cref="EspTransform.KeyMaterialLength"/>).</summary>
        public int KeyMaterialLength;
        /// <summary>Soft and hard lifetimes of each direction (null: none).</summary>
        public EspLifetime Lifetime;
        /// <summary>Anti-replay window of the inbound SA in packets (0: off), capped at the SAD's window capacity.</summary>
        public int ReplayWindow = VpnAppliance.Ipsec.ReplayWindow.DefaultSize;
        /// <summary>
        /// Install without sending on the pair yet (RFC 7296 §2.8: the responder of a rekey waits until the initiator
        /// surely has the new inbound SA): the tunnel switches to it when the first packet arrives on it, or when the
        /// pair it sends on goes away.
        /// </summary>
        public bool DeferOutbound;
        /// <summary>The peer's WAN address (host order) the tunnel sends ESP-in-UDP to.</summary>
        public uint PeerAddress;
        /// <summary>The peer's UDP port: 4500, or the NAT-mapped port IKE saw (RFC 7296 §2.23).</summary>
        public int PeerPort = EspPacket.NatTraversalPort;
    }
}
