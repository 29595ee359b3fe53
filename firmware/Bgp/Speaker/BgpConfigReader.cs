using VpnAppliance.Bgp.Policy;
using VpnAppliance.Bgp.Session;
using VpnAppliance.Config;

namespace VpnAppliance.Bgp.Speaker
{
    /// <summary>
    /// Turns the configuration model (<c>protocols bgp</c>, <c>policy prefix-list</c>, the tunnels and the cloud
    /// profile of the VPN peer behind each tunnel) into BgpSpeakerSettings. Defaults come from the cloud:
    /// timers (azure 60/180, aws 10/30, gcp 20/60, else 60/180) and the prefix cap (4,000 / 100 / 50); the source
    /// address is update-source, else our inside address of the neighbour's tunnel; TTL is ebgp-multihop, else 1 for eBGP (directly connected) and IbgpTtl for iBGP.
    /// Prefix filters equal to those of <paramref name="previous"/> are reused, so an unchanged policy is seen as
    /// unchanged by BgpSpeaker.Configure (no needless ROUTE-REFRESH). Runs on configuration changes only.
    /// </summary>
    public static class BgpConfigReader
    {
        /// <summary>IP TTL of an iBGP session without ebgp-multihop (iBGP neighbours need not be adjacent; the IP default).</summary>
        public const int IbgpTtl = 64;

        /// <summary>Settings for <paramref name="model"/>; <paramref name="previous"/> (may be null) lends unchanged filters.</summary>
        public static BgpSpeakerSettings Read(ConfigModel model, BgpSpeakerSettings previous)
        {
            BgpSpeakerSettings s = new BgpSpeakerSettings();
            BgpSection bgp = model.Bgp;
            if (bgp == null)
            {
                return s;
            }

            s.LocalAs = bgp.LocalAs;
            s.RouterId = RouterId(model);
            s.MaximumPaths = bgp.MaximumPaths;
            s.AlwaysCompareMed = bgp.AlwaysCompareMed;
            s.NetworkAddress = new uint[bgp.Networks.Count];
            s.NetworkLength = new int[bgp.Networks.Count];
            for (int i = 0; i < bgp.Networks.Count; i++)
            {
                Ipv4Prefix p = ((LocatedPrefix)bgp.Networks[i]).Prefix;
                s.NetworkAddress[i] = p.Network;
                s.NetworkLength[i] = p.Length;
            }

            s.Peers = new BgpPeerConfig[bgp.Neighbors.Count];
            for (int i = 0; i < bgp.Neighbors.Count; i++)
            {
                s.Peers[i] = Peer(model, bgp, bgp.At(i), previous);
            }

            return s;
        }

        /// <summary>router-id, else the first loopback, else the LAN address (0 when none).</summary>
        public static uint RouterId(ConfigModel model)
        {
            BgpSection bgp = model.Bgp;
            if (bgp != null && bgp.HasRouterId)
            {
                return bgp.RouterId;
            }

            InterfacesSection ifs = model.Interfaces;
            if (ifs == null)
            {
                return 0;
            }

            if (ifs.Loopbacks.Count > 0)
            {
                return ((LocatedPrefix)ifs.Loopbacks[0]).Prefix.Address;
            }

            return ifs.Lan.HasAddress ? ifs.Lan.Address.Address : 0;
        }

