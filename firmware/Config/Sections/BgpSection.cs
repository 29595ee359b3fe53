using System.Collections;

namespace VpnAppliance.Config
{
    /// <summary>
    /// <c>set protocols bgp ...</c>:
    /// <code>
    /// local-as &lt;asn&gt;                       our AS (asplain or asdot)
    /// router-id &lt;a.b.c.d&gt;                  default: first loopback, else LAN address
    /// network &lt;prefix&gt;                     prefix to originate (repeatable)
    /// maximum-paths &lt;1-16&gt;                 ECMP paths, default 1
    /// neighbor &lt;a.b.c.d&gt; remote-as &lt;asn&gt;
    /// neighbor &lt;a.b.c.d&gt; local-as &lt;asn&gt;       per-neighbour override
    /// neighbor &lt;a.b.c.d&gt; tunnel &lt;vtiN&gt;
    /// neighbor &lt;a.b.c.d&gt; update-source &lt;a.b.c.d&gt;
    /// neighbor &lt;a.b.c.d&gt; ebgp-multihop &lt;1-255&gt;
    /// neighbor &lt;a.b.c.d&gt; timers keepalive &lt;0-21845&gt;
    /// neighbor &lt;a.b.c.d&gt; timers hold &lt;0|3-65535&gt;
    /// neighbor &lt;a.b.c.d&gt; prefix-list import|export &lt;name&gt;
    /// neighbor &lt;a.b.c.d&gt; as-path-prepend &lt;1-10&gt;
    /// neighbor &lt;a.b.c.d&gt; med &lt;0-4294967295&gt;
    /// neighbor &lt;a.b.c.d&gt; maximum-prefix &lt;1-1000000&gt;
    /// neighbor &lt;a.b.c.d&gt; maximum-prefix-action warning|restart   default warning
    /// neighbor &lt;a.b.c.d&gt; maximum-prefix-restart &lt;1-65535&gt;      seconds down after a restart action (60)
    /// neighbor &lt;a.b.c.d&gt; connect-mode both|active|passive       default both
    /// neighbor &lt;a.b.c.d&gt; graceful-restart enable|disable          RFC 4724 helper, default enable
    /// neighbor &lt;a.b.c.d&gt; export-community &lt;asn:value&gt;         added on export (repeatable, 8 at most)
    /// always-compare-med                                compare MED across neighbour ASes
    /// </code>
    /// </summary>
    public sealed class BgpSection : IConfigSection
    {
        /// <summary>Keyword path.</summary>
        public const string PathText = "protocols bgp";
        /// <summary>Most neighbours.</summary>
        public const int MaxNeighbors = 32;
        /// <summary>Most originated networks.</summary>
        public const int MaxNetworks = 64;
        /// <summary>AS_TRANS (RFC 6793 §9): never a real AS.</summary>
        public const uint AsTrans = 23456;

        /// <summary>Our AS (0 = unset).</summary>
        public uint LocalAs;
        /// <summary>Line of local-as.</summary>
        public int LocalAsLine;
        /// <summary>True when a router-id is set.</summary>
        public bool HasRouterId;
        /// <summary>BGP identifier (RFC 4271 §4.2).</summary>
        public uint RouterId;
        /// <summary>Originated networks (<see cref="LocatedPrefix"/>).</summary>
        public readonly ArrayList Networks = new ArrayList();
        /// <summary>ECMP paths installed.</summary>
        public int MaximumPaths = 1;
        /// <summary>Neighbours (<see cref="BgpNeighbor"/>).</summary>
        public readonly ArrayList Neighbors = new ArrayList();
        /// <summary>Compare MED between paths from different neighbour ASes (RFC 4271 §9.1.2.2 c allows it as an option).</summary>
        public bool AlwaysCompareMed;

        /// <inheritdoc/>
        public string Path { get { return PathText; } }

        /// <inheritdoc/>
        public IConfigSection CreateEmpty() { return new BgpSection(); }

