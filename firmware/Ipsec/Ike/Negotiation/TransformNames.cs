using System.Text;

namespace VpnAppliance.Ipsec.Ike
{
    /// <summary>
    /// strongSwan-style names of IANA IKEv2 transform ids (RFC 7296 §3.3.2 registries, RFC 5282, RFC 5903, RFC 8031),
    /// including algorithms this firmware does not implement, so a mismatch log names what the peer really sent.
    /// Only used on failure paths (allocates).
    /// </summary>
    internal static class TransformNames
    {
        /// <summary>Appends the name of one transform.</summary>
        internal static void Append(StringBuilder sb, IkeTransform t)
        {
            switch (t.Type)
            {
                case IkeTransform.TypeEncryption: AppendEncryption(sb, t.Id, t.HasKeyLength ? t.KeyLength : 0); break;
                case IkeTransform.TypePrf: AppendPrf(sb, t.Id); break;
                case IkeTransform.TypeIntegrity: AppendIntegrity(sb, t.Id); break;
                case IkeTransform.TypeDiffieHellman: AppendGroup(sb, t.Id); break;
                case IkeTransform.TypeEsn:
                    if (t.Id == 1) sb.Append("esn");
                    else if (t.Id == 0) sb.Append("noesn");
                    else { sb.Append("esn"); sb.Append(t.Id); }
                    break;
                default: sb.Append("type"); sb.Append(t.Type); sb.Append(':'); sb.Append(t.Id); break;
            }
        }

        internal static void AppendEncryption(StringBuilder sb, int id, int keyBits)
        {
            switch (id)
            {
                case 3: sb.Append("3des"); return;
                case 12: sb.Append("aes"); AppendBits(sb, keyBits); return;
                case 13: sb.Append("aes"); AppendBits(sb, keyBits); sb.Append("ctr"); return;
                case 14: sb.Append("aes"); AppendBits(sb, keyBits); sb.Append("ccm8"); return;
                case 15: sb.Append("aes"); AppendBits(sb, keyBits); sb.Append("ccm12"); return;
                case 16: sb.Append("aes"); AppendBits(sb, keyBits); sb.Append("ccm16"); return;
                case 18: sb.Append("aes"); AppendBits(sb, keyBits); sb.Append("gcm8"); return;
                case 19: sb.Append("aes"); AppendBits(sb, keyBits); sb.Append("gcm12"); return;
                case 20: sb.Append("aes"); AppendBits(sb, keyBits); sb.Append("gcm16"); return;
                case 28: sb.Append("chacha20poly1305"); return;
                default: sb.Append("encr"); sb.Append(id); if (keyBits != 0) { sb.Append('_'); sb.Append(keyBits); } return;
            }
        }

        internal static void AppendIntegrity(StringBuilder sb, int id)
        {
            switch (id)
            {
                case 0: sb.Append("none"); return;
                case 1: sb.Append("md5"); return;
                case 2: sb.Append("sha1"); return;
                case 5: sb.Append("aesxcbc"); return;
                case 12: sb.Append("sha256"); return;
                case 13: sb.Append("sha384"); return;
                case 14: sb.Append("sha512"); return;
                default: sb.Append("integ"); sb.Append(id); return;
            }
        }

        internal static void AppendPrf(StringBuilder sb, int id)
        {
            switch (id)
            {
                case 1: sb.Append("prfmd5"); return;
                case 2: sb.Append("prfsha1"); return;
                case 4: sb.Append("prfaesxcbc"); return;
                case 5: sb.Append("prfsha256"); return;
                case 6: sb.Append("prfsha384"); return;
                case 7: sb.Append("prfsha512"); return;
                default: sb.Append("prf"); sb.Append(id); return;
            }
        }

        internal static void AppendGroup(StringBuilder sb, int id)
        {
            string name = VpnAppliance.Config.DhGroup.Name(id);
            if (name != null) { sb.Append(name); return; }
            switch (id)
            {
                case 0: sb.Append("nopfs"); return;
                case 1: sb.Append("modp768"); return;
                case 15: sb.Append("modp3072"); return;
                case 16: sb.Append("modp4096"); return;
                case 17: sb.Append("modp6144"); return;
                case 18: sb.Append("modp8192"); return;
                case 21: sb.Append("ecp521"); return;
                case 22: sb.Append("modp1024s160"); return;
                case 23: sb.Append("modp2048s224"); return;
                case 32: sb.Append("x448"); return;
                default: sb.Append("dh"); sb.Append(id); return;
            }
        }

        static void AppendBits(StringBuilder sb, int keyBits)
        {
            if (keyBits != 0) sb.Append(keyBits);
        }
    }
}
