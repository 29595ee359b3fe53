using System.Text;
using VpnAppliance.Bfd;
using VpnAppliance.Config;
using VpnAppliance.Core;
using VpnAppliance.Hal;

namespace VpnAppliance.Firmware
{
    /// <summary>
    /// BFD in the appliance (firmware/Bfd README): the engine on the router's UDP hook (port 3784, TTL 255), one
    /// session per <c>protocols bfd peer</c> on the tunnel (or LAN) whose subnet holds the peer, and its verdicts
    /// wired to BGP: a session going down resets the BGP session with that neighbour at once (its routes leave the
    /// FIB in the same poll) instead of waiting for the hold timer. Console: <c>show bfd peers [brief]</c>.
    /// </summary>
    public sealed class BfdModule : IApplianceModule, ITextCommands
    {
        private readonly Appliance _appliance;
        private readonly BfdRouterBinding _binding;
        private readonly int _tunnels;

        /// <summary>Creates the engine (sessions = max(bgpPeers, tunnels)) and attaches it to the router.</summary>
        public BfdModule(Appliance appliance, Capacities c, uint seed)
        {
            _appliance = appliance;
            _tunnels = c.Tunnels;
            _binding = new BfdRouterBinding(appliance.Router, BfdEngine.SessionsFor(c), seed);
            appliance.Router.SetLocalUdp(_binding);
        }

        /// <summary>Memory of the module.</summary>
        public static void Account(MemoryBudget budget, Capacities c)
        {
            budget.AddObject(4, 4 * 8);
            BfdRouterBinding.Account(budget, BfdEngine.SessionsFor(c));
        }

        /// <summary>Module name.</summary>
        public string Name { get { return "bfd"; } }

        /// <summary>The engine.</summary>
        public BfdEngine Engine { get { return _binding.Engine; } }

        /// <summary>Sessions follow the configuration: added, retimed, shut down, removed.</summary>
        public void ApplyConfig(ConfigModel model, long nowMs)
        {
            BfdEngine engine = _binding.Engine;
            BfdSection section = BfdSection.Of(model);
            for (int i = 0; i < engine.Capacity; i++)
            {
                BfdSession s = engine.Session(i);
                if (!s.IsActive) continue;
                if (section == null || section.Find(s.Peer) == null)
                {
                    engine.SetAdminDown(i, true, nowMs);
                    engine.RemoveSession(i);
                }
            }

            if (section == null) return;
            for (int k = 0; k < section.Peers.Count; k++)
            {
                BfdPeer p = section.At(k);
                int iface = InterfaceFor(model, p.Address);
                uint local = p.Source != 0 ? p.Source : BfdSection.LocalAddressFor(model, p.Address);
                if (iface < 0 || local == 0) continue;
                int index = engine.FindSession(iface, p.Address, local);
                if (index < 0) index = engine.AddSession(iface, p.Address, local, nowMs);
                if (index < 0)
                {
                    _appliance.Log.Write(nowMs, LogLevel.Warning, "bfd", "no BFD session slot for peer " + Ipv4.Format(p.Address));
                    continue;
                }

                engine.Configure(index, p.TransmitMs, p.ReceiveMs, p.Multiplier, nowMs);
                engine.SetAdminDown(index, p.Shutdown, nowMs);
            }
        }

        /// <summary>Router interface id whose subnet holds <paramref name="peer"/>: tunnel i + 1, LAN 0, or -1.</summary>
        private static int InterfaceFor(ConfigModel model, uint peer)
        {
            TunnelSection tunnels = model.Tunnels;
            if (tunnels != null)
            {
                for (int i = 0; i < tunnels.Tunnels.Count; i++)
                {
                    Config.TunnelInterface t = tunnels.At(i);
                    if (t.HasAddress && t.Address.Contains(peer)) return i + 1;
                }
            }

            if (model.Interfaces != null && model.Interfaces.Lan.HasAddress && model.Interfaces.Lan.Address.Contains(peer)) return 0;
            return -1;
        }

        /// <summary>Timers and packets; session state changes go to the log and to BGP.</summary>
        public long Poll(long nowMs)
        {
            long next = _binding.Poll(nowMs);
            BfdEngine engine = _binding.Engine;
            int index;
            bool wentDown;
            for (int guard = 0; guard < engine.Capacity && engine.TakeStateChange(out index, out wentDown); guard++)
            {
                BfdSession s = engine.Session(index);
                string peer = Ipv4.Format(s.Peer);
                if (wentDown)
                {
                    _appliance.Log.Write(nowMs, LogLevel.Warning, "bfd", "peer " + peer + " down (" + BfdShow.DiagName(s.Diag) + ")" +
                        (_appliance.Bgp != null ? ": resetting its BGP session now" : ""));
                    if (_appliance.Bgp != null) _appliance.Bgp.Speaker.PeerDown(s.Peer, nowMs);
                }

                if (s.IsUp)
                {
                    _appliance.Log.Write(nowMs, LogLevel.Info, "bfd", "peer " + peer + " up, " + (s.ConfiguredDesiredMinTxInterval / 1000).ToString() + " ms x " +
                        s.DetectMult.ToString());
                }
            }

            return next;
        }

        /// <summary>Runs a BFD console command; false when it is not one.</summary>
        public bool Execute(string command, StringBuilder output, long nowMs)
        {
            if (command == "show bfd peers")
            {
                BfdShow.WritePeers(_binding.Engine, _tunnels, nowMs, output);
                return true;
            }

            if (command == "show bfd peers brief")
            {
                BfdShow.WriteBrief(_binding.Engine, _tunnels, nowMs, output);
                return true;
            }

            return false;
        }
    }
}
