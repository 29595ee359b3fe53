using System.Collections;

namespace VpnAppliance.Config
{
    /// <summary>
    /// <c>set vpn ike-group &lt;name&gt; ...</c>:
    /// <code>
    /// proposal &lt;p&gt;[,&lt;p&gt;...] [&lt;p&gt; ...]     strongSwan IKE proposals, repeatable (appends)
    /// lifetime &lt;120-172800&gt;                 default 28800
    /// rekey-margin &lt;0-86400&gt;                default 540
    /// rekey-fuzz &lt;0-200&gt;                    default 100 (%)
    /// dpd interval &lt;1-3600&gt;                 default 30
    /// dpd timeout &lt;1-86400&gt;                 default 150
    /// dpd action restart|clear|hold|none     default restart
    /// </code>
    /// </summary>
    public sealed class IkeGroupSection : IConfigSection
    {
        /// <summary>Keyword path.</summary>
        public const string PathText = "vpn ike-group";
        /// <summary>Most IKE groups.</summary>
        public const int MaxGroups = 16;

        /// <summary>The groups (<see cref="IkeGroup"/>).</summary>
        public readonly ArrayList Groups = new ArrayList();

        /// <inheritdoc/>
        public string Path { get { return PathText; } }

        /// <inheritdoc/>
        public IConfigSection CreateEmpty() { return new IkeGroupSection(); }

        /// <summary>Group by name, or null.</summary>
        public IkeGroup Find(string name)
        {
            for (int i = 0; i < Groups.Count; i++) if (((IkeGroup)Groups[i]).Name == name) return (IkeGroup)Groups[i];
            return null;
        }

        /// <inheritdoc/>
        public void ParseLine(ParseContext ctx, int i)
        {
            const string keywords = "proposal|lifetime|rekey-margin|rekey-fuzz|dpd|retransmit";
            string name;
            if (!ctx.ReadName(i, "ike-group name", out name)) return;
            if (!ctx.Need(i + 1, keywords)) return;
            IkeGroup g = Find(name);
            if (g == null)
            {
                if (Groups.Count >= MaxGroups) { ctx.Error(i, "too-many", "at most " + MaxGroups.ToString() + " ike-groups"); return; }
                g = new IkeGroup(name, ctx.Line);
                Groups.Add(g);
            }
            if (ProposalGroupParsing.ParseShared(ctx, i + 1, g, true, 120, 172800)) return;
            if (ctx.Token(i + 1) == "retransmit")
            {
                ParseRetransmit(ctx, i, g);
                return;
            }

            if (ctx.Token(i + 1) != "dpd") { ctx.UnknownKeyword(i + 1, keywords); return; }
            if (!ctx.Need(i + 2, "interval|timeout|action")) return;
            string k = ctx.Token(i + 2);
            int v;
            if (k == "interval")
            {
                if (ctx.ReadInt(i + 3, "dpd interval (seconds)", 1, 3600, out v) && ctx.End(i + 4) && ctx.ClaimLeaf(i + 3))
                {
                    g.DpdInterval = v;
                    g.DpdIntervalLine = ctx.Line;
                }
            }
            else if (k == "timeout")
            {
                if (ctx.ReadInt(i + 3, "dpd timeout (seconds)", 1, 86400, out v) && ctx.End(i + 4) && ctx.ClaimLeaf(i + 3))
                {
                    g.DpdTimeout = v;
                    g.DpdTimeoutLine = ctx.Line;
                }
            }
            else if (k == "action")
            {
                if (ctx.ReadChoice(i + 3, "dpd action", IkeGroup.DpdActionNames, out v) && ctx.End(i + 4) && ctx.ClaimLeaf(i + 3)) g.DpdAction = (DpdAction)v;
            }
            else ctx.UnknownKeyword(i + 2, "interval|timeout|action");
        }

