using System.Runtime.InteropServices;
using VpnAppliance.Hal;

namespace VpnAppliance.VpnSim;

/// <summary>
/// The console on a pseudo-terminal, as a USB-serial adapter would present it: VpnSim holds the master side,
/// <see cref="SlavePath"/> (/dev/pts/N) is what `screen`, `picocom` or a test opens. The slave is kept open
/// here in raw mode (no echo, no line buffering: the firmware's line editor does both, as on a UART), so the
/// master never reports EIO while no terminal is attached and a client that does not set raw mode still
/// passes bytes through unchanged. posix_openpt/grantpt/unlockpt/ptsname: POSIX.1-2008; cfmakeraw: glibc.
/// </summary>
public sealed class PtySerial : ISerialPort, IDisposable
{
    private const int ORdWr = 2;
    private const int ONoCtty = 0x100;
    private const int ONonBlock = 0x800;
    private const int FSetFl = 4;
    private const int Eagain = 11;
    private const int Eio = 5;

    private readonly int _master;
    private readonly int _slave;

    private PtySerial(int master, int slave, string path)
    {
        _master = master;
        _slave = slave;
        SlavePath = path;
    }

    /// <summary>The terminal path to attach to.</summary>
    public string SlavePath { get; }

    /// <summary>Opens a new pseudo-terminal pair.</summary>
    public static PtySerial Open()
    {
        int master = posix_openpt(ORdWr | ONoCtty);
        if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0)
        {
            throw new IOException($"cannot open a pseudo-terminal (errno {Marshal.GetLastPInvokeError()})");
        }

        string path = Marshal.PtrToStringUTF8(ptsname(master)) ?? throw new IOException("ptsname failed");
        int slave = open(path, ORdWr | ONoCtty);
        if (slave < 0)
        {
            close(master);
            throw new IOException($"cannot open {path} (errno {Marshal.GetLastPInvokeError()})");
        }

        // Raw slave: termios is at most 60 bytes on Linux glibc; a larger buffer is harmless.
        byte[] termios = new byte[128];
        if (tcgetattr(slave, termios) == 0)
        {
            cfmakeraw(termios);
            tcsetattr(slave, 0, termios);
        }

        fcntl(master, FSetFl, ONonBlock);
        return new PtySerial(master, slave, path);
    }

    /// <summary>Bytes typed on the terminal; 0 when none (a pty console never ends: stop VpnSim with a signal).</summary>
    public int Read(byte[] buffer, int offset, int count)
    {
        if (count <= 0 || offset < 0 || offset > buffer.Length - count)
        {
            return 0;
        }

        nint n = read(_master, ref buffer[offset], count);
        if (n < 0)
        {
            int e = Marshal.GetLastPInvokeError();
            return e == Eagain || e == Eio ? 0 : 0;
        }

        return (int)n;
    }

    /// <summary>Writes to the terminal (bounded retries while its buffer is full).</summary>
    public int Write(byte[] buffer, int offset, int count)
    {
        int done = 0;
        for (int attempt = 0; done < count && attempt < 200; attempt++)
        {
            nint n = write(_master, ref buffer[offset + done], count - done);
            if (n > 0)
            {
                done += (int)n;
                continue;
            }

            Thread.Sleep(1);
        }

        return done;
    }

    /// <summary>Closes both sides.</summary>
    public void Dispose()
    {
        close(_slave);
        close(_master);
    }

    [DllImport("libc", SetLastError = true)] private static extern int posix_openpt(int flags);
    [DllImport("libc", SetLastError = true)] private static extern int grantpt(int fd);
    [DllImport("libc", SetLastError = true)] private static extern int unlockpt(int fd);
    [DllImport("libc", SetLastError = true)] private static extern nint ptsname(int fd);
    [DllImport("libc", SetLastError = true)] private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);
    [DllImport("libc", SetLastError = true)] private static extern int close(int fd);
    [DllImport("libc", SetLastError = true)] private static extern nint read(int fd, ref byte buffer, nint count);
    [DllImport("libc", SetLastError = true)] private static extern nint write(int fd, ref byte buffer, nint count);
    [DllImport("libc", SetLastError = true)] private static extern int fcntl(int fd, int command, int argument);
    [DllImport("libc", SetLastError = true)] private static extern int tcgetattr(int fd, byte[] termios);
    [DllImport("libc", SetLastError = true)] private static extern int tcsetattr(int fd, int action, byte[] termios);
    [DllImport("libc")] private static extern void cfmakeraw(byte[] termios);
}
