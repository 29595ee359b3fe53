using VpnAppliance.Core;
using VpnAppliance.Fib;
using VpnAppliance.Hal;
using VpnAppliance.Wire;

namespace VpnAppliance.Net
{
    /// <summary>
    /// The appliance's IPv4 router between the LAN port and the route-based tunnel interfaces (DESIGN.md §2 rule 5).
    ///
    /// Packet path (one thread, sans-IO: time only as nowMs, every buffer from the appliance's PacketPool):
    ///
    ///   LAN frame --OnLanFrame--> Ethernet --ARP--> ArpCache (learn, reply to requests for our LAN address)
    ///                                     --IPv4-> check header + checksum (RFC 1812 §5.2.2) --+
    ///   tunnel --ReceiveFromTunnel--> check header + checksum ------------------------------+
    ///                                                                                        v
    ///     own address (LAN, loopback, a tunnel's /32) or broadcast? --> local delivery: ICMP echo answered,
    ///       TCP to ILocalTransport, other ICMP to ILocalIcmp, UDP to ILocalUdp (BFD), anything else
    ///       protocol/port unreachable
    ///     else martian? drop. FIB longest match -> next-hop group -> FlowHash(5-tuple) picks the member
    ///       no route -> ICMP net unreachable; TTL &lt;= 1 -> ICMP time exceeded (RFC 1812 §5.3.1)
    ///       longer than egress MTU: DF -> ICMP fragmentation needed with the MTU (RFC 1191 §4), else fragment
    ///       TTL - 1 (RFC 1624 incremental checksum), MSS clamp of SYNs entering or leaving a tunnel
    ///     egress tunnel: ITunnelTransmit.Transmit (fragments one by one from a scratch buffer)
    ///     egress LAN: ARP resolve the gateway (or the destination when on-link); unresolved -> queued in the
    ///       ArpCache, sent when the reply comes, dropped after the bounded retries
    ///   SendLocal (TCP of the BGP speaker, ping) and the router's ICMP messages take the same egress path.
    ///
    /// Ownership: a handler entry point owns the pool buffer from the call on; every path ends in exactly one
    /// of: release to the pool, queued in the ArpCache (released later), or handed to IWanDatagramSink.
    /// Steady-state forwarding allocates nothing (tests/Net.Tests measure it).
    ///
    /// Interface ids (the ids next-hop group members use): 0 = LAN, 1..Capacities.Tunnels = tunnels,
    /// Tunnels + 1 = loopback (counts locally originated packets as received, local deliveries as transmitted).
    /// </summary>
    public sealed partial class Router : IArpEvents
    {
        /// <summary>Interface id of the LAN port.</summary>
        public const int LanInterface = 0;

        /// <summary>TTL of packets the router originates (RFC 1700 default 64; RFC 1122 §3.2.1.7).</summary>
        public const byte DefaultTtl = 64;

        /// <summary>Largest ICMP error datagram (RFC 1812 §4.3.2.3: quote as much as fits in 576 bytes).</summary>
        public const int IcmpErrorMaxLength = 576;

        /// <summary>Gratuitous ARP announcements sent when the LAN link comes up (RFC 5227 §1.1 ANNOUNCE_NUM).</summary>
        public const int AnnounceCount = 2;

        /// <summary>Milliseconds between announcements (RFC 5227 §1.1 ANNOUNCE_INTERVAL).</summary>
        public const int AnnounceIntervalMs = 2000;

        /// <summary>Deadline meaning "nothing scheduled" (same value as Appliance.Never).</summary>
        public const long Never = long.MaxValue;

        private const int EthernetHeader = EthernetFrame.HeaderLength;
        private const int ArpFrameLength = EthernetFrame.HeaderLength + ArpPacket.PacketLength;

