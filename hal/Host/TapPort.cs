using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;

namespace VpnAppliance.Hal.Host;

/// <summary>
/// The host LAN port: a Linux TAP device behind <see cref="INetPort"/>. Every Ethernet frame the
/// kernel transmits on the TAP interface is read here, and every frame written here is received by
/// the kernel as if it came in from a wire. The appliance is the far end of that virtual wire, so
/// its MAC (<see cref="GetMacAddress"/>) is not the kernel interface's MAC
/// (<see cref="GetKernelMacAddress"/>).
///
/// Using it in the lab (root, or CAP_NET_ADMIN):
///   ip netns add lan                                    # the LAN host's namespace
///   ip -n lan tuntap add dev vpnlan0 mode tap           # optional persistent device, so that it can be
///   ip -n lan link set vpnlan0 up                       #   configured before the runner starts;
///   ip -n lan addr add 192.168.50.1/24 dev vpnlan0      #   the kernel is now a host on the LAN
///   ip netns exec lan VpnSim run --lan tap:vpnlan0 ...  # TapPort.Open("vpnlan0") attaches to it
/// Without the tuntap step, Open creates the device (it disappears when the port is disposed): bring
/// it up and address it once the runner runs. To keep the appliance's UDP sockets in another
/// namespace (its WAN side) than the LAN kernel, give Open the namespace:
/// TapPort.Open("vpnlan0", "lan") opens the device from a thread that joined /run/netns/lan. A
/// device opened in one namespace and then moved (`ip link set vpnlan0 netns lan`) also keeps
/// working through the same descriptor (but see Link state). Without root: a persistent device owned
/// by the user (`ip tuntap add dev vpnlan0 mode tap user $USER`) and a /dev/net/tun the user may
/// open (0666 on most distributions, 0600 on the lab VM).
///
/// Mechanism: open("/dev/net/tun"), ioctl TUNSETIFF with IFF_TAP | IFF_NO_PI (no 4-byte packet
/// information prefix: each read/write is exactly one Ethernet frame without FCS), then
/// fcntl(F_SETFL, O_NONBLOCK) so that read returns EAGAIN instead of waiting. The host runner waits
/// for readiness with poll(2) through <see cref="PollSet"/>. Constants: see <see cref="LinuxNative"/>
/// (linux/if_tun.h: TUNSETIFF = 0x400454ca, IFF_TAP = 0x0002, IFF_NO_PI = 0x1000; verified on this machine with a C program printing the macros).
///
/// Link state: <see cref="LinkUp"/> reads the interface flags (SIOCGIFFLAGS: IFF_UP and IFF_RUNNING)
/// through a datagram socket created in the namespace where the device was opened. When the device
/// is no longer visible there (moved to another namespace), the flags cannot be read and the link
/// counts as up while the device exists (TUNGETIFF on the descriptor succeeds; it fails once the
/// device was deleted), except after a write that the kernel refused with EIO
/// (the kernel refuses frames while the interface is administratively down), until a later write or
/// read succeeds. (A device of the same name in the opening namespace would be read instead: use
/// unique names.)
///
/// Receive reads into one preallocated 64 KiB frame buffer and copies out: a TAP read truncates a
/// frame longer than the buffer without saying so, so reading straight into a smaller caller buffer
/// could not tell a full-size frame from a truncated one. Steady state allocates nothing.
/// Not thread-safe: one event loop owns the port.
/// </summary>
public sealed class TapPort : INetPort, IDisposable
{
    /// <summary>Default largest frame: 1500-byte MTU + 14-byte Ethernet header, no FCS.</summary>
    public const int DefaultMaxFrameLength = 1514;

    /// <summary>Smallest frame the TAP driver accepts: one Ethernet header (shorter writes fail with EINVAL).</summary>
    public const int MinFrameLength = 14;

    /// <summary>Largest frame a TAP read can return (64 KiB MTU + header + one VLAN tag), the size of the read buffer.</summary>
    public const int ReadBufferLength = 65536 + 14 + 4;

