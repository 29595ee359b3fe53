namespace VpnAppliance.Config
{
    /// <summary>
    /// An IPv4 address with a prefix length (<c>a.b.c.d/nn</c>). Used both for networks (host bits zero,
    /// checked where the grammar says "prefix") and for interface addresses (host bits are the address).
    /// </summary>
    public struct Ipv4Prefix
    {
        /// <summary>Address as written (host order).</summary>
        public uint Address;
        /// <summary>Prefix length 0..32.</summary>
        public int Length;

        /// <summary>Creates a prefix.</summary>
        public Ipv4Prefix(uint address, int length) { Address = address; Length = length; }

        /// <summary>Address with host bits cleared.</summary>
        public uint Network { get { return Address & Ipv4.Mask(Length); } }

        /// <summary>Last address of the prefix (broadcast for a subnet).</summary>
        public uint Last { get { return Network | ~Ipv4.Mask(Length); } }

        /// <summary>True when no host bits are set.</summary>
        public bool IsNetwork { get { return (Address & ~Ipv4.Mask(Length)) == 0; } }

        /// <summary>True when <paramref name="a"/> is inside the prefix.</summary>
        public bool Contains(uint a) { return (a & Ipv4.Mask(Length)) == Network; }

        /// <summary>True when the two prefixes share an address.</summary>
        public bool Overlaps(Ipv4Prefix other)
        {
            int len = Length < other.Length ? Length : other.Length;
            uint m = Ipv4.Mask(len);
            return (Address & m) == (other.Address & m);
        }

        /// <summary>Parses <c>a.b.c.d/nn</c> (nn 0..32, no leading zeros).</summary>
        public static bool TryParse(string s, out Ipv4Prefix prefix)
        {
            prefix = new Ipv4Prefix(0, 0);
            if (s == null) return false;
            int slash = s.IndexOf('/');
            if (slash < 0 || slash == s.Length - 1 || s.Length - slash > 3) return false;
            uint a;
            if (!Ipv4.TryParse(s, 0, slash, out a)) return false;
            int len = 0;
            for (int i = slash + 1; i < s.Length; i++)
            {
                char c = s[i];
                if (c < '0' || c > '9') return false;
                if (i == slash + 1 && c == '0' && s.Length - slash > 2) return false;
                len = len * 10 + (c - '0');
            }
            if (len > 32) return false;
            prefix = new Ipv4Prefix(a, len);
            return true;
        }

        /// <summary>Ordering for canonical print: by network, then length, then address.</summary>
        public int CompareTo(Ipv4Prefix other)
        {
            if (Network != other.Network) return Network < other.Network ? -1 : 1;
            if (Length != other.Length) return Length < other.Length ? -1 : 1;
            if (Address != other.Address) return Address < other.Address ? -1 : 1;
            return 0;
        }

        /// <summary>True when address and length are equal.</summary>
        public bool SameAs(Ipv4Prefix other) { return Address == other.Address && Length == other.Length; }

        /// <summary><c>a.b.c.d/nn</c>.</summary>
        public override string ToString() { return Ipv4.Format(Address) + "/" + Length.ToString(); }
    }
}
