using System.Collections;
using System.Text;
using VpnAppliance.Config;

namespace VpnAppliance.Ipsec.Ike
{
    /// <summary>
    /// Our configured proposals as strongSwan writes them (log lines, and comparing two configurations); the peer's
    /// offer is rendered by <see cref="NoProposalChosenLog"/>.
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
    }
}