        /// <summary>Neighbour <paramref name="i"/>.</summary>
        public BgpNeighbor At(int i) { return (BgpNeighbor)Neighbors[i]; }

        /// <summary>Neighbour by address, or null.</summary>
        public BgpNeighbor Find(uint address)
        {
            for (int i = 0; i < Neighbors.Count; i++) if (At(i).Address == address) return At(i);
            return null;
        }

        /// <summary>Local AS a neighbour's session uses (its override, else the global one).</summary>
        public uint EffectiveLocalAs(BgpNeighbor n) { return n.LocalAs != 0 ? n.LocalAs : LocalAs; }

        /// <summary>The tunnel a neighbour's session runs over: its <c>tunnel</c>, else the tunnel whose inside subnet holds it.</summary>
        public static TunnelInterface TunnelOf(ConfigModel model, BgpNeighbor n)
        {
            TunnelSection ts = model.Tunnels;
            if (ts == null) return null;
            if (n.Tunnel != null) return ts.Find(n.Tunnel);
            return ts.FindContaining(n.Address);
        }

        /// <summary>True when 0 or AS_TRANS: not usable as an AS (RFC 7607, RFC 6793).</summary>
        public static bool IsInvalidAsn(uint asn) { return asn == 0 || asn == AsTrans; }

        /// <inheritdoc/>
        public void ParseLine(ParseContext ctx, int i)
        {
            const string keywords = "local-as|router-id|network|maximum-paths|always-compare-med|neighbor";
            if (!ctx.Need(i, keywords)) return;
            string k = ctx.Token(i);
            if (k == "local-as")
            {
                uint a;
                if (ctx.ReadAsn(i + 1, "local-as", out a) && ctx.End(i + 2) && ctx.ClaimLeaf(i + 1)) { LocalAs = a; LocalAsLine = ctx.Line; }
            }
            else if (k == "router-id")
            {
                uint a;
                if (ctx.ReadAddress(i + 1, "router-id", out a) && ctx.End(i + 2) && ctx.ClaimLeaf(i + 1))
                {
                    if (a == 0) { ctx.Error(i + 1, "router-id-zero", "the BGP identifier must not be 0.0.0.0 (RFC 6286)"); return; }
                    HasRouterId = true;
                    RouterId = a;
                }
            }
            else if (k == "network")
            {
                Ipv4Prefix p;
                if (!ctx.ReadPrefix(i + 1, "network", true, out p) || !ctx.End(i + 2)) return;
                if (LocatedPrefix.IndexOf(Networks, p) >= 0) { ctx.Error(i + 1, "duplicate-value", "network listed twice"); return; }
                if (Networks.Count >= MaxNetworks) { ctx.Error(i + 1, "too-many", "at most " + MaxNetworks.ToString() + " networks"); return; }
                Networks.Add(new LocatedPrefix(p, ctx.Line));
            }
            else if (k == "maximum-paths")
            {
                int n;
                if (ctx.ReadInt(i + 1, "maximum-paths", 1, 16, out n) && ctx.End(i + 2) && ctx.ClaimLeaf(i + 1)) MaximumPaths = n;
            }
            else if (k == "always-compare-med")
            {
                if (ctx.End(i + 1)) AlwaysCompareMed = true;
            }
            else if (k == "neighbor") ParseNeighbor(ctx, i + 1);
            else ctx.UnknownKeyword(i, keywords);
        }

