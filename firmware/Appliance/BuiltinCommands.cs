using VpnAppliance.Config;
using VpnAppliance.Core;
using VpnAppliance.Net;
using VpnAppliance.Tcp;

namespace VpnAppliance.Firmware
{
    /// <summary>
    /// The console commands the appliance has before the CLI issue brings modes, configuration and
    /// commit: <c>show version</c>, <c>show configuration</c>, <c>show system</c>, <c>show interfaces</c>,
    /// <c>show log</c>, <c>ping &lt;addr&gt; [count n]</c>, <c>help</c>. Empty lines are
    /// ignored; anything else gets one line naming the unknown command.
    /// </summary>
    public sealed class BuiltinCommands : IConsoleCommands
    {
        private readonly Appliance _appliance;

        /// <summary>Creates the command set for <paramref name="appliance"/>.</summary>
        public BuiltinCommands(Appliance appliance)
        {
            _appliance = appliance;
        }

        /// <summary>Describes this object for the memory budget.</summary>
        public static void Account(MemoryBudget budget)
        {
            budget.AddObject(1, 8);
        }

        /// <summary>Runs one line.</summary>
        public void Execute(string line, long nowMs)
        {
            string command = Normalize(line);
            if (command.Length == 0)
            {
                return;
            }

            if (command == "show version")
            {
                Write(FirmwareVersion.Product + " " + FirmwareVersion.Text);
                Write("board " + _appliance.Board.Name + " (" + _appliance.Board.Chip + ")");
                Write("uptime " + ((nowMs - _appliance.StartedAtMs) / 1000).ToString() + " s");
            }
            else if (command == "show configuration")
            {
                RunningConfig config = _appliance.Config;
                _appliance.ConsoleWrite(config == null ? "# no configuration loaded\r\n" : ToCrLf(ConfigText.Print(config.Model)));
            }
            else if (command == "show system")
            {
                ShowSystem();
            }
            else if (command == "show interfaces")
            {
                ShowInterfaces();
            }
            else if (command == "ping" || command.StartsWith("ping "))
            {
                Ping(command, nowMs);
            }
            else if (command == "show log")
            {
                LogRing log = _appliance.Log;
                for (int i = 0; i < log.Count; i++)
                {
                    Write(log.Format(i));
                }
            }
            else if (RunModule(_appliance.Ipsec, command, nowMs) || RunModule(_appliance.Bgp, command, nowMs) || RunModule(_appliance.Bfd, command, nowMs))
            {
            }
            else if (command == "help" || command == "?")
            {
                Write("show version   firmware version, board, uptime");
                Write("show configuration  running configuration (secrets masked)");
                Write("show system    capacities, memory budget, counters");
                Write("show interfaces  addresses, counters per interface, drops by reason, TCP");
                Write("show log       recent log lines");
                Write("ping <addr> [count n]  ICMP echo, one per second (default 5, at most " + PingSession.MaxCount.ToString() + ")");
                Write("show ike sa    IKE SAs per connection");
                Write("show ipsec sa  CHILD SAs: SPIs, transforms, selectors, counters, lifetimes");
                Write("rekey ike|child <peer>  start a rekey now");
                Write("clear ipsec sa <peer>  delete the SAs of a peer (initiators reconnect)");
            }
            else
            {
                Write("% unknown command: '" + command + "' (type 'help')");
            }
        }

        private bool RunModule(ITextCommands module, string command, long nowMs)
        {
            if (module == null) return false;
            System.Text.StringBuilder sb = new System.Text.StringBuilder();
            if (!module.Execute(command, sb, nowMs)) return false;
            _appliance.ConsoleWrite(ToCrLf(sb.ToString()));
            return true;
        }

        private void ShowSystem()
        {
            BoardInfo board = _appliance.Board;
            Capacities c = board.Capacities;
            MemoryBudget budget = new MemoryBudget();
            Appliance.Account(budget, c);
            Write("board " + board.Name + ", chip " + board.Chip);
            Write("static pools " + budget.NanoBytes.ToString() + " bytes of a " + board.HeapBudgetBytes.ToString() + "-byte heap budget");
            for (int i = 0; i < Capacities.FieldNames.Length; i++)
            {
                Write("  " + Capacities.FieldNames[i] + " " + c.Get(Capacities.FieldNames[i]).ToString());
            }

            ApplianceCounters k = _appliance.Counters;
            Write("polls " + k.Polls.ToString() + ", lan rx " + k.LanRxFrames.ToString() + ", wan rx " + k.WanRxDatagrams.ToString() +
                  ", no buffer " + k.RxNoBuffer.ToString() + ", no handler " + k.RxNoHandler.ToString());
            Write("packet buffers " + _appliance.Packets.InUse.ToString() + "/" + _appliance.Packets.Capacity.ToString() +
                  " in use, timers " + _appliance.Timers.Count.ToString() + "/" + _appliance.Timers.Capacity.ToString());
            for (int i = 0; i < _appliance.ModuleCount; i++)
            {
                Write("module " + _appliance.Module(i).Name);
            }
        }