        private readonly PacketPool _pool;
        private readonly byte[] _data;
        private readonly INetPort _lan;
        private readonly FibTable _fib;
        private readonly NextHopGroupTable _groups;
        private readonly ArpCache _arp;
        private readonly IcmpRateLimiter _icmpLimiter;
        private readonly Ipv4Fragmenter _fragmenter;
        private readonly byte[] _scratch;
        private readonly byte[] _arpFrame;
        private readonly int _tunnelCount;
        private readonly ITunnelTransmit[] _tunnel;
        private readonly uint[] _tunnelAddress;
        private readonly int[] _tunnelMss;
        private readonly int[] _tunnelMtu;
        private readonly InterfaceCounters[] _counters;
        private readonly long[] _drops;
        private readonly ulong _lanMac;
        private uint _lanAddress;
        private uint _lanMask;
        private uint _loopbackAddress;
        private ILocalTransport _transport;
        private ILocalIcmp _icmpListener;
        private ILocalUdp _localUdp;
        private IWanDatagramSink _wanSink;
        private bool _linkWasUp;
        private int _announcementsLeft;
        private long _announceAtMs;
        private ushort _identification;
        private DropReason _lastDrop;
        private long _wanUnclaimed;
        private long _arpConflicts;
        private long _localDelivered;

        /// <summary>
        /// Creates the router over the appliance's packet pool, the LAN port and the FIB with its next-hop groups.
        /// Allocates every table here: the ARP cache (Capacities.ArpEntries entries; waiting packets: 4 per entry,
        /// at most 2 x entries and a quarter of the packet buffers in all), tunnel slots (Capacities.Tunnels),
        /// counters and a scratch buffer of one packet buffer plus an Ethernet header for fragments.
        /// </summary>
        public Router(Capacities capacities, PacketPool pool, INetPort lan, FibTable fib, NextHopGroupTable groups)
        {
            if (capacities == null || pool == null || lan == null || fib == null || groups == null)
            {
                throw new System.ArgumentNullException("capacities");
            }

            _pool = pool;
            _data = pool.Data;
            _lan = lan;
            _fib = fib;
            _groups = groups;
            _arp = new ArpCache(capacities.ArpEntries, ArpCache.DefaultPendingPerEntry, PendingTotalFor(capacities.ArpEntries, pool.Capacity), this);
            _icmpLimiter = new IcmpRateLimiter();
            _fragmenter = new Ipv4Fragmenter();
            _scratch = new byte[pool.BufferSize + EthernetHeader];
            _arpFrame = new byte[ArpFrameLength];
            _tunnelCount = capacities.Tunnels;
            _tunnel = new ITunnelTransmit[_tunnelCount + 1];
            _tunnelAddress = new uint[_tunnelCount + 1];
            _tunnelMss = new int[_tunnelCount + 1];
            _tunnelMtu = new int[_tunnelCount + 1];
            _counters = new InterfaceCounters[_tunnelCount + 2];
            for (int i = 0; i < _counters.Length; i++)
            {
                _counters[i] = new InterfaceCounters();
            }

            _drops = new long[DropReasons.Count];
            lan.GetMacAddress(_arpFrame, 0);
            _lanMac = EthernetAddress.Read(_arpFrame, 0);
        }

        /// <summary>
        /// Waiting packets the ARP cache may hold in all: 2 per entry, at most a quarter of the packet buffers (so an
        /// unresolvable LAN destination cannot starve the pool), at least 1.
        /// </summary>
        public static int PendingTotalFor(int arpEntries, int packetBuffers)
        {
            int total = 2 * arpEntries;
            int quarter = packetBuffers / 4;
            if (total > quarter)
            {
                total = quarter < 1 ? 1 : quarter;
            }

            return total;
        }

        /// <summary>
        /// Describes exactly what the constructor allocates for a board profile (the packet pool, FIB and group
        /// table are the appliance's and are accounted by their own classes).
        /// </summary>
        public static void Account(MemoryBudget budget, Capacities capacities)
        {
            int tunnels = capacities.Tunnels;
            budget.AddObject(34, 20 * 8 + 6 * 4 + 8 + 5 * 8 + 1 + 2);
            ArpCache.Account(budget, capacities.ArpEntries, PendingTotalFor(capacities.ArpEntries, capacities.PacketBuffers));
            IcmpRateLimiter.Account(budget);
            Ipv4Fragmenter.Account(budget);
            budget.AddValueArray(1, capacities.PacketBufferSize + EthernetHeader);
            budget.AddValueArray(1, ArpFrameLength);
            budget.AddReferenceArray(tunnels + 1);
            budget.AddValueArray(4, tunnels + 1);
            budget.AddValueArray(4, tunnels + 1);
            budget.AddValueArray(4, tunnels + 1);
            budget.AddReferenceArray(tunnels + 2);
            for (int i = 0; i < tunnels + 2; i++)
            {
                InterfaceCounters.Account(budget);
            }

            budget.AddValueArray(8, DropReasons.Count);
        }