        private static BgpPeerConfig Peer(ConfigModel model, BgpSection bgp, BgpNeighbor n, BgpSpeakerSettings previous)
        {
            BgpPeerConfig c = new BgpPeerConfig();
            c.Address = n.Address;
            c.RemoteAs = n.RemoteAs;
            c.LocalAs = bgp.EffectiveLocalAs(n);
            TunnelInterface t = BgpSection.TunnelOf(model, n);
            CloudKind cloud = CloudKind.Generic;
            if (t != null)
            {
                c.TunnelId = TunnelNumber(t.Name);
                VpnPeer vp = t.Peer == null || model.Peers == null ? null : model.Peers.Find(t.Peer);
                if (vp != null)
                {
                    cloud = CloudDefaults.FromProfile(vp.Profile);
                }

                if (t.HasAddress)
                {
                    c.LocalAddress = t.Address.Address;
                }
            }

            if (n.HasUpdateSource)
            {
                c.LocalAddress = n.UpdateSource;
            }

            c.Cloud = cloud;
            c.AdvertiseLimit = CloudDefaults.AdvertiseLimit(cloud);
            c.HoldTime = n.Hold >= 0 ? n.Hold : CloudDefaults.HoldTime(cloud);
            c.Keepalive = n.Keepalive >= 0 ? n.Keepalive : -1;
            c.Ttl = n.EbgpMultihop > 0 ? n.EbgpMultihop : (c.RemoteAs == c.LocalAs ? IbgpTtl : 1);
            c.Mode = n.ConnectMode == 1 ? ConnectMode.Active : (n.ConnectMode == 2 ? ConnectMode.Passive : ConnectMode.Both);
            c.GracefulRestart = n.GracefulRestart;
            c.Prepend = n.Prepend;
            c.HasMed = n.HasMed;
            c.Med = n.Med;
            c.MaxPrefix = n.MaximumPrefix;
            c.MaxPrefixAction = n.MaximumPrefixRestart ? MaxPrefixAction.Teardown : MaxPrefixAction.Warning;
            c.MaxPrefixRestartSeconds = n.MaximumPrefixRestartSeconds > 0 ? n.MaximumPrefixRestartSeconds : 60;
            BgpPeerConfig old = Find(previous, n.Address);
            c.Import = Reuse(old == null ? null : old.Import, Compile(model.Policy, n.ImportList));
            c.Export = Reuse(old == null ? null : old.Export, Compile(model.Policy, n.ExportList));
            if (n.ExportCommunities.Count > 0)
            {
                uint[] list = new uint[n.ExportCommunities.Count];
                for (int i = 0; i < list.Length; i++)
                {
                    list[i] = n.ExportCommunityAt(i);
                }

                c.ExportCommunities = old != null && SameList(old.ExportCommunities, list) ? old.ExportCommunities : list;
            }

            return c;
        }

        private static BgpPeerConfig Find(BgpSpeakerSettings s, uint address)
        {
            if (s == null)
            {
                return null;
            }

            for (int i = 0; i < s.Peers.Length; i++)
            {
                if (s.Peers[i].Address == address)
                {
                    return s.Peers[i];
                }
            }

            return null;
        }

        private static PrefixFilter Reuse(PrefixFilter old, PrefixFilter fresh)
        {
            return fresh != null && fresh.SameRules(old) ? old : fresh;
        }

        private static bool SameList(uint[] a, uint[] b)
        {
            if (a == null || b == null || a.Length != b.Length)
            {
                return false;
            }

            for (int i = 0; i < a.Length; i++)
            {
                if (a[i] != b[i])
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>vtiN -&gt; N (-1 for another name).</summary>
        public static int TunnelNumber(string name)
        {
            if (name == null || name.Length < 4 || name.Substring(0, 3) != "vti")
            {
                return -1;
            }

            int n = 0;
            for (int i = 3; i < name.Length; i++)
            {
                char ch = name[i];
                if (ch < '0' || ch > '9')
                {
                    return -1;
                }

                n = n * 10 + (ch - '0');
            }

            return n;
        }

        /// <summary>Compiles prefix-list <paramref name="name"/> (rules by number; rules without a prefix are skipped); null when absent.</summary>
        public static PrefixFilter Compile(PolicySection policy, string name)
        {
            if (name == null || policy == null)
            {
                return null;
            }

            PrefixList list = policy.Find(name);
            if (list == null)
            {
                // A missing list denies everything (the validator reports it as an error).
                return new PrefixFilter(name, 0);
            }

            int n = 0;
            for (int i = 0; i < list.Rules.Count; i++)
            {
                if (((PrefixListRule)list.Rules[i]).HasPrefix)
                {
                    n++;
                }
            }

            PrefixListRule[] ordered = new PrefixListRule[n];
            int k = 0;
            for (int i = 0; i < list.Rules.Count; i++)
            {
                PrefixListRule r = (PrefixListRule)list.Rules[i];
                if (!r.HasPrefix)
                {
                    continue;
                }

                int j = k++;
                while (j > 0 && ordered[j - 1].Number > r.Number)
                {
                    ordered[j] = ordered[j - 1];
                    j--;
                }

                ordered[j] = r;
            }

            PrefixFilter f = new PrefixFilter(name, n);
            for (int i = 0; i < n; i++)
            {
                PrefixListRule r = ordered[i];
                int len = r.Prefix.Length;
                int ge = r.Ge >= 0 ? r.Ge : len;
                int le = r.Le >= 0 ? r.Le : (r.Ge >= 0 ? 32 : len);
                f.Set(i, r.Prefix.Network, len, ge, le, r.Permit, r.HasCommunity, r.Community);
            }

            return f;
        }
    }
}
