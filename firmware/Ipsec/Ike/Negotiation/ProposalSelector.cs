using System.Collections;
using VpnAppliance.Config;
using VpnAppliance.Hal.Crypto;

namespace VpnAppliance.Ipsec.Ike
{
    // Proposal selection, RFC 7296 §2.7 and §3.3.6.
    //
    // Responder (Select*): our proposals in configured order (strongSwan's default: the local preference wins), and
    // for each the first of the peer's proposals that contains it: every transform type we need is present with a
    // matching id (and Key Length, §3.3.5). Following §3.3.6, a peer proposal with a Transform Type we do not
    // understand is unacceptable as a whole, a transform with an unknown id or attribute is just not usable, and
    // proposals for other protocols are skipped. The answer has exactly one proposal, carrying the peer's Proposal
    // Num, with exactly one transform of each type the peer's proposal included (§3.3.6) - except D-H in IKE_AUTH,
    // which is stripped (§1.2: those SA payloads carry no D-H).
    //
    // Initiator (Accept*): the answer must be exactly one proposal whose number names one of ours, with one
    // transform per type, each of which we offered in that proposal ("the responder MUST NOT ... modify", §3.3.6).

    /// <summary>Chooses (responder) and checks (initiator) IKE and ESP proposals.</summary>
    public static class ProposalSelector
    {
        /// <summary>Smallest ESP SPI a peer may use: 1..255 are reserved by IANA, 0 is never sent (RFC 4303 §2.1).</summary>
        public const uint MinEspSpi = 256;

        /// <summary>
        /// Responder: picks the first of <paramref name="ours"/> (<see cref="Proposal"/>s, configured order) that the
        /// peer's IKE offer contains, fills <paramref name="chosen"/> and writes the one-proposal answer into
        /// <paramref name="reply"/> (SPI size 8 = <paramref name="responderSpi"/> when <paramref name="withSpi"/>, for an IKE
        /// rekey). The group is our first acceptable one in that proposal.
        /// </summary>
        public static NegotiationResult SelectIke(SaPayload offered, ArrayList ours, ICryptoProvider provider, bool allowWeak,
                                                  IkeSuite chosen, SaPayload reply, ulong responderSpi, bool withSpi)
        {
            return SelectIke(offered, ours, provider, allowWeak, chosen, reply, responderSpi, withSpi, 0);
        }

        /// <summary>
        /// As <see cref="SelectIke(SaPayload, ArrayList, ICryptoProvider, bool, IkeSuite, SaPayload, ulong, bool)"/>;
        /// <paramref name="preferredGroup"/> (the group of the peer's KE payload, or 0) is chosen when the selected
        /// proposal pair allows it, which saves an INVALID_KE_PAYLOAD round trip (§1.2). It never changes which
        /// proposal is selected.
        /// </summary>
        public static NegotiationResult SelectIke(SaPayload offered, ArrayList ours, ICryptoProvider provider, bool allowWeak,
                                                  IkeSuite chosen, SaPayload reply, ulong responderSpi, bool withSpi, int preferredGroup)
        {
            ulong peerSpi;
            return SelectIke(offered, ours, provider, allowWeak, chosen, reply, responderSpi, withSpi, preferredGroup, out peerSpi);
        }

