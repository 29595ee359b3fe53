using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;

namespace VpnAppliance.Hal.Host;

/// <summary>
/// An IPv4 UDP socket of the host OS behind <see cref="IUdpPort"/>. Non-blocking: readiness is a
/// zero-timeout poll, so ReceiveFrom never waits. Steady state allocates nothing: the send and
/// receive addresses are two <see cref="SocketAddress"/> objects reused for every datagram
/// (sockaddr_in layout: port big-endian at bytes 2-3, address at 4-7).
/// The host runner sleeps in <see cref="WaitReadable"/> until a socket is readable or its deadline.
/// </summary>
public sealed class UdpSocketPort : IUdpPort, IDisposable
{
    /// <summary>Largest IPv4 UDP payload: 65535 - 20 (IPv4 header) - 8 (UDP header).</summary>
    public const int MaxDatagramLength = 65507;

    private readonly Socket _socket;
    private readonly SocketAddress _rxAddress;
    private readonly SocketAddress _txAddress;
    private bool _bound;
    private bool _closed;

    [ThreadStatic]
    private static List<Socket> s_selectList;

    /// <summary>Creates an unbound non-blocking IPv4 UDP socket.</summary>
    public UdpSocketPort()
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _socket.Blocking = false;
        _rxAddress = new IPEndPoint(IPAddress.Any, 0).Serialize();
        _txAddress = new IPEndPoint(IPAddress.Any, 0).Serialize();
    }

    /// <summary>The OS socket (for the host runner's select loop).</summary>
    public Socket Socket => _socket;

    /// <summary>Datagrams received.</summary>
    public long RxDatagrams { get; private set; }

    /// <summary>Datagrams sent.</summary>
    public long TxDatagrams { get; private set; }

    /// <summary>Send or receive errors reported by the OS.</summary>
    public long Errors { get; private set; }

    /// <summary>Binds to address:port (0 = any / ephemeral).</summary>
    public PortResult Bind(uint localAddress, int localPort)
    {
        if (_closed)
        {
            return PortResult.Closed;
        }

        if (_bound || localPort < 0 || localPort > 65535)
        {
            return PortResult.Invalid;
        }

        try
        {
            _socket.Bind(new IPEndPoint(ToIPAddress(localAddress), localPort));
            _bound = true;
            return PortResult.Ok;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AddressNotAvailable or SocketError.AccessDenied)
        {
            return PortResult.AddressInUse;
        }
        catch (SocketException)
        {
            return PortResult.Error;
        }
    }

    /// <summary>The bound endpoint (0.0.0.0:0 before Bind or after Close).</summary>
    public void GetLocalEndpoint(UdpEndpoint destination)
    {
        if (!_bound || _closed || _socket.LocalEndPoint is not IPEndPoint ep)
        {
            destination.Set(0, 0);
            return;
        }

        destination.Set(FromIPAddress(ep.Address), ep.Port);
    }

    /// <summary>True when a datagram (possibly empty) can be received without blocking.</summary>
    public bool DataAvailable
    {
        get
        {
            if (!_bound || _closed)
            {
                return false;
            }

            try
            {
                return _socket.Poll(0, SelectMode.SelectRead);
            }
            catch (SocketException)
            {
                return false;
            }
        }
    }

    /// <summary>Next datagram and its source; -1 when none; truncated to <paramref name="count"/>.</summary>
    public int ReceiveFrom(byte[] buffer, int offset, int count, UdpEndpoint source)
    {
        if (!_bound || _closed || buffer == null || offset < 0 || count < 0 || offset > buffer.Length - count)
        {
            return -1;
        }

        if (!DataAvailable)
        {
            return -1;
        }

        int n;
        try
        {
            n = _socket.ReceiveFrom(buffer.AsSpan(offset, count), SocketFlags.None, _rxAddress);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.MessageSize)
        {
            // The platform truncated a datagram longer than the buffer (contract: length == count).
            n = count;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
        {
            return -1;
        }
        catch (SocketException)
        {
            Errors++;
            return -1;
        }

        if (source != null)
        {
            source.Set(ReadAddress(_rxAddress), (_rxAddress[2] << 8) | _rxAddress[3]);
        }

        RxDatagrams++;
        return n;
    }

    /// <summary>Sends one datagram; Busy when the OS buffer is full.</summary>
    public PortResult SendTo(byte[] buffer, int offset, int length, UdpEndpoint destination)
    {
        if (!_bound || _closed)
        {
            return PortResult.Closed;
        }

        if (buffer == null || offset < 0 || length < 0 || offset > buffer.Length - length || destination == null ||
            destination.Port <= 0 || destination.Port > 65535)
        {
            return PortResult.Invalid;
        }

        if (length > MaxDatagramLength)
        {
            return PortResult.TooLarge;
        }

        _txAddress[2] = (byte)(destination.Port >> 8);
        _txAddress[3] = (byte)destination.Port;
        _txAddress[4] = (byte)(destination.Address >> 24);
        _txAddress[5] = (byte)(destination.Address >> 16);
        _txAddress[6] = (byte)(destination.Address >> 8);
        _txAddress[7] = (byte)destination.Address;
        try
        {
            _socket.SendTo(buffer.AsSpan(offset, length), SocketFlags.None, _txAddress);
            TxDatagrams++;
            return PortResult.Ok;
        }
        catch (SocketException e)
        {
            Errors++;
            return e.SocketErrorCode switch
            {
                SocketError.WouldBlock or SocketError.NoBufferSpaceAvailable => PortResult.Busy,
                SocketError.MessageSize => PortResult.TooLarge,
                SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.NetworkDown => PortResult.LinkDown,
                _ => PortResult.Error,
            };
        }
    }

    /// <summary>Closes the OS socket; later calls return Closed or -1.</summary>
    public void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        _socket.Close();
    }

    /// <summary>Same as <see cref="Close"/>.</summary>
    public void Dispose() => Close();

    /// <summary>
    /// Sleeps until at least one of the open ports is readable or <paramref name="timeoutMs"/>
    /// passes (negative = no limit); returns how many are readable (0 on timeout). This is where
    /// the host runner waits for the appliance's next deadline.
    /// </summary>
    public static int WaitReadable(IList<UdpSocketPort> ports, int timeoutMs)
    {
        List<Socket> list = s_selectList ??= new List<Socket>();
        list.Clear();
        for (int i = 0; i < ports.Count; i++)
        {
            if (ports[i] != null && ports[i]._bound && !ports[i]._closed)
            {
                list.Add(ports[i]._socket);
            }
        }

        if (list.Count == 0)
        {
            if (timeoutMs > 0)
            {
                System.Threading.Thread.Sleep(timeoutMs);
            }

            return 0;
        }

        int micro = timeoutMs < 0 ? -1 : (timeoutMs > int.MaxValue / 1000 ? int.MaxValue : timeoutMs * 1000);
        try
        {
            Socket.Select(list, null, null, micro);
        }
        catch (SocketException)
        {
            return 0;
        }

        int n = list.Count;
        list.Clear();
        return n;
    }

    /// <summary>Host-order IPv4 to <see cref="IPAddress"/> (allocates: bind time only).</summary>
    public static IPAddress ToIPAddress(uint address) =>
        new IPAddress(new[] { (byte)(address >> 24), (byte)(address >> 16), (byte)(address >> 8), (byte)address });

    /// <summary><see cref="IPAddress"/> (IPv4) to host order.</summary>
    public static uint FromIPAddress(IPAddress address)
    {
        byte[] b = address.MapToIPv4().GetAddressBytes();
        return ((uint)b[0] << 24) | ((uint)b[1] << 16) | ((uint)b[2] << 8) | b[3];
    }

    private static uint ReadAddress(SocketAddress a) =>
        ((uint)a[4] << 24) | ((uint)a[5] << 16) | ((uint)a[6] << 8) | a[7];
}
