namespace VpnAppliance.Config
{
    /// <summary>An <see cref="Ipv4Prefix"/> element of a multi-valued statement, with the line that set it.</summary>
    public sealed class LocatedPrefix
    {
        /// <summary>The value.</summary>
        public Ipv4Prefix Prefix;
        /// <summary>Line that set it (0 when built in code).</summary>
        public int Line;

        /// <summary>Creates an element.</summary>
        public LocatedPrefix(Ipv4Prefix prefix, int line) { Prefix = prefix; Line = line; }

        /// <summary>Orders <see cref="LocatedPrefix"/> elements by prefix.</summary>
        public static readonly System.Collections.IComparer Order = new PrefixOrder();

        /// <summary>True when both lists hold the same prefixes in the same order.</summary>
        public static bool SameList(System.Collections.ArrayList a, System.Collections.ArrayList b)
        {
            if (a.Count != b.Count) return false;
            for (int i = 0; i < a.Count; i++)
            {
                if (!((LocatedPrefix)a[i]).Prefix.SameAs(((LocatedPrefix)b[i]).Prefix)) return false;
            }
            return true;
        }

        /// <summary>Index of <paramref name="p"/> in a list of LocatedPrefix, or -1.</summary>
        public static int IndexOf(System.Collections.ArrayList list, Ipv4Prefix p)
        {
            for (int i = 0; i < list.Count; i++) if (((LocatedPrefix)list[i]).Prefix.SameAs(p)) return i;
            return -1;
        }

        private sealed class PrefixOrder : System.Collections.IComparer
        {
            public int Compare(object x, object y) { return ((LocatedPrefix)x).Prefix.CompareTo(((LocatedPrefix)y).Prefix); }
        }
    }
}