        /// <summary>
        /// As above, and returns in <paramref name="peerSpi"/> the SPI of the chosen peer proposal: in an IKE rekey
        /// (<paramref name="withSpi"/>) the initiator's SPI of the new IKE SA (RFC 7296 §1.3.2, §2.18); 0 otherwise.
        /// A rekey proposal with SPI 0 is skipped (§3.1: an IKE SPI is never 0).
        /// </summary>
        public static NegotiationResult SelectIke(SaPayload offered, ArrayList ours, ICryptoProvider provider, bool allowWeak,
                                                  IkeSuite chosen, SaPayload reply, ulong responderSpi, bool withSpi, int preferredGroup,
                                                  out ulong peerSpi)
        {
            peerSpi = 0;
            if (offered == null || chosen == null || reply == null || offered.ProposalCount < 1) return NegotiationResult.InvalidSyntax;
            if (ours == null) return NegotiationResult.NoProposalChosen;
            int peerCount = Clamp(offered.ProposalCount, SaPayload.MaxProposals);
            for (int i = 0; i < ours.Count; i++)
            {
                Proposal o = ours[i] as Proposal;
                if (o == null || !ProposalBuilder.Usable(o)) continue;
                int enc = (int)o.Encryption;
                int prf = (int)o.EffectivePrf;
                int integ = o.IsAead ? 0 : (int)o.Integrity;
                if (prf == 0) continue;
                for (int j = 0; j < peerCount; j++)
                {
                    IkeProposal p = offered.Proposals[j];
                    if (p.ProtocolId != IkeProposal.ProtocolIke || ProposalTransforms.HasUnknownType(p)) continue;
                    if (p.SpiSize != (withSpi ? 8 : 0) || (withSpi && p.Spi == 0)) continue;         // §3.3.1
                    if (ProposalTransforms.Find(p, IkeTransform.TypeEncryption, enc, o.KeySize) < 0) continue;
                    if (ProposalTransforms.Find(p, IkeTransform.TypePrf, prf, 0) < 0) continue;
                    bool integNone = false;
                    if (o.IsAead) integNone = ProposalTransforms.HasType(p, IkeTransform.TypeIntegrity) && ProposalTransforms.Find(p, IkeTransform.TypeIntegrity, 0, 0) >= 0;
                    else if (ProposalTransforms.Find(p, IkeTransform.TypeIntegrity, integ, 0) < 0) continue;
                    int group = PickGroup(p, o, provider, allowWeak, preferredGroup);
                    if (group == 0) continue;                                                       // D-H mandatory for IKE

                    chosen.Encryption = enc;
                    chosen.KeyBits = o.KeySize;
                    chosen.Integrity = integ;
                    chosen.Prf = prf;
                    chosen.DhGroup = group;
                    peerSpi = p.Spi;
                    IkeProposal r = Answer(reply, p, IkeProposal.ProtocolIke, withSpi ? 8 : 0, responderSpi);
                    ProposalTransforms.Add(r, IkeTransform.TypeEncryption, enc, o.KeySize);
                    ProposalTransforms.Add(r, IkeTransform.TypePrf, prf, 0);
                    if (!o.IsAead) ProposalTransforms.Add(r, IkeTransform.TypeIntegrity, integ, 0);
                    else if (integNone) ProposalTransforms.Add(r, IkeTransform.TypeIntegrity, 0, 0);
                    ProposalTransforms.Add(r, IkeTransform.TypeDiffieHellman, group, 0);
                    return NegotiationResult.Ok;
                }
            }
            return NegotiationResult.NoProposalChosen;
        }

