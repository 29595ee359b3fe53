using System.Collections;

namespace VpnAppliance.Config
{
    /// <summary>
    /// <c>set vpn peer &lt;name&gt; ...</c>:
    /// <code>
    /// address &lt;a.b.c.d&gt;                     remote gateway (required)
    /// profile azure|alibaba|aws|gcp|generic     default generic; turns on that cloud's rules
    /// psk &lt;secret&gt;                          1-128 printable characters (quote if it has spaces); printed as ******
    /// local-id &lt;id&gt;                         a.b.c.d | @fqdn | @#hex   default: WAN address
    /// remote-id &lt;id&gt;                        a.b.c.d | @fqdn | @#hex   default: peer address
    /// ike-group &lt;name&gt;                      (required)
    /// esp-group &lt;name&gt;                      (required)
    /// connection-type initiate|respond         default initiate
    /// </code>
    /// </summary>
    public sealed class PeerSection : IConfigSection
    {
        /// <summary>Keyword path.</summary>
        public const string PathText = "vpn peer";
        /// <summary>Most peers.</summary>
        public const int MaxPeers = 16;
        /// <summary>Rule reported for a withheld secret that could not be restored.</summary>
        public const string RuleMasked = "psk-masked";

        /// <summary>The peers (<see cref="VpnPeer"/>).</summary>
        public readonly ArrayList Peers = new ArrayList();

        /// <inheritdoc/>
        public string Path { get { return PathText; } }

        /// <inheritdoc/>
        public IConfigSection CreateEmpty() { return new PeerSection(); }

        /// <summary>Peer by name, or null.</summary>
        public VpnPeer Find(string name)
        {
            for (int i = 0; i < Peers.Count; i++) if (((VpnPeer)Peers[i]).Name == name) return (VpnPeer)Peers[i];
            return null;
        }

        /// <summary>Peer <paramref name="i"/>.</summary>
        public VpnPeer At(int i) { return (VpnPeer)Peers[i]; }

        /// <inheritdoc/>
        public void ParseLine(ParseContext ctx, int i)
        {
            const string keywords = "address|profile|psk|local-id|remote-id|ike-group|esp-group|connection-type";
            string name;
            if (!ctx.ReadName(i, "peer name", out name)) return;
            if (!ctx.Need(i + 1, keywords)) return;
            VpnPeer p = Find(name);
            if (p == null)
            {
                if (Peers.Count >= MaxPeers) { ctx.Error(i, "too-many", "at most " + MaxPeers.ToString() + " peers"); return; }
                p = new VpnPeer(name, ctx.Line);
                Peers.Add(p);
            }
            string k = ctx.Token(i + 1);
            int v = i + 2;
            if (k == "address")
            {
                uint a;
                if (!ctx.ReadAddress(v, "peer address", out a) || !ctx.End(v + 1) || !ctx.ClaimLeaf(v)) return;
                p.HasAddress = true;
                p.Address = a;
                p.AddressLine = ctx.Line;
            }
            else if (k == "profile")
            {
                int c;
                if (!ctx.ReadChoice(v, "profile", CloudProfiles.Names, out c) || !ctx.End(v + 1) || !ctx.ClaimLeaf(v)) return;
                p.Profile = CloudProfiles.Names[c];
                p.ProfileLine = ctx.Line;
            }
            else if (k == "psk")
            {
                if (!ctx.Need(v, "the pre-shared key")) return;
                if (ctx.Count > v + 1)
                {
                    // Never echo any part of a secret: an unquoted key with spaces arrives as several tokens.
                    ctx.Diagnostics.Error(ctx.Line, ParseContext.SecretToken, "extra-token", "a pre-shared key with spaces must be in double quotes");
                    return;
                }
                if (!ctx.ClaimLeaf(v, true)) return;
                string s = ctx.Token(v);
                p.PskLine = ctx.Line;
                if (s == ConfigWriter.Mask)
                {
                    p.Psk = null;
                    p.PskMasked = true;
                    return;
                }
                if (s.Length == 0 || s.Length > VpnPeer.MaxPskChars)
                {
                    ctx.Diagnostics.Error(ctx.Line, ParseContext.SecretToken, "psk-length", "a pre-shared key has 1-" + VpnPeer.MaxPskChars.ToString() + " characters");
                    return;
                }
                p.Psk = s;
                p.PskMasked = false;
            }
            else if (k == "local-id" || k == "remote-id")
            {
                if (!ctx.Need(v, "an identity (a.b.c.d, @fqdn or @#hex)") || !ctx.End(v + 1) || !ctx.ClaimLeaf(v)) return;
                IkeIdentity id = IkeIdentity.Parse(ctx.Token(v));
                if (id == null) { ctx.Error(v, "bad-identity", "an identity is a.b.c.d, @fqdn (or a name with a dot) or @#hex (key id)"); return; }
                if (k == "local-id") p.LocalId = id; else p.RemoteId = id;
            }
            else if (k == "ike-group" || k == "esp-group")
            {
                string g;
                if (!ctx.ReadName(v, k + " name", out g) || !ctx.End(v + 1) || !ctx.ClaimLeaf(v)) return;
                if (k == "ike-group") { p.IkeGroup = g; p.IkeGroupLine = ctx.Line; }
                else { p.EspGroup = g; p.EspGroupLine = ctx.Line; }
            }
            else if (k == "connection-type")
            {
                int c;
                if (!ctx.ReadChoice(v, "connection-type", VpnPeer.ConnectionTypeNames, out c) || !ctx.End(v + 1) || !ctx.ClaimLeaf(v)) return;
                p.ConnectionType = (ConnectionType)c;
                p.ConnectionTypeLine = ctx.Line;
            }
            else ctx.UnknownKeyword(i + 1, keywords);
        }

