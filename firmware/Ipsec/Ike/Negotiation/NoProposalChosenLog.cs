using System.Collections;
using System.Text;
using VpnAppliance.Config;
using VpnAppliance.Hal.Crypto;

namespace VpnAppliance.Ipsec.Ike
{
    // One log line for a failed negotiation that says what the peer sent, what we accept and what to change, e.g.
    //   no proposal chosen: peer offered aes128-sha1-prfsha1-modp1024, we accept aes256gcm16-prfsha384-ecp384,
    //   aes256-sha256-modp2048 (set vpn ike-group X proposal aes128-sha1-modp1024)
    // Peer proposals print every transform the peer listed, several of one type joined with '/', in strongSwan's
    // names (also for algorithms we do not implement, so "3des" or "modp768" is visible). The suggestion is the
    // peer's first proposal made of algorithms this firmware implements, in our config syntax. String building
    // allocates: failure paths only.

    /// <summary>Builds the single log line for NO_PROPOSAL_CHOSEN / INVALID_SYNTAX in SA negotiation.</summary>
    public static class NoProposalChosenLog
    {
        // strongSwan's order: encryption, integrity, prf, key exchange, ESN.
        static readonly byte[] s_typeOrder = new byte[]
        {
            IkeTransform.TypeEncryption, IkeTransform.TypeIntegrity, IkeTransform.TypePrf, IkeTransform.TypeDiffieHellman, IkeTransform.TypeEsn,
        };

        /// <summary>
        /// Responder: <paramref name="peer"/> is the peer's offer, <paramref name="ours"/> our config proposals,
        /// <paramref name="groupName"/> the ike-group / esp-group name (for the hint), <paramref name="ike"/> selects the
        /// protocol (IKE or ESP); <paramref name="inIkeAuth"/> leaves D-H out of ESP suggestions (§1.2).
        /// </summary>
        public static string Describe(NegotiationResult result, SaPayload peer, ArrayList ours, bool ike, bool inIkeAuth,
                                      string groupName, ICryptoProvider provider, bool allowWeak)
        {
            StringBuilder sb = new StringBuilder(160);
            Head(sb, result);
            sb.Append("peer offered ");
            AppendOffer(sb, peer, ike ? IkeProposal.ProtocolIke : IkeProposal.ProtocolEsp, !ike && inIkeAuth);
            sb.Append(", we accept ");
            AppendOurs(sb, ours, ike, inIkeAuth, provider, allowWeak);
            AppendHint(sb, peer, ike, inIkeAuth, groupName, provider, allowWeak);
            return sb.ToString();
        }

        /// <summary>
        /// Initiator: the peer refused our <paramref name="offered"/> SA (NO_PROPOSAL_CHOSEN notify; then
        /// <paramref name="answer"/> is null) or answered with something we did not offer or malformed.
        /// </summary>
        public static string DescribeAnswer(NegotiationResult result, SaPayload answer, SaPayload offered, bool ike, string groupName)
        {
            StringBuilder sb = new StringBuilder(160);
            byte protocol = ike ? IkeProposal.ProtocolIke : IkeProposal.ProtocolEsp;
            if (answer == null)
            {
                sb.Append("no proposal chosen: peer refused our offer ");
                AppendOffer(sb, offered, protocol, false);
                sb.Append(" (the peer accepts none of them: compare with its configuration, or ");
                AppendSetCommand(sb, ike, groupName);
                sb.Append(" <a proposal the peer accepts>)");
                return sb.ToString();
            }
            Head(sb, result);
            sb.Append("peer answered ");
            AppendOffer(sb, answer, protocol, false);
            sb.Append(" to our offer ");
            AppendOffer(sb, offered, protocol, false);
            sb.Append(result == NegotiationResult.InvalidSyntax
                ? " (an answer must be one proposal with one transform of each type we offered, RFC 7296 section 3.3.6)"
                : " (the peer chose something we never offered: a peer bug, RFC 7296 section 3.3.6)");
            return sb.ToString();
        }

