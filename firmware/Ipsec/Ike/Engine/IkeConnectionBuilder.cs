using VpnAppliance.Config;

namespace VpnAppliance.Ipsec.Ike
{
    /// <summary>
    /// Turns a validated configuration into IKE connections: one per <c>vpn tunnel</c> (the i-th tunnel is SAD
    /// tunnel i, router interface i + 1), with its peer, ike-group and esp-group. Runs when a configuration is
    /// applied; allocation is fine here.
    /// </summary>
    public static class IkeConnectionBuilder
    {
        /// <summary>Builds the connections of <paramref name="model"/> (at most <paramref name="maxTunnels"/>); returns the count.</summary>
        public static int Build(ConfigModel model, int maxTunnels, IkeConnection[] output)
        {
            TunnelSection tunnels = model.Tunnels;
            if (tunnels == null) return 0;
            int n = 0;
            for (int i = 0; i < tunnels.Tunnels.Count && i < maxTunnels && n < output.Length; i++)
            {
                Config.TunnelInterface t = tunnels.At(i);
                VpnPeer peer = model.Peers != null ? model.Peers.Find(t.Peer) : null;
                if (peer == null || !peer.HasAddress || peer.Psk == null) continue;
                IkeGroup ike = model.IkeGroups != null && peer.IkeGroup != null ? model.IkeGroups.Find(peer.IkeGroup) : null;
                EspGroup esp = model.EspGroups != null && peer.EspGroup != null ? model.EspGroups.Find(peer.EspGroup) : null;
                if (ike == null || esp == null) continue;
                IkeConnection c = new IkeConnection();
                c.Name = peer.Name;
                c.TunnelId = i;
                c.TunnelName = t.Name;
                c.PeerAddress = peer.Address;
                c.LocalAddress = model.Interfaces != null && model.Interfaces.Wan.HasAddress ? model.Interfaces.Wan.Address.Address : 0;
                c.Psk = Ascii(peer.Psk);
                Identity(peer.LocalId, c.LocalAddress, out c.LocalIdType, out c.LocalIdData);
                if (peer.RemoteId != null) Identity(peer.RemoteId, peer.Address, out c.RemoteIdType, out c.RemoteIdData);
                for (int k = 0; k < ike.Proposals.Count; k++) c.IkeProposals.Add(ike.Proposals[k]);
                for (int k = 0; k < esp.Proposals.Count; k++) c.EspProposals.Add(esp.Proposals[k]);
                c.IkeGroupName = ike.Name;
                c.EspGroupName = esp.Name;
                c.Pfs = esp.Pfs == PfsMode.Enable || (esp.Pfs == PfsMode.Auto && esp.OffersPfs);
                c.AllowWeak = UsesWeak(ike) || UsesWeak(esp);
                c.Initiate = peer.ConnectionType == ConnectionType.Initiate;
                c.IkeLifetimeMs = (long)ike.Lifetime * 1000;
                c.IkeRekeyMarginMs = (long)ike.RekeyMargin * 1000;
                c.ChildLifetimeMs = (long)esp.Lifetime * 1000;
                c.ChildRekeyMarginMs = (long)esp.RekeyMargin * 1000;
                c.RekeyFuzzPercent = esp.RekeyFuzz;
                c.ReplayWindow = esp.ReplayWindow;
                c.ChildLifetimeBytes = esp.LifetimeBytes;
                c.DpdIntervalMs = ike.DpdAction == DpdAction.None ? 0 : (long)ike.DpdInterval * 1000;
                c.DpdTimeoutMs = (long)ike.DpdTimeout * 1000;
                c.DpdAction = ike.DpdAction;
                c.RetransmitTries = ike.RetransmitTries;
                c.RetransmitTimeoutMs = ike.RetransmitTimeout * 1000;
                if (t.LocalTs.Count > 0) c.LocalTs = Ranges(t.LocalTs);
                if (t.RemoteTs.Count > 0) c.RemoteTs = Ranges(t.RemoteTs);
                output[n++] = c;
            }

            return n;
        }

