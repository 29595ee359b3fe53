using System.Collections;
using VpnAppliance.Config;
using VpnAppliance.Fib;

namespace VpnAppliance.Cli
{
    /// <summary>
    /// <c>show ip route [&lt;prefix&gt;|&lt;address&gt;]</c> and <c>show ip route explain &lt;address&gt; [from &lt;src&gt;]
    /// [protocol &lt;n&gt;] [sport &lt;port&gt;] [dport &lt;port&gt;]</c> over the FIB and its next-hop groups.
    ///
    /// explain answers "where does a packet to this address go and why": every FIB route containing the
    /// address, most specific first, the winner by longest match (RFC 1812 §5.2.4.3), where the route comes
    /// from in the running configuration (connected subnet, static route and its distance), its next-hop group
    /// with every member, and which member - which tunnel - the given flow takes (the router's 5-tuple flow
    /// hash, <see cref="FlowHash"/>, picks the member of an ECMP group). Configured routes that contain the
    /// address but are not in the FIB (their tunnels are not attached yet) are listed too.
    /// </summary>
    public sealed class RouteCommands : ICliHandler, IFibVisitor
    {
        private readonly CliSession _session;
        private readonly FibTable _fib;
        private readonly NextHopGroupTable _groups;
        private readonly IInterfaceNames _names;
        private readonly bool _explain;
        private ArrayList _collected;
        private uint _filter;
        private int _filterLength;
        private bool _containing;

        private RouteCommands(CliSession session, FibTable fib, NextHopGroupTable groups, IInterfaceNames names, bool explain)
        {
            _session = session;
            _fib = fib;
            _groups = groups;
            _names = names;
            _explain = explain;
        }

        /// <summary>Registers <c>show ip route</c> and <c>show ip route explain</c>.</summary>
        public static void Register(CliSession session, FibTable fib, NextHopGroupTable groups, IInterfaceNames names)
        {
            CommandTree tree = session.Operational;
            tree.Describe("show ip", "IPv4 information");
            tree.Register("show ip route", "forwarding table (longest match, next-hop groups)", "[<prefix> | <address>]", new RouteCommands(session, fib, groups, names, false));
            tree.Register("show ip route explain", "which route a packet takes and why, and which tunnel its flow uses",
                "<address> [from <address>] [protocol <0-255>] [sport <port>] [dport <port>]", new RouteCommands(session, fib, groups, names, true));
        }

        /// <summary>Runs the command.</summary>
        public void Execute(CliCall call)
        {
            if (_explain)
            {
                Explain(call);
            }
            else
            {
                List(call);
            }
        }

        /// <summary>IFibVisitor: collects the routes the current command wants.</summary>
        public bool Visit(uint prefix, int length, int group)
        {
            bool keep = !_containing || (length <= _filterLength && (_filter & Ipv4.Mask(length)) == prefix);
            if (keep && _collected.Count < 100000)
            {
                _collected.Add(new uint[] { prefix, (uint)length, (uint)group });
            }

            return true;
        }

        private void List(CliCall call)
        {
            _collected = new ArrayList();
            _containing = false;
            if (call.ArgCount == 1)
            {
                Ipv4Prefix p;
                uint a;
                if (Ipv4Prefix.TryParse(call.Arg(0), out p))
                {
                    _filter = p.Network;
                    _filterLength = p.Length;
                }
                else if (Ipv4.TryParse(call.Arg(0), out a))
                {
                    _filter = a;
                    _filterLength = 32;
                }
                else
                {
                    call.Usage("[<prefix> | <address>]");
                    return;
                }

                _containing = true;
            }
            else if (call.ArgCount > 1)
            {
                call.Usage("[<prefix> | <address>]");
                return;
            }

            _fib.Enumerate(this);
            ConfigModel m = _session.Host.Running.Model;
            call.Line("Codes: C connected, S static, B bgp, L local/other");
            call.Line("   prefix              group  next hops");
            for (int i = 0; i < _collected.Count; i++)
            {
                uint[] r = (uint[])_collected[i];
                string prefix = Ipv4.Format(r[0]) + "/" + r[1].ToString();
                call.Line(Origin(m, r[0], (int)r[1], (int)r[2]) + "  " + prefix.PadRight(20) + ((int)r[2]).ToString().PadRight(7) + Members((int)r[2]));
            }

            call.Line(_collected.Count.ToString() + " route(s) shown; fib " + _fib.Count.ToString() + "/" + _fib.RouteCapacity.ToString() + " routes");
            _collected = null;
        }