        static void Head(StringBuilder sb, NegotiationResult result)
        {
            if (result == NegotiationResult.InvalidSyntax) sb.Append("invalid SA payload: ");
            else if (result == NegotiationResult.Ok) sb.Append("proposal chosen: ");
            else sb.Append("no proposal chosen: ");
        }

        static void AppendSetCommand(StringBuilder sb, bool ike, string groupName)
        {
            sb.Append(ike ? "set vpn ike-group " : "set vpn esp-group ");
            sb.Append(groupName == null || groupName.Length == 0 ? "<name>" : groupName);
            sb.Append(" proposal");
        }

        // "aes128/aes256-sha1-prfsha1-modp1024/modp2048,aes256gcm16-prfsha256-ecp256" or "nothing".
        static void AppendOffer(StringBuilder sb, SaPayload sa, byte protocol, bool stripDh)
        {
            int start = sb.Length;
            int count = sa == null ? 0 : Clamp(sa.ProposalCount, SaPayload.MaxProposals);
            for (int i = 0; i < count; i++)
            {
                IkeProposal p = sa.Proposals[i];
                if (p.ProtocolId != protocol) continue;
                if (sb.Length > start) sb.Append(',');
                int before = sb.Length;
                for (int k = 0; k < s_typeOrder.Length; k++)
                {
                    byte type = s_typeOrder[k];
                    if (stripDh && type == IkeTransform.TypeDiffieHellman) continue;
                    AppendType(sb, p, type, before, true);
                }
                AppendType(sb, p, 0, before, false);                                   // unknown types, as sent
            }
            if (sb.Length == start) sb.Append("nothing");
        }

        // All transforms of one type (known = true) or of every unknown type (known = false), '/'-joined.
        static void AppendType(StringBuilder sb, IkeProposal p, byte type, int proposalStart, bool known)
        {
            bool first = true;
            int n = Clamp(p.TransformCount, IkeProposal.MaxTransforms);
            for (int k = 0; k < n; k++)
            {
                IkeTransform t = p.Transforms[k];
                bool unknown = t.Type == 0 || t.Type > ProposalTransforms.LastKnownType;
                if (known ? t.Type != type : !unknown) continue;
                if (first || !known) { if (sb.Length > proposalStart) sb.Append('-'); first = false; }
                else sb.Append('/');
                TransformNames.Append(sb, t);
            }
        }

        static void AppendOurs(StringBuilder sb, ArrayList ours, bool ike, bool inIkeAuth, ICryptoProvider provider, bool allowWeak)
        {
            int start = sb.Length;
            bool refusedWeak = false;
            for (int i = 0; ours != null && i < ours.Count; i++)
            {
                Proposal o = ours[i] as Proposal;
                if (o == null || !ProposalBuilder.Usable(o)) continue;
                if (sb.Length > start) sb.Append(',');
                int before = sb.Length;
                IkeSuite.AppendEncryption(sb, (int)o.Encryption, o.KeySize);
                if (!o.IsAead) IkeSuite.AppendIntegrity(sb, (int)o.Integrity);
                if (ike && (o.Prf != PrfAlgorithm.None || o.IsAead)) IkeSuite.AppendPrf(sb, (int)o.EffectivePrf);
                if (ike || !inIkeAuth)
                {
                    for (int g = 0; g < o.DhGroups.Length; g++)
                    {
                        int group = o.DhGroups[g];
                        if (!DhGroupSupport.Supports(provider, group, allowWeak))
                        {
                            if (VpnAppliance.Config.DhGroup.IsWeak(group)) refusedWeak = true;
                            continue;
                        }
                        IkeSuite.AppendGroup(sb, group);
                    }
                }
            }
            if (sb.Length == start) sb.Append("nothing");
            if (refusedWeak) sb.Append(" (weak groups modp1024/modp1536 in our config are not allowed for this peer, RFC 8247 section 2.4)");
        }

