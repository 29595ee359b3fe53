using System.Collections;

namespace VpnAppliance.Config
{
    /// <summary>
    /// <c>set protocols bfd peer &lt;a.b.c.d&gt; ...</c> (VyOS-style words; RFC 5880/5881 single hop):
    /// <code>
    /// (nothing)                              the session with the defaults: 300 ms x 3
    /// interval transmit &lt;10-60000&gt;          desired min TX interval, ms (default 300)
    /// interval receive &lt;10-60000&gt;           required min RX interval, ms (default 300)
    /// interval multiplier &lt;1-255&gt;           detect multiplier (default 3)
    /// source address &lt;a.b.c.d&gt;             our address (default: ours on the peer's subnet)
    /// shutdown                               hold the session AdminDown
    /// </code>
    /// The peer must be on a connected subnet (a tunnel's inside subnet or the LAN): single hop only. A BGP
    /// neighbour with the same address follows the session (it is torn down when the session goes down); a
    /// session no BGP neighbour uses is warned about.
    /// </summary>
    public sealed class BfdSection : IConfigSection
    {
        /// <summary>Keyword path.</summary>
        public const string PathText = "protocols bfd";
        /// <summary>Most BFD peers.</summary>
        public const int MaxPeers = 32;

        /// <summary>The peers (<see cref="BfdPeer"/>).</summary>
        public readonly ArrayList Peers = new ArrayList();

        /// <summary>The section of <paramref name="model"/> (null when the registry lacks it).</summary>
        public static BfdSection Of(ConfigModel model) { return (BfdSection)model.Section(PathText); }

        /// <inheritdoc/>
        public string Path { get { return PathText; } }

        /// <inheritdoc/>
        public IConfigSection CreateEmpty() { return new BfdSection(); }

        /// <summary>Peer <paramref name="i"/>.</summary>
        public BfdPeer At(int i) { return (BfdPeer)Peers[i]; }

        /// <summary>Peer by address, or null.</summary>
        public BfdPeer Find(uint address)
        {
            for (int i = 0; i < Peers.Count; i++) if (At(i).Address == address) return At(i);
            return null;
        }

        /// <inheritdoc/>
        public void ParseLine(ParseContext ctx, int i)
        {
            const string keywords = "interval|source|shutdown";
            if (!ctx.Need(i, "peer")) return;
            if (ctx.Token(i) != "peer") { ctx.UnknownKeyword(i, "peer"); return; }
            uint address;
            if (!ctx.ReadAddress(i + 1, "peer address", out address)) return;
            BfdPeer p = Find(address);
            if (p == null)
            {
                if (Peers.Count >= MaxPeers) { ctx.Error(i + 1, "too-many", "at most " + MaxPeers.ToString() + " BFD peers"); return; }
                p = new BfdPeer(address, ctx.Line);
                Peers.Add(p);
            }
            int k = i + 2;
            if (k >= ctx.Count) return;
            string word = ctx.Token(k);
            if (word == "interval")
            {
                const string which = "transmit|receive|multiplier";
                if (!ctx.Need(k + 1, which)) return;
                string w = ctx.Token(k + 1);
                int v;
                if (w == "transmit")
                {
                    if (ctx.ReadInt(k + 2, "transmit interval (ms)", BfdPeer.MinIntervalMs, BfdPeer.MaxIntervalMs, out v) && ctx.End(k + 3) && ctx.ClaimLeaf(k + 2)) p.TransmitMs = v;
                }
                else if (w == "receive")
                {
                    if (ctx.ReadInt(k + 2, "receive interval (ms)", BfdPeer.MinIntervalMs, BfdPeer.MaxIntervalMs, out v) && ctx.End(k + 3) && ctx.ClaimLeaf(k + 2)) p.ReceiveMs = v;
                }
                else if (w == "multiplier")
                {
                    if (ctx.ReadInt(k + 2, "multiplier", 1, 255, out v) && ctx.End(k + 3) && ctx.ClaimLeaf(k + 2)) p.Multiplier = v;
                }
                else ctx.UnknownKeyword(k + 1, which);
            }
            else if (word == "source")
            {
                if (!ctx.Need(k + 1, "address")) return;
                if (ctx.Token(k + 1) != "address") { ctx.UnknownKeyword(k + 1, "address"); return; }
                uint source;
                if (ctx.ReadAddress(k + 2, "source address", out source) && ctx.End(k + 3) && ctx.ClaimLeaf(k + 2))
                {
                    p.Source = source;
                    p.SourceLine = ctx.Line;
                }
            }
            else if (word == "shutdown")
            {
                if (ctx.End(k + 1)) p.Shutdown = true;
            }
            else ctx.UnknownKeyword(k, keywords);
        }