        private void ParseNeighbor(ParseContext ctx, int i)
        {
            const string keywords = "remote-as|local-as|tunnel|update-source|ebgp-multihop|timers|prefix-list|as-path-prepend|med|maximum-prefix|maximum-prefix-action|maximum-prefix-restart|connect-mode|graceful-restart|export-community";
            uint addr;
            if (!ctx.ReadAddress(i, "neighbor address", out addr)) return;
            if (!ctx.Need(i + 1, keywords)) return;
            BgpNeighbor n = Find(addr);
            if (n == null)
            {
                if (Neighbors.Count >= MaxNeighbors) { ctx.Error(i, "too-many", "at most " + MaxNeighbors.ToString() + " neighbors"); return; }
                n = new BgpNeighbor(addr, ctx.Line);
                Neighbors.Add(n);
            }
            string k = ctx.Token(i + 1);
            int v = i + 2;
            int x;
            uint u;
            if (k == "remote-as")
            {
                if (ctx.ReadAsn(v, "remote-as", out u) && ctx.End(v + 1) && ctx.ClaimLeaf(v)) { n.RemoteAs = u; n.RemoteAsLine = ctx.Line; }
            }
            else if (k == "local-as")
            {
                if (ctx.ReadAsn(v, "local-as", out u) && ctx.End(v + 1) && ctx.ClaimLeaf(v)) { n.LocalAs = u; n.LocalAsLine = ctx.Line; }
            }
            else if (k == "tunnel")
            {
                if (!ctx.Need(v, "tunnel interface name") || !ctx.End(v + 1) || !ctx.ClaimLeaf(v)) return;
                if (!TunnelSection.IsTunnelName(ctx.Token(v))) { ctx.Error(v, "tunnel-name", "a tunnel interface is named vti0..vti255"); return; }
                n.Tunnel = ctx.Token(v);
                n.TunnelLine = ctx.Line;
            }
            else if (k == "update-source")
            {
                if (ctx.ReadAddress(v, "update-source", out u) && ctx.End(v + 1) && ctx.ClaimLeaf(v)) { n.HasUpdateSource = true; n.UpdateSource = u; n.UpdateSourceLine = ctx.Line; }
            }
            else if (k == "ebgp-multihop")
            {
                if (ctx.ReadInt(v, "ebgp-multihop (TTL)", 1, 255, out x) && ctx.End(v + 1) && ctx.ClaimLeaf(v)) n.EbgpMultihop = x;
            }
            else if (k == "timers")
            {
                if (!ctx.Need(v, "keepalive|hold")) return;
                string t = ctx.Token(v);
                if (t == "keepalive")
                {
                    if (ctx.ReadInt(v + 1, "keepalive (seconds)", 0, 21845, out x) && ctx.End(v + 2) && ctx.ClaimLeaf(v + 1)) { n.Keepalive = x; n.KeepaliveLine = ctx.Line; }
                }
                else if (t == "hold")
                {
                    if (!ctx.ReadInt(v + 1, "hold time (seconds)", 0, 65535, out x) || !ctx.End(v + 2) || !ctx.ClaimLeaf(v + 1)) return;
                    if (x == 1 || x == 2) { ctx.Error(v + 1, "hold-time", "the hold time is 0 or at least 3 seconds (RFC 4271 section 4.2)"); return; }
                    n.Hold = x;
                    n.HoldLine = ctx.Line;
                }
                else ctx.UnknownKeyword(v, "keepalive|hold");
            }
            else if (k == "prefix-list")
            {
                if (!ctx.Need(v, "import|export")) return;
                string dir = ctx.Token(v);
                if (dir != "import" && dir != "export") { ctx.UnknownKeyword(v, "import|export"); return; }
                string name;
                if (!ctx.ReadName(v + 1, "prefix-list name", out name) || !ctx.End(v + 2) || !ctx.ClaimLeaf(v + 1)) return;
                if (dir == "import") { n.ImportList = name; n.ImportLine = ctx.Line; }
                else { n.ExportList = name; n.ExportLine = ctx.Line; }
            }
            else if (k == "as-path-prepend")
            {
                if (ctx.ReadInt(v, "as-path-prepend (count)", 1, 10, out x) && ctx.End(v + 1) && ctx.ClaimLeaf(v)) n.Prepend = x;
            }
            else if (k == "med")
            {
                if (ctx.ReadUInt(v, "med", 0, 0xFFFFFFFF, out u) && ctx.End(v + 1) && ctx.ClaimLeaf(v)) { n.HasMed = true; n.Med = u; }
            }
            else if (k == "maximum-prefix")
            {
                if (ctx.ReadInt(v, "maximum-prefix", 1, 1000000, out x) && ctx.End(v + 1) && ctx.ClaimLeaf(v)) n.MaximumPrefix = x;
            }
            else if (k == "maximum-prefix-action")
            {
                if (ctx.ReadChoice(v, "maximum-prefix-action", BgpNeighbor.MaximumPrefixActionNames, out x) && ctx.End(v + 1) && ctx.ClaimLeaf(v)) n.MaximumPrefixRestart = x == 1;
            }
            else if (k == "maximum-prefix-restart")
            {
                if (ctx.ReadInt(v, "maximum-prefix-restart (seconds)", 1, 65535, out x) && ctx.End(v + 1) && ctx.ClaimLeaf(v)) n.MaximumPrefixRestartSeconds = x;
            }
            else if (k == "connect-mode")
            {
                if (ctx.ReadChoice(v, "connect-mode", BgpNeighbor.ConnectModeNames, out x) && ctx.End(v + 1) && ctx.ClaimLeaf(v)) n.ConnectMode = x;
            }
            else if (k == "graceful-restart")
            {
                if (ctx.ReadChoice(v, "graceful-restart", new string[] { "enable", "disable" }, out x) && ctx.End(v + 1) && ctx.ClaimLeaf(v)) n.GracefulRestart = x == 0;
            }
            else if (k == "export-community")
            {
                if (!ctx.Need(v, "community (asn:value)") || !ctx.End(v + 1)) return;
                if (!BgpCommunity.TryParse(ctx.Token(v), out u)) { ctx.Error(v, "bad-value", "a community is asn:value (0-65535 each) or no-export|no-advertise|no-export-subconfed"); return; }
                if (n.ExportCommunities.IndexOf(u) >= 0) return;
                if (n.ExportCommunities.Count >= BgpNeighbor.MaxExportCommunities) { ctx.Error(v, "too-many", "at most " + BgpNeighbor.MaxExportCommunities.ToString() + " export communities per neighbor"); return; }
                n.ExportCommunities.Add(u);
            }
            else ctx.UnknownKeyword(i + 1, keywords);
        }

