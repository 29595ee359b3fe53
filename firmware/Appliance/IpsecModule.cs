using System.Text;
using VpnAppliance.Config;
using VpnAppliance.Core;
using VpnAppliance.Hal;
using VpnAppliance.Ipsec;
using VpnAppliance.Ipsec.Ike;
using VpnAppliance.Net;

namespace VpnAppliance.Firmware
{
    /// <summary>
    /// Wires IKE and ESP into the appliance (firmware/Ipsec README):
    /// <list type="bullet">
    /// <item>WAN datagrams from the router: UDP 500 -> IKE engine; UDP 4500 -> EspReceiver, which splits IKE (Non-ESP
    /// Marker), NAT-T keepalives and ESP; decrypted inner packets go back to the router as received on tunnel i + 1;</item>
    /// <item>each SAD tunnel interface is attached to the router as tunnel i + 1 (EspTunnelPort);</item>
    /// <item>tunnel up/down (a CHILD SA installed or gone) re-applies the routes through tunnels, so ECMP groups hold
    /// only working tunnels (the routing manager of the BGP issue refines this);</item>
    /// <item>configuration: one IKE connection per <c>vpn tunnel</c>;</item>
    /// <item>console: <c>show ike sa</c>, <c>show ipsec sa</c>, <c>rekey ike|child PEER</c>, <c>clear ipsec sa PEER</c>,
    /// <c>initiate PEER</c>.</item>
    /// </list>
    /// </summary>
    public sealed class IpsecModule : IApplianceModule, IWanDatagramSink, IIkeEvents, ITextCommands
    {
        private readonly Appliance _appliance;
        private readonly Router _router;
        private readonly PacketPool _packets;
        private readonly SecurityAssociationDatabase _sad;
        private readonly EspReceiver _receiver;
        private readonly EspReceiveResult _result = new EspReceiveResult();
        private readonly IkeEngine _engine;
        private readonly IkeConnection[] _connections = new IkeConnection[IkeEngine.MaxConnections];
        private readonly EspTunnelPort[] _ports;
        private readonly IUdpPort _natt;
        private readonly UdpEndpoint _nattLocal = new UdpEndpoint();
        private long _nowMs;

        /// <summary>Creates the SAD, the ESP receive path and the IKE engine for the board's capacities.</summary>
        public IpsecModule(Appliance appliance, Capacities c, ApplianceHal hal)
        {
            _appliance = appliance;
            _router = appliance.Router;
            _packets = appliance.Packets;
            _natt = hal.WanNatT;
            _sad = new SecurityAssociationDatabase(c, hal.Crypto, hal.Random, ReplayWindow.DefaultSize, hal.WanNatT);
            _receiver = new EspReceiver(_sad);
            _engine = new IkeEngine(c, hal.Crypto, hal.Random, _sad, hal.WanIke, hal.WanNatT, new IkeSettings(), this);
            _ports = new EspTunnelPort[_sad.TunnelCount];
            for (int i = 0; i < _ports.Length; i++)
            {
                _ports[i] = new EspTunnelPort(_sad.Tunnel(i));
                _router.AttachTunnel(i + 1, _ports[i], 0);
            }

            _router.SetWanSink(this);
        }

        /// <summary>
        /// Memory of the IPsec part for the board budget: the SAD (CHILD SA pairs with replay windows and the crypto
        /// objects keyed into them, SPI table, tunnel interfaces, the ESP scratch buffer), the receive path and the
        /// IKE engine. Crypto objects are made when an SA is installed; they are counted here at their worst case so
        /// the budget holds with every slot in use (estimate: AES key schedules and HMAC states, 1 KB a direction).
        /// </summary>
        public static void Account(MemoryBudget budget, Capacities c)
        {
            budget.AddObject(12, 12 * 8);                                            // module
            budget.AddObject(20, 20 * 8);                                            // SAD
            budget.AddValueArray(1, c.PacketBufferSize + EspPacket.MaxHeadroom + EspPacket.MaxTailroom);
            budget.AddReferenceArray(c.ChildSas);
            int windowWords = (ReplayWindow.DefaultSize + 31) / 32 + 1;
            for (int i = 0; i < c.ChildSas; i++)
            {
                budget.AddObject(12, 12 * 8);                                        // ChildSaPair
                for (int d = 0; d < 2; d++)
                {
                    budget.AddObject(24, 24 * 8);                                    // EspSecurityAssociation
                    budget.AddObject(18, 18 * 8);                                    // counters
                    budget.AddObject(6, 6 * 8);                                      // lifetime
                    budget.AddReferenceArray(5);
                    budget.AddObject(6, 6 * 8);                                      // replay window
                    budget.AddValueArray(4, windowWords);
                    budget.AddValueArray(1, 1024);                                   // keyed crypto objects (estimate)
                }
            }

            budget.AddValueArray(4, c.ChildSas);                                     // SPI table
            budget.AddValueArray(4, c.ChildSas);
            budget.AddReferenceArray(c.Tunnels);
            for (int i = 0; i < c.Tunnels; i++)
            {
                budget.AddObject(16, 16 * 8);                                        // TunnelInterface + its endpoint
                budget.AddObject(3, 8);                                              // EspTunnelPort
            }

            budget.AddObject(8, 8 * 8);                                              // receiver, result
            IkeEngine.Account(budget, c.IkeSas);
        }

        /// <summary>Module name.</summary>
        public string Name { get { return "ipsec"; } }

        /// <summary>The IKE engine.</summary>
        public IkeEngine Engine { get { return _engine; } }

        /// <summary>The SAD.</summary>
        public SecurityAssociationDatabase Sad { get { return _sad; } }