        /// <summary>
        /// Responder for a CHILD SA: fills <paramref name="child"/> (Encryption, KeyBits, Integrity,
        /// ExtendedSequenceNumbers, OutboundSpi = the peer's SPI) and <paramref name="pfsGroup"/> (0 = none) and writes
        /// the answer carrying <paramref name="ourSpi"/> (our inbound SPI). In IKE_AUTH every D-H transform is ignored
        /// and stripped (§1.2). Otherwise an own proposal with groups requires PFS with one of them; one without groups
        /// takes the peer's D-H NONE or no D-H at all, and when the peer's proposal insists on a group, accepts it only
        /// if one of our proposals lists that group. ESN: no ESN is preferred when the peer offers both.
        /// </summary>
        public static NegotiationResult SelectEsp(SaPayload offered, ArrayList ours, bool inIkeAuth, ICryptoProvider provider,
                                                  bool allowWeak, ChildSaParameters child, out int pfsGroup, SaPayload reply, uint ourSpi)
        {
            pfsGroup = 0;
            if (offered == null || child == null || reply == null || offered.ProposalCount < 1) return NegotiationResult.InvalidSyntax;
            if (ours == null) return NegotiationResult.NoProposalChosen;
            int peerCount = Clamp(offered.ProposalCount, SaPayload.MaxProposals);
            for (int i = 0; i < ours.Count; i++)
            {
                Proposal o = ours[i] as Proposal;
                if (o == null || !ProposalBuilder.Usable(o)) continue;
                int enc = (int)o.Encryption;
                int integ = o.IsAead ? 0 : (int)o.Integrity;
                for (int j = 0; j < peerCount; j++)
                {
                    IkeProposal p = offered.Proposals[j];
                    if (p.ProtocolId != IkeProposal.ProtocolEsp || p.SpiSize != 4 || ProposalTransforms.HasUnknownType(p)) continue;
                    if (p.Spi < MinEspSpi) continue;                                                // RFC 4303 §2.1: 1..255 reserved
                    if (ProposalTransforms.Find(p, IkeTransform.TypeEncryption, enc, o.KeySize) < 0) continue;
                    bool integNone = false;
                    if (o.IsAead) integNone = ProposalTransforms.HasType(p, IkeTransform.TypeIntegrity) && ProposalTransforms.Find(p, IkeTransform.TypeIntegrity, 0, 0) >= 0;
                    else if (ProposalTransforms.Find(p, IkeTransform.TypeIntegrity, integ, 0) < 0) continue;

                    // ESN (§3.3.2 type 5): absent = no ESN; else one of the offered values, 0 preferred.
                    int esn = 0;
                    bool esnPresent = ProposalTransforms.HasType(p, IkeTransform.TypeEsn);
                    if (esnPresent)
                    {
                        if (ProposalTransforms.Find(p, IkeTransform.TypeEsn, 0, 0) >= 0) esn = 0;
                        else if (ProposalTransforms.Find(p, IkeTransform.TypeEsn, 1, 0) >= 0) esn = 1;
                        else continue;
                    }

                    // D-H (§1.2, §1.3.1, §3.3.3 "optional" for ESP).
                    int group = 0;
                    bool dhInAnswer = false;
                    if (!inIkeAuth && (ProposalTransforms.HasType(p, IkeTransform.TypeDiffieHellman) || o.DhGroups.Length > 0))
                    {
                        if (o.DhGroups.Length > 0)
                        {
                            group = PickGroup(p, o, provider, allowWeak, 0);
                            if (group == 0) continue;                                              // we require PFS
                        }
                        else if (ProposalTransforms.Find(p, IkeTransform.TypeDiffieHellman, 0, 0) < 0)
                        {
                            group = PeerGroupWeList(p, ours, provider, allowWeak);
                            if (group == 0) continue;
                        }
                        dhInAnswer = true;                                                         // group, or NONE (0)
                    }

                    child.Encryption = enc;
                    child.KeyBits = o.KeySize;
                    child.Integrity = integ;
                    child.ExtendedSequenceNumbers = esn == 1;
                    child.OutboundSpi = (uint)p.Spi;
                    pfsGroup = group;
                    IkeProposal r = Answer(reply, p, IkeProposal.ProtocolEsp, 4, ourSpi);
                    ProposalTransforms.Add(r, IkeTransform.TypeEncryption, enc, o.KeySize);
                    if (!o.IsAead) ProposalTransforms.Add(r, IkeTransform.TypeIntegrity, integ, 0);
                    else if (integNone) ProposalTransforms.Add(r, IkeTransform.TypeIntegrity, 0, 0);
                    if (dhInAnswer) ProposalTransforms.Add(r, IkeTransform.TypeDiffieHellman, group, 0);
                    if (esnPresent) ProposalTransforms.Add(r, IkeTransform.TypeEsn, esn, 0);
                    return NegotiationResult.Ok;
                }
            }
            return NegotiationResult.NoProposalChosen;
        }

