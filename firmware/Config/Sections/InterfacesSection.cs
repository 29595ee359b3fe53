using System.Collections;

namespace VpnAppliance.Config
{
    /// <summary>
    /// <c>set interfaces ...</c>: the two Ethernet ports and loopback addresses. Tunnel interfaces are
    /// <c>vpn tunnel</c> (one per connection).
    /// <code>
    /// set interfaces lan address &lt;a.b.c.d/nn&gt;
    /// set interfaces lan mtu &lt;576-9000&gt;
    /// set interfaces wan address &lt;a.b.c.d/nn&gt;
    /// set interfaces wan gateway &lt;a.b.c.d&gt;
    /// set interfaces wan mtu &lt;576-9000&gt;
    /// set interfaces loopback address &lt;a.b.c.d/32&gt;     (repeatable, up to 8)
    /// </code>
    /// </summary>
    public sealed class InterfacesSection : IConfigSection
    {
        /// <summary>Keyword path.</summary>
        public const string PathText = "interfaces";
        /// <summary>Most loopback addresses.</summary>
        public const int MaxLoopbacks = 8;

        /// <summary>LAN port.</summary>
        public readonly EthernetInterface Lan = new EthernetInterface("lan");
        /// <summary>WAN port.</summary>
        public readonly EthernetInterface Wan = new EthernetInterface("wan");
        /// <summary>Loopback /32s (<see cref="LocatedPrefix"/>), sorted when printed.</summary>
        public readonly ArrayList Loopbacks = new ArrayList();

        /// <inheritdoc/>
        public string Path { get { return PathText; } }

        /// <inheritdoc/>
        public IConfigSection CreateEmpty() { return new InterfacesSection(); }

        /// <inheritdoc/>
        public void ParseLine(ParseContext ctx, int i)
        {
            if (!ctx.Need(i, "lan|wan|loopback")) return;
            string port = ctx.Token(i);
            if (port == "loopback")
            {
                if (!ctx.Need(i + 1, "address")) return;
                if (ctx.Token(i + 1) != "address") { ctx.UnknownKeyword(i + 1, "address"); return; }
                Ipv4Prefix p;
                if (!ctx.ReadPrefix(i + 2, "loopback address", false, out p) || !ctx.End(i + 3)) return;
                if (p.Length != 32) { ctx.Error(i + 2, "loopback-32", "a loopback address is a /32"); return; }
                if (LocatedPrefix.IndexOf(Loopbacks, p) >= 0) { ctx.Error(i + 2, "duplicate-value", "loopback address listed twice"); return; }
                if (Loopbacks.Count >= MaxLoopbacks) { ctx.Error(i + 2, "too-many", "at most " + MaxLoopbacks.ToString() + " loopback addresses"); return; }
                Loopbacks.Add(new LocatedPrefix(p, ctx.Line));
                return;
            }
            EthernetInterface e;
            if (port == "lan") e = Lan;
            else if (port == "wan") e = Wan;
            else { ctx.UnknownKeyword(i, "lan|wan|loopback"); return; }
            bool wan = e == Wan;
            if (!ctx.Need(i + 1, wan ? "address|gateway|mtu" : "address|mtu")) return;
            string k = ctx.Token(i + 1);
            if (k == "address")
            {
                Ipv4Prefix p;
                if (!ctx.ReadPrefix(i + 2, port + " address", false, out p) || !ctx.End(i + 3) || !ctx.ClaimLeaf(i + 2)) return;
                if (p.Length < 1 || p.Length > 31) { ctx.Error(i + 2, "interface-prefix", "an interface prefix length is 1..31"); return; }
                e.HasAddress = true;
                e.Address = p;
                e.AddressLine = ctx.Line;
            }
            else if (k == "mtu")
            {
                int mtu;
                if (!ctx.ReadInt(i + 2, "mtu", 576, 9000, out mtu) || !ctx.End(i + 3) || !ctx.ClaimLeaf(i + 2)) return;
                e.Mtu = mtu;
            }
            else if (k == "gateway" && wan)
            {
                uint g;
                if (!ctx.ReadAddress(i + 2, "gateway", out g) || !ctx.End(i + 3) || !ctx.ClaimLeaf(i + 2)) return;
                e.HasGateway = true;
                e.Gateway = g;
                e.GatewayLine = ctx.Line;
            }
            else ctx.UnknownKeyword(i + 1, wan ? "address|gateway|mtu" : "address|mtu");
        }