        /// <summary>The ESP receive path (counters).</summary>
        public EspReceiver Receiver { get { return _receiver; } }

        /// <summary>Applies a new configuration: connections, tunnel MTUs and inside addresses.</summary>
        public void ApplyConfig(ConfigModel model, long nowMs)
        {
            _nowMs = nowMs;
            TunnelSection tunnels = model.Tunnels;
            for (int i = 0; i < _ports.Length; i++)
            {
                Config.TunnelInterface t = tunnels != null && i < tunnels.Tunnels.Count ? tunnels.At(i) : null;
                _sad.Tunnel(i).Mtu = t != null ? t.Mtu : Ipsec.TunnelInterface.DefaultMtu;
                _router.AttachTunnel(i + 1, _ports[i], t != null && t.HasAddress ? t.Address.Address : 0);
            }

            int n = IkeConnectionBuilder.Build(model, _ports.Length, _connections);
            _engine.SetConnections(_connections, n, nowMs);
        }

        /// <summary>IKE timers, lifetimes, rekeys, DPD; tunnel state changes re-apply the tunnel routes.</summary>
        public long Poll(long nowMs)
        {
            _nowMs = nowMs;
            long next = _engine.Poll(nowMs);
            bool changed = false;
            PacketPlaneConfig plane = _appliance.PlaneConfig;
            for (int i = 0; i < _ports.Length; i++)
            {
                Ipsec.TunnelInterface t = _sad.Tunnel(i);
                if (!t.TakeStateChange()) continue;
                if (plane.SetTunnelUp(i + 1, t.Up))
                {
                    changed = true;
                    if (!t.Up && _appliance.Bgp != null)
                    {
                        _appliance.Bgp.OnTunnelDown(i + 1, TunnelName(i), nowMs);   // ECMP shrinks at once, sessions close
                    }

                    _appliance.Log.Write(nowMs, t.Up ? LogLevel.Info : LogLevel.Warning, "ipsec", "tunnel " + TunnelName(i) + (t.Up ? " up" : " down"));
                }
            }

            if (changed) plane.Reapply();
            return next;
        }

        private string TunnelName(int i)
        {
            RunningConfig config = _appliance.Config;
            if (config != null && config.Model.Tunnels != null && i < config.Model.Tunnels.Tunnels.Count) return config.Model.Tunnels.At(i).Name;
            return "tunnel" + i;
        }

        /// <summary>A datagram the router received on a WAN socket (pool buffer, owned by us from here).</summary>
        public void OnWanDatagram(int localPort, uint sourceAddress, int sourcePort, int buffer, int length, long nowMs)
        {
            _nowMs = nowMs;
            byte[] data = _packets.Data;
            int offset = _packets.Offset(buffer);
            if (!IsNatTPort(localPort))
            {
                _engine.OnMessage(IkeEngine.IkePort, sourceAddress, sourcePort, data, offset, length, nowMs);
                _packets.Release(buffer);
                return;
            }

            EspReceiveKind kind = _receiver.Receive(data, offset, length, nowMs, _result);
            if (kind == EspReceiveKind.Inner)
            {
                _router.ReceiveFromTunnel(_result.TunnelId + 1, buffer, _result.Offset - offset, _result.Length, nowMs);
                return;
            }

            if (kind == EspReceiveKind.Ike)
            {
                _engine.OnMessage(IkeEngine.NatTPort, sourceAddress, sourcePort, data, _result.Offset, _result.Length, nowMs);
            }

            _packets.Release(buffer);
        }

        private bool IsNatTPort(int localPort)
        {
            if (_natt == null) return false;
            _natt.GetLocalEndpoint(_nattLocal);
            return localPort == _nattLocal.Port;
        }

        /// <summary>IKE engine log lines go to the appliance log (subsystem "ike").</summary>
        public void Log(LogLevel level, string message)
        {
            _appliance.Log.Write(_nowMs, level, "ike", message);
        }

        /// <summary>
        /// Runs an IPsec console command; false when <paramref name="command"/> (normalized: single spaces, no
        /// leading/trailing blanks) is not one of ours.
        /// </summary>
        public bool Execute(string command, StringBuilder output, long nowMs)
        {
            _nowMs = nowMs;
            if (command == "show ike sa")
            {
                _engine.WriteIkeSas(output, nowMs);
                return true;
            }

            if (command == "show ipsec sa")
            {
                _engine.WriteIpsecSas(output, nowMs);
                return true;
            }

            string peer;
            if (After(command, "rekey ike ", out peer))
            {
                output.Append(_engine.RequestIkeRekey(peer) ? "IKE SA rekey of " + peer + " started\r\n" : "no established IKE SA for " + peer + "\r\n");
                return true;
            }

            if (After(command, "rekey child ", out peer))
            {
                output.Append(_engine.RequestChildRekey(peer) ? "CHILD SA rekey of " + peer + " started\r\n" : "no established IKE SA for " + peer + "\r\n");
                return true;
            }

            if (After(command, "clear ipsec sa ", out peer))
            {
                output.Append(_engine.Terminate(peer, nowMs) ? "SAs of " + peer + " deleted\r\n" : "no vpn peer " + peer + "\r\n");
                return true;
            }

            if (After(command, "initiate ", out peer))
            {
                output.Append(_engine.Initiate(peer, nowMs) ? "initiating " + peer + "\r\n" : "no vpn peer " + peer + " that is down\r\n");
                return true;
            }

            return false;
        }

        private static bool After(string command, string prefix, out string rest)
        {
            rest = null;
            if (!command.StartsWith(prefix) || command.Length == prefix.Length) return false;
            rest = command.Substring(prefix.Length);
            return true;
        }
    }
}
