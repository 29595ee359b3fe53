namespace VpnAppliance.Hal
{
    /// <summary>
    /// The console byte stream: a UART (USB-serial) on the board, stdin/stdout or a pty on the host.
    /// Non-blocking reads; writes may block briefly on a slow UART (bounded by the driver).
    /// </summary>
    public interface ISerialPort
    {
        /// <summary>
        /// Copies available bytes (at most <paramref name="count"/>) and returns how many; 0 when none
        /// are waiting; -1 when the stream has ended (host stdin EOF) and never will deliver more.
        /// </summary>
        int Read(byte[] buffer, int offset, int count);

        /// <summary>Writes bytes; returns how many were accepted.</summary>
        int Write(byte[] buffer, int offset, int count);
    }
}