        // " (set vpn ike-group X proposal aes128-sha1-modp1024)" from the peer's first implementable proposal.
        static void AppendHint(StringBuilder sb, SaPayload peer, bool ike, bool inIkeAuth, string groupName, ICryptoProvider provider, bool allowWeak)
        {
            byte protocol = ike ? IkeProposal.ProtocolIke : IkeProposal.ProtocolEsp;
            int count = peer == null ? 0 : Clamp(peer.ProposalCount, SaPayload.MaxProposals);
            for (int i = 0; i < count; i++)
            {
                IkeProposal p = peer.Proposals[i];
                if (p.ProtocolId != protocol) continue;
                int enc = -1, integ = -1, prf = -1, group = -1;
                int n = Clamp(p.TransformCount, IkeProposal.MaxTransforms);
                for (int k = 0; k < n; k++)
                {
                    IkeTransform t = p.Transforms[k];
                    if (t.HasUnknownAttribute) continue;
                    if (t.Type == IkeTransform.TypeEncryption && enc < 0 && (t.Id == IkeSuite.EncrAesCbc || t.Id == IkeSuite.EncrAesGcm16)
                        && (t.KeyLength == 128 || t.KeyLength == 192 || t.KeyLength == 256)) enc = k;
                    else if (t.Type == IkeTransform.TypeIntegrity && integ < 0 && (t.Id == 2 || (t.Id >= 12 && t.Id <= 14))) integ = k;
                    else if (t.Type == IkeTransform.TypePrf && prf < 0 && (t.Id == 2 || (t.Id >= 5 && t.Id <= 7))) prf = k;
                    else if (t.Type == IkeTransform.TypeDiffieHellman && group < 0 && VpnAppliance.Config.DhGroup.Name(t.Id) != null
                        && DhGroupSupport.Supports(provider, t.Id, true)) group = k;
                }
                if (enc < 0) continue;
                bool aead = p.Transforms[enc].Id == IkeSuite.EncrAesGcm16;
                if (!aead && integ < 0) continue;
                if (ike && (prf < 0 || group < 0)) continue;
                sb.Append(" (");
                AppendSetCommand(sb, ike, groupName);
                sb.Append(' ');
                int at = sb.Length;
                IkeSuite.AppendEncryption(sb, p.Transforms[enc].Id, p.Transforms[enc].KeyLength);
                if (!aead) IkeSuite.AppendIntegrity(sb, p.Transforms[integ].Id);
                if (ike && (aead || p.Transforms[prf].Id != ImpliedPrf(p.Transforms[integ].Id))) IkeSuite.AppendPrf(sb, p.Transforms[prf].Id);
                int groupId = 0;
                if (group >= 0 && (ike || !inIkeAuth))
                {
                    groupId = p.Transforms[group].Id;
                    IkeSuite.AppendGroup(sb, groupId);
                }
                if (sb.Length == at) sb.Append("?");
                if (groupId != 0 && VpnAppliance.Config.DhGroup.IsWeak(groupId) && !allowWeak)
                {
                    sb.Append("; ");
                    IkeSuite.AppendGroup(sb, groupId);
                    sb.Append(" is weak, RFC 8247 section 2.4: it must also be allowed for this peer");
                }
                sb.Append(')');
                return;
            }
            sb.Append(" (the peer offers nothing this firmware implements: configure it for AES-CBC or AES-GCM-16 with SHA-1/SHA-2 and DH group 14, 19, 20, 24 or 31)");
        }

        static int ImpliedPrf(int integ)
        {
            switch (integ)
            {
                case 2: return 2;
                case 12: return 5;
                case 13: return 6;
                case 14: return 7;
                default: return 0;
            }
        }

        static int Clamp(int n, int max)
        {
            return n < 0 ? 0 : (n > max ? max : n);
        }
    }
}
