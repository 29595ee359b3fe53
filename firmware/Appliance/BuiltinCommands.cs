using VpnAppliance.Config;
using VpnAppliance.Core;

namespace VpnAppliance.Firmware
{
    /// <summary>
    /// The console commands the appliance has before the CLI issue brings modes, configuration and
    /// commit: <c>show version</c>, <c>show system</c>, <c>show log</c>, <c>help</c>. Empty lines are
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
            else if (command == "show log")
            {
                LogRing log = _appliance.Log;
                for (int i = 0; i < log.Count; i++)
                {
                    Write(log.Format(i));
                }
            }
            else if (command == "help" || command == "?")
            {
                Write("show version   firmware version, board, uptime");
                Write("show configuration  running configuration (secrets masked)");
                Write("show system    capacities, memory budget, counters");
                Write("show log       recent log lines");
            }
            else
            {
                Write("% unknown command: '" + command + "' (type 'help')");
            }
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