        /// <inheritdoc/>
        public void Print(ConfigWriter w)
        {
            if (LocalAs != 0) w.Set(PathText).Add("local-as").Add(LocalAs).End();
            if (HasRouterId) w.Set(PathText).Add("router-id").Add(Ipv4.Format(RouterId)).End();
            if (MaximumPaths != 1) w.Set(PathText).Add("maximum-paths").Add(MaximumPaths).End();
            if (AlwaysCompareMed) w.Set(PathText).Add("always-compare-med").End();
            Sorting.Sort(Networks, LocatedPrefix.Order);
            for (int i = 0; i < Networks.Count; i++) w.Set(PathText).Add("network").Add(((LocatedPrefix)Networks[i]).Prefix.ToString()).End();
            Sorting.Sort(Neighbors, ByAddress);
            for (int i = 0; i < Neighbors.Count; i++)
            {
                BgpNeighbor n = At(i);
                string path = PathText + " neighbor " + Ipv4.Format(n.Address);
                bool any = n.RemoteAs != 0;
                if (n.RemoteAs != 0) w.Set(path).Add("remote-as").Add(n.RemoteAs).End();
                if (n.LocalAs != 0) { w.Set(path).Add("local-as").Add(n.LocalAs).End(); any = true; }
                if (n.Tunnel != null) { w.Set(path).Add("tunnel").Add(n.Tunnel).End(); any = true; }
                if (n.HasUpdateSource) { w.Set(path).Add("update-source").Add(Ipv4.Format(n.UpdateSource)).End(); any = true; }
                if (n.EbgpMultihop != 0) { w.Set(path).Add("ebgp-multihop").Add(n.EbgpMultihop).End(); any = true; }
                if (n.Keepalive >= 0) { w.Set(path).Add("timers").Add("keepalive").Add(n.Keepalive).End(); any = true; }
                if (n.Hold >= 0) { w.Set(path).Add("timers").Add("hold").Add(n.Hold).End(); any = true; }
                if (n.ImportList != null) { w.Set(path).Add("prefix-list").Add("import").Add(n.ImportList).End(); any = true; }
                if (n.ExportList != null) { w.Set(path).Add("prefix-list").Add("export").Add(n.ExportList).End(); any = true; }
                if (n.Prepend != 0) { w.Set(path).Add("as-path-prepend").Add(n.Prepend).End(); any = true; }
                if (n.HasMed) { w.Set(path).Add("med").Add(n.Med).End(); any = true; }
                if (n.MaximumPrefixRestart) { w.Set(path).Add("maximum-prefix-action").Add("restart").End(); any = true; }
                if (n.MaximumPrefixRestartSeconds != 0) { w.Set(path).Add("maximum-prefix-restart").Add(n.MaximumPrefixRestartSeconds).End(); any = true; }
                if (n.ConnectMode != 0) { w.Set(path).Add("connect-mode").Add(BgpNeighbor.ConnectModeNames[n.ConnectMode]).End(); any = true; }
                if (!n.GracefulRestart) { w.Set(path).Add("graceful-restart").Add("disable").End(); any = true; }
                for (int c = 0; c < n.ExportCommunities.Count; c++) { w.Set(path).Add("export-community").Add(BgpCommunity.Format(n.ExportCommunityAt(c))).End(); any = true; }
                if (n.MaximumPrefix != 0 || !any) w.Set(path).Add("maximum-prefix").Add(n.MaximumPrefix != 0 ? n.MaximumPrefix : 1000000).End();
            }
        }

