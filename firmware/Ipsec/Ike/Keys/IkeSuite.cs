using System.Text;

namespace VpnAppliance.Ipsec.Ike
{
    // The transforms of one IKE SA as negotiated (RFC 7296 §3.3.2): one of each type. Ids are the IANA IKEv2
    // registry values, equal to the Config enums (EncryptionAlgorithm, IntegrityAlgorithm, PrfAlgorithm, DhGroup).
    // Mutable so the engine keeps one instance per SA and refills it (no allocation per exchange).

    /// <summary>The negotiated IKE SA transforms (IANA ids, RFC 7296 §3.3.2).</summary>
    public sealed class IkeSuite
    {
        /// <summary>ENCR_AES_CBC (RFC 3602, RFC 7296 §3.3.2).</summary>
        public const int EncrAesCbc = 12;
        /// <summary>ENCR_AES_GCM_16 (RFC 5282).</summary>
        public const int EncrAesGcm16 = 20;
        /// <summary>AUTH_HMAC_SHA1_96 (RFC 2404).</summary>
        public const int AuthHmacSha1_96 = 2;
        /// <summary>AUTH_HMAC_SHA2_256_128 (RFC 4868).</summary>
        public const int AuthHmacSha2_256_128 = 12;
        /// <summary>AUTH_HMAC_SHA2_384_192 (RFC 4868).</summary>
        public const int AuthHmacSha2_384_192 = 13;
        /// <summary>AUTH_HMAC_SHA2_512_256 (RFC 4868).</summary>
        public const int AuthHmacSha2_512_256 = 14;
        /// <summary>PRF_HMAC_SHA1 (RFC 2104).</summary>
        public const int PrfHmacSha1 = 2;
        /// <summary>PRF_HMAC_SHA2_256 (RFC 4868).</summary>
        public const int PrfHmacSha2_256 = 5;
        /// <summary>PRF_HMAC_SHA2_384 (RFC 4868).</summary>
        public const int PrfHmacSha2_384 = 6;
        /// <summary>PRF_HMAC_SHA2_512 (RFC 4868).</summary>
        public const int PrfHmacSha2_512 = 7;

        /// <summary>Encryption transform id: 12 AES-CBC, 20 AES-GCM-16.</summary>
        public int Encryption;
        /// <summary>AES key length in bits (the Key Length attribute, RFC 7296 §3.3.5): 128, 192, 256.</summary>
        public int KeyBits;
        /// <summary>Integrity transform id; 0 with GCM (RFC 5282 §8).</summary>
        public int Integrity;
        /// <summary>PRF transform id.</summary>
        public int Prf;
        /// <summary>Diffie-Hellman group (IANA transform type 4 id).</summary>
        public int DhGroup;

        /// <summary>True for the combined-mode cipher (AES-GCM-16).</summary>
        public bool IsAead { get { return Encryption == EncrAesGcm16; } }

        /// <summary>Copies every field of <paramref name="o"/>.</summary>
        public void CopyFrom(IkeSuite o)
        {
            Encryption = o.Encryption;
            KeyBits = o.KeyBits;
            Integrity = o.Integrity;
            Prf = o.Prf;
            DhGroup = o.DhGroup;
        }

        /// <summary>Sets every field to 0 (nothing negotiated).</summary>
        public void Clear()
        {
            Encryption = 0;
            KeyBits = 0;
            Integrity = 0;
            Prf = 0;
            DhGroup = 0;
        }

        /// <summary>True when every field equals <paramref name="o"/>'s.</summary>
        public bool SameAs(IkeSuite o)
        {
            return o != null && o.Encryption == Encryption && o.KeyBits == KeyBits && o.Integrity == Integrity
                && o.Prf == Prf && o.DhGroup == DhGroup;
        }

        /// <summary>
        /// strongSwan-style proposal string: "aes256gcm16-prfsha384-ecp384", "aes256-sha256-prfsha256-modp2048".
        /// Zero fields are left out; unknown ids print as "encr21", "integ9", "prf8", "dh23". Allocates (logs only).
        /// </summary>
        public override string ToString()
        {
            StringBuilder sb = new StringBuilder(48);
            AppendEncryption(sb, Encryption, KeyBits);
            AppendIntegrity(sb, Integrity);
            AppendPrf(sb, Prf);
            AppendGroup(sb, DhGroup);
            return sb.ToString();
        }

        /// <summary>Appends "aes256" / "aes128gcm16" (or "encrN").</summary>
        internal static void AppendEncryption(StringBuilder sb, int encryption, int keyBits)
        {
            if (encryption == 0) return;
            Separator(sb);
            if (encryption == EncrAesCbc || encryption == EncrAesGcm16)
            {
                sb.Append("aes");
                if (keyBits != 0) sb.Append(keyBits);
                if (encryption == EncrAesGcm16) sb.Append("gcm16");
            }
            else
            {
                sb.Append("encr");
                sb.Append(encryption);
                if (keyBits != 0) { sb.Append('_'); sb.Append(keyBits); }
            }
        }

        /// <summary>Appends "-sha256" etc. (nothing for 0).</summary>
        internal static void AppendIntegrity(StringBuilder sb, int integrity)
        {
            if (integrity == 0) return;
            Separator(sb);
            switch (integrity)
            {
                case AuthHmacSha1_96: sb.Append("sha1"); break;
                case AuthHmacSha2_256_128: sb.Append("sha256"); break;
                case AuthHmacSha2_384_192: sb.Append("sha384"); break;
                case AuthHmacSha2_512_256: sb.Append("sha512"); break;
                default: sb.Append("integ"); sb.Append(integrity); break;
            }
        }

        /// <summary>Appends "-prfsha256" etc. (nothing for 0).</summary>
        internal static void AppendPrf(StringBuilder sb, int prf)
        {
            if (prf == 0) return;
            Separator(sb);
            switch (prf)
            {
                case PrfHmacSha1: sb.Append("prfsha1"); break;
                case PrfHmacSha2_256: sb.Append("prfsha256"); break;
                case PrfHmacSha2_384: sb.Append("prfsha384"); break;
                case PrfHmacSha2_512: sb.Append("prfsha512"); break;
                default: sb.Append("prf"); sb.Append(prf); break;
            }
        }

        /// <summary>Appends "-modp2048" etc. (nothing for 0).</summary>
        internal static void AppendGroup(StringBuilder sb, int group)
        {
            if (group == 0) return;
            Separator(sb);
            string name = VpnAppliance.Config.DhGroup.Name(group);
            if (name != null) sb.Append(name);
            else { sb.Append("dh"); sb.Append(group); }
        }

        static void Separator(StringBuilder sb)
        {
            if (sb.Length == 0) return;
            char last = sb[sb.Length - 1];
            if (last != ',' && last != ' ') sb.Append('-');
        }
    }
}
