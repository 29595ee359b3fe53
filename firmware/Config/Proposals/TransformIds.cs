namespace VpnAppliance.Config
{
    /// <summary>Encryption transforms we implement; values are IANA IKEv2 Transform Type 1 IDs (RFC 7296 §3.3.2).</summary>
    public enum EncryptionAlgorithm
    {
        /// <summary>Not set.</summary>
        None = 0,
        /// <summary>ENCR_AES_CBC (RFC 3602, RFC 7296); strongSwan <c>aes128|aes192|aes256</c>.</summary>
        AesCbc = 12,
        /// <summary>ENCR_AES_GCM_16, 16-octet ICV (RFC 4106, RFC 5282); strongSwan <c>aes128gcm16</c> etc.</summary>
        AesGcm16 = 20,
    }

    /// <summary>Integrity transforms; values are IANA Transform Type 3 IDs (RFC 7296 §3.3.2, RFC 4868).</summary>
    public enum IntegrityAlgorithm
    {
        /// <summary>None (AEAD ciphers carry their own integrity).</summary>
        None = 0,
        /// <summary>AUTH_HMAC_SHA1_96; strongSwan <c>sha1</c>.</summary>
        HmacSha1_96 = 2,
        /// <summary>AUTH_HMAC_SHA2_256_128 (RFC 4868); strongSwan <c>sha256</c>.</summary>
        HmacSha2_256_128 = 12,
        /// <summary>AUTH_HMAC_SHA2_384_192 (RFC 4868); strongSwan <c>sha384</c>.</summary>
        HmacSha2_384_192 = 13,
        /// <summary>AUTH_HMAC_SHA2_512_256 (RFC 4868); strongSwan <c>sha512</c>.</summary>
        HmacSha2_512_256 = 14,
    }

    /// <summary>Pseudo-random functions; values are IANA Transform Type 2 IDs (RFC 7296 §3.3.2, RFC 4868).</summary>
    public enum PrfAlgorithm
    {
        /// <summary>Not given (IKE: derived from the integrity algorithm, as strongSwan does).</summary>
        None = 0,
        /// <summary>PRF_HMAC_SHA1; strongSwan <c>prfsha1</c>.</summary>
        HmacSha1 = 2,
        /// <summary>PRF_HMAC_SHA2_256; strongSwan <c>prfsha256</c>.</summary>
        HmacSha2_256 = 5,
        /// <summary>PRF_HMAC_SHA2_384; strongSwan <c>prfsha384</c>.</summary>
        HmacSha2_384 = 6,
        /// <summary>PRF_HMAC_SHA2_512; strongSwan <c>prfsha512</c>.</summary>
        HmacSha2_512 = 7,
    }

    /// <summary>
    /// Diffie-Hellman groups we implement, as IANA Transform Type 4 numbers (RFC 7296 §3.3.2; RFC 3526 MODP,
    /// RFC 5114 modp2048s256, RFC 5903 ECP, RFC 8031 Curve25519), with strongSwan's names.
    /// </summary>
    public static class DhGroup
    {
        /// <summary>1024-bit MODP (RFC 2409 §6.2), strongSwan <c>modp1024</c>; weak (RFC 8247 §2.4: SHOULD NOT).</summary>
        public const int Modp1024 = 2;
        /// <summary>1536-bit MODP (RFC 3526 §2), <c>modp1536</c>; weak (RFC 8247 §2.4).</summary>
        public const int Modp1536 = 5;
        /// <summary>2048-bit MODP (RFC 3526 §3), <c>modp2048</c>.</summary>
        public const int Modp2048 = 14;
        /// <summary>256-bit random ECP (RFC 5903), <c>ecp256</c>.</summary>
        public const int Ecp256 = 19;
        /// <summary>384-bit random ECP (RFC 5903), <c>ecp384</c>.</summary>
        public const int Ecp384 = 20;
        /// <summary>2048-bit MODP with 256-bit prime order subgroup (RFC 5114 §2.3), <c>modp2048s256</c>.</summary>
        public const int Modp2048s256 = 24;
        /// <summary>Curve25519 (RFC 8031), <c>x25519</c> (alias <c>curve25519</c>).</summary>
        public const int X25519 = 31;

        /// <summary>strongSwan name of a supported group, or null.</summary>
        public static string Name(int group)
        {
            switch (group)
            {
                case Modp1024: return "modp1024";
                case Modp1536: return "modp1536";
                case Modp2048: return "modp2048";
                case Ecp256: return "ecp256";
                case Ecp384: return "ecp384";
                case Modp2048s256: return "modp2048s256";
                case X25519: return "x25519";
                default: return null;
            }
        }

        /// <summary>Group number of a supported strongSwan name, or 0.</summary>
        public static int FromName(string name)
        {
            switch (name)
            {
                case "modp1024": return Modp1024;
                case "modp1536": return Modp1536;
                case "modp2048": return Modp2048;
                case "ecp256": return Ecp256;
                case "ecp384": return Ecp384;
                case "modp2048s256": return Modp2048s256;
                case "x25519": return X25519;
                case "curve25519": return X25519;
                default: return 0;
            }
        }

        /// <summary>True for elliptic-curve groups (ECP and Curve25519).</summary>
        public static bool IsEllipticCurve(int group) { return group == Ecp256 || group == Ecp384 || group == X25519; }

        /// <summary>True for groups RFC 8247 §2.4 marks SHOULD NOT (we warn).</summary>
        public static bool IsWeak(int group) { return group == Modp1024 || group == Modp1536; }
    }
}
