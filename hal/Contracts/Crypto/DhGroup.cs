namespace VpnAppliance.Hal.Crypto
{
    /// <summary>IANA IKEv2 transform type 4 numbers (Diffie-Hellman groups) this appliance knows.</summary>
    public static class DhGroup
    {
        /// <summary>1024-bit MODP (RFC 2409 §6.2). Weak; Azure and Alibaba defaults still use it.</summary>
        public const int Modp1024 = 2;
        /// <summary>1536-bit MODP (RFC 3526 §2). Weak.</summary>
        public const int Modp1536 = 5;
        /// <summary>2048-bit MODP (RFC 3526 §3).</summary>
        public const int Modp2048 = 14;
        /// <summary>256-bit random ECP group, NIST P-256 (RFC 5903 §3.1).</summary>
        public const int Ecp256 = 19;
        /// <summary>384-bit random ECP group, NIST P-384 (RFC 5903 §3.2).</summary>
        public const int Ecp384 = 20;
        /// <summary>2048-bit MODP with 256-bit prime order subgroup (RFC 5114 §2.3).</summary>
        public const int Modp2048S256 = 24;
        /// <summary>Curve25519, X25519 key exchange (RFC 8031, RFC 7748).</summary>
        public const int Curve25519 = 31;

        /// <summary>True for the groups below 112-bit strength that are offered only behind an explicit flag.</summary>
        public static bool IsWeak(int group)
        {
            return group == Modp1024 || group == Modp1536;
        }
    }
}