        /// <summary>Name as an appliance module ("router").</summary>
        public string Name { get { return "router"; } }

        /// <summary>The ARP cache (<c>show arp</c>; its timing fields are settable).</summary>
        public ArpCache Arp { get { return _arp; } }

        /// <summary>The ICMP error token bucket (configure with <see cref="IcmpRateLimiter.Configure"/>).</summary>
        public IcmpRateLimiter IcmpLimiter { get { return _icmpLimiter; } }

        /// <summary>The LAN port's Ethernet address.</summary>
        public ulong LanMac { get { return _lanMac; } }

        /// <summary>The LAN address (0 until <see cref="SetLanAddress"/>).</summary>
        public uint LanAddress { get { return _lanAddress; } }

        /// <summary>The loopback (router-id) address, 0 when none.</summary>
        public uint LoopbackAddress { get { return _loopbackAddress; } }

        /// <summary>Largest IPv4 packet sent on the LAN: the port's frame size minus the Ethernet header, at most a packet buffer.</summary>
        public int LanMtu
        {
            get
            {
                int mtu = _lan.MaxFrameLength - EthernetHeader;
                int room = _pool.BufferSize - EthernetHeader;
                return mtu < room ? mtu : room;
            }
        }

        /// <summary>Tunnel ids are 1..TunnelCount.</summary>
        public int TunnelCount { get { return _tunnelCount; } }

        /// <summary>Interface id of the loopback: TunnelCount + 1.</summary>
        public int LoopbackInterface { get { return _tunnelCount + 1; } }

        /// <summary>Number of interface ids (LAN, tunnels, loopback).</summary>
        public int InterfaceCount { get { return _counters.Length; } }

        /// <summary>The last reason a packet was dropped (for tests and the log).</summary>
        public DropReason LastDrop { get { return _lastDrop; } }

        /// <summary>WAN datagrams released because no <see cref="IWanDatagramSink"/> was attached.</summary>
        public long WanUnclaimed { get { return _wanUnclaimed; } }

        /// <summary>ARP packets from another host claiming our LAN address (RFC 5227 §2.4 conflict).</summary>
        public long ArpConflicts { get { return _arpConflicts; } }

        /// <summary>Packets handed to a local listener (TCP, ICMP) or answered (echo).</summary>
        public long LocalDelivered { get { return _localDelivered; } }

        /// <summary>Sets the LAN address and prefix length (0..32); a change re-announces it by gratuitous ARP.</summary>
        public void SetLanAddress(uint address, int prefixLength)
        {
            if (prefixLength < 0 || prefixLength > 32)
            {
                throw new System.ArgumentOutOfRangeException("prefixLength");
            }

            _lanMask = prefixLength == 0 ? 0u : 0xFFFFFFFFu << (32 - prefixLength);
            if (address != _lanAddress)
            {
                _lanAddress = address;
                _arp.Flush(DropReason.InterfaceDown, 0);   // no ICMP for this reason: the time is not used
                if (_linkWasUp)
                {
                    _announcementsLeft = AnnounceCount;
                    _announceAtMs = 0;
                }
            }
        }

        /// <summary>Sets the loopback address (the router-id; 0 removes it).</summary>
        public void SetLoopbackAddress(uint address)
        {
            _loopbackAddress = address;
        }

        /// <summary>
        /// Attaches tunnel <paramref name="tunnelId"/> (1..TunnelCount) with its encrypting side and its local /32
        /// (the BGP address inside the tunnel, 0 for none). Replaces a previous attachment. False for a bad id.
        /// </summary>
        public bool AttachTunnel(int tunnelId, ITunnelTransmit transmit, uint localAddress)
        {
            if (!IsTunnel(tunnelId) || transmit == null)
            {
                return false;
            }

            _tunnel[tunnelId] = transmit;
            _tunnelAddress[tunnelId] = localAddress;
            return true;
        }

