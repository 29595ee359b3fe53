namespace VpnAppliance.Config
{
    /// <summary>IKE identification types we configure (RFC 7296 §3.5).</summary>
    public enum IkeIdentityKind
    {
        /// <summary>Not set: the default applies (local: WAN address; remote: peer address).</summary>
        None = 0,
        /// <summary>ID_IPV4_ADDR (1).</summary>
        Ipv4 = 1,
        /// <summary>ID_FQDN (2).</summary>
        Fqdn = 2,
        /// <summary>ID_KEY_ID (11), opaque octets.</summary>
        KeyId = 11,
    }

    /// <summary>
    /// An IKE identity in strongSwan's notation: <c>198.18.0.2</c> (ID_IPV4_ADDR), <c>@branch1.example.net</c>
    /// (ID_FQDN; a bare name with a dot is read the same), <c>@#0a1b2c</c> (ID_KEY_ID, hex octets).
    /// </summary>
    public sealed class IkeIdentity
    {
        /// <summary>Type.</summary>
        public IkeIdentityKind Kind;
        /// <summary>Address for <see cref="IkeIdentityKind.Ipv4"/>.</summary>
        public uint Address;
        /// <summary>FQDN text, or lower-case hex of the key id.</summary>
        public string Value;

        /// <summary>Parses an identity; null when malformed.</summary>
        public static IkeIdentity Parse(string s)
        {
            if (s == null || s.Length == 0) return null;
            IkeIdentity id = new IkeIdentity();
            uint a;
            if (Ipv4.TryParse(s, out a))
            {
                id.Kind = IkeIdentityKind.Ipv4;
                id.Address = a;
                return id;
            }
            if (s.Length > 2 && s[0] == '@' && s[1] == '#')
            {
                string hex = s.Substring(2).ToLower();
                if (hex.Length % 2 != 0 || hex.Length > 64) return null;
                for (int i = 0; i < hex.Length; i++)
                {
                    char c = hex[i];
                    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return null;
                }
                id.Kind = IkeIdentityKind.KeyId;
                id.Value = hex;
                return id;
            }
            string name = s[0] == '@' ? s.Substring(1) : s;
            if (s[0] != '@' && name.IndexOf('.') < 0) return null;
            if (!Names.IsValidDomainName(name)) return null;
            id.Kind = IkeIdentityKind.Fqdn;
            id.Value = name;
            return id;
        }

        /// <summary>Structural equality.</summary>
        public bool SameAs(IkeIdentity o)
        {
            if (o == null) return false;
            return o.Kind == Kind && o.Address == Address && o.Value == Value;
        }

        /// <summary>Canonical strongSwan notation.</summary>
        public override string ToString()
        {
            switch (Kind)
            {
                case IkeIdentityKind.Ipv4: return Ipv4.Format(Address);
                case IkeIdentityKind.Fqdn: return "@" + Value;
                case IkeIdentityKind.KeyId: return "@#" + Value;
                default: return "";
            }
        }
    }
}