        /// <summary>True when nothing that affects the SAs differs (a reload then keeps them up).</summary>
        public static bool SameSettings(IkeConnection a, IkeConnection b)
        {
            if (a.TunnelId != b.TunnelId || a.PeerAddress != b.PeerAddress || a.Initiate != b.Initiate || a.Pfs != b.Pfs ||
                a.LocalIdType != b.LocalIdType || a.RemoteIdType != b.RemoteIdType || a.IkeLifetimeMs != b.IkeLifetimeMs ||
                a.ChildLifetimeMs != b.ChildLifetimeMs || a.DpdIntervalMs != b.DpdIntervalMs || a.DpdTimeoutMs != b.DpdTimeoutMs ||
                a.ReplayWindow != b.ReplayWindow || a.ChildLifetimeBytes != b.ChildLifetimeBytes ||
                a.RetransmitTries != b.RetransmitTries || a.RetransmitTimeoutMs != b.RetransmitTimeoutMs)
            {
                return false;
            }

            return SameBytes(a.Psk, b.Psk) && SameBytes(a.LocalIdData, b.LocalIdData) && SameBytes(a.RemoteIdData, b.RemoteIdData) &&
                ProposalText.Ours(a.IkeProposals) == ProposalText.Ours(b.IkeProposals) &&
                ProposalText.Ours(a.EspProposals) == ProposalText.Ours(b.EspProposals) &&
                SameRanges(a.LocalTs, b.LocalTs) && SameRanges(a.RemoteTs, b.RemoteTs);
        }

        private static bool UsesWeak(ProposalGroup g)
        {
            for (int i = 0; i < g.Proposals.Count; i++)
            {
                Proposal p = g.ProposalAt(i);
                for (int k = 0; k < p.DhGroups.Length; k++) if (Config.DhGroup.IsWeak(p.DhGroups[k])) return true;
            }

            return false;
        }

        private static void Identity(IkeIdentity id, uint defaultAddress, out byte type, out byte[] data)
        {
            if (id == null || id.Kind == IkeIdentityKind.None || id.Kind == IkeIdentityKind.Ipv4)
            {
                uint a = id != null && id.Kind == IkeIdentityKind.Ipv4 ? id.Address : defaultAddress;
                type = IdPayload.IdIpv4Address;
                data = new byte[] { (byte)(a >> 24), (byte)(a >> 16), (byte)(a >> 8), (byte)a };
                return;
            }

            if (id.Kind == IkeIdentityKind.Fqdn)
            {
                type = IdPayload.IdFqdn;
                data = Ascii(id.Value);
                return;
            }

            type = IdPayload.IdKeyId;
            data = new byte[id.Value.Length / 2];
            for (int i = 0; i < data.Length; i++) data[i] = (byte)((HexValue(id.Value[2 * i]) << 4) | HexValue(id.Value[2 * i + 1]));
        }

        private static int HexValue(char c)
        {
            if (c >= '0' && c <= '9') return c - '0';
            if (c >= 'a' && c <= 'f') return c - 'a' + 10;
            if (c >= 'A' && c <= 'F') return c - 'A' + 10;
            return 0;
        }

        private static byte[] Ascii(string s)
        {
            byte[] b = new byte[s.Length];
            for (int i = 0; i < s.Length; i++) b[i] = (byte)s[i];
            return b;
        }

        private static uint[] Ranges(System.Collections.ArrayList prefixes)
        {
            uint[] r = new uint[prefixes.Count * 2];
            for (int i = 0; i < prefixes.Count; i++)
            {
                Ipv4Prefix p = (Ipv4Prefix)prefixes[i];
                r[2 * i] = p.Network;
                r[2 * i + 1] = p.Last;
            }

            return r;
        }

        private static bool SameBytes(byte[] a, byte[] b)
        {
            if (a == null || b == null) return a == b;
            if (a.Length != b.Length) return false;
            for (int i = 0; i < a.Length; i++) if (a[i] != b[i]) return false;
            return true;
        }

        private static bool SameRanges(uint[] a, uint[] b)
        {
            if (a.Length != b.Length) return false;
            for (int i = 0; i < a.Length; i++) if (a[i] != b[i]) return false;
            return true;
        }
    }
}
