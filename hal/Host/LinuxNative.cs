using System.Runtime.InteropServices;

namespace VpnAppliance.Hal.Host;

/// <summary>
/// The few Linux system calls the host LAN port needs (glibc wrappers), declared with blittable
/// arguments only (int, nint, ref byte, ref struct) so that a call marshals nothing and allocates
/// nothing. Buffers are passed as <c>ref buffer[offset]</c>: the runtime pins the array for the
/// duration of the call.
/// Values verified on this machine (Linux 6.18, x86-64, glibc) with a C program printing the
/// macros of &lt;linux/if_tun.h&gt;, &lt;linux/sockios.h&gt;, &lt;net/if.h&gt;, &lt;fcntl.h&gt;,
/// &lt;poll.h&gt;, &lt;errno.h&gt;; they are the asm-generic values, the same on arm64.
/// </summary>
internal static class LinuxNative
{
    private const string Libc = "libc";

    // <fcntl.h>
    internal const int O_RDONLY = 0;
    internal const int O_RDWR = 2;
    internal const int O_NONBLOCK = 0x800;
    internal const int O_CLOEXEC = 0x80000;
    internal const int F_GETFL = 3;
    internal const int F_SETFL = 4;

    // <linux/if_tun.h>: TUNSETIFF = _IOW('T', 202, int); TUNGETIFF = _IOR('T', 210, unsigned int).
    internal const uint TUNSETIFF = 0x400454ca;
    internal const uint TUNGETIFF = 0x800454d2;
    internal const short IFF_TAP = 0x0002;
    internal const short IFF_NO_PI = 0x1000;

    // <linux/sockios.h>; the tun driver answers SIOCGIFHWADDR on its own fd (any namespace),
    // SIOCGIFFLAGS only on a socket of the namespace the interface lives in.
    internal const uint SIOCGIFFLAGS = 0x8913;
    internal const uint SIOCGIFHWADDR = 0x8927;

    // <net/if.h> interface flags (struct ifreq.ifr_flags, 16 bits).
    internal const short IFF_UP = 0x1;
    internal const short IFF_RUNNING = 0x40;

    // struct ifreq: char ifr_name[IFNAMSIZ = 16]; then a 24-byte union (ifr_flags: short at 16;
    // ifr_hwaddr: struct sockaddr at 16, sa_family 2 bytes then sa_data, so the MAC is at 18).
    internal const int IfReqSize = 40;
    internal const int IfNameSize = 16;
    internal const int IfReqFlagsOffset = 16;
    internal const int IfReqHwAddrDataOffset = 18;

    // <sys/socket.h>
    internal const int AF_INET = 2;
    internal const int SOCK_DGRAM = 2;
    internal const int SOCK_CLOEXEC = 0x80000;

    // <sched.h>
    internal const int CLONE_NEWNET = 0x40000000;

    // <poll.h>
    internal const short POLLIN = 0x1;
    internal const short POLLERR = 0x8;
    internal const short POLLHUP = 0x10;
    internal const short POLLNVAL = 0x20;

    // <errno.h> (asm-generic)
    internal const int EINTR = 4;
    internal const int EIO = 5;
    internal const int EAGAIN = 11;
    internal const int EBUSY = 16;
    internal const int ENODEV = 19;
    internal const int EINVAL = 22;
    internal const int EPERM = 1;
    internal const int ENOENT = 2;
    internal const int EACCES = 13;
    internal const int EBADFD = 77;
    internal const int EMSGSIZE = 90;
    internal const int ENOBUFS = 105;

    /// <summary>struct pollfd { int fd; short events; short revents; } (8 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct PollFd
    {
        public int Fd;
        public short Events;
        public short REvents;
    }

    [DllImport(Libc, EntryPoint = "open", SetLastError = true)]
    internal static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport(Libc, EntryPoint = "close", SetLastError = true)]
    internal static extern int Close(int fd);

    [DllImport(Libc, EntryPoint = "read", SetLastError = true)]
    internal static extern nint Read(int fd, ref byte buffer, nint count);

    [DllImport(Libc, EntryPoint = "write", SetLastError = true)]
    internal static extern nint Write(int fd, ref byte buffer, nint count);

    /// <summary>ioctl(fd, request, void *arg); variadic in C, called with one pointer argument.</summary>
    [DllImport(Libc, EntryPoint = "ioctl", SetLastError = true)]
    internal static extern int Ioctl(int fd, nuint request, ref byte argument);

    /// <summary>fcntl(fd, cmd, int arg); variadic in C, called with one int argument.</summary>
    [DllImport(Libc, EntryPoint = "fcntl", SetLastError = true)]
    internal static extern int Fcntl(int fd, int command, int argument);

    [DllImport(Libc, EntryPoint = "poll", SetLastError = true)]
    internal static extern int Poll(ref PollFd fds, nuint count, int timeoutMs);

    [DllImport(Libc, EntryPoint = "socket", SetLastError = true)]
    internal static extern int Socket(int domain, int type, int protocol);

    [DllImport(Libc, EntryPoint = "setns", SetLastError = true)]
    internal static extern int SetNs(int fd, int namespaceType);

    /// <summary>errno of the last call above (no allocation).</summary>
    internal static int Errno => Marshal.GetLastPInvokeError();
}
