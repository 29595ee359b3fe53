using System.Collections;

namespace VpnAppliance.Config
{
    /// <summary>
    /// <c>set policy prefix-list &lt;name&gt; rule &lt;1-65535&gt; ...</c>:
    /// <code>
    /// action permit|deny     (required)
    /// prefix &lt;a.b.c.d/nn&gt;   (required, host bits zero)
    /// ge &lt;0-32&gt;             minimum length matched (len &lt;= ge)
    /// le &lt;0-32&gt;             maximum length matched (ge &lt;= le, len &lt;= le)
    /// community &lt;asn:value&gt;  also require this COMMUNITIES value (BGP routes, RFC 1997)
    /// </code>
    /// </summary>
    public sealed class PolicySection : IConfigSection
    {
        /// <summary>Keyword path.</summary>
        public const string PathText = "policy prefix-list";
        /// <summary>Most prefix-lists.</summary>
        public const int MaxLists = 32;
        /// <summary>Most rules per list.</summary>
        public const int MaxRules = 64;

        /// <summary>The lists (<see cref="PrefixList"/>).</summary>
        public readonly ArrayList Lists = new ArrayList();

        /// <inheritdoc/>
        public string Path { get { return PathText; } }

        /// <inheritdoc/>
        public IConfigSection CreateEmpty() { return new PolicySection(); }

        /// <summary>List by name, or null.</summary>
        public PrefixList Find(string name)
        {
            for (int i = 0; i < Lists.Count; i++) if (((PrefixList)Lists[i]).Name == name) return (PrefixList)Lists[i];
            return null;
        }

        /// <inheritdoc/>
        public void ParseLine(ParseContext ctx, int i)
        {
            const string keywords = "action|prefix|ge|le|community";
            string name;
            if (!ctx.ReadName(i, "prefix-list name", out name)) return;
            if (!ctx.Need(i + 1, "rule")) return;
            if (ctx.Token(i + 1) != "rule") { ctx.UnknownKeyword(i + 1, "rule"); return; }
            int number;
            if (!ctx.ReadInt(i + 2, "rule number", 1, 65535, out number)) return;
            if (!ctx.Need(i + 3, keywords)) return;
            PrefixList list = Find(name);
            if (list == null)
            {
                if (Lists.Count >= MaxLists) { ctx.Error(i, "too-many", "at most " + MaxLists.ToString() + " prefix-lists"); return; }
                list = new PrefixList(name, ctx.Line);
                Lists.Add(list);
            }
            PrefixListRule r = list.Find(number);
            if (r == null)
            {
                if (list.Rules.Count >= MaxRules) { ctx.Error(i + 2, "too-many", "at most " + MaxRules.ToString() + " rules per prefix-list"); return; }
                r = new PrefixListRule(number, ctx.Line);
                list.Rules.Add(r);
            }
            string k = ctx.Token(i + 3);
            int v = i + 4;
            int n;
            if (k == "action")
            {
                if (!ctx.ReadChoice(v, "action", new string[] { "permit", "deny" }, out n) || !ctx.End(v + 1) || !ctx.ClaimLeaf(v)) return;
                r.HasAction = true;
                r.Permit = n == 0;
            }
            else if (k == "prefix")
            {
                Ipv4Prefix p;
                if (!ctx.ReadPrefix(v, "prefix", true, out p) || !ctx.End(v + 1) || !ctx.ClaimLeaf(v)) return;
                r.HasPrefix = true;
                r.Prefix = p;
            }
            else if (k == "ge")
            {
                if (!ctx.ReadInt(v, "ge", 0, 32, out n) || !ctx.End(v + 1) || !ctx.ClaimLeaf(v)) return;
                r.Ge = n;
                r.GeLine = ctx.Line;
            }
            else if (k == "le")
            {
                if (!ctx.ReadInt(v, "le", 0, 32, out n) || !ctx.End(v + 1) || !ctx.ClaimLeaf(v)) return;
                r.Le = n;
                r.LeLine = ctx.Line;
            }
            else if (k == "community")
            {
                uint c;
                if (!ctx.Need(v, "community (asn:value)") || !ctx.End(v + 1) || !ctx.ClaimLeaf(v)) return;
                if (!BgpCommunity.TryParse(ctx.Token(v), out c)) { ctx.Error(v, "bad-value", "a community is asn:value (0-65535 each) or no-export|no-advertise|no-export-subconfed"); return; }
                r.HasCommunity = true;
                r.Community = c;
            }
            else ctx.UnknownKeyword(i + 3, keywords);
        }

