using System.Collections;
using System.Text;
using VpnAppliance.Config;

namespace VpnAppliance.Ipsec.Ike
{
    /// <summary>
    /// Proposals as strongSwan writes them, for the one log line a NO_PROPOSAL_CHOSEN produces: what the peer offered
    /// and what we accept, so the engineer sees at once which side to change. Only called on failures.
    /// </summary>
    public static class ProposalText
    {
        /// <summary>Our configured proposals, comma-separated.</summary>
        public static string Ours(ArrayList proposals)
        {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < proposals.Count; i++)
            {
                if (i > 0) sb.Append(',');
                sb.Append(((Proposal)proposals[i]).ToString());
            }

            return sb.ToString();
        }

        /// <summary>"peer offered A,B; we accept C,D (set vpn GROUPKIND ... proposal)".</summary>
        public static string Mismatch(SaPayload offered, ArrayList ours, string groupKind)
        {
            return "peer offered " + Offered(offered) + "; we accept " + Ours(ours) + " (set vpn " + groupKind + " <name> proposal ...)";
        }

        /// <summary>The peer's SA payload in strongSwan notation, one entry per proposal.</summary>
        public static string Offered(SaPayload sa)
        {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < sa.ProposalCount; i++)
            {
                if (i > 0) sb.Append(',');
                IkeProposal p = sa.Proposals[i];
                bool first = true;
                for (int t = 0; t < p.TransformCount; t++)
                {
                    IkeTransform x = p.Transforms[t];
                    string name = TransformName(x);
                    if (name == null) continue;
                    if (!first) sb.Append('-');
                    sb.Append(name);
                    first = false;
                }
            }

            return sb.Length == 0 ? "nothing" : sb.ToString();
        }

        private static string TransformName(IkeTransform x)
        {
            switch (x.Type)
            {
                case IkeTransform.TypeEncryption:
                    if (x.Id == (int)EncryptionAlgorithm.AesCbc) return "aes" + x.KeyLength;
                    if (x.Id == (int)EncryptionAlgorithm.AesGcm16) return "aes" + x.KeyLength + "gcm16";
                    return "encr" + x.Id;
                case IkeTransform.TypePrf:
                    string prf = Proposal.PrfName((PrfAlgorithm)x.Id);
                    return prf != null && prf.Length > 0 ? prf : "prf" + x.Id;
                case IkeTransform.TypeIntegrity:
                    string integ = Proposal.IntegrityName((IntegrityAlgorithm)x.Id);
                    return integ != null && integ.Length > 0 ? integ : "integ" + x.Id;
                case IkeTransform.TypeDiffieHellman:
                    string g = VpnAppliance.Config.DhGroup.Name(x.Id);
                    return g != null && g.Length > 0 ? g : "group" + x.Id;
                case IkeTransform.TypeEsn:
                    return x.Id == 1 ? "esn" : null;
            }

            return null;
        }
    }
}
