namespace VpnAppliance.Ipsec.Ike
{
    /// <summary>Exchange Type values of the IKE header (RFC 7296 §3.1).</summary>
    public static class IkeExchangeType
    {
        /// <summary>IKE_SA_INIT (RFC 7296 §1.2).</summary>
        public const byte IkeSaInit = 34;
        /// <summary>IKE_AUTH (RFC 7296 §1.2).</summary>
        public const byte IkeAuth = 35;
        /// <summary>CREATE_CHILD_SA (RFC 7296 §1.3).</summary>
        public const byte CreateChildSa = 36;
        /// <summary>INFORMATIONAL (RFC 7296 §1.4).</summary>
        public const byte Informational = 37;

        /// <summary>True for the four exchange types RFC 7296 §3.1 defines.</summary>
        public static bool IsKnown(byte value)
        {
            return value >= IkeSaInit && value <= Informational;
        }
    }
}
