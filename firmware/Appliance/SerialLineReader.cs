namespace VpnAppliance.Firmware
{
    /// <summary>
    /// Turns console bytes into command lines: CR, LF or CRLF end a line; backspace/DEL erase one
    /// character; other control bytes are ignored. A line longer than the buffer is discarded whole
    /// and counted (the operator sees "% line too long"), never truncated into a different command.
    /// Only 7-bit printable ASCII is kept (the config grammar is ASCII).
    /// </summary>
    public sealed class SerialLineReader
    {
        private readonly byte[] _line;
        private int _length;
        private bool _overflow;
        private bool _lastWasCr;
        private int _overlongLines;

        /// <summary>Creates a reader for lines of at most <paramref name="maxLine"/> characters.</summary>
        public SerialLineReader(int maxLine)
        {
            _line = new byte[maxLine];
        }

        /// <summary>Lines discarded because they exceeded the buffer.</summary>
        public int OverlongLines { get { return _overlongLines; } }

        /// <summary>
        /// Feeds one byte. Returns 1 when a line is complete (read it with <see cref="TakeLine"/>),
        /// 2 when an overlong line ended (discarded), 0 otherwise.
        /// </summary>
        public int Feed(byte b)
        {
            if (b == (byte)'\n' && _lastWasCr)
            {
                _lastWasCr = false;
                return 0;
            }

            _lastWasCr = b == (byte)'\r';
            if (b == (byte)'\r' || b == (byte)'\n')
            {
                if (_overflow)
                {
                    _overflow = false;
                    _length = 0;
                    _overlongLines++;
                    return 2;
                }

                return 1;
            }

            if (b == 8 || b == 127)
            {
                if (_length > 0 && !_overflow)
                {
                    _length--;
                }

                return 0;
            }

            if (b < 32 || b > 126)
            {
                return 0;
            }

            if (_length == _line.Length)
            {
                _overflow = true;
                return 0;
            }

            _line[_length++] = b;
            return 0;
        }

        /// <summary>The completed line as a string (allocates: console input is not a hot path); resets.</summary>
        public string TakeLine()
        {
            char[] chars = new char[_length];
            for (int i = 0; i < _length; i++)
            {
                chars[i] = (char)_line[i];
            }

            _length = 0;
            return new string(chars);
        }
    }
}
