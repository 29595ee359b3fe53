using VpnAppliance.Hal.Crypto;

namespace VpnAppliance.Ipsec
{
    /// <summary>
    /// The ESP transforms this appliance runs, by their IANA IKEv2 transform IDs (RFC 7296 §3.3.2; "IKEv2
    /// Transform Type 1/3 Transform IDs" registry): AES-GCM with a 16-octet ICV (RFC 4106) and AES-CBC
    /// (RFC 3602) with HMAC-SHA1-96 (RFC 2404) or HMAC-SHA2-256/384/512 (RFC 4868).
    /// </summary>
    public static class EspTransform
    {
        /// <summary>ENCR_AES_CBC (transform type 1, ID 12).</summary>
        public const int EncrAesCbc = 12;
        /// <summary>ENCR_AES_GCM_16 (transform type 1, ID 20).</summary>
        public const int EncrAesGcm16 = 20;

        /// <summary>NONE (transform type 3, ID 0): only with a combined-mode cipher.</summary>
        public const int AuthNone = 0;
        /// <summary>AUTH_HMAC_SHA1_96 (transform type 3, ID 2).</summary>
        public const int AuthHmacSha1_96 = 2;
        /// <summary>AUTH_HMAC_SHA2_256_128 (transform type 3, ID 12).</summary>
        public const int AuthHmacSha2_256_128 = 12;
        /// <summary>AUTH_HMAC_SHA2_384_192 (transform type 3, ID 13).</summary>
        public const int AuthHmacSha2_384_192 = 13;
        /// <summary>AUTH_HMAC_SHA2_512_256 (transform type 3, ID 14).</summary>
        public const int AuthHmacSha2_512_256 = 14;

        /// <summary>RFC 4106 §8.1: 4 octets of salt follow the AES key in the KEYMAT of a GCM SA.</summary>
        public const int GcmSaltLength = 4;

        /// <summary>True for a combination the appliance supports (AES key of 128, 192 or 256 bits).</summary>
        public static bool IsSupported(int encryption, int keyBits, int integrity)
        {
            if (keyBits != 128 && keyBits != 192 && keyBits != 256)
            {
                return false;
            }

            if (encryption == EncrAesGcm16)
            {
                return integrity == AuthNone; // RFC 4106 §9: no separate integrity with GCM
            }

            return encryption == EncrAesCbc && HashOf(integrity) != 0;
        }

        /// <summary>The hash under an HMAC integrity transform, 0 when none.</summary>
        public static HashAlgorithm HashOf(int integrity)
        {
            switch (integrity)
            {
                case AuthHmacSha1_96: return HashAlgorithm.Sha1;
                case AuthHmacSha2_256_128: return HashAlgorithm.Sha256;
                case AuthHmacSha2_384_192: return HashAlgorithm.Sha384;
                case AuthHmacSha2_512_256: return HashAlgorithm.Sha512;
                default: return 0;
            }
        }

        /// <summary>
        /// Octets of encryption key material per direction (RFC 7296 §2.17): the AES key, plus the 4-byte salt for
        /// GCM (RFC 4106 §8.1).
        /// </summary>
        public static int EncryptionKeyLength(int encryption, int keyBits)
        {
            return keyBits / 8 + (encryption == EncrAesGcm16 ? GcmSaltLength : 0);
        }

        /// <summary>
        /// Octets of integrity key per direction: the HMAC key is as long as the digest (RFC 2404 §3: 160 bits;
        /// RFC 4868 §2.1: 256/384/512 bits); 0 for GCM.
        /// </summary>
        public static int IntegrityKeyLength(int integrity)
        {
            HashAlgorithm hash = HashOf(integrity);
            return hash == 0 ? 0 : IntegrityTruncation.DigestLength(hash);
        }

        /// <summary>
        /// Total KEYMAT octets a CHILD SA pair takes (RFC 7296 §2.17: encryption then integrity key for
        /// initiator-to-responder, then the same for responder-to-initiator).
        /// </summary>
        public static int KeyMaterialLength(int encryption, int keyBits, int integrity)
        {
            return 2 * (EncryptionKeyLength(encryption, keyBits) + IntegrityKeyLength(integrity));
        }

        /// <summary>IV octets in each packet: 8 for GCM (RFC 4106 §3.1), 16 for CBC (RFC 3602 §3).</summary>
        public static int IvLength(int encryption)
        {
            return encryption == EncrAesGcm16 ? 8 : 16;
        }

        /// <summary>ICV octets: 16 for GCM-16 (RFC 4106 §6), else the truncated HMAC (RFC 2404, RFC 4868 §2.3).</summary>
        public static int IcvLength(int encryption, int integrity)
        {
            return encryption == EncrAesGcm16 ? 16 : IntegrityTruncation.IcvLength(HashOf(integrity));
        }

        /// <summary>
        /// Alignment of payload + padding + trailer: the cipher block (16) for CBC (RFC 3602 §3); 4 for GCM, whose
        /// ciphertext only has to end on a 4-byte boundary (RFC 4106 §3.2, RFC 4303 §2.4).
        /// </summary>
        public static int PadBlock(int encryption)
        {
            return encryption == EncrAesGcm16 ? 4 : 16;
        }
    }
}
