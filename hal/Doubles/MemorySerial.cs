namespace VpnAppliance.Hal.Doubles
{
    /// <summary>
    /// A console in RAM: the test pushes input bytes (and may end the stream), the firmware's
    /// output is captured. Both buffers are fixed; input beyond the free space is refused (the
    /// push returns how much was taken), output beyond capacity is refused as a slow UART would.
    /// </summary>
    public sealed class MemorySerial : ISerialPort
    {
        private readonly byte[] _input;
        private readonly byte[] _output;
        private int _inHead;
        private int _inCount;
        private int _outLength;
        private bool _endOfInput;

        /// <summary>Creates a console with the given buffer sizes in bytes.</summary>
        public MemorySerial(int inputCapacity, int outputCapacity)
        {
            _input = new byte[inputCapacity];
            _output = new byte[outputCapacity];
        }

        /// <summary>Input bytes not yet read.</summary>
        public int InputPending { get { return _inCount; } }

        /// <summary>Bytes of captured output.</summary>
        public int OutputLength { get { return _outLength; } }

        /// <summary>Output bytes refused because the capture buffer was full.</summary>
        public long OutputRefused { get; private set; }

        /// <summary>True once <see cref="EndInput"/> was called.</summary>
        public bool EndOfInput { get { return _endOfInput; } }

        /// <summary>Appends input bytes; returns how many fit.</summary>
        public int PushInput(byte[] buffer, int offset, int count)
        {
            if (_endOfInput || !FrameRing.RangeOk(buffer, offset, count))
            {
                return 0;
            }

            int n = 0;
            while (n < count && _inCount < _input.Length)
            {
                _input[(_inHead + _inCount) % _input.Length] = buffer[offset + n];
                _inCount++;
                n++;
            }

            return n;
        }

        /// <summary>Appends the characters of an ASCII text as bytes; returns how many fit.</summary>
        public int PushText(string text)
        {
            if (_endOfInput)
            {
                return 0;
            }

            int n = 0;
            while (n < text.Length && _inCount < _input.Length)
            {
                _input[(_inHead + _inCount) % _input.Length] = (byte)text[n];
                _inCount++;
                n++;
            }

            return n;
        }

        /// <summary>Ends the input stream: once the pending bytes are read, Read returns -1.</summary>
        public void EndInput()
        {
            _endOfInput = true;
        }

        /// <summary>Available input bytes (at most count); 0 when none; -1 after end of input.</summary>
        public int Read(byte[] buffer, int offset, int count)
        {
            if (!FrameRing.RangeOk(buffer, offset, count))
            {
                return 0;
            }

            if (_inCount == 0)
            {
                return _endOfInput ? -1 : 0;
            }

            int n = 0;
            while (n < count && _inCount > 0)
            {
                buffer[offset + n] = _input[_inHead];
                _inHead = (_inHead + 1) % _input.Length;
                _inCount--;
                n++;
            }

            return n;
        }

        /// <summary>Captures output; returns how many bytes fit.</summary>
        public int Write(byte[] buffer, int offset, int count)
        {
            if (!FrameRing.RangeOk(buffer, offset, count))
            {
                return 0;
            }

            int free = _output.Length - _outLength;
            int n = count < free ? count : free;
            System.Array.Copy(buffer, offset, _output, _outLength, n);
            _outLength += n;
            OutputRefused += count - n;
            return n;
        }

        /// <summary>Copies captured output (from the start) into the buffer; returns bytes copied.</summary>
        public int CopyOutput(byte[] buffer, int offset, int count)
        {
            int n = count < _outLength ? count : _outLength;
            System.Array.Copy(_output, 0, buffer, offset, n);
            return n;
        }

        /// <summary>The captured output as text, one char per byte (allocates: for assertions).</summary>
        public string OutputText()
        {
            char[] chars = new char[_outLength];
            for (int i = 0; i < _outLength; i++)
            {
                chars[i] = (char)_output[i];
            }

            return new string(chars);
        }

        /// <summary>Forgets the captured output.</summary>
        public void ClearOutput()
        {
            _outLength = 0;
        }
    }
}
