using System.Diagnostics;

namespace VpnAppliance.Hal.Device
{
    /// <summary>
    /// Log lines <c>[   12.345] info ike: text</c> to the debugger channel
    /// (<c>Debug.WriteLine</c>, visible in Visual Studio's output when attached) and, when given, to
    /// the console UART as well. Logging happens on state changes, not per packet, so building the
    /// line string is acceptable; the UART copy goes through a fixed buffer.
    /// </summary>
    public sealed class DebugLogSink : ILogSink
    {
        private readonly ISerialPort _uart;
        private readonly byte[] _line = new byte[160];

        /// <summary>Creates the sink; <paramref name="uart"/> may be null (debugger channel only).</summary>
        public DebugLogSink(ISerialPort uart)
        {
            _uart = uart;
        }

        /// <summary>Formats and writes one line.</summary>
        public void Write(long nowMs, LogLevel level, string subsystem, string message)
        {
            string text = "[" + (nowMs / 1000).ToString().PadLeft(5) + "." + (nowMs % 1000).ToString().PadLeft(3, '0') + "] " +
                          LevelName(level) + " " + subsystem + ": " + message;
            Debug.WriteLine(text);
            if (_uart == null)
            {
                return;
            }

            // ASCII copy in chunks (non-ASCII characters become '?'), then CR LF.
            int i = 0;
            while (i < text.Length)
            {
                int n = 0;
                while (n < _line.Length && i < text.Length)
                {
                    char c = text[i++];
                    _line[n++] = c < 128 ? (byte)c : (byte)'?';
                }

                _uart.Write(_line, 0, n);
            }

            _line[0] = 13;
            _line[1] = 10;
            _uart.Write(_line, 0, 2);
        }

        /// <summary>Short level name: error, warn, info, debug.</summary>
        public static string LevelName(LogLevel level)
        {
            switch (level)
            {
                case LogLevel.Error: return "error";
                case LogLevel.Warning: return "warn";
                case LogLevel.Info: return "info";
                case LogLevel.Debug: return "debug";
                default: return ((int)level).ToString();
            }
        }
    }
}
