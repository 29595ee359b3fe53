using System.Collections;

namespace VpnAppliance.Config
{
    /// <summary>
    /// <c>set protocols static route &lt;prefix&gt; ...</c>:
    /// <code>
    /// next-hop tunnel &lt;vtiN&gt;        via a tunnel interface (repeatable: ECMP)
    /// next-hop address &lt;a.b.c.d&gt;    via a gateway on a connected subnet (repeatable)
    /// blackhole                      drop
    /// distance &lt;1-255&gt;              default 1
    /// </code>
    /// </summary>
    public sealed class StaticSection : IConfigSection
    {
        /// <summary>Keyword path.</summary>
        public const string PathText = "protocols static";
        /// <summary>Most static routes.</summary>
        public const int MaxRoutes = 64;
        /// <summary>Most next hops per route.</summary>
        public const int MaxNextHops = 8;

        /// <summary>The routes (<see cref="StaticRoute"/>).</summary>
        public readonly ArrayList Routes = new ArrayList();

        /// <inheritdoc/>
        public string Path { get { return PathText; } }

        /// <inheritdoc/>
        public IConfigSection CreateEmpty() { return new StaticSection(); }

        /// <summary>Route by exact prefix, or null.</summary>
        public StaticRoute Find(Ipv4Prefix p)
        {
            for (int i = 0; i < Routes.Count; i++) if (((StaticRoute)Routes[i]).Prefix.SameAs(p)) return (StaticRoute)Routes[i];
            return null;
        }

        /// <inheritdoc/>
        public void ParseLine(ParseContext ctx, int i)
        {
            const string keywords = "next-hop|blackhole|distance";
            if (!ctx.Need(i, "route")) return;
            if (ctx.Token(i) != "route") { ctx.UnknownKeyword(i, "route"); return; }
            Ipv4Prefix p;
            if (!ctx.ReadPrefix(i + 1, "route prefix", true, out p)) return;
            if (!ctx.Need(i + 2, keywords)) return;
            StaticRoute r = Find(p);
            if (r == null)
            {
                if (Routes.Count >= MaxRoutes) { ctx.Error(i + 1, "too-many", "at most " + MaxRoutes.ToString() + " static routes"); return; }
                r = new StaticRoute(p, ctx.Line);
                Routes.Add(r);
            }
            string k = ctx.Token(i + 2);
            int v = i + 3;
            if (k == "next-hop")
            {
                if (!ctx.Need(v, "tunnel|address")) return;
                StaticNextHop h = new StaticNextHop();
                h.Line = ctx.Line;
                if (ctx.Token(v) == "tunnel")
                {
                    if (!ctx.Need(v + 1, "tunnel interface name") || !ctx.End(v + 2)) return;
                    if (!TunnelSection.IsTunnelName(ctx.Token(v + 1))) { ctx.Error(v + 1, "tunnel-name", "a tunnel interface is named vti0..vti255"); return; }
                    h.Tunnel = ctx.Token(v + 1);
                }
                else if (ctx.Token(v) == "address")
                {
                    if (!ctx.ReadAddress(v + 1, "next-hop address", out h.Address) || !ctx.End(v + 2)) return;
                }
                else { ctx.UnknownKeyword(v, "tunnel|address"); return; }
                for (int n = 0; n < r.NextHops.Count; n++)
                {
                    if (((StaticNextHop)r.NextHops[n]).SameAs(h)) { ctx.Error(v + 1, "duplicate-value", "next hop listed twice"); return; }
                }
                if (r.NextHops.Count >= MaxNextHops) { ctx.Error(v + 1, "too-many", "at most " + MaxNextHops.ToString() + " next hops per route"); return; }
                r.NextHops.Add(h);
            }
            else if (k == "blackhole")
            {
                if (ctx.End(v)) r.Blackhole = true;
            }
            else if (k == "distance")
            {
                int d;
                if (ctx.ReadInt(v, "distance", 1, 255, out d) && ctx.End(v + 1) && ctx.ClaimLeaf(v)) r.Distance = d;
            }
            else ctx.UnknownKeyword(i + 2, keywords);
        }