        private void Explain(CliCall call)
        {
            uint destination = 0;
            uint source = 0;
            int protocol = 0;
            int sport = 0;
            int dport = 0;
            bool ok = call.ArgCount >= 1 && call.ArgCount % 2 == 1;
            if (ok)
            {
                ok = Ipv4.TryParse(call.Arg(0), out destination);
            }

            for (int i = 1; ok && i < call.ArgCount; i += 2)
            {
                string key = call.Arg(i);
                string value = call.Arg(i + 1);
                if (key == "from")
                {
                    ok = Ipv4.TryParse(value, out source);
                }
                else if (key == "protocol" || key == "sport" || key == "dport")
                {
                    int n = Number(value, key == "protocol" ? 255 : 65535);
                    ok = n >= 0;
                    if (key == "protocol") protocol = n;
                    if (key == "sport") sport = n;
                    if (key == "dport") dport = n;
                }
                else
                {
                    ok = false;
                }
            }

            if (!ok)
            {
                call.Usage("<address> [from <address>] [protocol <0-255>] [sport <port>] [dport <port>]");
                return;
            }

            _collected = new ArrayList();
            _containing = true;
            _filter = destination;
            _filterLength = 32;
            _fib.Enumerate(this);
            ConfigModel m = _session.Host.Running.Model;
            call.Line("destination " + Ipv4.Format(destination) + ": " + _collected.Count.ToString() + " route(s) in the FIB contain it");
            int winner = -1;
            for (int i = _collected.Count - 1; i >= 0; i--)
            {
                uint[] r = (uint[])_collected[i];
                if (winner < 0)
                {
                    winner = i;
                }

                call.Line((i == winner ? "  * " : "    ") + Ipv4.Format(r[0]) + "/" + r[1].ToString() + (i == winner ? "  longest match: wins (RFC 1812 5.2.4.3)" : "  less specific: loses"));
                call.Line("      from: " + OriginText(m, r[0], (int)r[1], (int)r[2]));
            }

            PendingRoutes(call, m, destination);
            if (winner < 0)
            {
                call.Line("no route: the packet is dropped (ICMP destination unreachable, net)");
                _collected = null;
                return;
            }

            uint[] w = (uint[])_collected[winner];
            int group = (int)w[2];
            int members = _groups.MemberCount(group);
            call.Line("next-hop group " + group.ToString() + ": " + members.ToString() + " member(s), referenced by " + _groups.RefCount(group).ToString() + " route(s)");
            for (int k = 0; k < members; k++)
            {
                call.Line("    member " + k.ToString() + ": " + Member(group, k));
            }

            if (members == 0)
            {
                call.Line("the group is empty: blackhole, the packet is dropped");
                _collected = null;
                return;
            }

            uint hash = FlowHash.Compute(source, destination, protocol, sport, dport);
            int chosen = _groups.Select(group, hash);
            call.Line("flow " + Ipv4.Format(source) + " -> " + Ipv4.Format(destination) + " protocol " + protocol.ToString() + " ports " + sport.ToString() + "->" + dport.ToString() +
                ": hash " + Hex(hash) + " selects member " + chosen.ToString() + (chosen >= 0 ? " (" + Member(group, chosen) + ")" : ""));
            _collected = null;
        }

