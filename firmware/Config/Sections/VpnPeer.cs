namespace VpnAppliance.Config
{
    /// <summary>Which side opens the IKE SA.</summary>
    public enum ConnectionType
    {
        /// <summary>We initiate (and also answer); the default. Azure requires the on-premises side to initiate.</summary>
        Initiate = 0,
        /// <summary>We only answer.</summary>
        Respond = 1,
    }

    /// <summary>A remote IKE gateway: where it is, how we authenticate, which policies apply, which cloud it is.</summary>
    public sealed class VpnPeer
    {
        /// <summary>Longest pre-shared key (Azure allows up to 128 characters).</summary>
        public const int MaxPskChars = 128;
        /// <summary>Below this length a PSK draws a warning.</summary>
        public const int WeakPskChars = 16;
        /// <summary>Names of <see cref="ConnectionType"/> values.</summary>
        public static readonly string[] ConnectionTypeNames = new string[] { "initiate", "respond" };

        /// <summary>Peer name.</summary>
        public string Name;
        /// <summary>First line mentioning the peer.</summary>
        public int Line;
        /// <summary>True when an address is set.</summary>
        public bool HasAddress;
        /// <summary>Public address of the remote gateway.</summary>
        public uint Address;
        /// <summary>Line of the address statement.</summary>
        public int AddressLine;
        /// <summary>Cloud profile name (see <see cref="CloudProfiles"/>).</summary>
        public string Profile = GenericProfile.ProfileName;
        /// <summary>Line of the profile statement (0 = default).</summary>
        public int ProfileLine;
        /// <summary>Pre-shared key in clear (null when unset or masked).</summary>
        public string Psk;
        /// <summary>True when the text gave <c>******</c> instead of the key.</summary>
        public bool PskMasked;
        /// <summary>Line of the psk statement.</summary>
        public int PskLine;
        /// <summary>Our identity (null = WAN address).</summary>
        public IkeIdentity LocalId;
        /// <summary>Expected identity of the peer (null = its address).</summary>
        public IkeIdentity RemoteId;
        /// <summary>IKE policy name.</summary>
        public string IkeGroup;
        /// <summary>Line of the ike-group statement.</summary>
        public int IkeGroupLine;
        /// <summary>ESP policy name.</summary>
        public string EspGroup;
        /// <summary>Line of the esp-group statement.</summary>
        public int EspGroupLine;
        /// <summary>Who opens the IKE SA.</summary>
        public ConnectionType ConnectionType = ConnectionType.Initiate;
        /// <summary>Line of the connection-type statement.</summary>
        public int ConnectionTypeLine;

        /// <summary>Creates a peer with defaults.</summary>
        public VpnPeer(string name, int line) { Name = name; Line = line; }

        /// <summary>Structural equality (secrets compared only when asked).</summary>
        public bool SameAs(VpnPeer o, bool compareSecrets)
        {
            if (o.Name != Name || o.HasAddress != HasAddress || o.Address != Address || o.Profile != Profile) return false;
            if (compareSecrets && (o.Psk != Psk || o.PskMasked != PskMasked)) return false;
            if (!SameId(o.LocalId, LocalId) || !SameId(o.RemoteId, RemoteId)) return false;
            return o.IkeGroup == IkeGroup && o.EspGroup == EspGroup && o.ConnectionType == ConnectionType;
        }

        private static bool SameId(IkeIdentity a, IkeIdentity b)
        {
            if (a == null || b == null) return a == null && b == null;
            return a.SameAs(b);
        }
    }
}