        /// <inheritdoc/>
        public void Validate(ConfigModel model, DiagnosticList d)
        {
            if (LocalAs != 0 && IsInvalidAsn(LocalAs)) d.Error(LocalAsLine, LocalAs.ToString(), "asn-reserved", AsnReason(LocalAs));
            if (Neighbors.Count > 0 && LocalAs == 0)
            {
                d.Error(At(0).Line, Ipv4.Format(At(0).Address), "bgp-local-as-missing", "BGP neighbors need 'set protocols bgp local-as'");
            }
            InterfacesSection ifs = model.Interfaces;
            if (Neighbors.Count > 0 && !HasRouterId && ifs != null && ifs.Loopbacks.Count == 0 && !ifs.Lan.HasAddress)
            {
                d.Error(At(0).Line, Ipv4.Format(At(0).Address), "router-id-missing", "set 'protocols bgp router-id' (or a loopback or LAN address to derive it from)");
            }
            PolicySection pol = model.Policy;
            for (int i = 0; i < Neighbors.Count; i++)
            {
                BgpNeighbor n = At(i);
                string id = Ipv4.Format(n.Address);
                if (n.RemoteAs == 0) d.Error(n.Line, id, "remote-as-missing", "neighbor " + id + " needs 'remote-as'");
                else if (IsInvalidAsn(n.RemoteAs)) d.Error(n.RemoteAsLine, n.RemoteAs.ToString(), "asn-reserved", AsnReason(n.RemoteAs));
                if (n.LocalAs != 0 && IsInvalidAsn(n.LocalAs)) d.Error(n.LocalAsLine, n.LocalAs.ToString(), "asn-reserved", AsnReason(n.LocalAs));
                if (ifs != null && ifs.IsLocalAddress(n.Address)) d.Error(n.Line, id, "neighbor-address-local", "the neighbor address is one of our own addresses");
                if (n.Tunnel != null && (model.Tunnels == null || model.Tunnels.Find(n.Tunnel) == null))
                {
                    d.Error(n.TunnelLine, n.Tunnel, "unknown-tunnel", "no 'vpn tunnel " + n.Tunnel + "'");
                }
                TunnelInterface t = TunnelOf(model, n);
                if (t != null && t.HasAddress && t.Address.Address == n.Address)
                {
                    d.Error(n.Line, id, "neighbor-address-local", "the neighbor address is our own inside address of " + t.Name);
                }
                if (n.HasUpdateSource && !IsOwnAddress(model, n.UpdateSource))
                {
                    d.Error(n.UpdateSourceLine, Ipv4.Format(n.UpdateSource), "update-source-not-local", "update-source must be one of our addresses (LAN, WAN, loopback, tunnel)");
                }
                CheckList(pol, n.ImportList, n.ImportLine, d);
                CheckList(pol, n.ExportList, n.ExportLine, d);
                if (n.Keepalive > 0 && n.EffectiveHold > 0 && n.Keepalive > n.EffectiveHold / 3)
                {
                    d.Warning(n.KeepaliveLine, n.Keepalive.ToString(), "keepalive-hold", "keepalive is usually at most a third of the hold time (" + n.EffectiveHold.ToString() + " s; RFC 4271 section 10)");
                }
                bool ebgp = n.RemoteAs != 0 && n.RemoteAs != EffectiveLocalAs(n);
                if (ebgp && n.ImportList == null)
                {
                    d.Warning(n.Line, id, "rfc8212-no-import", "eBGP neighbor without 'prefix-list import': no route will be accepted (RFC 8212 default deny)");
                }
                if (ebgp && n.ExportList == null)
                {
                    d.Warning(n.Line, id, "rfc8212-no-export", "eBGP neighbor without 'prefix-list export': no route will be advertised (RFC 8212 default deny)");
                }
            }
        }

