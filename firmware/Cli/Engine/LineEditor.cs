namespace VpnAppliance.Cli
{
    /// <summary>
    /// The console line editor for a VT100/ANSI terminal (screen, picocom, minicom, PuTTY), cursor at the end
    /// of the line:
    /// <list type="bullet">
    /// <item>printable ASCII is inserted and echoed (or not, when <see cref="Echo"/> is off: passwords);</item>
    /// <item>backspace (0x08) and DEL (0x7F) erase one character ("\b \b"); Ctrl-U erases the line, Ctrl-W the
    /// last word;</item>
    /// <item>CR, LF or CR LF end the line (<see cref="EditEvent.Enter"/>); Ctrl-C abandons it;</item>
    /// <item>Tab and '?' (outside a quoted value) are events for the session; '?' is not inserted;</item>
    /// <item>escape sequences (ECMA-48 CSI "ESC [ params final" and SS3 "ESC O final"): up/down arrows
    /// (final 'A'/'B') are history events; every other sequence is consumed and ignored.</item>
    /// </list>
    /// The buffer is fixed; characters beyond it are refused with a bell (BEL).
    /// </summary>
    public sealed class LineEditor
    {
        private const byte Esc = 0x1B;
        private readonly char[] _buffer;
        private readonly CliOutput _out;
        private int _length;
        private int _escape; // 0 none, 1 after ESC, 2 inside CSI/SS3
        private bool _lastWasCr;

        /// <summary>An editor for lines of at most <paramref name="maxLine"/> characters echoing to <paramref name="output"/>.</summary>
        public LineEditor(int maxLine, CliOutput output)
        {
            _buffer = new char[maxLine];
            _out = output;
            Echo = true;
            Prompt = "";
        }

        /// <summary>False while reading a password: nothing is echoed and '?'/Tab are ordinary characters.</summary>
        public bool Echo { get; set; }

        /// <summary>Printed before the line when it is redrawn.</summary>
        public string Prompt { get; set; }

        /// <summary>Characters in the line.</summary>
        public int Length { get { return _length; } }

        /// <summary>The line as typed so far.</summary>
        public string Text { get { return new string(_buffer, 0, _length); } }

        /// <summary>Feeds one byte from the terminal.</summary>
        public EditEvent Feed(byte b)
        {
            if (_escape != 0)
            {
                return FeedEscape(b);
            }

            if (b == (byte)'\n' && _lastWasCr)
            {
                _lastWasCr = false;
                return EditEvent.None;
            }

            _lastWasCr = b == (byte)'\r';
            switch (b)
            {
                case (byte)'\r':
                case (byte)'\n':
                    _out.Write("\r\n");
                    return EditEvent.Enter;
                case Esc:
                    _escape = 1;
                    return EditEvent.None;
                case 3: // Ctrl-C
                    _out.Write("^C\r\n");
                    _length = 0;
                    return EditEvent.Interrupt;
                case 4: // Ctrl-D
                    return _length == 0 ? EditEvent.EndOfInput : EditEvent.None;
                case 8:
                case 127:
                    Erase(1);
                    return EditEvent.None;
                case 21: // Ctrl-U
                    Erase(_length);
                    return EditEvent.None;
                case 23: // Ctrl-W
                    Erase(LastWordLength());
                    return EditEvent.None;
                case 9:
                    return Echo ? EditEvent.Complete : EditEvent.None;
            }

            if (b == (byte)'?' && Echo && !InsideQuotes())
            {
                return EditEvent.Help;
            }

            if (b < 32 || b > 126)
            {
                return EditEvent.None;
            }

            if (_length == _buffer.Length)
            {
                _out.Write("\x07");
                return EditEvent.None;
            }

            _buffer[_length++] = (char)b;
            if (Echo)
            {
                _out.Write(new string((char)b, 1));
            }

            return EditEvent.None;
        }

        private EditEvent FeedEscape(byte b)
        {
            if (_escape == 1)
            {
                _escape = b == (byte)'[' || b == (byte)'O' ? 2 : 0;
                return EditEvent.None;
            }

            if (b >= 0x20 && b <= 0x3F)
            {
                return EditEvent.None; // parameter/intermediate bytes of a CSI sequence
            }

            _escape = 0;
            if (b == (byte)'A')
            {
                return EditEvent.HistoryUp;
            }

            if (b == (byte)'B')
            {
                return EditEvent.HistoryDown;
            }

            return EditEvent.None;
        }

        /// <summary>Empties the line without output (after Enter).</summary>
        public void Clear()
        {
            _length = 0;
        }

        /// <summary>Replaces the line (history, completion) and redraws prompt and line.</summary>
        public void SetText(string text)
        {
            _length = 0;
            for (int i = 0; i < text.Length && _length < _buffer.Length; i++)
            {
                _buffer[_length++] = text[i];
            }

            Redraw();
        }

        /// <summary>Appends text at the end (completion) and echoes it.</summary>
        public void Append(string text)
        {
            for (int i = 0; i < text.Length && _length < _buffer.Length; i++)
            {
                _buffer[_length++] = text[i];
            }

            if (Echo)
            {
                _out.Write(text);
            }
        }

        /// <summary>Writes the prompt and the current line on a fresh line ("\r" then erase to the end: ECMA-48 EL).</summary>
        public void Redraw()
        {
            _out.Write("\r" + Prompt + (Echo ? Text : "") + "\x1b[K");
        }

        private void Erase(int n)
        {
            if (n > _length)
            {
                n = _length;
            }

            for (int i = 0; i < n; i++)
            {
                _length--;
                if (Echo)
                {
                    _out.Write("\b \b");
                }
            }
        }

        private int LastWordLength()
        {
            int i = _length;
            while (i > 0 && _buffer[i - 1] == ' ')
            {
                i--;
            }

            while (i > 0 && _buffer[i - 1] != ' ')
            {
                i--;
            }

            return _length - i;
        }

        private bool InsideQuotes()
        {
            bool inside = false;
            for (int i = 0; i < _length; i++)
            {
                if (_buffer[i] == '"' && (i == 0 || _buffer[i - 1] != '\\'))
                {
                    inside = !inside;
                }
            }

            return inside;
        }
    }
}