        private void ShowInterfaces()
        {
            Router r = _appliance.Router;
            PacketPlaneConfig pc = _appliance.PlaneConfig;
            byte[] mac = new byte[6];
            VpnAppliance.Wire.EthernetAddress.Write(mac, 0, r.LanMac);
            System.Text.StringBuilder m = new System.Text.StringBuilder(17);
            for (int i = 0; i < 6; i++)
            {
                if (i > 0)
                {
                    m.Append(':');
                }

                m.Append(Hex(mac[i] >> 4));
                m.Append(Hex(mac[i] & 15));
            }

            Write("interface  state  address             rx-packets  rx-bytes  tx-packets  tx-bytes  rx-drops  tx-drops");
            string lanAddress = r.LanAddress == 0 ? "-" : Ipv4.Format(r.LanAddress) + "/" + pc.LanPrefixLength.ToString();
            InterfaceLine("lan", _appliance.Hal.Lan == null ? "absent" : (_appliance.Hal.Lan.LinkUp ? "up" : "down"), lanAddress, r.Counters(Router.LanInterface));
            for (int t = 1; t <= r.TunnelCount; t++)
            {
                InterfaceCounters k = r.Counters(t);
                if (pc.TunnelMtu(t) != 0 || k.RxPackets != 0 || k.TxPackets != 0 || r.TunnelAddress(t) != 0)
                {
                    InterfaceLine(r.InterfaceName(t), r.TunnelAddress(t) == 0 ? "detached" : "attached",
                        r.TunnelAddress(t) == 0 ? "-" : Ipv4.Format(r.TunnelAddress(t)), k);
                    Write("    mtu " + pc.TunnelMtu(t).ToString() + ", tcp-mss " + r.TunnelMss(t).ToString());
                }
            }

            InterfaceLine("lo", "up", r.LoopbackAddress == 0 ? "-" : Ipv4.Format(r.LoopbackAddress) + "/32", r.Counters(r.LoopbackInterface));
            Write("lan mac " + m.ToString() + ", mtu " + r.LanMtu.ToString() + "; arp entries " + r.Arp.Count.ToString() +
                ", conflicts " + r.ArpConflicts.ToString() + "; local deliveries " + r.LocalDelivered.ToString());
            Write("routes installed " + pc.RoutesInstalled.ToString() + ", waiting for tunnels " + pc.RoutesPending.ToString() +
                ", refused " + pc.RoutesRefused.ToString() + "; fib " + _appliance.Fib.Count.ToString() + "/" + _appliance.Fib.RouteCapacity.ToString());
            string drops = "";
            for (int i = 0; i < DropReasons.Count; i++)
            {
                long n = r.Drops((DropReason)i);
                if (n != 0)
                {
                    drops += " " + DropReasons.Name((DropReason)i) + " " + n.ToString();
                }
            }

            Write("drops:" + (drops.Length == 0 ? " none" : drops));
            TcpStack tcp = _appliance.Tcp;
            TcpCounters tc = tcp.Counters;
            Write("tcp connections " + tcp.InUse.ToString() + "/" + tcp.Capacity.ToString() + ", segments rx " + tc.SegmentsReceived.ToString() +
                " tx " + tc.SegmentsSent.ToString() + ", retransmissions " + tc.Retransmissions.ToString() +
                ", loopback drops " + _appliance.TcpModule.LoopbackDrops.ToString() + ", not sent " + _appliance.TcpModule.SendDrops.ToString());
        }

        private void InterfaceLine(string name, string state, string address, InterfaceCounters k)
        {
            Write(Pad(name, 11) + Pad(state, 7) + Pad(address, 20) + Pad(k.RxPackets.ToString(), 12) + Pad(k.RxBytes.ToString(), 10) +
                Pad(k.TxPackets.ToString(), 12) + Pad(k.TxBytes.ToString(), 10) + Pad(k.RxDrops.ToString(), 10) + k.TxDrops.ToString());
        }

        private void Ping(string command, long nowMs)
        {
            // ping <addr> [count <n>]
            string[] words = command.Split(' ');
            uint target;
            uint count = 5;
            bool ok = words.Length == 2 || (words.Length == 4 && words[2] == "count");
            if (ok && words.Length == 4)
            {
                ok = Numbers.TryParseUInt(words[3], out count) && count >= 1 && count <= PingSession.MaxCount;
            }

            if (!ok || !Ipv4.TryParse(words[1], out target))
            {
                Write("% usage: ping <a.b.c.d> [count 1-" + PingSession.MaxCount.ToString() + "]");
                return;
            }

            if (!_appliance.Ping.Start(target, (int)count, nowMs))
            {
                Write("% a ping is already running");
            }
        }

        private static char Hex(int nibble)
        {
            return (char)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
        }

        private static string Pad(string text, int width)
        {
            return text.Length >= width ? text + " " : text + new string(' ', width - text.Length);
        }

        private static string ToCrLf(string text)
        {
            System.Text.StringBuilder sb = new System.Text.StringBuilder(text.Length + 64);
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r'))
                {
                    sb.Append('\r');
                }

                sb.Append(text[i]);
            }

            return sb.ToString();
        }

        private void Write(string text)
        {
            _appliance.ConsoleWrite(text + "\r\n");
        }

        /// <summary>Trims and folds runs of spaces/tabs into one space.</summary>
        private static string Normalize(string line)
        {
            char[] chars = new char[line.Length];
            int n = 0;
            bool space = true;
            for (int i = 0; i < line.Length; i++)
            {
                char ch = line[i];
                if (ch == ' ' || ch == '\t')
                {
                    if (!space)
                    {
                        chars[n++] = ' ';
                        space = true;
                    }
                }
                else
                {
                    chars[n++] = ch;
                    space = false;
                }
            }

            if (n > 0 && chars[n - 1] == ' ')
            {
                n--;
            }

            return new string(chars, 0, n);
        }
    }
}
