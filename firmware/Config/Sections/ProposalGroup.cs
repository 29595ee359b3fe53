using System.Collections;

namespace VpnAppliance.Config
{
    /// <summary>
    /// What IKE and ESP groups share: a name, an ordered proposal list (strongSwan syntax), the SA lifetime
    /// and rekey timing. Rekey timing follows strongSwan's model: rekey at lifetime - margin - random(0..margin*fuzz%).
    /// </summary>
    public abstract class ProposalGroup
    {
        /// <summary>Default rekey margin in seconds (strongSwan margintime 9m; AWS uses the same 540 s).</summary>
        public const int DefaultRekeyMargin = 540;
        /// <summary>Default rekey fuzz in percent of the margin (strongSwan rekeyfuzz 100%).</summary>
        public const int DefaultRekeyFuzz = 100;

        /// <summary>Group name.</summary>
        public string Name;
        /// <summary>First line that mentions the group.</summary>
        public int Line;
        /// <summary>Proposals in order of preference (<see cref="Proposal"/>).</summary>
        public readonly ArrayList Proposals = new ArrayList();
        /// <summary>SA lifetime in seconds.</summary>
        public int Lifetime;
        /// <summary>Line of the lifetime statement.</summary>
        public int LifetimeLine;
        /// <summary>Seconds before expiry at which rekeying starts.</summary>
        public int RekeyMargin = DefaultRekeyMargin;
        /// <summary>Line of the rekey-margin statement.</summary>
        public int RekeyMarginLine;
        /// <summary>Random extra margin, percent of <see cref="RekeyMargin"/>.</summary>
        public int RekeyFuzz = DefaultRekeyFuzz;

        /// <summary>Proposal <paramref name="i"/>.</summary>
        public Proposal ProposalAt(int i) { return (Proposal)Proposals[i]; }

        /// <summary>The proposals as strongSwan writes them: comma-separated.</summary>
        public string ProposalText()
        {
            System.Text.StringBuilder sb = new System.Text.StringBuilder();
            for (int i = 0; i < Proposals.Count; i++)
            {
                if (i > 0) sb.Append(',');
                sb.Append(ProposalAt(i).ToString());
            }
            return sb.ToString();
        }

        /// <summary>True when any proposal lists DH group <paramref name="group"/>.</summary>
        public bool UsesGroup(int group)
        {
            for (int i = 0; i < Proposals.Count; i++) if (ProposalAt(i).HasGroup(group)) return true;
            return false;
        }

        /// <summary>Equality of the shared fields.</summary>
        protected bool SameBase(ProposalGroup o)
        {
            if (o.Name != Name || o.Lifetime != Lifetime || o.RekeyMargin != RekeyMargin || o.RekeyFuzz != RekeyFuzz) return false;
            if (o.Proposals.Count != Proposals.Count) return false;
            for (int i = 0; i < Proposals.Count; i++) if (!ProposalAt(i).SameAs(o.ProposalAt(i))) return false;
            return true;
        }

        /// <summary>Orders groups by name.</summary>
        public static readonly IComparer ByName = new NameOrder();

        private sealed class NameOrder : IComparer
        {
            public int Compare(object x, object y) { return Names.Compare(((ProposalGroup)x).Name, ((ProposalGroup)y).Name); }
        }
    }
}
