using System;
using System.Collections.Generic;
using System.Net.Sockets;

namespace VpnAppliance.Hal.Host;

/// <summary>
/// One poll(2) over TAP devices and sockets at once: the host runner's sleep until the LAN port or a
/// WAN socket has something to read or the appliance's next deadline passes.
/// Fill it once (<see cref="Add(TapPort)"/>, <see cref="Add(Socket)"/>), then call <see cref="Wait"/>
/// in the loop and ask <see cref="IsReadable"/> per entry. The pollfd array is allocated at
/// construction; Wait allocates nothing. Entries whose port or socket has been closed are skipped
/// (fd -1, which poll ignores), so a descriptor number reused by the OS is never watched by mistake.
/// Socket descriptors come from <see cref="Socket.Handle"/> (the OS fd on Linux).
/// Level-triggered: an entry stays readable until its port is drained.
/// </summary>
public sealed class PollSet
{
    private readonly LinuxNative.PollFd[] _fds;
    private readonly TapPort[] _taps;
    private readonly Socket[] _sockets;
    private int _count;

    [ThreadStatic]
    private static PollSet s_shared;

    /// <summary>Creates an empty set for at most <paramref name="capacity"/> entries.</summary>
    public PollSet(int capacity)
    {
        if (capacity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity));
        }

        _fds = new LinuxNative.PollFd[capacity];
        _taps = new TapPort[capacity];
        _sockets = new Socket[capacity];
    }

    /// <summary>Entries added.</summary>
    public int Count => _count;

    /// <summary>Largest number of entries.</summary>
    public int Capacity => _fds.Length;

    /// <summary>Watches a TAP port for frames; returns the entry's index, or -1 when the set is full.</summary>
    public int Add(TapPort port)
    {
        if (port == null || _count == _fds.Length)
        {
            return -1;
        }

        _taps[_count] = port;
        _sockets[_count] = null;
        return _count++;
    }

    /// <summary>Watches a socket for data; returns the entry's index, or -1 when the set is full.</summary>
    public int Add(Socket socket)
    {
        if (socket == null || _count == _fds.Length)
        {
            return -1;
        }

        _taps[_count] = null;
        _sockets[_count] = socket;
        return _count++;
    }

    /// <summary>Watches a UDP port's socket; returns the entry's index, or -1 when the set is full.</summary>
    public int Add(UdpSocketPort port) => port == null ? -1 : Add(port.Socket);

    /// <summary>Removes every entry.</summary>
    public void Clear()
    {
        Array.Clear(_taps, 0, _count);
        Array.Clear(_sockets, 0, _count);
        Array.Clear(_fds, 0, _count);
        _count = 0;
    }

    /// <summary>
    /// Sleeps until at least one entry is readable (or reports an error) or <paramref name="timeoutMs"/>
    /// passes (negative: no limit; 0: just look). Returns the number of entries with an event, 0 on
    /// timeout or when a signal interrupted the wait; with no open entry it sleeps the timeout (a
    /// negative timeout then returns at once) and returns 0.
    /// </summary>
    public int Wait(int timeoutMs)
    {
        int open = 0;
        for (int i = 0; i < _count; i++)
        {
            int fd = DescriptorOf(i);
            _fds[i].Fd = fd;
            _fds[i].Events = LinuxNative.POLLIN;
            _fds[i].REvents = 0;
            if (fd >= 0)
            {
                open++;
            }
        }

        if (open == 0)
        {
            if (timeoutMs > 0)
            {
                System.Threading.Thread.Sleep(timeoutMs);
            }

            return 0;
        }

        int n = LinuxNative.Poll(ref _fds[0], (nuint)_count, timeoutMs < 0 ? -1 : timeoutMs);
        return n < 0 ? 0 : n;
    }

    /// <summary>True when the last <see cref="Wait"/> saw data waiting on entry <paramref name="index"/>.</summary>
    public bool IsReadable(int index) =>
        index >= 0 && index < _count && (_fds[index].REvents & LinuxNative.POLLIN) != 0;

    /// <summary>
    /// True when the last <see cref="Wait"/> saw an error or hang-up on entry <paramref name="index"/>
    /// (for a TAP: the device was deleted). Such an entry wakes every Wait: the runner should close it.
    /// </summary>
    public bool HasError(int index) =>
        index >= 0 && index < _count &&
        (_fds[index].REvents & (LinuxNative.POLLERR | LinuxNative.POLLHUP | LinuxNative.POLLNVAL)) != 0;

    /// <summary>
    /// Convenience like <see cref="UdpSocketPort.WaitReadable"/>: one wait over the given TAP and UDP
    /// ports (either list may be null) with a per-thread set; returns the number of entries with an
    /// event (0 on timeout). Allocates only when the set must grow.
    /// </summary>
    public static int WaitReadable(IList<TapPort> taps, IList<UdpSocketPort> udpPorts, int timeoutMs)
    {
        int needed = (taps == null ? 0 : taps.Count) + (udpPorts == null ? 0 : udpPorts.Count);
        PollSet set = s_shared;
        if (set == null || set.Capacity < needed)
        {
            set = new PollSet(Math.Max(needed, 4));
            s_shared = set;
        }

        set.Clear();
        for (int i = 0; taps != null && i < taps.Count; i++)
        {
            set.Add(taps[i]);
        }

        for (int i = 0; udpPorts != null && i < udpPorts.Count; i++)
        {
            set.Add(udpPorts[i]);
        }

        int n = set.Wait(timeoutMs);
        set.Clear();
        return n;
    }

    private int DescriptorOf(int index)
    {
        TapPort tap = _taps[index];
        if (tap != null)
        {
            return tap.Fd;
        }

        Socket socket = _sockets[index];
        if (socket == null || socket.SafeHandle.IsClosed || socket.SafeHandle.IsInvalid)
        {
            return -1;
        }

        return (int)socket.Handle;
    }
}