        // retransmit tries N | retransmit timeout S (RFC 7296 §2.1: exponential back-off from S seconds)
        private static void ParseRetransmit(ParseContext ctx, int i, IkeGroup g)
        {
            if (!ctx.Need(i + 2, "tries|timeout")) return;
            string k = ctx.Token(i + 2);
            int v;
            if (k == "tries")
            {
                if (ctx.ReadInt(i + 3, "retransmit tries", 1, 20, out v) && ctx.End(i + 4) && ctx.ClaimLeaf(i + 3)) g.RetransmitTries = v;
            }
            else if (k == "timeout")
            {
                if (ctx.ReadInt(i + 3, "retransmit timeout (seconds)", 1, 60, out v) && ctx.End(i + 4) && ctx.ClaimLeaf(i + 3)) g.RetransmitTimeout = v;
            }
            else ctx.UnknownKeyword(i + 2, "tries|timeout");
        }

        /// <inheritdoc/>
        public void Print(ConfigWriter w)
        {
            Sorting.Sort(Groups, ProposalGroup.ByName);
            for (int i = 0; i < Groups.Count; i++)
            {
                IkeGroup g = (IkeGroup)Groups[i];
                string path = PathText + " " + g.Name;
                if (g.Proposals.Count > 0) w.Set(path).Add("proposal").Add(g.ProposalText()).End();
                if (g.Proposals.Count == 0 || g.Lifetime != IkeGroup.DefaultLifetime) w.Set(path).Add("lifetime").Add(g.Lifetime).End();
                if (g.RekeyMargin != ProposalGroup.DefaultRekeyMargin) w.Set(path).Add("rekey-margin").Add(g.RekeyMargin).End();
                if (g.RekeyFuzz != ProposalGroup.DefaultRekeyFuzz) w.Set(path).Add("rekey-fuzz").Add(g.RekeyFuzz).End();
                if (g.DpdInterval != IkeGroup.DefaultDpdInterval) w.Set(path).Add("dpd").Add("interval").Add(g.DpdInterval).End();
                if (g.DpdTimeout != IkeGroup.DefaultDpdTimeout) w.Set(path).Add("dpd").Add("timeout").Add(g.DpdTimeout).End();
                if (g.DpdAction != DpdAction.Restart) w.Set(path).Add("dpd").Add("action").Add(IkeGroup.DpdActionNames[(int)g.DpdAction]).End();
                if (g.RetransmitTries != IkeGroup.DefaultRetransmitTries) w.Set(path).Add("retransmit").Add("tries").Add(g.RetransmitTries).End();
                if (g.RetransmitTimeout != IkeGroup.DefaultRetransmitTimeout) w.Set(path).Add("retransmit").Add("timeout").Add(g.RetransmitTimeout).End();
            }
        }

        /// <inheritdoc/>
        public void Validate(ConfigModel model, DiagnosticList d)
        {
            for (int i = 0; i < Groups.Count; i++)
            {
                IkeGroup g = (IkeGroup)Groups[i];
                ProposalGroupParsing.ValidateShared(g, "ike-group", d);
                if (g.DpdAction != DpdAction.None && g.DpdTimeout <= g.DpdInterval)
                {
                    d.Error(g.DpdTimeoutLine != 0 ? g.DpdTimeoutLine : g.Line, g.DpdTimeout.ToString(), "dpd-timeout", "dpd timeout must be longer than the dpd interval (" + g.DpdInterval.ToString() + " s)");
                }
            }
        }

        /// <inheritdoc/>
        public bool ContentEquals(IConfigSection other, bool compareSecrets)
        {
            IkeGroupSection o = other as IkeGroupSection;
            if (o == null || o.Groups.Count != Groups.Count) return false;
            for (int i = 0; i < Groups.Count; i++)
            {
                IkeGroup g = (IkeGroup)Groups[i];
                IkeGroup h = o.Find(g.Name);
                if (h == null || !g.SameAs(h)) return false;
            }
            return true;
        }

        /// <inheritdoc/>
        public void Summarize(ConfigModel model, ArrayList lines) { }

        /// <inheritdoc/>
        public void InheritSecrets(IConfigSection previous) { }
    }
}