        /// <inheritdoc/>
        public void Print(ConfigWriter w)
        {
            Sorting.Sort(Peers, ByAddress);
            for (int i = 0; i < Peers.Count; i++)
            {
                BfdPeer p = At(i);
                string path = PathText + " peer " + Ipv4.Format(p.Address);
                bool any = false;
                if (p.TransmitMs != BfdPeer.DefaultIntervalMs) { w.Set(path).Add("interval").Add("transmit").Add(p.TransmitMs).End(); any = true; }
                if (p.ReceiveMs != BfdPeer.DefaultIntervalMs) { w.Set(path).Add("interval").Add("receive").Add(p.ReceiveMs).End(); any = true; }
                if (p.Multiplier != BfdPeer.DefaultMultiplier) { w.Set(path).Add("interval").Add("multiplier").Add(p.Multiplier).End(); any = true; }
                if (p.Source != 0) { w.Set(path).Add("source").Add("address").Add(Ipv4.Format(p.Source)).End(); any = true; }
                if (p.Shutdown) { w.Set(path).Add("shutdown").End(); any = true; }
                if (!any) w.Set(path).End();
            }
        }

        /// <inheritdoc/>
        public void Validate(ConfigModel model, DiagnosticList d)
        {
            for (int i = 0; i < Peers.Count; i++)
            {
                BfdPeer p = At(i);
                string id = Ipv4.Format(p.Address);
                uint ours = LocalAddressFor(model, p.Address);
                if (ours == 0)
                {
                    d.Error(p.Line, id, "bfd-peer-not-on-link", "a BFD peer must be on a tunnel's inside subnet or the LAN, and not our own address (single hop, RFC 5881)");
                }
                else if (p.Source != 0 && p.Source != ours)
                {
                    d.Error(p.SourceLine, Ipv4.Format(p.Source), "bfd-source-not-local", "the source address must be our address on the peer's subnet (" + Ipv4.Format(ours) + ")");
                }

                BgpSection bgp = model.Bgp;
                if (bgp == null || bgp.Find(p.Address) == null)
                {
                    d.Warning(p.Line, id, "bfd-peer-unused", "no 'protocols bgp neighbor " + id + "' follows this session");
                }
            }
        }

        /// <summary>
        /// Our address on the connected subnet holding <paramref name="peer"/>: the inside address of the tunnel
        /// whose subnet contains it, else the LAN address; 0 when none or when the peer is one of our addresses.
        /// </summary>
        public static uint LocalAddressFor(ConfigModel model, uint peer)
        {
            TunnelInterface t = model.Tunnels == null ? null : model.Tunnels.FindContaining(peer);
            if (t != null && t.HasAddress) return t.Address.Address != peer ? t.Address.Address : 0;
            InterfacesSection ifs = model.Interfaces;
            if (ifs != null && ifs.Lan.HasAddress && ifs.Lan.Address.Contains(peer) && !ifs.IsLocalAddress(peer)) return ifs.Lan.Address.Address;
            return 0;
        }

        /// <inheritdoc/>
        public bool ContentEquals(IConfigSection other, bool compareSecrets)
        {
            BfdSection o = other as BfdSection;
            if (o == null || o.Peers.Count != Peers.Count) return false;
            for (int i = 0; i < Peers.Count; i++)
            {
                BfdPeer b = o.Find(At(i).Address);
                if (b == null || !At(i).SameAs(b)) return false;
            }
            return true;
        }

        /// <inheritdoc/>
        public void Summarize(ConfigModel model, ArrayList lines)
        {
            if (Peers.Count > 0) lines.Add("bfd: " + Peers.Count.ToString() + (Peers.Count == 1 ? " peer" : " peers"));
        }

        /// <inheritdoc/>
        public void InheritSecrets(IConfigSection previous) { }

        /// <summary>Orders peers by address.</summary>
        public static readonly IComparer ByAddress = new AddressOrder();

        private sealed class AddressOrder : IComparer
        {
            public int Compare(object x, object y)
            {
                uint a = ((BfdPeer)x).Address, b = ((BfdPeer)y).Address;
                return a == b ? 0 : (a < b ? -1 : 1);
            }
        }
    }
}