        /// <summary>
        /// Initiator: checks the responder's IKE answer against what we offered and fills <paramref name="chosen"/>.
        /// <paramref name="responderSpi"/> is the answer's 8-octet SPI (IKE rekey), else 0.
        /// </summary>
        public static NegotiationResult AcceptIke(SaPayload answer, SaPayload offered, IkeSuite chosen, out ulong responderSpi)
        {
            responderSpi = 0;
            IkeProposal a;
            IkeProposal o;
            NegotiationResult r = CheckAnswer(answer, offered, IkeProposal.ProtocolIke, out a, out o);
            if (r != NegotiationResult.Ok) return r;
            if (a.SpiSize != o.SpiSize || (a.SpiSize == 8 && a.Spi == 0)) return NegotiationResult.InvalidSyntax;
            int enc = Only(a, IkeTransform.TypeEncryption);
            int prf = Only(a, IkeTransform.TypePrf);
            int integ = Only(a, IkeTransform.TypeIntegrity);
            int dh = Only(a, IkeTransform.TypeDiffieHellman);
            if (enc < 0 || prf < 0 || dh < 0 || integ == -2 || Only(a, IkeTransform.TypeEsn) != -1) return NegotiationResult.InvalidSyntax;
            IkeTransform e = a.Transforms[enc];
            bool aead = e.Id == IkeSuite.EncrAesGcm16;
            int integId = integ >= 0 ? a.Transforms[integ].Id : 0;
            if (!aead && integId == 0) return NegotiationResult.InvalidSyntax;                   // §3.3.3: INTEG mandatory
            if (aead && integId != 0) return NegotiationResult.InvalidSyntax;                    // RFC 5282 §8
            if (a.Transforms[dh].Id == 0) return NegotiationResult.InvalidSyntax;                 // D-H mandatory for IKE
            chosen.Encryption = e.Id;
            chosen.KeyBits = e.KeyLength;
            chosen.Integrity = integId;
            chosen.Prf = a.Transforms[prf].Id;
            chosen.DhGroup = a.Transforms[dh].Id;
            responderSpi = a.SpiSize == 8 ? a.Spi : 0;
            return NegotiationResult.Ok;
        }

        /// <summary>
        /// Initiator: checks the responder's ESP answer against what we offered; fills <paramref name="child"/>
        /// (OutboundSpi = the responder's SPI) and <paramref name="pfsGroup"/> (0 = none or NONE).
        /// </summary>
        public static NegotiationResult AcceptEsp(SaPayload answer, SaPayload offered, ChildSaParameters child, out int pfsGroup)
        {
            pfsGroup = 0;
            IkeProposal a;
            IkeProposal o;
            NegotiationResult r = CheckAnswer(answer, offered, IkeProposal.ProtocolEsp, out a, out o);
            if (r != NegotiationResult.Ok) return r;
            if (a.SpiSize != 4 || a.Spi < MinEspSpi || child == null) return NegotiationResult.InvalidSyntax;
            int enc = Only(a, IkeTransform.TypeEncryption);
            int integ = Only(a, IkeTransform.TypeIntegrity);
            int dh = Only(a, IkeTransform.TypeDiffieHellman);
            int esn = Only(a, IkeTransform.TypeEsn);
            if (enc < 0 || integ == -2 || dh == -2 || esn == -2 || Only(a, IkeTransform.TypePrf) != -1) return NegotiationResult.InvalidSyntax;
            IkeTransform e = a.Transforms[enc];
            bool aead = e.Id == IkeSuite.EncrAesGcm16;
            int integId = integ >= 0 ? a.Transforms[integ].Id : 0;
            if (!aead && integId == 0) return NegotiationResult.InvalidSyntax;
            if (aead && integId != 0) return NegotiationResult.InvalidSyntax;
            child.Encryption = e.Id;
            child.KeyBits = e.KeyLength;
            child.Integrity = integId;
            child.ExtendedSequenceNumbers = esn >= 0 && a.Transforms[esn].Id == 1;
            child.OutboundSpi = (uint)a.Spi;
            pfsGroup = dh >= 0 ? a.Transforms[dh].Id : 0;
            return NegotiationResult.Ok;
        }

