namespace VpnAppliance.Hal.Doubles
{
    /// <summary>
    /// Keeps the last N log lines in RAM for assertions. When full the oldest line is replaced and
    /// <see cref="Total"/> keeps counting.
    /// </summary>
    public sealed class MemoryLogSink : ILogSink
    {
        private readonly long[] _time;
        private readonly LogLevel[] _level;
        private readonly string[] _subsystem;
        private readonly string[] _message;
        private int _next;
        private int _count;
        private long _total;

        /// <summary>Creates a sink keeping <paramref name="capacity"/> lines (at least 1).</summary>
        public MemoryLogSink(int capacity)
        {
            if (capacity < 1)
            {
                throw new System.ArgumentOutOfRangeException("capacity");
            }

            _time = new long[capacity];
            _level = new LogLevel[capacity];
            _subsystem = new string[capacity];
            _message = new string[capacity];
        }

        /// <summary>Lines currently held.</summary>
        public int Count { get { return _count; } }

        /// <summary>Lines ever written.</summary>
        public long Total { get { return _total; } }

        /// <summary>Stores the line.</summary>
        public void Write(long nowMs, LogLevel level, string subsystem, string message)
        {
            _time[_next] = nowMs;
            _level[_next] = level;
            _subsystem[_next] = subsystem;
            _message[_next] = message;
            _next = (_next + 1) % _message.Length;
            if (_count < _message.Length)
            {
                _count++;
            }

            _total++;
        }

        /// <summary>Forgets every held line (Total is kept).</summary>
        public void Clear()
        {
            _count = 0;
            _next = 0;
        }

        /// <summary>Time of the i-th held line, 0 = oldest.</summary>
        public long TimeAt(int i) { return _time[Slot(i)]; }

        /// <summary>Level of the i-th held line, 0 = oldest.</summary>
        public LogLevel LevelAt(int i) { return _level[Slot(i)]; }

        /// <summary>Subsystem of the i-th held line, 0 = oldest.</summary>
        public string SubsystemAt(int i) { return _subsystem[Slot(i)]; }

        /// <summary>Message of the i-th held line, 0 = oldest.</summary>
        public string MessageAt(int i) { return _message[Slot(i)]; }

        /// <summary>Index of the first held line whose message contains <paramref name="text"/>, or -1.</summary>
        public int IndexOf(string text)
        {
            for (int i = 0; i < _count; i++)
            {
                if (MessageAt(i).IndexOf(text) >= 0)
                {
                    return i;
                }
            }

            return -1;
        }

        private int Slot(int i)
        {
            if (i < 0 || i >= _count)
            {
                throw new System.ArgumentOutOfRangeException("i");
            }

            int first = _count < _message.Length ? 0 : _next;
            return (first + i) % _message.Length;
        }
    }
}
