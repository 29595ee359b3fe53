namespace VpnAppliance.Config
{
    /// <summary>
    /// Reads strongSwan proposal strings (<c>enc-integ-prf-dh...</c>, components separated by '-', in any order,
    /// as strongSwan accepts them) into <see cref="Proposal"/>s, and lists of them separated by commas.
    /// Unknown names and names we know but do not implement are errors naming that component.
    /// Kind rules (strongSwan's and RFC 7296's): IKE needs a DH group, an AEAD IKE proposal needs an explicit
    /// PRF ("a PRF algorithm is mandatory in AEAD proposals"), ESP has no PRF, AEAD has no integrity.
    /// </summary>
    public sealed class ProposalParser
    {
        /// <summary>Most proposals in one group.</summary>
        public const int MaxProposals = 4;
        /// <summary>Most DH groups in one proposal.</summary>
        public const int MaxGroups = 4;

        /// <summary>Component that caused the last failure.</summary>
        public string ErrorToken;
        /// <summary>Rule of the last failure.</summary>
        public string ErrorRule;
        /// <summary>Message of the last failure.</summary>
        public string ErrorMessage;

        private readonly int[] _groups = new int[MaxGroups];

        // Names strongSwan knows that this firmware does not implement (so the message can say "unsupported").
        private static readonly string[] s_unsupported = new string[]
        {
            "3des", "des", "blowfish", "blowfish128", "blowfish192", "blowfish256", "cast128", "null", "serpent128",
            "serpent192", "serpent256", "twofish128", "twofish192", "twofish256", "chacha20poly1305",
            "md5", "md5_128", "sha1_160", "sha256_96", "aesxcbc", "aescmac", "aes128gmac", "aes192gmac", "aes256gmac",
            "prfmd5", "prfaesxcbc", "prfaescmac", "prfcamellia128xcbc",
            "modp768", "modp3072", "modp4096", "modp6144", "modp8192", "modp1024s160", "modp2048s224",
            "ecp192", "ecp224", "ecp521", "ecp224bp", "ecp256bp", "ecp384bp", "ecp512bp", "x448", "curve448",
            "esn", "noesn", "none",
        };

        /// <summary>
        /// Parses one proposal. Returns null on failure (ErrorToken/ErrorRule/ErrorMessage set).
        /// </summary>
        public Proposal Parse(string text, bool ike)
        {
            ErrorToken = null;
            ErrorRule = null;
            ErrorMessage = null;
            if (text == null || text.Length == 0) return Fail(text, "proposal-empty", "empty proposal");
            Proposal p = new Proposal();
            int groups = 0;
            string integToken = null;
            string prfToken = null;
            int start = 0;
            for (int i = 0; i <= text.Length; i++)
            {
                if (i < text.Length && text[i] != '-') continue;
                if (i == start) return Fail(text, "proposal-syntax", "empty algorithm between '-' separators");
                string t = text.Substring(start, i - start);
                start = i + 1;
                int keySize;
                bool gcm;
                int r = ReadCipher(t, out keySize, out gcm);
                if (r == 1)
                {
                    if (p.Encryption != EncryptionAlgorithm.None) return Fail(t, "proposal-duplicate", "one encryption algorithm per proposal; list several proposals instead");
                    p.Encryption = gcm ? EncryptionAlgorithm.AesGcm16 : EncryptionAlgorithm.AesCbc;
                    p.KeySize = keySize;
                    continue;
                }
                if (r < 0) return Fail(t, "unsupported-algorithm", "'" + t + "' is not implemented (AES-CBC and AES-GCM-16 with 128/192/256-bit keys are)");
                IntegrityAlgorithm integ = ReadIntegrity(t);
                if (integ != IntegrityAlgorithm.None)
                {
                    if (p.Integrity != IntegrityAlgorithm.None) return Fail(t, "proposal-duplicate", "one integrity algorithm per proposal");
                    p.Integrity = integ;
                    integToken = t;
                    continue;
                }
                PrfAlgorithm prf = ReadPrf(t);
                if (prf != PrfAlgorithm.None)
                {
                    if (p.Prf != PrfAlgorithm.None) return Fail(t, "proposal-duplicate", "one PRF per proposal");
                    p.Prf = prf;
                    prfToken = t;
                    continue;
                }
                int g = DhGroup.FromName(t);
                if (g != 0)
                {
                    for (int k = 0; k < groups; k++) if (_groups[k] == g) return Fail(t, "proposal-duplicate", "DH group listed twice");
                    if (groups >= MaxGroups) return Fail(t, "proposal-too-long", "at most " + MaxGroups.ToString() + " DH groups per proposal");
                    _groups[groups++] = g;
                    continue;
                }
                if (IsUnsupported(t)) return Fail(t, "unsupported-algorithm", "'" + t + "' is a strongSwan algorithm this firmware does not implement");
                return Fail(t, "unknown-algorithm", "'" + t + "' is not a strongSwan algorithm name");
            }
            if (p.Encryption == EncryptionAlgorithm.None) return Fail(text, "proposal-no-encryption", "a proposal needs an encryption algorithm (aes128, aes256, aes256gcm16, ...)");
            if (p.IsAead && integToken != null) return Fail(integToken, "proposal-aead-integrity", "an AEAD cipher (GCM) takes no integrity algorithm" + (ike ? "; use a PRF such as prfsha256" : ""));
            if (!ike && prfToken != null) return Fail(prfToken, "esp-prf", "an ESP proposal has no PRF");
            if (!p.IsAead && p.Integrity == IntegrityAlgorithm.None) return Fail(text, "proposal-no-integrity", "AES-CBC needs an integrity algorithm (sha1, sha256, sha384, sha512)");
            if (ike && p.IsAead && p.Prf == PrfAlgorithm.None) return Fail(text, "ike-prf-missing", "an AEAD IKE proposal needs an explicit PRF (e.g. aes256gcm16-prfsha256-ecp256)");
            if (ike && groups == 0) return Fail(text, "ike-dh-missing", "an IKE proposal needs a DH group (e.g. modp2048, ecp256)");
            p.DhGroups = new int[groups];
            for (int k = 0; k < groups; k++) p.DhGroups[k] = _groups[k];
            return p;
        }

        // 1 = cipher read; 0 = not a cipher name; -1 = an AES variant we do not implement.
        private static int ReadCipher(string t, out int keySize, out bool gcm)
        {
            keySize = 0;
            gcm = false;
            if (t.Length < 3 || t[0] != 'a' || t[1] != 'e' || t[2] != 's') return 0;
            if (t == "aes") { keySize = 128; return 1; }
            if (t.Length < 6) return 0;
            string size = t.Substring(3, 3);
            if (size == "128") keySize = 128;
            else if (size == "192") keySize = 192;
            else if (size == "256") keySize = 256;
            else return t.StartsWith("aesxcbc") || t.StartsWith("aescmac") ? 0 : -1;
            string rest = t.Substring(6);
            if (rest.Length == 0) return 1;
            if (rest == "gcm16" || rest == "gcm" || rest == "gcm128") { gcm = true; return 1; }
            if (rest == "gmac") return 0;
            return -1; // gcm8, gcm12, ccm*, ctr, ...
        }

        private static IntegrityAlgorithm ReadIntegrity(string t)
        {
            switch (t)
            {
                case "sha1": case "sha": return IntegrityAlgorithm.HmacSha1_96;
                case "sha256": case "sha2_256": return IntegrityAlgorithm.HmacSha2_256_128;
                case "sha384": case "sha2_384": return IntegrityAlgorithm.HmacSha2_384_192;
                case "sha512": case "sha2_512": return IntegrityAlgorithm.HmacSha2_512_256;
                default: return IntegrityAlgorithm.None;
            }
        }

        private static PrfAlgorithm ReadPrf(string t)
        {
            switch (t)
            {
                case "prfsha1": return PrfAlgorithm.HmacSha1;
                case "prfsha256": return PrfAlgorithm.HmacSha2_256;
                case "prfsha384": return PrfAlgorithm.HmacSha2_384;
                case "prfsha512": return PrfAlgorithm.HmacSha2_512;
                default: return PrfAlgorithm.None;
            }
        }

        private static bool IsUnsupported(string t)
        {
            for (int i = 0; i < s_unsupported.Length; i++) if (s_unsupported[i] == t) return true;
            return t.StartsWith("camellia") || t.StartsWith("chacha") || t.StartsWith("ntru") || t.StartsWith("newhope");
        }

        private Proposal Fail(string token, string rule, string message)
        {
            ErrorToken = token == null ? "" : token;
            ErrorRule = rule;
            ErrorMessage = message;
            return null;
        }
    }
}
