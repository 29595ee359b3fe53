using System.IO.Ports;

namespace VpnAppliance.Hal.Device
{
    /// <summary>
    /// The console on a UART via System.IO.Ports.SerialPort (8N1). Reads never block: only the
    /// bytes counted by <c>BytesToRead</c> are read. A UART has no end of stream, so Read never
    /// returns -1. Writes block at most <see cref="WriteTimeoutMs"/> (a slow or absent terminal
    /// must not stall the event loop for long).
    /// Pin routing (ESP32: which GPIOs the UART uses) is board setup done before construction.
    /// </summary>
    public sealed class UartSerial : ISerialPort
    {
        /// <summary>Upper bound for one blocking write.</summary>
        public const int WriteTimeoutMs = 200;

        private readonly SerialPort _port;

        /// <summary>Opens <paramref name="portName"/> (e.g. "COM1") at <paramref name="baudRate"/> 8N1.</summary>
        public UartSerial(string portName, int baudRate)
        {
            _port = new SerialPort(portName, baudRate, Parity.None, 8, StopBits.One);
            _port.WriteTimeout = WriteTimeoutMs;
            _port.Open();
        }

        /// <summary>Bytes dropped because a write failed or timed out.</summary>
        public long WriteErrors { get; private set; }

        /// <summary>Available bytes (at most count); 0 when none.</summary>
        public int Read(byte[] buffer, int offset, int count)
        {
            if (buffer == null || offset < 0 || count < 0 || offset > buffer.Length - count)
            {
                return 0;
            }

            int available;
            try
            {
                available = _port.BytesToRead;
                if (available <= 0 || count == 0)
                {
                    return 0;
                }

                return _port.Read(buffer, offset, available < count ? available : count);
            }
            catch (System.Exception)
            {
                return 0;
            }
        }

        /// <summary>Writes the bytes; returns count, or 0 when the driver failed or timed out.</summary>
        public int Write(byte[] buffer, int offset, int count)
        {
            if (buffer == null || offset < 0 || count < 0 || offset > buffer.Length - count)
            {
                return 0;
            }

            try
            {
                _port.Write(buffer, offset, count);
                return count;
            }
            catch (System.Exception)
            {
                WriteErrors += count;
                return 0;
            }
        }
    }
}