        /// <inheritdoc/>
        public void Print(ConfigWriter w)
        {
            Sorting.Sort(Lists, ByName);
            for (int i = 0; i < Lists.Count; i++)
            {
                PrefixList l = (PrefixList)Lists[i];
                Sorting.Sort(l.Rules, PrefixList.ByNumber);
                for (int k = 0; k < l.Rules.Count; k++)
                {
                    PrefixListRule r = (PrefixListRule)l.Rules[k];
                    string path = PathText + " " + l.Name + " rule " + r.Number.ToString();
                    bool any = false;
                    if (r.HasAction) { w.Set(path).Add("action").Add(r.Permit ? "permit" : "deny").End(); any = true; }
                    if (r.HasPrefix) { w.Set(path).Add("prefix").Add(r.Prefix.ToString()).End(); any = true; }
                    if (r.Ge >= 0) { w.Set(path).Add("ge").Add(r.Ge).End(); any = true; }
                    if (r.HasCommunity) { w.Set(path).Add("community").Add(BgpCommunity.Format(r.Community)).End(); any = true; }
                    if (r.Le >= 0 || !any) w.Set(path).Add("le").Add(r.Le >= 0 ? r.Le : 32).End();
                }
            }
        }

        /// <inheritdoc/>
        public void Validate(ConfigModel model, DiagnosticList d)
        {
            for (int i = 0; i < Lists.Count; i++)
            {
                PrefixList l = (PrefixList)Lists[i];
                for (int k = 0; k < l.Rules.Count; k++)
                {
                    PrefixListRule r = (PrefixListRule)l.Rules[k];
                    string id = l.Name + " rule " + r.Number.ToString();
                    if (!r.HasAction) d.Error(r.Line, id, "rule-action-missing", "prefix-list rule needs 'action permit|deny'");
                    if (!r.HasPrefix) { d.Error(r.Line, id, "rule-prefix-missing", "prefix-list rule needs 'prefix'"); continue; }
                    int len = r.Prefix.Length;
                    if (r.Ge >= 0 && r.Ge < len) d.Error(r.GeLine, r.Ge.ToString(), "prefix-list-range", "ge must be at least the prefix length " + len.ToString());
                    if (r.Le >= 0 && r.Le < len) d.Error(r.LeLine, r.Le.ToString(), "prefix-list-range", "le must be at least the prefix length " + len.ToString());
                    if (r.Ge >= 0 && r.Le >= 0 && r.Le < r.Ge) d.Error(r.LeLine, r.Le.ToString(), "prefix-list-range", "le must be at least ge (" + r.Ge.ToString() + ")");
                }
            }
        }

        /// <inheritdoc/>
        public bool ContentEquals(IConfigSection other, bool compareSecrets)
        {
            PolicySection o = other as PolicySection;
            if (o == null || o.Lists.Count != Lists.Count) return false;
            for (int i = 0; i < Lists.Count; i++)
            {
                PrefixList a = (PrefixList)Lists[i];
                PrefixList b = o.Find(a.Name);
                if (b == null || b.Rules.Count != a.Rules.Count) return false;
                for (int k = 0; k < a.Rules.Count; k++)
                {
                    PrefixListRule r = (PrefixListRule)a.Rules[k];
                    PrefixListRule s = b.Find(r.Number);
                    if (s == null || !r.SameAs(s)) return false;
                }
            }
            return true;
        }

        /// <inheritdoc/>
        public void Summarize(ConfigModel model, ArrayList lines)
        {
            if (Lists.Count > 0) lines.Add("policy: " + Lists.Count.ToString() + (Lists.Count == 1 ? " prefix-list" : " prefix-lists"));
        }

        /// <inheritdoc/>
        public void InheritSecrets(IConfigSection previous) { }

        /// <summary>Orders lists by name.</summary>
        public static readonly IComparer ByName = new NameOrder();

        private sealed class NameOrder : IComparer
        {
            public int Compare(object x, object y) { return Names.Compare(((PrefixList)x).Name, ((PrefixList)y).Name); }
        }
    }
}
