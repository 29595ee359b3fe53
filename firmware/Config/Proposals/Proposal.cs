using System.Text;

namespace VpnAppliance.Config
{
    /// <summary>
    /// One IKE or ESP proposal, typed, from a strongSwan proposal string such as <c>aes256-sha256-modp2048</c>
    /// or <c>aes256gcm16-prfsha256-ecp256</c>. One encryption algorithm, at most one integrity and one PRF,
    /// zero or more DH groups (IANA numbers). <see cref="ToString"/> gives the canonical strongSwan string.
    /// </summary>
    public sealed class Proposal
    {
        /// <summary>Encryption transform.</summary>
        public EncryptionAlgorithm Encryption;
        /// <summary>Key size in bits (128, 192, 256).</summary>
        public int KeySize;
        /// <summary>Integrity transform (None for AEAD).</summary>
        public IntegrityAlgorithm Integrity;
        /// <summary>PRF as written (None = derived from integrity for IKE; never set for ESP).</summary>
        public PrfAlgorithm Prf;
        /// <summary>DH groups in the order written (IANA numbers); empty for ESP without PFS.</summary>
        public int[] DhGroups = new int[0];

        /// <summary>Line that set it (0 when built in code; not part of equality).</summary>
        public int Line;

        /// <summary>True for an AEAD cipher (GCM).</summary>
        public bool IsAead { get { return Encryption == EncryptionAlgorithm.AesGcm16; } }

        /// <summary>The PRF an IKE SA would use: the explicit one, else the one matching the integrity algorithm.</summary>
        public PrfAlgorithm EffectivePrf
        {
            get
            {
                if (Prf != PrfAlgorithm.None) return Prf;
                switch (Integrity)
                {
                    case IntegrityAlgorithm.HmacSha1_96: return PrfAlgorithm.HmacSha1;
                    case IntegrityAlgorithm.HmacSha2_256_128: return PrfAlgorithm.HmacSha2_256;
                    case IntegrityAlgorithm.HmacSha2_384_192: return PrfAlgorithm.HmacSha2_384;
                    case IntegrityAlgorithm.HmacSha2_512_256: return PrfAlgorithm.HmacSha2_512;
                    default: return PrfAlgorithm.None;
                }
            }
        }

        /// <summary>True when the proposal lists <paramref name="group"/>.</summary>
        public bool HasGroup(int group)
        {
            for (int i = 0; i < DhGroups.Length; i++) if (DhGroups[i] == group) return true;
            return false;
        }

        /// <summary>Structural equality.</summary>
        public bool SameAs(Proposal o)
        {
            if (o == null || o.Encryption != Encryption || o.KeySize != KeySize || o.Integrity != Integrity || o.Prf != Prf) return false;
            if (o.DhGroups.Length != DhGroups.Length) return false;
            for (int i = 0; i < DhGroups.Length; i++) if (o.DhGroups[i] != DhGroups[i]) return false;
            return true;
        }

        /// <summary>Canonical strongSwan string: encryption-integrity-prf-groups.</summary>
        public override string ToString()
        {
            StringBuilder sb = new StringBuilder(40);
            sb.Append("aes");
            sb.Append(KeySize);
            if (Encryption == EncryptionAlgorithm.AesGcm16) sb.Append("gcm16");
            string integ = IntegrityName(Integrity);
            if (integ != null) { sb.Append('-'); sb.Append(integ); }
            string prf = PrfName(Prf);
            if (prf != null) { sb.Append('-'); sb.Append(prf); }
            for (int i = 0; i < DhGroups.Length; i++)
            {
                sb.Append('-');
                sb.Append(DhGroup.Name(DhGroups[i]));
            }
            return sb.ToString();
        }

        /// <summary>strongSwan name of an integrity algorithm, or null for None.</summary>
        public static string IntegrityName(IntegrityAlgorithm a)
        {
            switch (a)
            {
                case IntegrityAlgorithm.HmacSha1_96: return "sha1";
                case IntegrityAlgorithm.HmacSha2_256_128: return "sha256";
                case IntegrityAlgorithm.HmacSha2_384_192: return "sha384";
                case IntegrityAlgorithm.HmacSha2_512_256: return "sha512";
                default: return null;
            }
        }

        /// <summary>strongSwan name of a PRF, or null for None.</summary>
        public static string PrfName(PrfAlgorithm a)
        {
            switch (a)
            {
                case PrfAlgorithm.HmacSha1: return "prfsha1";
                case PrfAlgorithm.HmacSha2_256: return "prfsha256";
                case PrfAlgorithm.HmacSha2_384: return "prfsha384";
                case PrfAlgorithm.HmacSha2_512: return "prfsha512";
                default: return null;
            }
        }
    }
}