        /// <inheritdoc/>
        public void Print(ConfigWriter w)
        {
            Sorting.Sort(Peers, ByName);
            for (int i = 0; i < Peers.Count; i++)
            {
                VpnPeer p = At(i);
                string path = PathText + " " + p.Name;
                bool any = false;
                if (p.HasAddress) { w.Set(path).Add("address").Add(Ipv4.Format(p.Address)).End(); any = true; }
                if (p.Profile != GenericProfile.ProfileName || !any) w.Set(path).Add("profile").Add(p.Profile).End();
                if (p.Psk != null || p.PskMasked) w.Set(path).Add("psk").AddSecret(p.Psk == null ? ConfigWriter.Mask : p.Psk).End();
                if (p.LocalId != null) w.Set(path).Add("local-id").Add(p.LocalId.ToString()).End();
                if (p.RemoteId != null) w.Set(path).Add("remote-id").Add(p.RemoteId.ToString()).End();
                if (p.IkeGroup != null) w.Set(path).Add("ike-group").Add(p.IkeGroup).End();
                if (p.EspGroup != null) w.Set(path).Add("esp-group").Add(p.EspGroup).End();
                if (p.ConnectionType != ConnectionType.Initiate) w.Set(path).Add("connection-type").Add(VpnPeer.ConnectionTypeNames[(int)p.ConnectionType]).End();
            }
        }

        /// <inheritdoc/>
        public void Validate(ConfigModel model, DiagnosticList d)
        {
            InterfacesSection ifs = model.Interfaces;
            if (Peers.Count > 0 && ifs != null && !ifs.Wan.HasAddress)
            {
                d.Error(At(0).Line, At(0).Name, "wan-address-missing", "vpn peers need 'set interfaces wan address' (the IKE source address)");
            }
            for (int i = 0; i < Peers.Count; i++)
            {
                VpnPeer p = At(i);
                if (!p.HasAddress) d.Error(p.Line, p.Name, "peer-address-missing", "peer '" + p.Name + "' needs 'address'");
                else
                {
                    if (ifs != null && ifs.IsLocalAddress(p.Address)) d.Error(p.AddressLine, Ipv4.Format(p.Address), "peer-address-local", "the peer address is one of our own addresses");
                    for (int k = 0; k < i; k++)
                    {
                        if (At(k).HasAddress && At(k).Address == p.Address)
                        {
                            d.Error(p.AddressLine, Ipv4.Format(p.Address), "duplicate-peer-address", "peer '" + At(k).Name + "' has the same address");
                        }
                    }
                }
                if (p.PskMasked && p.Psk == null)
                {
                    if (d.SecretsRequired) d.Error(p.PskLine, ConfigWriter.Mask, RuleMasked, "the pre-shared key of peer '" + p.Name + "' is withheld and no running value exists; enter it in clear");
                    else d.Warning(p.PskLine, ConfigWriter.Mask, RuleMasked, "the pre-shared key is withheld in this text; the running value is kept on apply");
                }
                else if (p.Psk == null) d.Error(p.Line, p.Name, "psk-missing", "peer '" + p.Name + "' needs 'psk'");
                else if (p.Psk.Length < VpnPeer.WeakPskChars) d.Warning(p.PskLine, ParseContext.SecretToken, "psk-weak", "a pre-shared key shorter than " + VpnPeer.WeakPskChars.ToString() + " characters is easy to guess offline");
                CheckGroupRef(model, p, d);
                if (model.Tunnels != null && model.Tunnels.FindByPeer(p.Name) == null)
                {
                    d.Warning(p.Line, p.Name, "peer-unused", "no 'vpn tunnel' uses this peer; it will not be connected");
                }
                ICloudProfile profile = CloudProfiles.Find(p.Profile);
                if (profile != null) profile.Validate(model, p, d);
            }
        }