        /// <summary>Detaches a tunnel: packets routed to it are dropped (InterfaceDown) until it is attached again.</summary>
        public void DetachTunnel(int tunnelId)
        {
            if (IsTunnel(tunnelId))
            {
                _tunnel[tunnelId] = null;
                _tunnelAddress[tunnelId] = 0;
            }
        }

        /// <summary>
        /// Sets the MSS clamp of a tunnel (<c>set interfaces tunnel N tcp-mss</c>); 0 restores the default, which is
        /// derived from the tunnel MTU: MTU - 40 (RFC 879 §3 / RFC 6691 §2: the MSS is the MTU minus the fixed
        /// 20-byte IPv4 and 20-byte TCP headers). Cloud guidance that differs is configured explicitly, e.g. Azure's
        /// 1350 for its 1400 MTU, AWS's 1359 for 1399 (INTEROP.md). Values 0 or 88..65495 are accepted.
        /// </summary>
        public bool SetTunnelMss(int tunnelId, int mss)
        {
            if (!IsTunnel(tunnelId) || (mss != 0 && (mss < 88 || mss > 65495)))
            {
                return false;
            }

            _tunnelMss[tunnelId] = mss;
            return true;
        }

        /// <summary>The MSS SYNs entering or leaving this tunnel are clamped to (see <see cref="SetTunnelMss"/>); 0 when not attached.</summary>
        public int TunnelMss(int tunnelId)
        {
            if (!IsTunnel(tunnelId))
            {
                return 0;
            }

            if (_tunnelMss[tunnelId] != 0)
            {
                return _tunnelMss[tunnelId];
            }

            int mss = TunnelMtu(tunnelId) - Ipv4Packet.MinimumHeaderLength - TcpSegment.MinimumHeaderLength;
            return mss > 0 ? mss : 0;
        }

        /// <summary>
        /// Caps the MTU of a tunnel (<c>set vpn tunnel ... mtu</c>, e.g. 1400 for Azure, 1399 for AWS); 0 removes the
        /// cap. The effective MTU is the smaller of this and what the tunnel reports (<see cref="ITunnelTransmit.Mtu"/>,
        /// which the ESP side derives from the path and its overhead). Values 0 or 68..65535 (RFC 791 minimum 68).
        /// </summary>
        public bool SetTunnelMtu(int tunnelId, int mtu)
        {
            if (!IsTunnel(tunnelId) || (mtu != 0 && (mtu < Ipv4Fragmenter.MinimumMtu || mtu > Ipv4Packet.MaximumLength)))
            {
                return false;
            }

            _tunnelMtu[tunnelId] = mtu;
            return true;
        }

        /// <summary>The effective MTU of a tunnel (see <see cref="SetTunnelMtu"/>); 0 when not attached.</summary>
        public int TunnelMtu(int tunnelId)
        {
            if (!IsTunnel(tunnelId) || _tunnel[tunnelId] == null)
            {
                return 0;
            }

            int mtu = _tunnel[tunnelId].Mtu;
            int cap = _tunnelMtu[tunnelId];
            return cap != 0 && cap < mtu ? cap : mtu;
        }

        /// <summary>The local /32 of a tunnel (0 for none or a bad id).</summary>
        public uint TunnelAddress(int tunnelId)
        {
            return IsTunnel(tunnelId) ? _tunnelAddress[tunnelId] : 0;
        }

        /// <summary>Attaches the compact TCP (segments to own addresses).</summary>
        public void SetLocalTransport(ILocalTransport transport)
        {
            _transport = transport;
        }

        /// <summary>Attaches the receiver of ICMP messages to own addresses other than echo requests (ping, PMTU).</summary>
        public void SetIcmpListener(ILocalIcmp listener)
        {
            _icmpListener = listener;
        }

        /// <summary>Attaches the receiver of UDP datagrams to own addresses (BFD); without one, UDP gets port unreachable.</summary>
        public void SetLocalUdp(ILocalUdp listener)
        {
            _localUdp = listener;
        }

