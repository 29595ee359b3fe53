using System.Net;
using System.Net.Sockets;

namespace VpnAppliance.Hal.Device
{
    /// <summary>
    /// One UDP socket of the board's IP stack (lwIP under nanoFramework's System.Net).
    /// The stable Socket API has no non-blocking mode, so nothing here blocks only because every
    /// receive is preceded by <c>Poll(0, SelectRead)</c> (a zero-timeout select that also reports
    /// empty datagrams, unlike <c>Available</c>).
    ///
    /// Allocation: sends reuse a small cache of destination <see cref="IPEndPoint"/> objects (a
    /// tunnel talks to a handful of peers). Receives pass one reused EndPoint by ref, but the
    /// platform's ReceiveFrom returns a new EndPoint per datagram (IPEndPoint.Create) and reading
    /// its address allocates 4 bytes; that is platform behaviour we cannot avoid with this API.
    /// </summary>
    public sealed class DeviceUdpPort : IUdpPort
    {
        /// <summary>Destinations remembered as ready-made IPEndPoint objects.</summary>
        public const int DestinationCacheSize = 8;

        private readonly uint[] _cacheAddress = new uint[DestinationCacheSize];
        private readonly int[] _cachePort = new int[DestinationCacheSize];
        private readonly IPEndPoint[] _cacheEndPoint = new IPEndPoint[DestinationCacheSize];
        private int _cacheNext;
        private readonly Socket _socket;
        private EndPoint _remote = new IPEndPoint(0, 0);
        private bool _bound;
        private bool _closed;

        /// <summary>Creates an unbound IPv4 UDP socket.</summary>
        public DeviceUdpPort()
        {
            _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        }

        /// <summary>Send or receive errors reported by the stack.</summary>
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
                _socket.Bind(new IPEndPoint(ToStackAddress(localAddress), localPort));
                _bound = true;
                return PortResult.Ok;
            }
            catch (SocketException e)
            {
                if (e.ErrorCode == (int)SocketError.AddressAlreadyInUse || e.ErrorCode == (int)SocketError.AddressNotAvailable)
                {
                    return PortResult.AddressInUse;
                }

                return PortResult.Error;
            }
        }

        /// <summary>The bound endpoint (0.0.0.0:0 before Bind or after Close).</summary>
        public void GetLocalEndpoint(UdpEndpoint destination)
        {
            destination.Set(0, 0);
            if (!_bound || _closed)
            {
                return;
            }

            try
            {
                IPEndPoint ep = _socket.LocalEndPoint as IPEndPoint;
                if (ep != null)
                {
                    destination.Set(FromIPAddress(ep.Address), ep.Port);
                }
            }
            catch (SocketException)
            {
            }
        }

        /// <summary>True when a datagram can be received without blocking.</summary>
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

        /// <summary>Next datagram and its source; -1 when none; truncated to count.</summary>
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
                n = _socket.ReceiveFrom(buffer, offset, count, SocketFlags.None, ref _remote);
            }
            catch (SocketException e)
            {
                if (e.ErrorCode == (int)SocketError.MessageSize)
                {
                    return count;
                }

                Errors++;
                return -1;
            }

            IPEndPoint from = _remote as IPEndPoint;
            if (source != null && from != null)
            {
                source.Set(FromIPAddress(from.Address), from.Port);
            }

            return n;
        }

        /// <summary>Sends one datagram.</summary>
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

            try
            {
                _socket.SendTo(buffer, offset, length, SocketFlags.None, EndPointFor(destination.Address, destination.Port));
                return PortResult.Ok;
            }
            catch (SocketException e)
            {
                Errors++;
                int code = e.ErrorCode;
                if (code == (int)SocketError.WouldBlock || code == (int)SocketError.NoBufferSpaceAvailable)
                {
                    return PortResult.Busy;
                }

                if (code == (int)SocketError.MessageSize)
                {
                    return PortResult.TooLarge;
                }

                if (code == (int)SocketError.NetworkUnreachable || code == (int)SocketError.HostUnreachable ||
                    code == (int)SocketError.NetworkDown)
                {
                    return PortResult.LinkDown;
                }

                return PortResult.Error;
            }
        }

        /// <summary>Closes the socket.</summary>
        public void Close()
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            _socket.Close();
        }

        private IPEndPoint EndPointFor(uint address, int port)
        {
            for (int i = 0; i < DestinationCacheSize; i++)
            {
                if (_cacheEndPoint[i] != null && _cacheAddress[i] == address && _cachePort[i] == port)
                {
                    return _cacheEndPoint[i];
                }
            }

            int slot = _cacheNext;
            _cacheNext = (_cacheNext + 1) % DestinationCacheSize;
            _cacheAddress[slot] = address;
            _cachePort[slot] = port;
            _cacheEndPoint[slot] = new IPEndPoint(ToStackAddress(address), port);
            return _cacheEndPoint[slot];
        }

        // The stack's long address holds the octets in memory order: first octet in the low byte
        // (IPEndPoint.Serialize writes bytes 4..7 of the sockaddr from the low byte up).
        private static long ToStackAddress(uint hostOrder)
        {
            return (long)(((hostOrder >> 24) & 0xFF) | ((hostOrder >> 8) & 0xFF00) | ((hostOrder << 8) & 0xFF0000) | ((hostOrder << 24) & 0xFF000000));
        }

        private static uint FromIPAddress(IPAddress address)
        {
            byte[] b = address.GetAddressBytes();
            if (b == null || b.Length < 4)
            {
                return 0;
            }

            return ((uint)b[0] << 24) | ((uint)b[1] << 16) | ((uint)b[2] << 8) | b[3];
        }
    }
}