    private const string TunDevice = "/dev/net/tun";
    private const string NetnsDirectory = "/run/netns/";

    // Bounds the frames Receive skips (too large for the caller) in one call.
    private const int MaxDropsPerReceive = 64;

    private readonly byte[] _mac = new byte[6];
    private readonly byte[] _rxFrame = new byte[ReadBufferLength];
    private readonly byte[] _ifReq = new byte[LinuxNative.IfReqSize];
    private readonly byte[] _hwAddrReq = new byte[LinuxNative.IfReqSize];
    private readonly byte[] _tunReq = new byte[LinuxNative.IfReqSize];
    private readonly int _maxFrameLength;
    private int _fd;
    private int _controlSocket;
    private bool _writeSawLinkDown;

    private TapPort(int fd, int controlSocket, string name, byte[] nameBytes, byte[] macAddress, int maxFrameLength)
    {
        _fd = fd;
        _controlSocket = controlSocket;
        _maxFrameLength = maxFrameLength;
        Name = name;
        Buffer.BlockCopy(nameBytes, 0, _ifReq, 0, LinuxNative.IfNameSize);
        if (macAddress != null)
        {
            Buffer.BlockCopy(macAddress, 0, _mac, 0, 6);
        }
        else
        {
            // Default: the kernel interface's MAC with the last bit flipped, made locally administered
            // unicast (IEEE 802: bit 0x02 of the first byte = local, bit 0x01 = group).
            GetKernelMacAddress(_mac, 0);
            _mac[5] ^= 0x01;
            _mac[0] = (byte)((_mac[0] | 0x02) & 0xFE);
        }
    }

    /// <summary>
    /// Opens (creates if missing) the TAP device <paramref name="name"/> (at most 15 characters;
    /// null or empty lets the kernel pick "tapN") in the calling thread's network namespace, or in
    /// <paramref name="networkNamespace"/> (a name under /run/netns, as `ip netns add` creates, or an
    /// absolute path to a namespace file) when given. <paramref name="macAddress"/> is the
    /// appliance's MAC on the wire (6 bytes; null: derived from the kernel side's MAC).
    /// Throws <see cref="IOException"/> with the errno and a hint when the device cannot be opened.
    /// </summary>
    public static TapPort Open(string name, string networkNamespace = null, byte[] macAddress = null, int maxFrameLength = DefaultMaxFrameLength)
    {
        byte[] nameBytes = EncodeName(name);
        if (macAddress != null && macAddress.Length != 6)
        {
            throw new ArgumentException("a MAC address is 6 bytes", nameof(macAddress));
        }

        if (maxFrameLength < MinFrameLength || maxFrameLength > ReadBufferLength)
        {
            throw new ArgumentOutOfRangeException(nameof(maxFrameLength));
        }

        if (string.IsNullOrEmpty(networkNamespace))
        {
            return OpenHere(nameBytes, macAddress, maxFrameLength);
        }

        return OpenInNamespace(networkNamespace, nameBytes, macAddress, maxFrameLength);
    }

    /// <summary>The interface name the kernel gave the device.</summary>
    public string Name { get; }

    /// <summary>The TAP file descriptor (-1 after Dispose), for poll(2) in the host runner.</summary>
    public int Fd => _fd;

    /// <summary>Frames delivered by <see cref="Receive"/>.</summary>
    public long RxFrames { get; private set; }

    /// <summary>Frames read from the device and dropped because the caller's buffer was too small.</summary>
    public long RxDroppedTooLarge { get; private set; }

    /// <summary>Frames written to the device.</summary>
    public long TxFrames { get; private set; }

    /// <summary>Sends refused with TooLarge (longer than <see cref="MaxFrameLength"/>).</summary>
    public long TxDroppedTooLarge { get; private set; }

    /// <summary>Sends refused with LinkDown (interface administratively down or detached).</summary>
    public long TxDroppedLinkDown { get; private set; }

    /// <summary>Sends refused with Busy (the kernel had no buffer).</summary>
    public long TxDroppedBusy { get; private set; }