        // Common initiator checks: one proposal of the protocol, naming one of ours; every transform offered in that
        // proposal; every type our proposal had is answered (§3.3.6: exactly one of each type included).
        static NegotiationResult CheckAnswer(SaPayload answer, SaPayload offered, byte protocol, out IkeProposal a, out IkeProposal o)
        {
            a = null;
            o = null;
            if (answer == null || offered == null || answer.ProposalCount != 1) return NegotiationResult.InvalidSyntax;
            a = answer.Proposals[0];
            if (a.ProtocolId != protocol) return NegotiationResult.InvalidSyntax;
            int offeredCount = Clamp(offered.ProposalCount, SaPayload.MaxProposals);
            for (int i = 0; i < offeredCount; i++)
            {
                IkeProposal c = offered.Proposals[i];
                if (c.ProtocolId == protocol && c.Number == a.Number) { o = c; break; }
            }
            if (o == null) return NegotiationResult.NoProposalChosen;
            for (byte type = IkeTransform.TypeEncryption; type <= ProposalTransforms.LastKnownType; type++)
            {
                if (Only(a, type) == -2) return NegotiationResult.InvalidSyntax;                  // one per type
            }
            int n = Clamp(a.TransformCount, IkeProposal.MaxTransforms);
            for (int i = 0; i < n; i++)
            {
                IkeTransform t = a.Transforms[i];
                if (t.HasUnknownAttribute || t.Type == 0 || t.Type > ProposalTransforms.LastKnownType) return NegotiationResult.InvalidSyntax;
                if (ProposalTransforms.Find(o, t.Type, t.Id, t.HasKeyLength ? t.KeyLength : 0) < 0) return NegotiationResult.NoProposalChosen;
            }
            for (byte type = IkeTransform.TypeEncryption; type <= ProposalTransforms.LastKnownType; type++)
            {
                if (ProposalTransforms.HasType(o, type) && !ProposalTransforms.HasType(a, type)) return NegotiationResult.InvalidSyntax;
            }
            return NegotiationResult.Ok;
        }

        // Index of the single transform of a type; -1 none, -2 more than one.
        static int Only(IkeProposal p, byte type)
        {
            int found = -1;
            int n = Clamp(p.TransformCount, IkeProposal.MaxTransforms);
            for (int i = 0; i < n; i++)
            {
                if (p.Transforms[i].Type != type) continue;
                if (found >= 0) return -2;
                found = i;
            }
            return found;
        }

        // Our group for a proposal pair: the preferred one (peer's KE) if both allow it, else our first usable one the
        // peer lists; 0 when none.
        static int PickGroup(IkeProposal p, Proposal o, ICryptoProvider provider, bool allowWeak, int preferredGroup)
        {
            if (preferredGroup != 0 && o.HasGroup(preferredGroup) && DhGroupSupport.Supports(provider, preferredGroup, allowWeak)
                && ProposalTransforms.Find(p, IkeTransform.TypeDiffieHellman, preferredGroup, 0) >= 0)
                return preferredGroup;
            for (int g = 0; g < o.DhGroups.Length; g++)
            {
                int group = o.DhGroups[g];
                if (!DhGroupSupport.Supports(provider, group, allowWeak)) continue;
                if (ProposalTransforms.Find(p, IkeTransform.TypeDiffieHellman, group, 0) >= 0) return group;
            }
            return 0;
        }

        // The first group of the peer's proposal (its order) that any of our proposals lists and we can make; 0 if none.
        static int PeerGroupWeList(IkeProposal p, ArrayList ours, ICryptoProvider provider, bool allowWeak)
        {
            int n = Clamp(p.TransformCount, IkeProposal.MaxTransforms);
            for (int i = 0; i < n; i++)
            {
                IkeTransform t = p.Transforms[i];
                if (t.Type != IkeTransform.TypeDiffieHellman || t.Id == 0 || t.HasUnknownAttribute || t.HasKeyLength) continue;
                if (!DhGroupSupport.Supports(provider, t.Id, allowWeak)) continue;
                for (int k = 0; k < ours.Count; k++)
                {
                    Proposal o = ours[k] as Proposal;
                    if (o != null && o.HasGroup(t.Id)) return t.Id;
                }
            }
            return 0;
        }

        static IkeProposal Answer(SaPayload reply, IkeProposal peer, byte protocol, int spiSize, ulong spi)
        {
            reply.ProposalCount = 1;
            IkeProposal r = reply.Proposals[0];
            ProposalTransforms.Start(r, peer.Number, protocol, spiSize, spi);
            return r;
        }

        static int Clamp(int n, int max)
        {
            return n < 0 ? 0 : (n > max ? max : n);
        }
    }
}
