using System.Collections;

namespace VpnAppliance.Config
{
    /// <summary>
    /// One rule of a prefix-list: matches routes whose prefix is inside <see cref="Prefix"/> with a length in
    /// [ge, le] (without ge/le: exactly the prefix). First matching rule (lowest number) decides; no match = deny.
    /// </summary>
    public sealed class PrefixListRule
    {
        /// <summary>Rule number 1..65535 (evaluation order).</summary>
        public int Number;
        /// <summary>First line mentioning the rule.</summary>
        public int Line;
        /// <summary>True = permit, false = deny.</summary>
        public bool Permit;
        /// <summary>True when an action was given.</summary>
        public bool HasAction;
        /// <summary>True when a prefix was given.</summary>
        public bool HasPrefix;
        /// <summary>The prefix to match (host bits zero).</summary>
        public Ipv4Prefix Prefix;
        /// <summary>Minimum length (-1 = unset).</summary>
        public int Ge = -1;
        /// <summary>Line of the ge statement.</summary>
        public int GeLine;
        /// <summary>Maximum length (-1 = unset).</summary>
        public int Le = -1;
        /// <summary>Line of the le statement.</summary>
        public int LeLine;
        /// <summary>True when the rule also requires a COMMUNITIES value (BGP only; RFC 1997).</summary>
        public bool HasCommunity;
        /// <summary>The COMMUNITIES value required (with HasCommunity).</summary>
        public uint Community;

        /// <summary>Creates an empty rule.</summary>
        public PrefixListRule(int number, int line) { Number = number; Line = line; }

        /// <summary>Structural equality.</summary>
        public bool SameAs(PrefixListRule o)
        {
            return o.Number == Number && o.Permit == Permit && o.HasAction == HasAction && o.HasPrefix == HasPrefix
                && (!HasPrefix || o.Prefix.SameAs(Prefix)) && o.Ge == Ge && o.Le == Le
                && o.HasCommunity == HasCommunity && o.Community == Community;
        }

        /// <summary>True when a route <paramref name="route"/> matches this rule's prefix part (the BGP engine also checks HasCommunity).</summary>
        public bool Matches(Ipv4Prefix route)
        {
            if (!HasPrefix || route.Length < Prefix.Length || !Prefix.Contains(route.Address)) return false;
            if (Ge < 0 && Le < 0) return route.Length == Prefix.Length;
            int lo = Ge >= 0 ? Ge : Prefix.Length;
            int hi = Le >= 0 ? Le : 32;
            return route.Length >= lo && route.Length <= hi;
        }
    }

    /// <summary>A named, ordered list of <see cref="PrefixListRule"/>s.</summary>
    public sealed class PrefixList
    {
        /// <summary>Name.</summary>
        public string Name;
        /// <summary>First line mentioning it.</summary>
        public int Line;
        /// <summary>Rules (<see cref="PrefixListRule"/>), sorted by number when printed.</summary>
        public readonly ArrayList Rules = new ArrayList();

        /// <summary>Creates an empty list.</summary>
        public PrefixList(string name, int line) { Name = name; Line = line; }

        /// <summary>Rule by number, or null.</summary>
        public PrefixListRule Find(int number)
        {
            for (int i = 0; i < Rules.Count; i++) if (((PrefixListRule)Rules[i]).Number == number) return (PrefixListRule)Rules[i];
            return null;
        }

        /// <summary>Evaluates the list: true = permit (first matching rule by number; no match = deny).</summary>
        public bool Permits(Ipv4Prefix route)
        {
            Sorting.Sort(Rules, ByNumber);
            for (int i = 0; i < Rules.Count; i++)
            {
                PrefixListRule r = (PrefixListRule)Rules[i];
                if (r.Matches(route)) return r.Permit;
            }
            return false;
        }

        /// <summary>Orders rules by number.</summary>
        public static readonly IComparer ByNumber = new NumberOrder();

        private sealed class NumberOrder : IComparer
        {
            public int Compare(object x, object y)
            {
                int a = ((PrefixListRule)x).Number, b = ((PrefixListRule)y).Number;
                return a == b ? 0 : (a < b ? -1 : 1);
            }
        }
    }
}
