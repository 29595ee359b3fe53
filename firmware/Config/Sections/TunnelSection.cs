using System.Collections;

namespace VpnAppliance.Config
{
    /// <summary>
    /// <c>set vpn tunnel vtiN ...</c>:
    /// <code>
    /// peer &lt;name&gt;                  the connection it carries (required, one tunnel per peer)
    /// address &lt;a.b.c.d/nn&gt;        our inside address (required), e.g. 169.254.21.2/30
    /// mtu &lt;576-1500&gt;              default 1400
    /// mss &lt;536-1460&gt;              TCP MSS clamp, default mtu - 40
    /// local-ts &lt;prefix&gt;           narrow local traffic selector (repeatable; default 0.0.0.0/0)
    /// remote-ts &lt;prefix&gt;          narrow remote traffic selector (repeatable; default 0.0.0.0/0)
    /// </code>
    /// </summary>
    public sealed class TunnelSection : IConfigSection
    {
        /// <summary>Keyword path.</summary>
        public const string PathText = "vpn tunnel";
        /// <summary>Most tunnels.</summary>
        public const int MaxTunnels = 16;
        /// <summary>Most traffic selectors per direction.</summary>
        public const int MaxSelectors = 8;
        /// <summary>Worst-case ESP-in-UDP overhead over the WAN MTU (IPv4 20 + UDP 8 + ESP 8 + IV 16 + pad 15 + trailer 2 + ICV 16, RFC 4303, RFC 3948).</summary>
        public const int EspOverhead = 85;

        /// <summary>The tunnels (<see cref="TunnelInterface"/>).</summary>
        public readonly ArrayList Tunnels = new ArrayList();

        /// <inheritdoc/>
        public string Path { get { return PathText; } }

        /// <inheritdoc/>
        public IConfigSection CreateEmpty() { return new TunnelSection(); }

        /// <summary>Tunnel <paramref name="i"/>.</summary>
        public TunnelInterface At(int i) { return (TunnelInterface)Tunnels[i]; }

        /// <summary>Tunnel by name, or null.</summary>
        public TunnelInterface Find(string name)
        {
            for (int i = 0; i < Tunnels.Count; i++) if (At(i).Name == name) return At(i);
            return null;
        }

        /// <summary>First tunnel carrying <paramref name="peer"/>, or null.</summary>
        public TunnelInterface FindByPeer(string peer)
        {
            for (int i = 0; i < Tunnels.Count; i++) if (At(i).Peer == peer) return At(i);
            return null;
        }

        /// <summary>Tunnel whose inside subnet contains <paramref name="address"/>, or null.</summary>
        public TunnelInterface FindContaining(uint address)
        {
            for (int i = 0; i < Tunnels.Count; i++) if (At(i).HasAddress && At(i).Address.Contains(address)) return At(i);
            return null;
        }

        /// <summary>True for <c>vti0</c>..<c>vti255</c>.</summary>
        public static bool IsTunnelName(string s)
        {
            if (s == null || s.Length < 4 || s.Length > 6 || !s.StartsWith("vti")) return false;
            uint n;
            return Numbers.TryParseUInt(s.Substring(3), out n) && n <= 255;
        }

        /// <inheritdoc/>
        public void ParseLine(ParseContext ctx, int i)
        {
            const string keywords = "peer|address|mtu|mss|local-ts|remote-ts";
            if (!ctx.Need(i, "tunnel interface name (vti0..vti255)")) return;
            string name = ctx.Token(i);
            if (!IsTunnelName(name)) { ctx.Error(i, "tunnel-name", "a tunnel interface is named vti0..vti255"); return; }
            if (!ctx.Need(i + 1, keywords)) return;
            TunnelInterface t = Find(name);
            if (t == null)
            {
                if (Tunnels.Count >= MaxTunnels) { ctx.Error(i, "too-many", "at most " + MaxTunnels.ToString() + " tunnels"); return; }
                t = new TunnelInterface(name, ctx.Line);
                Tunnels.Add(t);
            }
            string k = ctx.Token(i + 1);
            int v = i + 2;
            int n;
            if (k == "peer")
            {
                string p;
                if (!ctx.ReadName(v, "peer name", out p) || !ctx.End(v + 1) || !ctx.ClaimLeaf(v)) return;
                t.Peer = p;
                t.PeerLine = ctx.Line;
            }
            else if (k == "address")
            {
                Ipv4Prefix a;
                if (!ctx.ReadPrefix(v, "inside address", false, out a) || !ctx.End(v + 1) || !ctx.ClaimLeaf(v)) return;
                if (a.Length < 8 || a.Length > 32) { ctx.Error(v, "interface-prefix", "an inside address has a prefix length of 8..32"); return; }
                t.HasAddress = true;
                t.Address = a;
                t.AddressLine = ctx.Line;
            }
            else if (k == "mtu")
            {
                if (!ctx.ReadInt(v, "tunnel mtu", 576, 1500, out n) || !ctx.End(v + 1) || !ctx.ClaimLeaf(v)) return;
                t.Mtu = n;
                t.MtuLine = ctx.Line;
            }
            else if (k == "mss")
            {
                if (!ctx.ReadInt(v, "tcp mss", 536, 1460, out n) || !ctx.End(v + 1) || !ctx.ClaimLeaf(v)) return;
                t.Mss = n;
                t.MssLine = ctx.Line;
            }
            else if (k == "local-ts" || k == "remote-ts")
            {
                Ipv4Prefix p;
                if (!ctx.ReadPrefix(v, "traffic selector", true, out p) || !ctx.End(v + 1)) return;
                ArrayList list = k == "local-ts" ? t.LocalTs : t.RemoteTs;
                if (LocatedPrefix.IndexOf(list, p) >= 0) { ctx.Error(v, "duplicate-value", "traffic selector listed twice"); return; }
                if (list.Count >= MaxSelectors) { ctx.Error(v, "too-many", "at most " + MaxSelectors.ToString() + " selectors per direction"); return; }
                list.Add(new LocatedPrefix(p, ctx.Line));
            }
            else ctx.UnknownKeyword(i + 1, keywords);
        }