        private static void CheckGroupRef(ConfigModel model, VpnPeer p, DiagnosticList d)
        {
            if (p.IkeGroup == null) d.Error(p.Line, p.Name, "ike-group-missing", "peer '" + p.Name + "' needs 'ike-group'");
            else if (model.IkeGroups == null || model.IkeGroups.Find(p.IkeGroup) == null) d.Error(p.IkeGroupLine, p.IkeGroup, "unknown-ike-group", "no 'vpn ike-group " + p.IkeGroup + "'");
            if (p.EspGroup == null) d.Error(p.Line, p.Name, "esp-group-missing", "peer '" + p.Name + "' needs 'esp-group'");
            else if (model.EspGroups == null || model.EspGroups.Find(p.EspGroup) == null) d.Error(p.EspGroupLine, p.EspGroup, "unknown-esp-group", "no 'vpn esp-group " + p.EspGroup + "'");
        }

        /// <inheritdoc/>
        public bool ContentEquals(IConfigSection other, bool compareSecrets)
        {
            PeerSection o = other as PeerSection;
            if (o == null || o.Peers.Count != Peers.Count) return false;
            for (int i = 0; i < Peers.Count; i++)
            {
                VpnPeer h = o.Find(At(i).Name);
                if (h == null || !At(i).SameAs(h, compareSecrets)) return false;
            }
            return true;
        }

        /// <inheritdoc/>
        public void Summarize(ConfigModel model, ArrayList lines)
        {
            int tunnels = model.Tunnels == null ? 0 : model.Tunnels.Tunnels.Count;
            if (Peers.Count == 0 && tunnels == 0) return;
            System.Text.StringBuilder sb = new System.Text.StringBuilder("vpn: ");
            sb.Append(Peers.Count);
            sb.Append(Peers.Count == 1 ? " peer" : " peers");
            if (Peers.Count > 0)
            {
                sb.Append(" (");
                bool first = true;
                for (int n = 0; n < CloudProfiles.Names.Length; n++)
                {
                    int c = 0;
                    for (int i = 0; i < Peers.Count; i++) if (At(i).Profile == CloudProfiles.Names[n]) c++;
                    if (c == 0) continue;
                    if (!first) sb.Append(", ");
                    first = false;
                    sb.Append(CloudProfiles.Names[n]);
                    sb.Append(" x");
                    sb.Append(c);
                }
                sb.Append(')');
            }
            sb.Append(", ");
            sb.Append(tunnels);
            sb.Append(tunnels == 1 ? " tunnel" : " tunnels");
            lines.Add(sb.ToString());
        }

        /// <inheritdoc/>
        public void InheritSecrets(IConfigSection previous)
        {
            PeerSection old = previous as PeerSection;
            if (old == null) return;
            for (int i = 0; i < Peers.Count; i++)
            {
                VpnPeer p = At(i);
                if (!p.PskMasked) continue;
                VpnPeer o = old.Find(p.Name);
                if (o == null || o.Psk == null) continue;
                p.Psk = o.Psk;
                p.PskMasked = false;
            }
        }

        /// <summary>Orders peers by name.</summary>
        public static readonly IComparer ByName = new NameOrder();

        private sealed class NameOrder : IComparer
        {
            public int Compare(object x, object y) { return Names.Compare(((VpnPeer)x).Name, ((VpnPeer)y).Name); }
        }
    }
}