    /// <summary>Other read or write errors reported by the OS.</summary>
    public long Errors { get; private set; }

    /// <summary>Largest frame <see cref="Send"/> accepts (set at Open; 1514 by default).</summary>
    public int MaxFrameLength => _maxFrameLength;

    /// <summary>
    /// Open and the interface is up and running (IFF_UP and IFF_RUNNING); see the class summary for
    /// a device moved out of the namespace it was opened in.
    /// </summary>
    public bool LinkUp
    {
        get
        {
            if (_fd < 0)
            {
                return false;
            }

            if (_controlSocket >= 0)
            {
                _ifReq[LinuxNative.IfReqFlagsOffset] = 0;
                _ifReq[LinuxNative.IfReqFlagsOffset + 1] = 0;
                if (LinuxNative.Ioctl(_controlSocket, LinuxNative.SIOCGIFFLAGS, ref _ifReq[0]) == 0)
                {
                    short flags = MemoryMarshal.Read<short>(_ifReq.AsSpan(LinuxNative.IfReqFlagsOffset));
                    const short upAndRunning = LinuxNative.IFF_UP | LinuxNative.IFF_RUNNING;
                    return (flags & upAndRunning) == upAndRunning;
                }
            }

            // Not visible here (moved to another namespace, or deleted): TUNGETIFF on the descriptor
            // fails (EBADFD) once the device is gone, in any namespace.
            if (LinuxNative.Ioctl(_fd, LinuxNative.TUNGETIFF, ref _tunReq[0]) != 0)
            {
                return false;
            }

            return !_writeSawLinkDown;
        }
    }

    /// <summary>
    /// True when <see cref="LinkUp"/> comes from the interface flags, i.e. the device is visible from
    /// the namespace the port was opened in (false once it was moved elsewhere, and after Dispose).
    /// </summary>
    public bool InterfaceFlagsVisible
    {
        get
        {
            if (_fd < 0 || _controlSocket < 0)
            {
                return false;
            }

            return LinuxNative.Ioctl(_controlSocket, LinuxNative.SIOCGIFFLAGS, ref _ifReq[0]) == 0;
        }
    }

    /// <summary>Copies the appliance's MAC address (the source of the frames it sends).</summary>
    public void GetMacAddress(byte[] destination, int offset)
    {
        Buffer.BlockCopy(_mac, 0, destination, offset, 6);
    }

    /// <summary>
    /// Copies the kernel interface's current MAC (SIOCGIFHWADDR on the TAP descriptor, which works in
    /// any namespace); false after Dispose or on error.
    /// </summary>
    public bool GetKernelMacAddress(byte[] destination, int offset)
    {
        if (_fd < 0 || destination == null || offset < 0 || offset > destination.Length - 6)
        {
            return false;
        }

        if (LinuxNative.Ioctl(_fd, LinuxNative.SIOCGIFHWADDR, ref _hwAddrReq[0]) != 0)
        {
            return false;
        }

        Buffer.BlockCopy(_hwAddrReq, LinuxNative.IfReqHwAddrDataOffset, destination, offset, 6);
        return true;
    }

    /// <summary>
    /// Next frame the kernel sent, copied to <paramref name="buffer"/>; 0 when none is waiting. A frame
    /// longer than <paramref name="count"/> is dropped (counted) and the next one tried (at most 64 per call).
    /// </summary>
    public int Receive(byte[] buffer, int offset, int count)
    {
        if (_fd < 0 || buffer == null || offset < 0 || count < 0 || offset > buffer.Length - count)
        {
            return 0;
        }

        for (int attempt = 0; attempt < MaxDropsPerReceive; attempt++)
        {
            nint n = LinuxNative.Read(_fd, ref _rxFrame[0], _rxFrame.Length);
            if (n < 0)
            {
                int errno = LinuxNative.Errno;
                if (errno == LinuxNative.EINTR)
                {
                    continue;
                }

                if (errno != LinuxNative.EAGAIN)
                {
                    Errors++;
                }

                return 0;
            }

            if (n == 0)
            {
                return 0;
            }

            _writeSawLinkDown = false;
            if (n > count)
            {
                RxDroppedTooLarge++;
                continue;
            }

            Buffer.BlockCopy(_rxFrame, 0, buffer, offset, (int)n);
            RxFrames++;
            return (int)n;
        }

        return 0;
    }

