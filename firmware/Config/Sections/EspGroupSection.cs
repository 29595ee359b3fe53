using System.Collections;

namespace VpnAppliance.Config
{
    /// <summary>
    /// <c>set vpn esp-group &lt;name&gt; ...</c>:
    /// <code>
    /// proposal &lt;p&gt;[,&lt;p&gt;...] [&lt;p&gt; ...]     strongSwan ESP proposals; a DH group = PFS with that group
    /// lifetime &lt;120-86400&gt;                  default 3600
    /// rekey-margin &lt;0-86400&gt;                default 540
    /// rekey-fuzz &lt;0-200&gt;                    default 100 (%)
    /// pfs enable|disable                     default: as the proposals say
    /// replay-window &lt;0-4096&gt;                default 1024 (0 = off)
    /// </code>
    /// </summary>
    public sealed class EspGroupSection : IConfigSection
    {
        /// <summary>Keyword path.</summary>
        public const string PathText = "vpn esp-group";
        /// <summary>Most ESP groups.</summary>
        public const int MaxGroups = 16;

        /// <summary>The groups (<see cref="EspGroup"/>).</summary>
        public readonly ArrayList Groups = new ArrayList();

        /// <inheritdoc/>
        public string Path { get { return PathText; } }

        /// <inheritdoc/>
        public IConfigSection CreateEmpty() { return new EspGroupSection(); }

        /// <summary>Group by name, or null.</summary>
        public EspGroup Find(string name)
        {
            for (int i = 0; i < Groups.Count; i++) if (((EspGroup)Groups[i]).Name == name) return (EspGroup)Groups[i];
            return null;
        }

        /// <inheritdoc/>
        public void ParseLine(ParseContext ctx, int i)
        {
            const string keywords = "proposal|lifetime|lifetime-bytes|rekey-margin|rekey-fuzz|pfs|replay-window";
            string name;
            if (!ctx.ReadName(i, "esp-group name", out name)) return;
            if (!ctx.Need(i + 1, keywords)) return;
            EspGroup g = Find(name);
            if (g == null)
            {
                if (Groups.Count >= MaxGroups) { ctx.Error(i, "too-many", "at most " + MaxGroups.ToString() + " esp-groups"); return; }
                g = new EspGroup(name, ctx.Line);
                Groups.Add(g);
            }
            if (ProposalGroupParsing.ParseShared(ctx, i + 1, g, false, 120, 86400)) return;
            string k = ctx.Token(i + 1);
            int v;
            if (k == "pfs")
            {
                if (ctx.ReadChoice(i + 2, "pfs", new string[] { "enable", "disable" }, out v) && ctx.End(i + 3) && ctx.ClaimLeaf(i + 2))
                {
                    g.Pfs = v == 0 ? PfsMode.Enable : PfsMode.Disable;
                    g.PfsLine = ctx.Line;
                }
            }
            else if (k == "lifetime-bytes")
            {
                // in MB so the value fits an int: 1 .. 2,000,000 MB (strongSwan life_bytes)
                if (ctx.ReadInt(i + 2, "lifetime-bytes (megabytes)", 1, 2000000, out v) && ctx.End(i + 3) && ctx.ClaimLeaf(i + 2))
                {
                    g.LifetimeBytes = (long)v * 1000000;
                }
            }
            else if (k == "replay-window")
            {
                if (ctx.ReadInt(i + 2, "replay-window (packets)", 0, 4096, out v) && ctx.End(i + 3) && ctx.ClaimLeaf(i + 2))
                {
                    g.ReplayWindow = v;
                    g.ReplayWindowLine = ctx.Line;
                }
            }
            else ctx.UnknownKeyword(i + 1, keywords);
        }

        /// <inheritdoc/>
        public void Print(ConfigWriter w)
        {
            Sorting.Sort(Groups, ProposalGroup.ByName);
            for (int i = 0; i < Groups.Count; i++)
            {
                EspGroup g = (EspGroup)Groups[i];
                string path = PathText + " " + g.Name;
                if (g.Proposals.Count > 0) w.Set(path).Add("proposal").Add(g.ProposalText()).End();
                if (g.Proposals.Count == 0 || g.Lifetime != EspGroup.DefaultLifetime) w.Set(path).Add("lifetime").Add(g.Lifetime).End();
                if (g.RekeyMargin != ProposalGroup.DefaultRekeyMargin) w.Set(path).Add("rekey-margin").Add(g.RekeyMargin).End();
                if (g.RekeyFuzz != ProposalGroup.DefaultRekeyFuzz) w.Set(path).Add("rekey-fuzz").Add(g.RekeyFuzz).End();
                if (g.Pfs != PfsMode.Auto) w.Set(path).Add("pfs").Add(EspGroup.PfsNames[(int)g.Pfs]).End();
                if (g.ReplayWindow != EspGroup.DefaultReplayWindow) w.Set(path).Add("replay-window").Add(g.ReplayWindow).End();
                if (g.LifetimeBytes != 0) w.Set(path).Add("lifetime-bytes").Add((int)(g.LifetimeBytes / 1000000)).End();
            }
        }

        /// <inheritdoc/>
        public void Validate(ConfigModel model, DiagnosticList d)
        {
            for (int i = 0; i < Groups.Count; i++)
            {
                EspGroup g = (EspGroup)Groups[i];
                ProposalGroupParsing.ValidateShared(g, "esp-group", d);
                for (int k = 0; k < g.Proposals.Count; k++)
                {
                    Proposal p = g.ProposalAt(k);
                    if (g.Pfs == PfsMode.Enable && p.DhGroups.Length == 0)
                    {
                        d.Error(p.Line, p.ToString(), "esp-pfs-group-missing", "pfs is enabled but this proposal has no DH group (e.g. append -modp2048)");
                    }
                    else if (g.Pfs == PfsMode.Disable && p.DhGroups.Length > 0)
                    {
                        d.Error(p.Line, p.ToString(), "esp-pfs-disabled", "pfs is disabled but this proposal has a DH group");
                    }
                }
                if (g.ReplayWindow == 0)
                {
                    d.Warning(g.ReplayWindowLine, "0", "replay-window-off", "anti-replay protection is off (RFC 4303 section 3.4.3)");
                }
                else if (g.ReplayWindow < EspGroup.DefaultReplayWindow)
                {
                    d.Warning(g.ReplayWindowLine, g.ReplayWindow.ToString(), "replay-window-small", "cloud gateways use 1024; a smaller window drops reordered packets on busy tunnels");
                }
            }
        }

        /// <inheritdoc/>
        public bool ContentEquals(IConfigSection other, bool compareSecrets)
        {
            EspGroupSection o = other as EspGroupSection;
            if (o == null || o.Groups.Count != Groups.Count) return false;
            for (int i = 0; i < Groups.Count; i++)
            {
                EspGroup g = (EspGroup)Groups[i];
                EspGroup h = o.Find(g.Name);
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
