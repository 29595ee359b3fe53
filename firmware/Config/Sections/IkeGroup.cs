namespace VpnAppliance.Config
{
    /// <summary>DPD action when the peer stops answering (strongSwan <c>dpd_action</c>).</summary>
    public enum DpdAction
    {
        /// <summary>Re-establish the SA at once (strongSwan <c>restart</c>); the default.</summary>
        Restart = 0,
        /// <summary>Close the SA and wait (strongSwan <c>clear</c>).</summary>
        Clear = 1,
        /// <summary>Keep routes, re-establish on traffic (strongSwan <c>trap</c>/<c>hold</c>).</summary>
        Hold = 2,
        /// <summary>No DPD.</summary>
        None = 3,
    }

    /// <summary>An IKE SA policy: proposals, lifetime, rekey, dead peer detection (RFC 7296 §2.4).</summary>
    public sealed class IkeGroup : ProposalGroup
    {
        /// <summary>Default IKE SA lifetime: 28,800 s (Azure's fixed value, AWS's default; INTEROP.md).</summary>
        public const int DefaultLifetime = 28800;
        /// <summary>Default DPD interval in seconds (strongSwan dpddelay 30s).</summary>
        public const int DefaultDpdInterval = 30;
        /// <summary>Default DPD timeout in seconds (strongSwan dpdtimeout 150s).</summary>
        public const int DefaultDpdTimeout = 150;

        /// <summary>Names of <see cref="DpdAction"/> values, by value.</summary>
        public static readonly string[] DpdActionNames = new string[] { "restart", "clear", "hold", "none" };

        /// <summary>Seconds between liveness checks when idle.</summary>
        public int DpdInterval = DefaultDpdInterval;
        /// <summary>Line of the dpd interval statement.</summary>
        public int DpdIntervalLine;
        /// <summary>Seconds without an answer before the action is taken.</summary>
        public int DpdTimeout = DefaultDpdTimeout;
        /// <summary>Line of the dpd timeout statement.</summary>
        public int DpdTimeoutLine;
        /// <summary>What to do when the peer is dead.</summary>
        public DpdAction DpdAction = DpdAction.Restart;

        /// <summary>Default transmissions of an IKE request before the peer counts as dead (strongSwan retransmit_tries 5).</summary>
        public const int DefaultRetransmitTries = 5;
        /// <summary>Default first retransmission timeout in seconds (doubles after each try, RFC 7296 §2.1).</summary>
        public const int DefaultRetransmitTimeout = 2;
        /// <summary>Transmissions of a request (the first included).</summary>
        public int RetransmitTries = DefaultRetransmitTries;
        /// <summary>First retransmission timeout, seconds.</summary>
        public int RetransmitTimeout = DefaultRetransmitTimeout;

        /// <summary>Creates a group with defaults.</summary>
        public IkeGroup(string name, int line)
        {
            Name = name;
            Line = line;
            Lifetime = DefaultLifetime;
        }

        /// <summary>Structural equality.</summary>
        public bool SameAs(IkeGroup o)
        {
            return SameBase(o) && o.DpdInterval == DpdInterval && o.DpdTimeout == DpdTimeout && o.DpdAction == DpdAction &&
                o.RetransmitTries == RetransmitTries && o.RetransmitTimeout == RetransmitTimeout;
        }
    }
}
