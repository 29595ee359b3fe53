using System.Collections;

namespace VpnAppliance.Config
{
    /// <summary>
    /// The statements IKE and ESP groups share: <c>proposal</c>, <c>lifetime</c>, <c>rekey-margin</c>,
    /// <c>rekey-fuzz</c>, and the checks on them.
    /// </summary>
    public static class ProposalGroupParsing
    {
        /// <summary>
        /// Handles a shared statement at token <paramref name="i"/>; returns false when the keyword is not one of
        /// them (nothing reported), true when handled (errors, if any, reported).
        /// </summary>
        public static bool ParseShared(ParseContext ctx, int i, ProposalGroup g, bool ike, int minLife, int maxLife)
        {
            string k = ctx.Token(i);
            if (k == "proposal")
            {
                ReadProposals(ctx, i + 1, g, ike);
                return true;
            }
            if (k == "lifetime")
            {
                int v;
                if (ctx.ReadInt(i + 1, "lifetime (seconds)", minLife, maxLife, out v) && ctx.End(i + 2) && ctx.ClaimLeaf(i + 1))
                {
                    g.Lifetime = v;
                    g.LifetimeLine = ctx.Line;
                }
                return true;
            }
            if (k == "rekey-margin")
            {
                int v;
                if (ctx.ReadInt(i + 1, "rekey-margin (seconds)", 0, 86400, out v) && ctx.End(i + 2) && ctx.ClaimLeaf(i + 1))
                {
                    g.RekeyMargin = v;
                    g.RekeyMarginLine = ctx.Line;
                }
                return true;
            }
            if (k == "rekey-fuzz")
            {
                int v;
                if (ctx.ReadInt(i + 1, "rekey-fuzz (percent)", 0, 200, out v) && ctx.End(i + 2) && ctx.ClaimLeaf(i + 1)) g.RekeyFuzz = v;
                return true;
            }
            return false;
        }

        // proposal <p>[,<p>...] [<p> ...]: every token, every comma-separated part, appended in order.
        private static void ReadProposals(ParseContext ctx, int i, ProposalGroup g, bool ike)
        {
            if (!ctx.Need(i, "one or more proposals (strongSwan syntax, e.g. aes256-sha256-modp2048)")) return;
            ProposalParser parser = new ProposalParser();
            for (int t = i; t < ctx.Count; t++)
            {
                string tok = ctx.Token(t);
                int start = 0;
                for (int c = 0; c <= tok.Length; c++)
                {
                    if (c < tok.Length && tok[c] != ',') continue;
                    string one = tok.Substring(start, c - start);
                    start = c + 1;
                    if (one.Length == 0)
                    {
                        if (tok.Length == 1 || c == tok.Length) continue; // a lone or trailing comma separates nothing
                        ctx.Error(t, "proposal-syntax", "empty proposal between commas");
                        return;
                    }
                    Proposal p = parser.Parse(one, ike);
                    if (p == null)
                    {
                        ctx.Diagnostics.Error(ctx.Line, parser.ErrorToken, parser.ErrorRule, parser.ErrorMessage);
                        return;
                    }
                    for (int k = 0; k < g.Proposals.Count; k++)
                    {
                        if (g.ProposalAt(k).SameAs(p)) { ctx.Diagnostics.Error(ctx.Line, one, "duplicate-value", "proposal listed twice in this group"); return; }
                    }
                    if (g.Proposals.Count >= ProposalParser.MaxProposals)
                    {
                        ctx.Diagnostics.Error(ctx.Line, one, "too-many", "at most " + ProposalParser.MaxProposals.ToString() + " proposals per group");
                        return;
                    }
                    p.Line = ctx.Line;
                    g.Proposals.Add(p);
                }
            }
        }

        /// <summary>Shared checks: at least one proposal, margin below lifetime, weak DH groups (warning).</summary>
        public static void ValidateShared(ProposalGroup g, string kind, DiagnosticList d)
        {
            if (g.Proposals.Count == 0)
            {
                d.Error(g.Line, g.Name, "proposal-missing", kind + " '" + g.Name + "' has no proposal");
            }
            if (g.RekeyMargin >= g.Lifetime)
            {
                d.Error(g.RekeyMarginLine != 0 ? g.RekeyMarginLine : g.Line, g.RekeyMargin.ToString(), "rekey-margin",
                    "rekey-margin must be less than the lifetime (" + g.Lifetime.ToString() + " s)");
            }
            else if ((long)g.RekeyMargin * (100 + g.RekeyFuzz) / 100 >= g.Lifetime)
            {
                d.Warning(g.RekeyMarginLine != 0 ? g.RekeyMarginLine : g.Line, g.RekeyMargin.ToString(), "rekey-fuzz",
                    "margin plus fuzz can reach the lifetime; the SA may expire before it is rekeyed");
            }
            for (int i = 0; i < g.Proposals.Count; i++)
            {
                Proposal p = g.ProposalAt(i);
                for (int k = 0; k < p.DhGroups.Length; k++)
                {
                    if (DhGroup.IsWeak(p.DhGroups[k]))
                    {
                        d.Warning(p.Line, p.ToString(), "weak-dh-group", DhGroup.Name(p.DhGroups[k]) + " (group " + p.DhGroups[k].ToString()
                            + ") is weak (RFC 8247 section 2.4: SHOULD NOT); prefer modp2048, ecp256 or x25519 where the peer allows");
                    }
                }
            }
        }
    }
}
