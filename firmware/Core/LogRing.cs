using VpnAppliance.Hal;

namespace VpnAppliance.Core
{
    /// <summary>
    /// The last N log lines for <c>show log</c>, plus forwarding to the board's log sink. Lines are
    /// kept as given (a string per line: logging happens on state changes, never per packet, so the
    /// string allocation is outside the zero-allocation paths). When full the oldest line is replaced.
    /// </summary>
    public sealed class LogRing
    {
        private readonly string[] _subsystem;
        private readonly string[] _message;
        private readonly long[] _time;
        private readonly int[] _level;
        private readonly ILogSink _sink;
        private int _next;
        private int _count;
        private long _total;

        /// <summary>Creates a ring of <paramref name="lines"/> lines; <paramref name="sink"/> may be null.</summary>
        public LogRing(int lines, ILogSink sink)
        {
            if (lines < 1)
            {
                throw new System.ArgumentOutOfRangeException("lines");
            }

            _subsystem = new string[lines];
            _message = new string[lines];
            _time = new long[lines];
            _level = new int[lines];
            _sink = sink;
        }

        /// <summary>Describes the arrays the constructor allocates (line texts are not static memory).</summary>
        public static void Account(MemoryBudget budget, int lines)
        {
            budget.AddObject(8, 5 * 8 + 3 * 4);
            budget.AddReferenceArray(lines);
            budget.AddReferenceArray(lines);
            budget.AddValueArray(8, lines);
            budget.AddValueArray(4, lines);
        }

        /// <summary>Lines currently held.</summary>
        public int Count { get { return _count; } }

        /// <summary>Lines ever written (so a reader can tell lines were lost).</summary>
        public long Total { get { return _total; } }

        /// <summary>Appends a line and forwards it to the sink.</summary>
        public void Write(long nowMs, LogLevel level, string subsystem, string message)
        {
            _subsystem[_next] = subsystem;
            _message[_next] = message;
            _time[_next] = nowMs;
            _level[_next] = (int)level;
            _next = (_next + 1) % _message.Length;
            if (_count < _message.Length)
            {
                _count++;
            }

            _total++;
            if (_sink != null)
            {
                _sink.Write(nowMs, level, subsystem, message);
            }
        }

        /// <summary>The i-th held line, 0 = oldest, formatted <c>[    12.345] warn  ike: text</c>.</summary>
        public string Format(int i)
        {
            int slot = Slot(i);
            return FormatLine(_time[slot], (LogLevel)_level[slot], _subsystem[slot], _message[slot]);
        }

        /// <summary>Message text of the i-th held line, 0 = oldest.</summary>
        public string Message(int i)
        {
            return _message[Slot(i)];
        }

        /// <summary>Level of the i-th held line, 0 = oldest.</summary>
        public LogLevel Level(int i)
        {
            return (LogLevel)_level[Slot(i)];
        }

        /// <summary>One log line in the appliance's format (used by the sinks as well).</summary>
        public static string FormatLine(long nowMs, LogLevel level, string subsystem, string message)
        {
            string seconds = (nowMs / 1000).ToString();
            string millis = (nowMs % 1000 + 1000).ToString().Substring(1);
            string stamp = "[" + seconds + "." + millis + "]";
            while (stamp.Length < 12)
            {
                stamp = " " + stamp;
            }

            return stamp + " " + LevelName(level) + " " + subsystem + ": " + message;
        }

        /// <summary>Four-letter level name.</summary>
        public static string LevelName(LogLevel level)
        {
            switch (level)
            {
                case LogLevel.Error: return "err ";
                case LogLevel.Warning: return "warn";
                case LogLevel.Info: return "info";
                default: return "dbg ";
            }
        }

        private int Slot(int i)
        {
            if (i < 0 || i >= _count)
            {
                throw new System.ArgumentOutOfRangeException("i");
            }

            int first = (_next - _count + _message.Length) % _message.Length;
            return (first + i) % _message.Length;
        }
    }
}
