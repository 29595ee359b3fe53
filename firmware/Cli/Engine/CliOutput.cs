using VpnAppliance.Hal;

namespace VpnAppliance.Cli
{
    /// <summary>
    /// Console output: text becomes 7-bit bytes ('\n' becomes CR LF, non-ASCII becomes '?') and goes to the
    /// serial port through one fixed chunk buffer, so output of any length is streamed in bounded pieces.
    /// A port that accepts nothing for <see cref="MaxStalls"/> attempts in a row loses the rest of the chunk
    /// (counted in <see cref="Dropped"/>): a stuck terminal never blocks the event loop for long.
    /// </summary>
    public sealed class CliOutput
    {
        /// <summary>Bytes per write to the port.</summary>
        public const int ChunkSize = 128;
        /// <summary>Consecutive zero-byte writes before a chunk is given up.</summary>
        public const int MaxStalls = 64;

        private readonly ISerialPort _port;
        private readonly byte[] _chunk;
        private int _count;
        private char _last;

        /// <summary>Output to <paramref name="port"/> (null: output is discarded).</summary>
        public CliOutput(ISerialPort port)
        {
            _port = port;
            _chunk = new byte[ChunkSize];
        }

        /// <summary>Bytes given up because the port accepted nothing.</summary>
        public long Dropped { get; private set; }

        /// <summary>Writes text as it is ('\n' becomes CR LF).</summary>
        public void Write(string text)
        {
            if (text == null)
            {
                return;
            }

            for (int i = 0; i < text.Length; i++)
            {
                char ch = text[i];
                if (ch == '\n' && _last != '\r')
                {
                    Put((byte)'\r');
                }

                Put(ch < 128 ? (byte)ch : (byte)'?');
                _last = ch;
            }

            Flush();
        }

        /// <summary>Writes text and a line end.</summary>
        public void Line(string text)
        {
            Write(text);
            Write("\n");
        }

        private void Put(byte b)
        {
            if (_count == _chunk.Length)
            {
                Flush();
            }

            _chunk[_count++] = b;
        }

        /// <summary>Sends the buffered bytes.</summary>
        public void Flush()
        {
            int sent = 0;
            int stalls = 0;
            while (sent < _count && _port != null)
            {
                int n = _port.Write(_chunk, sent, _count - sent);
                if (n <= 0)
                {
                    if (++stalls == MaxStalls)
                    {
                        break;
                    }

                    continue;
                }

                stalls = 0;
                sent += n;
            }

            Dropped += _count - sent;
            _count = 0;
        }
    }
}