    /// <summary>
    /// Writes one frame to the kernel (the write copies it). LinkDown while the interface is
    /// administratively down; TooLarge above <see cref="MaxFrameLength"/>; Invalid below 14 bytes.
    /// </summary>
    public PortResult Send(byte[] buffer, int offset, int length)
    {
        if (_fd < 0)
        {
            return PortResult.Closed;
        }

        if (buffer == null || offset < 0 || length < 0 || offset > buffer.Length - length || length < MinFrameLength)
        {
            return PortResult.Invalid;
        }

        if (length > _maxFrameLength)
        {
            TxDroppedTooLarge++;
            return PortResult.TooLarge;
        }

        for (int attempt = 0; attempt < 2; attempt++)
        {
            nint n = LinuxNative.Write(_fd, ref buffer[offset], length);
            if (n == length)
            {
                _writeSawLinkDown = false;
                TxFrames++;
                return PortResult.Ok;
            }

            if (n >= 0)
            {
                // The TAP driver takes a frame whole or not at all; a short count is an OS error.
                Errors++;
                return PortResult.Error;
            }

            int errno = LinuxNative.Errno;
            switch (errno)
            {
                case LinuxNative.EINTR:
                    continue;
                case LinuxNative.EAGAIN:
                case LinuxNative.ENOBUFS:
                    TxDroppedBusy++;
                    return PortResult.Busy;
                case LinuxNative.EIO:
                case LinuxNative.EBADFD:
                    // tun driver: EIO while the interface is down (not IFF_UP), EBADFD once detached.
                    _writeSawLinkDown = true;
                    TxDroppedLinkDown++;
                    return PortResult.LinkDown;
                case LinuxNative.EMSGSIZE:
                    TxDroppedTooLarge++;
                    return PortResult.TooLarge;
                default:
                    Errors++;
                    return PortResult.Error;
            }
        }

        Errors++;
        return PortResult.Error;
    }

    /// <summary>Closes the descriptor (a device this port created disappears); later calls return Closed or 0.</summary>
    public void Dispose()
    {
        if (_controlSocket >= 0)
        {
            LinuxNative.Close(_controlSocket);
            _controlSocket = -1;
        }

        if (_fd >= 0)
        {
            LinuxNative.Close(_fd);
            _fd = -1;
        }
    }

    private static TapPort OpenHere(byte[] nameBytes, byte[] macAddress, int maxFrameLength)
    {
        int fd = LinuxNative.Open(TunDevice, LinuxNative.O_RDWR | LinuxNative.O_CLOEXEC);
        if (fd < 0)
        {
            int errno = LinuxNative.Errno;
            throw new IOException($"open {TunDevice}: errno {errno}{Hint(errno)}");
        }

        byte[] req = new byte[LinuxNative.IfReqSize];
        Buffer.BlockCopy(nameBytes, 0, req, 0, LinuxNative.IfNameSize);
        short tapFlags = LinuxNative.IFF_TAP | LinuxNative.IFF_NO_PI;
        MemoryMarshal.Write(req.AsSpan(LinuxNative.IfReqFlagsOffset), in tapFlags);
        if (LinuxNative.Ioctl(fd, LinuxNative.TUNSETIFF, ref req[0]) != 0)
        {
            int errno = LinuxNative.Errno;
            LinuxNative.Close(fd);
            throw new IOException($"TUNSETIFF {DecodeName(nameBytes)} (IFF_TAP | IFF_NO_PI): errno {errno}{Hint(errno)}");
        }

        int fileFlags = LinuxNative.Fcntl(fd, LinuxNative.F_GETFL, 0);
        if (fileFlags < 0 || LinuxNative.Fcntl(fd, LinuxNative.F_SETFL, fileFlags | LinuxNative.O_NONBLOCK) < 0)
        {
            int errno = LinuxNative.Errno;
            LinuxNative.Close(fd);
            throw new IOException($"fcntl O_NONBLOCK on the TAP descriptor: errno {errno}");
        }

        // The kernel wrote the final name back (it expands a "%d" template); keep it NUL-padded.
        byte[] finalName = new byte[LinuxNative.IfNameSize];
        Buffer.BlockCopy(req, 0, finalName, 0, LinuxNative.IfNameSize - 1);

        // A control socket of this namespace for SIOCGIFFLAGS; without one LinkUp falls back (see summary).
        int controlSocket = LinuxNative.Socket(LinuxNative.AF_INET, LinuxNative.SOCK_DGRAM | LinuxNative.SOCK_CLOEXEC, 0);
        return new TapPort(fd, controlSocket, DecodeName(finalName), finalName, macAddress, maxFrameLength);
    }