        /// <inheritdoc/>
        public void Print(ConfigWriter w)
        {
            PrintPort(w, Lan);
            PrintPort(w, Wan);
            Sorting.Sort(Loopbacks, LocatedPrefix.Order);
            for (int i = 0; i < Loopbacks.Count; i++) w.Set("interfaces loopback address").Add(((LocatedPrefix)Loopbacks[i]).Prefix.ToString()).End();
        }

        private static void PrintPort(ConfigWriter w, EthernetInterface e)
        {
            string path = "interfaces " + e.Name;
            if (e.HasAddress) w.Set(path).Add("address").Add(e.Address.ToString()).End();
            if (e.HasGateway) w.Set(path).Add("gateway").Add(Ipv4.Format(e.Gateway)).End();
            if (e.Mtu != EthernetInterface.DefaultMtu) w.Set(path).Add("mtu").Add(e.Mtu).End();
        }

        /// <inheritdoc/>
        public void Validate(ConfigModel model, DiagnosticList d)
        {
            CheckHostAddress(Lan, d);
            CheckHostAddress(Wan, d);
            if (Lan.HasAddress && Wan.HasAddress && Lan.Address.Overlaps(Wan.Address))
            {
                d.Error(Wan.AddressLine, Wan.Address.ToString(), "interface-overlap", "the WAN subnet overlaps the LAN subnet " + Lan.Address.ToString());
            }
            if (Wan.HasGateway)
            {
                if (!Wan.HasAddress) d.Error(Wan.GatewayLine, Ipv4.Format(Wan.Gateway), "gateway-without-address", "set interfaces wan address first");
                else if (!Wan.Address.Contains(Wan.Gateway) || Wan.Gateway == Wan.Address.Address)
                {
                    d.Error(Wan.GatewayLine, Ipv4.Format(Wan.Gateway), "gateway-not-on-link", "the gateway must be another address in the WAN subnet " + Wan.Address.ToString());
                }
            }
            for (int i = 0; i < Loopbacks.Count; i++)
            {
                LocatedPrefix l = (LocatedPrefix)Loopbacks[i];
                if ((Lan.HasAddress && Lan.Address.Contains(l.Prefix.Address)) || (Wan.HasAddress && Wan.Address.Contains(l.Prefix.Address)))
                {
                    d.Error(l.Line, l.Prefix.ToString(), "interface-overlap", "a loopback address must not be inside the LAN or WAN subnet");
                }
            }
        }

        private static void CheckHostAddress(EthernetInterface e, DiagnosticList d)
        {
            if (!e.HasAddress || e.Address.Length > 30) return;
            if (e.Address.Address == e.Address.Network || e.Address.Address == e.Address.Last)
            {
                d.Error(e.AddressLine, e.Address.ToString(), "interface-address-host", "the " + e.Name + " address is the network or broadcast address of its subnet");
            }
        }

        /// <summary>True when <paramref name="a"/> is one of our own addresses (LAN, WAN, loopback).</summary>
        public bool IsLocalAddress(uint a)
        {
            if (Lan.HasAddress && Lan.Address.Address == a) return true;
            if (Wan.HasAddress && Wan.Address.Address == a) return true;
            for (int i = 0; i < Loopbacks.Count; i++) if (((LocatedPrefix)Loopbacks[i]).Prefix.Address == a) return true;
            return false;
        }

        /// <inheritdoc/>
        public bool ContentEquals(IConfigSection other, bool compareSecrets)
        {
            InterfacesSection o = other as InterfacesSection;
            if (o == null || !o.Lan.SameAs(Lan) || !o.Wan.SameAs(Wan)) return false;
            Sorting.Sort(Loopbacks, LocatedPrefix.Order);
            Sorting.Sort(o.Loopbacks, LocatedPrefix.Order);
            return LocatedPrefix.SameList(Loopbacks, o.Loopbacks);
        }

        /// <inheritdoc/>
        public void Summarize(ConfigModel model, ArrayList lines)
        {
            string s = "interfaces: lan " + (Lan.HasAddress ? Lan.Address.ToString() : "(no address)")
                + ", wan " + (Wan.HasAddress ? Wan.Address.ToString() : "(no address)");
            if (Loopbacks.Count > 0) s = s + ", " + Loopbacks.Count.ToString() + " loopback";
            lines.Add(s);
        }

        /// <inheritdoc/>
        public void InheritSecrets(IConfigSection previous) { }
    }
}
