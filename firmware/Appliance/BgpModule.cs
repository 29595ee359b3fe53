using System.Text;
using VpnAppliance.Bgp.Session;
using VpnAppliance.Bgp.Speaker;
using VpnAppliance.Bgp.Transport;
using VpnAppliance.Config;
using VpnAppliance.Core;
using VpnAppliance.Hal;

namespace VpnAppliance.Firmware
{
    /// <summary>
    /// The BGP speaker in the appliance: its sessions run on the compact TCP (inside the tunnels, port 179 both
    /// ways), its best paths go to the <see cref="RoutingManager"/>, tunnel failures reach it at once
    /// (<see cref="OnTunnelDown"/>), and its log lines go to the appliance log (subsystem "bgp"). Console:
    /// <c>show bgp summary</c>, <c>show bgp neighbors &lt;ip&gt; [received-routes|advertised-routes]</c>,
    /// <c>clear bgp &lt;ip&gt; [soft]</c>.
    /// </summary>
    public sealed class BgpModule : IApplianceModule, IBgpLog, IBgpTextOutput, ITextCommands
    {
        /// <summary>Bytes read from TCP per call into the speaker.</summary>
        public const int ReceiveBytes = 2048;

        private readonly Appliance _appliance;
        private readonly BgpTcpTransport _transport;
        private readonly BgpSpeaker _speaker;
        private readonly RoutingManager _routing;
        private StringBuilder _text;

        /// <summary>Creates the speaker over the appliance's TCP and FIB.</summary>
        public BgpModule(Appliance appliance, Capacities c)
        {
            _appliance = appliance;
            _routing = new RoutingManager(appliance.Fib, appliance.NextHopGroups, appliance.PlaneConfig);
            _transport = new BgpTcpTransport(appliance.Tcp, ReceiveBytes);
            _speaker = new BgpSpeaker(c, _transport, _routing, this);
            // SYNs to 179 from sources the speaker would refuse are reset at once (no handshake, no slot).
            appliance.Tcp.SetSynFilter(new BgpSynFilter(_speaker));
        }

        /// <summary>Memory: the speaker's pools, the transport's buffer, the routing manager.</summary>
        public static void Account(MemoryBudget budget, Capacities c)
        {
            budget.AddObject(6, 6 * 8);
            budget.AddObject(7, 7 * 8);                 // transport
            budget.AddValueArray(1, ReceiveBytes);
            budget.AddValueArray(4, 64);                // its connection handles
            budget.AddObject(1, 8);                     // the SYN filter
            BgpSpeaker.Account(budget, c);
            RoutingManager.Account(budget, c);
        }

        /// <summary>Module name.</summary>
        public string Name { get { return "bgp"; } }

        /// <summary>The speaker.</summary>
        public BgpSpeaker Speaker { get { return _speaker; } }

        /// <summary>The routing manager.</summary>
        public RoutingManager Routing { get { return _routing; } }

        /// <summary>Applies a configuration (sessions with unchanged settings stay up).</summary>
        public void ApplyConfig(ConfigModel model, long nowMs)
        {
            _transport.DefaultLocalAddress = model.Interfaces != null && model.Interfaces.Lan.HasAddress ? model.Interfaces.Lan.Address.Address : 0;
            BgpSpeakerSettings settings = BgpConfigReader.Read(model, _speaker.Settings);
            _transport.SetPeerTtls(settings.Peers);
            _speaker.Configure(settings, nowMs);
            // TCP 179 is open only while neighbours are configured (passive opens, e.g. from a cloud gateway).
            bool wanted = model.Bgp != null && model.Bgp.Neighbors.Count > 0;
            if (wanted && !_transport.Listening) _transport.Listen(0);
            else if (!wanted && _transport.Listening) _transport.StopListening();
        }

        /// <summary>TCP events into the sessions, then timers and exports.</summary>
        public long Poll(long nowMs)
        {
            _transport.Pump(_speaker, nowMs);
            long next = _speaker.Poll(nowMs);
            _transport.Pump(_speaker, nowMs);
            return next;
        }

        /// <summary>
        /// A tunnel (router interface <paramref name="routerId"/>, named vtiN) lost its CHILD SA: groups drop it at
        /// once, then the BGP sessions over it close and their routes are withdrawn.
        /// </summary>
        public void OnTunnelDown(int routerId, string tunnelName, long nowMs)
        {
            _routing.TunnelDown(routerId);
            int n = BgpConfigReader.TunnelNumber(tunnelName);
            if (n >= 0) _speaker.TunnelDown(n, nowMs);
        }

        /// <summary>IBgpLog.</summary>
        public void Write(long nowMs, bool warning, string line)
        {
            _appliance.Log.Write(nowMs, warning ? LogLevel.Warning : LogLevel.Info, "bgp", line);
        }

        /// <summary>IBgpTextOutput.</summary>
        public void Write(string text)
        {
            if (_text != null) _text.Append(text);
        }

        /// <summary>Runs a BGP console command; false when <paramref name="command"/> is not one.</summary>
        public bool Execute(string command, StringBuilder output, long nowMs)
        {
            _text = output;
            try
            {
                if (command == "show bgp summary")
                {
                    _speaker.ShowSummary(this, nowMs);
                    return true;
                }

                string rest;
                if (After(command, "show bgp neighbors ", out rest))
                {
                    int what = BgpSpeaker.ShowDetail;
                    string address = rest;
                    int space = rest.IndexOf(' ');
                    if (space > 0)
                    {
                        address = rest.Substring(0, space);
                        string tail = rest.Substring(space + 1);
                        if (tail == "received-routes") what = BgpSpeaker.ShowReceivedRoutes;
                        else if (tail == "advertised-routes") what = BgpSpeaker.ShowAdvertisedRoutes;
                        else
                        {
                            output.Append("% expected received-routes or advertised-routes\r\n");
                            return true;
                        }
                    }

                    uint a;
                    if (!Ipv4.TryParse(address, out a))
                    {
                        output.Append("% not an IPv4 address: " + address + "\r\n");
                    }
                    else
                    {
                        _speaker.ShowNeighbor(a, what, this, nowMs);   // writes "% No such neighbor" itself
                    }

                    return true;
                }

                if (After(command, "clear bgp ", out rest))
                {
                    bool soft = rest.EndsWith(" soft");
                    string address = soft ? rest.Substring(0, rest.Length - 5) : rest;
                    uint a;
                    bool ok = Ipv4.TryParse(address, out a) && (soft ? _speaker.RequestRouteRefresh(a) : _speaker.PeerDown(a, nowMs));
                    output.Append(ok ? (soft ? "route refresh sent to " : "session reset: ") + address + "\r\n" : "% no BGP neighbor " + address + "\r\n");
                    return true;
                }

                return false;
            }
            finally
            {
                _text = null;
            }
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
