namespace VpnAppliance.Config
{
    /// <summary>Perfect forward secrecy setting of an ESP group.</summary>
    public enum PfsMode
    {
        /// <summary>As the proposals say: a proposal with a DH group asks for PFS, one without does not.</summary>
        Auto = 0,
        /// <summary>Every proposal must carry a DH group.</summary>
        Enable = 1,
        /// <summary>No proposal may carry a DH group.</summary>
        Disable = 2,
    }

    /// <summary>A CHILD SA policy: ESP proposals (with DH groups = PFS), lifetime, rekey, anti-replay window.</summary>
    public sealed class EspGroup : ProposalGroup
    {
        /// <summary>Default CHILD SA lifetime: 3,600 s (strongSwan lifetime 1h; AWS allows 900-3,600 s).</summary>
        public const int DefaultLifetime = 3600;
        /// <summary>Default anti-replay window in packets (AWS default 1,024; INTEROP.md asks for >= 1,024).</summary>
        public const int DefaultReplayWindow = 1024;

        /// <summary>Names of <see cref="PfsMode"/> values as written (Auto is not written).</summary>
        public static readonly string[] PfsNames = new string[] { "auto", "enable", "disable" };

        /// <summary>PFS setting.</summary>
        public PfsMode Pfs = PfsMode.Auto;
        /// <summary>Line of the pfs statement.</summary>
        public int PfsLine;
        /// <summary>Anti-replay window in packets (0 = off; RFC 4303 §3.4.3).</summary>
        public int ReplayWindow = DefaultReplayWindow;
        /// <summary>Line of the replay-window statement.</summary>
        public int ReplayWindowLine;

        /// <summary>Byte lifetime of each CHILD SA direction (0 = none; rekey at 90 %), strongSwan life_bytes.</summary>
        public long LifetimeBytes;

        /// <summary>Creates a group with defaults.</summary>
        public EspGroup(string name, int line)
        {
            Name = name;
            Line = line;
            Lifetime = DefaultLifetime;
        }

        /// <summary>True when at least one proposal carries a DH group (PFS offered).</summary>
        public bool OffersPfs
        {
            get
            {
                for (int i = 0; i < Proposals.Count; i++) if (ProposalAt(i).DhGroups.Length > 0) return true;
                return false;
            }
        }

        /// <summary>Structural equality.</summary>
        public bool SameAs(EspGroup o)
        {
            return SameBase(o) && o.Pfs == Pfs && o.ReplayWindow == ReplayWindow && o.LifetimeBytes == LifetimeBytes;
        }
    }
}