    private static TapPort OpenInNamespace(string networkNamespace, byte[] nameBytes, byte[] macAddress, int maxFrameLength)
    {
        string path = networkNamespace.StartsWith('/') ? networkNamespace : NetnsDirectory + networkNamespace;
        int nsFd = LinuxNative.Open(path, LinuxNative.O_RDONLY | LinuxNative.O_CLOEXEC);
        if (nsFd < 0)
        {
            int errno = LinuxNative.Errno;
            throw new IOException($"open network namespace {path}: errno {errno}{Hint(errno)}");
        }

        TapPort port = null;
        Exception failure = null;
        try
        {
            // setns(2) changes the namespace of the calling thread only: a dedicated thread joins the
            // namespace, opens the device and the control socket there, and ends. The descriptors
            // keep their namespace whichever thread uses them afterwards.
            var opener = new Thread(() =>
            {
                try
                {
                    if (LinuxNative.SetNs(nsFd, LinuxNative.CLONE_NEWNET) != 0)
                    {
                        int errno = LinuxNative.Errno;
                        failure = new IOException($"setns {path}: errno {errno}{Hint(errno)}");
                        return;
                    }

                    port = OpenHere(nameBytes, macAddress, maxFrameLength);
                }
                catch (Exception e)
                {
                    failure = e;
                }
            });
            opener.IsBackground = true;
            opener.Name = "tap-netns-open";
            opener.Start();
            opener.Join();
        }
        finally
        {
            LinuxNative.Close(nsFd);
        }

        if (failure != null)
        {
            throw failure is IOException ? new IOException(failure.Message, failure) : failure;
        }

        return port;
    }

    private static byte[] EncodeName(string name)
    {
        byte[] bytes = new byte[LinuxNative.IfNameSize];
        if (string.IsNullOrEmpty(name))
        {
            name = "tap%d";
        }

        if (name.Length > LinuxNative.IfNameSize - 1)
        {
            throw new ArgumentException("an interface name has at most 15 characters", nameof(name));
        }

        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (c <= ' ' || c > '~' || c == '/' || c == ':')
            {
                throw new ArgumentException("an interface name is printable ASCII without spaces, '/' or ':'", nameof(name));
            }

            bytes[i] = (byte)c;
        }

        return bytes;
    }

    private static string DecodeName(byte[] nameBytes)
    {
        int length = Array.IndexOf(nameBytes, (byte)0);
        return System.Text.Encoding.ASCII.GetString(nameBytes, 0, length < 0 ? nameBytes.Length : length);
    }

    private static string Hint(int errno) => errno switch
    {
        LinuxNative.EPERM or LinuxNative.EACCES =>
            " (needs root or CAP_NET_ADMIN, or a persistent device owned by this user: ip tuntap add dev NAME mode tap user USER)",
        LinuxNative.ENOENT => " (no such file: is the tun module loaded / the namespace created?)",
        LinuxNative.EBUSY => " (the device is already attached to another process)",
        LinuxNative.EINVAL => " (a device of that name exists and is not a TAP, or has other flags)",
        _ => string.Empty,
    };
}
