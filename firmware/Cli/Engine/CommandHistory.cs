namespace VpnAppliance.Cli
{
    /// <summary>
    /// The last lines the operator entered, for the up/down arrows: a fixed ring (the oldest line is
    /// forgotten), consecutive duplicates and empty lines are not stored. Lines are never secrets: the session
    /// does not record what it reads with echo off and stores a <c>psk</c> value as ******.
    /// </summary>
    public sealed class CommandHistory
    {
        private readonly string[] _lines;
        private int _count;
        private int _next;
        private int _browse; // 0 = not browsing; k = showing the k-th most recent line

        /// <summary>A history of at most <paramref name="capacity"/> lines.</summary>
        public CommandHistory(int capacity)
        {
            _lines = new string[capacity < 1 ? 1 : capacity];
        }

        /// <summary>Lines stored.</summary>
        public int Count { get { return _count; } }

        /// <summary>Stores a line and ends browsing.</summary>
        public void Add(string line)
        {
            _browse = 0;
            if (line.Length == 0 || (_count > 0 && Recent(1) == line))
            {
                return;
            }

            _lines[_next] = line;
            _next = (_next + 1) % _lines.Length;
            if (_count < _lines.Length)
            {
                _count++;
            }
        }

        /// <summary>The k-th most recent line (1 = last).</summary>
        public string Recent(int k)
        {
            int i = (_next - k + _lines.Length * 2) % _lines.Length;
            return _lines[i];
        }

        /// <summary>Up arrow: the next older line, or null at the oldest.</summary>
        public string Older()
        {
            if (_browse >= _count)
            {
                return null;
            }

            _browse++;
            return Recent(_browse);
        }

        /// <summary>Down arrow: the next newer line; "" past the newest (back to an empty line); null when not browsing.</summary>
        public string Newer()
        {
            if (_browse == 0)
            {
                return null;
            }

            _browse--;
            return _browse == 0 ? "" : Recent(_browse);
        }

        /// <summary>Stops browsing (the next Older starts from the newest line).</summary>
        public void ResetBrowse()
        {
            _browse = 0;
        }
    }
}