        /// <inheritdoc/>
        public void Print(ConfigWriter w)
        {
            Sorting.Sort(Tunnels, ByNumber);
            for (int i = 0; i < Tunnels.Count; i++)
            {
                TunnelInterface t = At(i);
                string path = PathText + " " + t.Name;
                bool any = false;
                if (t.Peer != null) { w.Set(path).Add("peer").Add(t.Peer).End(); any = true; }
                if (t.HasAddress) { w.Set(path).Add("address").Add(t.Address.ToString()).End(); any = true; }
                if (t.Mtu != TunnelInterface.DefaultMtu || !any) w.Set(path).Add("mtu").Add(t.Mtu).End();
                if (t.Mss != 0) w.Set(path).Add("mss").Add(t.Mss).End();
                PrintSelectors(w, path, "local-ts", t.LocalTs);
                PrintSelectors(w, path, "remote-ts", t.RemoteTs);
            }
        }

        private static void PrintSelectors(ConfigWriter w, string path, string keyword, ArrayList list)
        {
            Sorting.Sort(list, LocatedPrefix.Order);
            for (int i = 0; i < list.Count; i++) w.Set(path).Add(keyword).Add(((LocatedPrefix)list[i]).Prefix.ToString()).End();
        }

        /// <inheritdoc/>
        public void Validate(ConfigModel model, DiagnosticList d)
        {
            InterfacesSection ifs = model.Interfaces;
            for (int i = 0; i < Tunnels.Count; i++)
            {
                TunnelInterface t = At(i);
                if (t.Peer == null) d.Error(t.Line, t.Name, "tunnel-peer-missing", "tunnel " + t.Name + " needs 'peer'");
                else
                {
                    if (model.Peers == null || model.Peers.Find(t.Peer) == null) d.Error(t.PeerLine, t.Peer, "unknown-peer", "no 'vpn peer " + t.Peer + "'");
                    for (int k = 0; k < i; k++)
                    {
                        if (At(k).Peer == t.Peer) d.Error(t.PeerLine, t.Peer, "peer-shared", "peer already carried by " + At(k).Name + "; one route-based interface per connection");
                    }
                }
                if (!t.HasAddress) d.Error(t.Line, t.Name, "tunnel-address-missing", "tunnel " + t.Name + " needs 'address' (its inside address)");
                else
                {
                    if (t.Address.Length <= 30 && (t.Address.Address == t.Address.Network || t.Address.Address == t.Address.Last))
                    {
                        d.Error(t.AddressLine, t.Address.ToString(), "interface-address-host", "the inside address is the network or broadcast address of its subnet");
                    }
                    for (int k = 0; k < i; k++)
                    {
                        if (At(k).HasAddress && At(k).Address.Overlaps(t.Address))
                        {
                            d.Error(t.AddressLine, t.Address.ToString(), "tunnel-overlap", "inside subnet overlaps that of " + At(k).Name);
                        }
                    }
                    if (ifs != null && ((ifs.Lan.HasAddress && ifs.Lan.Address.Overlaps(t.Address)) || (ifs.Wan.HasAddress && ifs.Wan.Address.Overlaps(t.Address))))
                    {
                        d.Error(t.AddressLine, t.Address.ToString(), "tunnel-overlap", "inside subnet overlaps the LAN or WAN subnet");
                    }
                }
                if (t.Mss != 0 && t.Mss > t.Mtu - 40)
                {
                    d.Error(t.MssLine, t.Mss.ToString(), "mss-above-mtu", "mss must be at most mtu - 40 (" + (t.Mtu - 40).ToString() + ")");
                }
                if (ifs != null && t.Mtu > ifs.Wan.Mtu - EspOverhead)
                {
                    d.Warning(t.MtuLine != 0 ? t.MtuLine : t.Line, t.Mtu.ToString(), "tunnel-mtu-overhead",
                        "with ESP-in-UDP overhead (up to " + EspOverhead.ToString() + " bytes) packets of this size exceed the WAN MTU " + ifs.Wan.Mtu.ToString() + " and are fragmented");
                }
            }
        }

        /// <inheritdoc/>
        public bool ContentEquals(IConfigSection other, bool compareSecrets)
        {
            TunnelSection o = other as TunnelSection;
            if (o == null || o.Tunnels.Count != Tunnels.Count) return false;
            for (int i = 0; i < Tunnels.Count; i++)
            {
                TunnelInterface h = o.Find(At(i).Name);
                if (h == null || !At(i).SameAs(h)) return false;
            }
            return true;
        }

        /// <inheritdoc/>
        public void Summarize(ConfigModel model, ArrayList lines) { } // counted in the "vpn:" line of PeerSection

        /// <inheritdoc/>
        public void InheritSecrets(IConfigSection previous) { }

        /// <summary>Orders tunnels by interface number.</summary>
        public static readonly IComparer ByNumber = new NumberOrder();

        private sealed class NumberOrder : IComparer
        {
            public int Compare(object x, object y)
            {
                string a = ((TunnelInterface)x).Name;
                string b = ((TunnelInterface)y).Name;
                if (a.Length != b.Length) return a.Length < b.Length ? -1 : 1;
                return Names.Compare(a, b);
            }
        }
    }
}