        /// <summary>Attaches the IKE/ESP engine that takes the WAN datagrams.</summary>
        public void SetWanSink(IWanDatagramSink sink)
        {
            _wanSink = sink;
        }

        /// <summary>True for one of the router's own addresses: LAN, loopback, a tunnel's /32.</summary>
        public bool IsLocalAddress(uint address)
        {
            if (address == 0)
            {
                return false;
            }

            if (address == _lanAddress || address == _loopbackAddress)
            {
                return true;
            }

            for (int t = 1; t <= _tunnelCount; t++)
            {
                if (_tunnelAddress[t] == address)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Counters of interface <paramref name="interfaceId"/> (0 LAN, 1..TunnelCount, LoopbackInterface).</summary>
        public InterfaceCounters Counters(int interfaceId)
        {
            return _counters[interfaceId];
        }

        /// <summary>Name of an interface id for <c>show interfaces</c>: "lan", "tun1".., "lo".</summary>
        public string InterfaceName(int interfaceId)
        {
            if (interfaceId == LanInterface)
            {
                return "lan";
            }

            return interfaceId == LoopbackInterface ? "lo" : "tun" + interfaceId.ToString();
        }

        /// <summary>Packets dropped for <paramref name="reason"/> since start or <see cref="ClearCounters"/>.</summary>
        public long Drops(DropReason reason)
        {
            int i = (int)reason;
            return i >= 0 && i < _drops.Length ? _drops[i] : 0;
        }

        /// <summary>Sets every interface and drop counter to zero.</summary>
        public void ClearCounters()
        {
            for (int i = 0; i < _counters.Length; i++)
            {
                _counters[i].Clear();
            }

            for (int i = 0; i < _drops.Length; i++)
            {
                _drops[i] = 0;
            }
        }

        /// <summary>
        /// Periodic work at <paramref name="nowMs"/>: notices LAN link changes (up: gratuitous ARP, RFC 5227 §3;
        /// down: the ARP cache is flushed and its waiting packets dropped), sends due announcements, runs the
        /// ARP timers. Returns <see cref="NextDeadline"/>. Meant to be called once per appliance Poll.
        /// </summary>
        public long Poll(long nowMs)
        {
            bool up = _lan.LinkUp;
            if (up && !_linkWasUp)
            {
                _announcementsLeft = AnnounceCount;
                _announceAtMs = nowMs;
            }
            else if (!up && _linkWasUp)
            {
                _announcementsLeft = 0;
                _arp.Flush(DropReason.InterfaceDown, nowMs);
            }

            _linkWasUp = up;
            if (_announcementsLeft > 0 && _lanAddress != 0 && nowMs >= _announceAtMs)
            {
                SendArp(ArpPacket.OperationRequest, EthernetAddress.Broadcast, 0, _lanAddress);
                _announcementsLeft--;
                _announceAtMs = nowMs + AnnounceIntervalMs;
            }

            _arp.Poll(nowMs);
            return NextDeadline;
        }

        /// <summary>When <see cref="Poll"/> next has work: the earliest ARP timer or pending announcement; <see cref="Never"/> when idle.</summary>
        public long NextDeadline
        {
            get
            {
                long next = _arp.NextDeadline;
                if (_announcementsLeft > 0 && _lanAddress != 0 && _announceAtMs < next)
                {
                    next = _announceAtMs;
                }

                return next;
            }
        }

        private bool IsTunnel(int interfaceId)
        {
            return interfaceId >= 1 && interfaceId <= _tunnelCount;
        }

        // Counts a drop against the reason and the interface (receive or transmit side).
        private void Count(DropReason reason, int interfaceId, bool receiveSide)
        {
            _drops[(int)reason]++;
            _lastDrop = reason;
            if (interfaceId >= 0 && interfaceId < _counters.Length)
            {
                if (receiveSide)
                {
                    _counters[interfaceId].RxDrops++;
                }
                else
                {
                    _counters[interfaceId].TxDrops++;
                }
            }
        }

        // Counts a drop and gives the buffer back to the pool.
        private void Drop(int buffer, DropReason reason, int interfaceId, bool receiveSide)
        {
            Count(reason, interfaceId, receiveSide);
            _pool.Release(buffer);
        }
    }
}