        private static void CheckList(PolicySection pol, string name, int line, DiagnosticList d)
        {
            if (name != null && (pol == null || pol.Find(name) == null)) d.Error(line, name, "unknown-prefix-list", "no 'policy prefix-list " + name + "'");
        }

        private static bool IsOwnAddress(ConfigModel model, uint a)
        {
            if (model.Interfaces != null && model.Interfaces.IsLocalAddress(a)) return true;
            TunnelSection ts = model.Tunnels;
            if (ts == null) return false;
            for (int i = 0; i < ts.Tunnels.Count; i++) if (ts.At(i).HasAddress && ts.At(i).Address.Address == a) return true;
            return false;
        }

        /// <summary>Why an AS number is unusable.</summary>
        public static string AsnReason(uint asn)
        {
            return asn == 0 ? "AS 0 is reserved and must not be used (RFC 7607)" : "AS 23456 is AS_TRANS, not a real AS (RFC 6793)";
        }

        /// <inheritdoc/>
        public bool ContentEquals(IConfigSection other, bool compareSecrets)
        {
            BgpSection o = other as BgpSection;
            if (o == null || o.LocalAs != LocalAs || o.HasRouterId != HasRouterId || o.RouterId != RouterId || o.MaximumPaths != MaximumPaths
                || o.AlwaysCompareMed != AlwaysCompareMed) return false;
            Sorting.Sort(Networks, LocatedPrefix.Order);
            Sorting.Sort(o.Networks, LocatedPrefix.Order);
            if (!LocatedPrefix.SameList(Networks, o.Networks) || o.Neighbors.Count != Neighbors.Count) return false;
            for (int i = 0; i < Neighbors.Count; i++)
            {
                BgpNeighbor h = o.Find(At(i).Address);
                if (h == null || !At(i).SameAs(h)) return false;
            }
            return true;
        }

        /// <inheritdoc/>
        public void Summarize(ConfigModel model, ArrayList lines)
        {
            if (LocalAs == 0 && Neighbors.Count == 0) return;
            lines.Add("bgp: local-as " + LocalAs.ToString() + ", " + Neighbors.Count.ToString() + (Neighbors.Count == 1 ? " neighbor" : " neighbors"));
        }

        /// <inheritdoc/>
        public void InheritSecrets(IConfigSection previous) { }

        /// <summary>Orders neighbours by address.</summary>
        public static readonly IComparer ByAddress = new AddressOrder();

        private sealed class AddressOrder : IComparer
        {
            public int Compare(object x, object y)
            {
                uint a = ((BgpNeighbor)x).Address, b = ((BgpNeighbor)y).Address;
                return a == b ? 0 : (a < b ? -1 : 1);
            }
        }
    }
}
