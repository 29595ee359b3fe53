using System.Collections;
using VpnAppliance.Config;
using VpnAppliance.Hal.Crypto;

namespace VpnAppliance.Ipsec.Ike
{
    // Our SA offers (RFC 7296 §3.3) from the configured proposals, one IKE/ESP proposal per config proposal, in the
    // configured order (= our preference), numbered 1.. without gaps (§3.3.1). Transforms in the order of the
    // §3.3 examples: ENCR (+ Key Length, §3.3.5: mandatory for AES), PRF, INTEG, D-H, ESN. A group the provider
    // cannot make, or a weak one (RFC 8247 §2.4) when not allowed, is left out; a proposal that needed a group and
    // has none left is skipped.

    /// <summary>Builds our IKE and ESP SA offers from config proposals.</summary>
    public static class ProposalBuilder
    {
        /// <summary>
        /// Our IKE SA offer: per config <see cref="Proposal"/> (in order) ENCR (+Key Length), PRF
        /// (<see cref="Proposal.EffectivePrf"/>), INTEG (not for AEAD), all its usable DH groups in order.
        /// <paramref name="withSpi"/> false: SPI size 0 (IKE_SA_INIT); true: SPI size 8 = <paramref name="spi"/>, our new
        /// SPI (IKE SA rekey in CREATE_CHILD_SA, §1.3.2). Returns the number of proposals written (0 = nothing usable).
        /// </summary>
        public static int BuildIke(SaPayload sa, ArrayList proposals, ulong spi, bool withSpi, ICryptoProvider provider, bool allowWeak)
        {
            if (sa == null) return 0;
            sa.ProposalCount = 0;
            if (proposals == null) return 0;
            int count = 0;
            for (int i = 0; i < proposals.Count && count < sa.Proposals.Length; i++)
            {
                Proposal o = proposals[i] as Proposal;
                if (o == null || !Usable(o)) continue;
                int prf = (int)o.EffectivePrf;
                if (prf == 0) continue;
                IkeProposal p = sa.Proposals[count];
                ProposalTransforms.Start(p, count + 1, IkeProposal.ProtocolIke, withSpi ? 8 : 0, spi);
                ProposalTransforms.Add(p, IkeTransform.TypeEncryption, (int)o.Encryption, o.KeySize);
                ProposalTransforms.Add(p, IkeTransform.TypePrf, prf, 0);
                if (!o.IsAead) ProposalTransforms.Add(p, IkeTransform.TypeIntegrity, (int)o.Integrity, 0);
                if (AddGroups(p, o, provider, allowWeak) == 0) continue;                 // §3.3.3: D-H mandatory for IKE
                count++;
            }
            sa.ProposalCount = count;
            return count;
        }

        /// <summary>
        /// Our CHILD SA offer: protocol ESP, SPI size 4 = <paramref name="spi"/> (our inbound SPI); ENCR (+Key Length),
        /// INTEG unless AEAD, the proposal's usable DH groups only when <paramref name="includeDh"/> (CREATE_CHILD_SA with
        /// PFS; never in IKE_AUTH, RFC 7296 §1.2), and one ESN transform: 1 when <paramref name="esn"/>, else 0
        /// (§3.3.2 type 5). A proposal with groups none of which is usable is skipped when DH is included. Returns the
        /// number of proposals written.
        /// </summary>
        public static int BuildEsp(SaPayload sa, ArrayList proposals, uint spi, bool includeDh, bool esn, ICryptoProvider provider, bool allowWeak)
        {
            if (sa == null) return 0;
            sa.ProposalCount = 0;
            if (proposals == null) return 0;
            int count = 0;
            for (int i = 0; i < proposals.Count && count < sa.Proposals.Length; i++)
            {
                Proposal o = proposals[i] as Proposal;
                if (o == null || !Usable(o)) continue;
                IkeProposal p = sa.Proposals[count];
                ProposalTransforms.Start(p, count + 1, IkeProposal.ProtocolEsp, 4, spi);
                ProposalTransforms.Add(p, IkeTransform.TypeEncryption, (int)o.Encryption, o.KeySize);
                if (!o.IsAead) ProposalTransforms.Add(p, IkeTransform.TypeIntegrity, (int)o.Integrity, 0);
                if (includeDh && o.DhGroups.Length > 0 && AddGroups(p, o, provider, allowWeak) == 0) continue;
                ProposalTransforms.Add(p, IkeTransform.TypeEsn, esn ? 1 : 0, 0);
                count++;
            }
            sa.ProposalCount = count;
            return count;
        }

        /// <summary>True for a proposal with an encryption we implement, a key size and integrity when not AEAD.</summary>
        internal static bool Usable(Proposal o)
        {
            if (o.Encryption != EncryptionAlgorithm.AesCbc && o.Encryption != EncryptionAlgorithm.AesGcm16) return false;
            if (o.KeySize != 128 && o.KeySize != 192 && o.KeySize != 256) return false;
            return o.IsAead || o.Integrity != IntegrityAlgorithm.None;
        }

        static int AddGroups(IkeProposal p, Proposal o, ICryptoProvider provider, bool allowWeak)
        {
            int added = 0;
            for (int g = 0; g < o.DhGroups.Length; g++)
            {
                int group = o.DhGroups[g];
                if (!DhGroupSupport.Supports(provider, group, allowWeak)) continue;
                if (ProposalTransforms.Add(p, IkeTransform.TypeDiffieHellman, group, 0)) added++;
            }
            return added;
        }
    }
}