        /// <inheritdoc/>
        public void Print(ConfigWriter w)
        {
            Sorting.Sort(Routes, ByPrefix);
            for (int i = 0; i < Routes.Count; i++)
            {
                StaticRoute r = (StaticRoute)Routes[i];
                string path = PathText + " route " + r.Prefix.ToString();
                Sorting.Sort(r.NextHops, StaticNextHop.Order);
                for (int k = 0; k < r.NextHops.Count; k++)
                {
                    StaticNextHop h = (StaticNextHop)r.NextHops[k];
                    w.Set(path).Add("next-hop");
                    if (h.Tunnel != null) w.Add("tunnel").Add(h.Tunnel);
                    else w.Add("address").Add(Ipv4.Format(h.Address));
                    w.End();
                }
                if (r.Blackhole) w.Set(path).Add("blackhole").End();
                if (r.Distance != StaticRoute.DefaultDistance || (r.NextHops.Count == 0 && !r.Blackhole)) w.Set(path).Add("distance").Add(r.Distance).End();
            }
        }

        /// <inheritdoc/>
        public void Validate(ConfigModel model, DiagnosticList d)
        {
            for (int i = 0; i < Routes.Count; i++)
            {
                StaticRoute r = (StaticRoute)Routes[i];
                string id = r.Prefix.ToString();
                if (r.NextHops.Count == 0 && !r.Blackhole) d.Error(r.Line, id, "route-next-hop-missing", "a static route needs 'next-hop' or 'blackhole'");
                if (r.NextHops.Count > 0 && r.Blackhole) d.Error(r.Line, id, "route-blackhole-next-hop", "a blackhole route has no next hop");
                for (int k = 0; k < r.NextHops.Count; k++)
                {
                    StaticNextHop h = (StaticNextHop)r.NextHops[k];
                    if (h.Tunnel != null)
                    {
                        if (model.Tunnels == null || model.Tunnels.Find(h.Tunnel) == null) d.Error(h.Line, h.Tunnel, "unknown-tunnel", "no 'vpn tunnel " + h.Tunnel + "'");
                    }
                    else if (!IsOnLink(model, h.Address))
                    {
                        d.Error(h.Line, Ipv4.Format(h.Address), "next-hop-not-on-link", "a next-hop address must be in the LAN, WAN or a tunnel subnet and not our own address");
                    }
                }
            }
        }

        private static bool IsOnLink(ConfigModel model, uint a)
        {
            InterfacesSection ifs = model.Interfaces;
            if (ifs != null)
            {
                if (ifs.IsLocalAddress(a)) return false;
                if (ifs.Lan.HasAddress && ifs.Lan.Address.Contains(a)) return true;
                if (ifs.Wan.HasAddress && ifs.Wan.Address.Contains(a)) return true;
            }
            TunnelInterface t = model.Tunnels == null ? null : model.Tunnels.FindContaining(a);
            return t != null && t.Address.Address != a;
        }

        /// <inheritdoc/>
        public bool ContentEquals(IConfigSection other, bool compareSecrets)
        {
            StaticSection o = other as StaticSection;
            if (o == null || o.Routes.Count != Routes.Count) return false;
            for (int i = 0; i < Routes.Count; i++)
            {
                StaticRoute a = (StaticRoute)Routes[i];
                StaticRoute b = o.Find(a.Prefix);
                if (b == null || !a.SameAs(b)) return false;
            }
            return true;
        }

        /// <inheritdoc/>
        public void Summarize(ConfigModel model, ArrayList lines)
        {
            if (Routes.Count > 0) lines.Add("static: " + Routes.Count.ToString() + (Routes.Count == 1 ? " route" : " routes"));
        }

        /// <inheritdoc/>
        public void InheritSecrets(IConfigSection previous) { }

        /// <summary>Orders routes by prefix.</summary>
        public static readonly IComparer ByPrefix = new PrefixOrder();

        private sealed class PrefixOrder : IComparer
        {
            public int Compare(object x, object y) { return ((StaticRoute)x).Prefix.CompareTo(((StaticRoute)y).Prefix); }
        }
    }
}