        // Configured static routes containing the address that the FIB does not hold (tunnels not attached yet).
        private void PendingRoutes(CliCall call, ConfigModel m, uint destination)
        {
            for (int i = 0; i < m.Static.Routes.Count; i++)
            {
                StaticRoute r = (StaticRoute)m.Static.Routes[i];
                int group;
                if (r.Prefix.Contains(destination) && !_fib.TryGet(r.Prefix.Network, r.Prefix.Length, out group))
                {
                    string hops = "";
                    for (int k = 0; k < r.NextHops.Count; k++)
                    {
                        hops = hops + (k == 0 ? "" : ", ") + r.NextHops[k].ToString();
                    }

                    call.Line("    " + r.Prefix.ToString() + "  configured static route (distance " + r.Distance.ToString() + ", " + (r.Blackhole ? "blackhole" : hops) +
                        ") is not in the FIB: its next hops are not reachable yet (tunnel not attached)");
                }
            }
        }

        private string Members(int group)
        {
            int n = _groups.MemberCount(group);
            if (n == 0)
            {
                return "blackhole";
            }

            string s = "";
            for (int k = 0; k < n; k++)
            {
                s = s + (k == 0 ? "" : "; ") + Member(group, k);
            }

            return s;
        }

        private string Member(int group, int k)
        {
            int iface = _groups.MemberInterface(group, k);
            uint gateway = _groups.MemberGateway(group, k);
            string tunnel = _names.TunnelName(iface);
            return _names.InterfaceName(iface) + (tunnel != null ? " (" + tunnel + ")" : "") +
                (gateway == 0 ? " on-link" : " via " + Ipv4.Format(gateway)) + ", weight " + _groups.MemberWeight(group, k).ToString();
        }

        private string Origin(ConfigModel m, uint prefix, int length, int group)
        {
            string t = OriginText(m, prefix, length, group);
            return t.StartsWith("connected") ? "C" : t.StartsWith("static") ? "S" : t.StartsWith("bgp") ? "B" : "L";
        }

        private string OriginText(ConfigModel m, uint prefix, int length, int group)
        {
            string dynamic = _names.DynamicOrigin(prefix, length, group);
            if (dynamic != null)
            {
                StaticRoute shadowed = m.Static.Find(new Ipv4Prefix(prefix, length));
                return shadowed == null ? dynamic : dynamic + "; the static route " + shadowed.Prefix.ToString() + " (distance " +
                    shadowed.Distance.ToString() + ") waits behind it";
            }

            InterfacesSection ifs = m.Interfaces;
            if (ifs.Lan.HasAddress && ifs.Lan.Address.Network == prefix && ifs.Lan.Address.Length == length)
            {
                return "connected (interfaces lan address " + ifs.Lan.Address.ToString() + ")";
            }

            if (ifs.Wan.HasAddress && ifs.Wan.Address.Network == prefix && ifs.Wan.Address.Length == length)
            {
                return "connected (interfaces wan address " + ifs.Wan.Address.ToString() + ")";
            }

            for (int i = 0; i < m.Tunnels.Tunnels.Count; i++)
            {
                TunnelInterface t = m.Tunnels.At(i);
                if (t.HasAddress && t.Address.Network == prefix && t.Address.Length == length)
                {
                    return "connected (vpn tunnel " + t.Name + " address " + t.Address.ToString() + ")";
                }
            }

            StaticRoute r = m.Static.Find(new Ipv4Prefix(prefix, length));
            if (r != null)
            {
                return "static (protocols static route " + r.Prefix.ToString() + ", distance " + r.Distance.ToString() + (r.Blackhole ? ", blackhole" : "") + ")";
            }

            return "local or learned (not from a configured statement)";
        }

        private static string Hex(uint v)
        {
            char[] c = new char[8];
            for (int i = 7; i >= 0; i--)
            {
                int d = (int)(v & 15);
                c[i] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
                v >>= 4;
            }

            return "0x" + new string(c);
        }

        private static int Number(string s, int max)
        {
            if (s == null || s.Length == 0 || s.Length > 5)
            {
                return -1;
            }

            int n = 0;
            for (int i = 0; i < s.Length; i++)
            {
                if (s[i] < '0' || s[i] > '9')
                {
                    return -1;
                }

                n = n * 10 + (s[i] - '0');
            }

            return n > max ? -1 : n;
        }
    }
}
