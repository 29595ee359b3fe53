using VpnAppliance.Core;

namespace VpnAppliance.Net
{
    /// <summary>
    /// The LAN port's ARP cache (RFC 826), sans-IO: time comes in as nowMs, frames go out through
    /// <see cref="IArpEvents"/>, and <see cref="NextDeadline"/> says when <see cref="Poll"/> is due.
    ///
    /// Entry life cycle (RFC 1122 §2.3.2.1 requires timeouts and bounded retries; the states and default times
    /// follow RFC 4861 §7.3.2 / §10, which Linux applies to ARP as well):
    ///   Free -> Incomplete: first packet to an unknown next hop; a request is broadcast at once and retried every
    ///     RetransmitTimeMs (RFC 1122 §2.3.2.1: at most one per second per address) up to MaxRequests in all; then
    ///     the waiting packets are dropped (NoArpTimeout) and the entry freed.
    ///   any -> Reachable: a reply, or a request from the neighbour (RFC 826 merge); waiting packets are released in
    ///     arrival order. After ReachableTimeMs without confirmation -> Stale.
    ///   Stale: still used; the first use sends a request (-> Probe). Unused for StaleTimeMs -> Free.
    ///   Probe: still used; requests retried like Incomplete; no answer after MaxRequests -> Free.
    /// Waiting packets are bounded per entry (PendingPerEntry) and in total (a shared pool), so an unresolvable
    /// destination can hold at most a few packet buffers. When every entry is taken, the oldest Stale (else
    /// Reachable) entry is evicted; Incomplete/Probe entries are never evicted.
    /// Fixed pools allocated by the constructor; lookups go through a chained hash (no per-packet scan).
    /// </summary>
    public sealed class ArpCache
    {
        /// <summary>Default waiting packets per unresolved entry.</summary>
        public const int DefaultPendingPerEntry = 4;

        /// <summary>Deadline meaning "nothing due".</summary>
        public const long Never = long.MaxValue;

        private readonly IArpEvents _events;
        private readonly uint[] _ip;
        private readonly ulong[] _mac;
        private readonly byte[] _state;
        private readonly long[] _deadline;
        private readonly byte[] _requests;
        private readonly int[] _pendHead;
        private readonly int[] _pendTail;
        private readonly byte[] _pendCount;
        private readonly int[] _chain;      // per entry: next entry in its hash bucket, -1 ends
        private readonly int[] _bucket;     // per bucket: first entry, -1 none
        private readonly int _bucketShift;
        private readonly int[] _freeEntries;
        private readonly int[] _pBuf;
        private readonly int[] _pOff;
        private readonly int[] _pLen;
        private readonly int[] _pNext;
        private readonly int[] _pFree;
        private readonly int _perEntry;
        private int _freeEntryCount;
        private int _pFreeCount;

        /// <summary>
        /// Creates a cache of <paramref name="entries"/> entries, at most <paramref name="pendingPerEntry"/> packets
        /// waiting per entry and <paramref name="pendingTotal"/> in all.
        /// </summary>
        public ArpCache(int entries, int pendingPerEntry, int pendingTotal, IArpEvents events)
        {
            if (entries < 1 || entries > 65536)
            {
                throw new System.ArgumentOutOfRangeException("entries");
            }

            if (pendingPerEntry < 1 || pendingPerEntry > 255 || pendingTotal < 1)
            {
                throw new System.ArgumentOutOfRangeException("pendingPerEntry");
            }

            _events = events;
            _perEntry = pendingPerEntry;
            _ip = new uint[entries];
            _mac = new ulong[entries];
            _state = new byte[entries];
            _deadline = new long[entries];
            _requests = new byte[entries];
            _pendHead = new int[entries];
            _pendTail = new int[entries];
            _pendCount = new byte[entries];
            _chain = new int[entries];
            _freeEntries = new int[entries];
            int bits = BucketBits(entries);
            _bucket = new int[1 << bits];
            _bucketShift = 32 - bits;
            _pBuf = new int[pendingTotal];
            _pOff = new int[pendingTotal];
            _pLen = new int[pendingTotal];
            _pNext = new int[pendingTotal];
            _pFree = new int[pendingTotal];
            ReachableTimeMs = 30000;
            StaleTimeMs = 60000;
            RetransmitTimeMs = 1000;
            MaxRequests = 3;
            Reset();
        }

        /// <summary>Describes exactly the objects and arrays the constructor allocates (see <see cref="MemoryBudget"/>).</summary>
        public static void Account(MemoryBudget budget, int entries, int pendingTotal)
        {
            budget.AddObject(25, 17 * 8 + 8 * 4);
            budget.AddValueArray(4, entries);
            budget.AddValueArray(8, entries);
            budget.AddValueArray(1, entries);
            budget.AddValueArray(8, entries);
            budget.AddValueArray(1, entries);
            budget.AddValueArray(4, entries);
            budget.AddValueArray(4, entries);
            budget.AddValueArray(1, entries);
            budget.AddValueArray(4, entries);
            budget.AddValueArray(4, entries);
            budget.AddValueArray(4, 1 << BucketBits(entries));
            for (int i = 0; i < 5; i++)
            {
                budget.AddValueArray(4, pendingTotal);
            }
        }

        // Hash buckets: the power of two at or above twice the entries (chains stay about half an entry long).
        private static int BucketBits(int entries)
        {
            int bits = 1;
            while ((1 << bits) < entries * 2 && bits < 20)
            {
                bits++;
            }

            return bits;
        }

        /// <summary>Milliseconds an entry stays Reachable after a confirmation (RFC 4861 REACHABLE_TIME: 30 s).</summary>
        public int ReachableTimeMs;

        /// <summary>Milliseconds an unused Stale entry is kept.</summary>
        public int StaleTimeMs;

        /// <summary>Milliseconds between requests for one address (RFC 1122 §2.3.2.1: no more than one per second).</summary>
        public int RetransmitTimeMs;

        /// <summary>Requests sent for one resolution or re-probe before giving up (RFC 4861 MAX_MULTICAST_SOLICIT: 3).</summary>
        public int MaxRequests;

        /// <summary>Number of entries.</summary>
        public int Capacity { get { return _ip.Length; } }

        /// <summary>Entries in use.</summary>
        public int Count { get { return _ip.Length - _freeEntryCount; } }

        /// <summary>Packets waiting for resolution, all entries together.</summary>
        public int PendingCount { get { return _pBuf.Length - _pFreeCount; } }

        /// <summary>Size of the shared pool of waiting packets.</summary>
        public int PendingCapacity { get { return _pBuf.Length; } }

        /// <summary>Waiting packets allowed per entry.</summary>
        public int PendingPerEntry { get { return _perEntry; } }

        /// <summary>State of entry slot <paramref name="index"/> (0..Capacity-1), for <c>show arp</c>.</summary>
        public ArpState StateAt(int index) { return (ArpState)_state[index]; }

        /// <summary>IPv4 address of entry slot <paramref name="index"/>.</summary>
        public uint AddressAt(int index) { return _ip[index]; }

        /// <summary>Ethernet address of entry slot <paramref name="index"/> (0 while Incomplete).</summary>
        public ulong HardwareAddressAt(int index) { return _mac[index]; }

        /// <summary>State of the entry for <paramref name="ip"/> (Free when there is none).</summary>
        public ArpState StateOf(uint ip)
        {
            int e = Find(ip);
            return e < 0 ? ArpState.Free : (ArpState)_state[e];
        }

        /// <summary>
        /// The Ethernet address for <paramref name="ip"/> when the entry is usable (Reachable, Stale, Probe). Using a
        /// Stale entry starts a re-probe. False when there is no entry or it is Incomplete.
        /// </summary>
        public bool Resolve(uint ip, long nowMs, out ulong mac)
        {
            int e = Find(ip);
            if (e < 0 || _state[e] == (byte)ArpState.Incomplete)
            {
                mac = 0;
                return false;
            }

            mac = _mac[e];
            if (_state[e] == (byte)ArpState.Stale)
            {
                _state[e] = (byte)ArpState.Probe;
                _requests[e] = 1;
                _deadline[e] = nowMs + RetransmitTimeMs;
                _events.SendArpRequest(ip, nowMs);
            }

            return true;
        }

        /// <summary>
        /// Queues the packet at buffer/offset/length until <paramref name="ip"/> resolves, creating an Incomplete
        /// entry (and sending its first request) when there is none. On Queued the cache owns the buffer.
        /// </summary>
        public ArpQueueResult Enqueue(uint ip, int buffer, int offset, int length, long nowMs)
        {
            int e = Find(ip);
            if (e < 0)
            {
                e = Allocate(ip, nowMs);
                if (e < 0)
                {
                    return ArpQueueResult.TableFull;
                }

                _state[e] = (byte)ArpState.Incomplete;
                _requests[e] = 1;
                _deadline[e] = nowMs + RetransmitTimeMs;
                _events.SendArpRequest(ip, nowMs);
            }

            if (_pendCount[e] >= _perEntry || _pFreeCount == 0)
            {
                return ArpQueueResult.QueueFull;
            }

            int p = _pFree[--_pFreeCount];
            _pBuf[p] = buffer;
            _pOff[p] = offset;
            _pLen[p] = length;
            _pNext[p] = -1;
            if (_pendCount[e] == 0)
            {
                _pendHead[e] = p;
            }
            else
            {
                _pNext[_pendTail[e]] = p;
            }

            _pendTail[e] = p;
            _pendCount[e]++;
            return ArpQueueResult.Queued;
        }

        /// <summary>
        /// RFC 826 "merge": the neighbour <paramref name="ip"/> is at <paramref name="mac"/>. An existing entry is
        /// updated and confirmed (Reachable), releasing its waiting packets in order; a missing one is created only
        /// when <paramref name="create"/> (the packet was for us). Returns false when nothing was stored.
        /// </summary>
        public bool Learn(uint ip, ulong mac, bool create, long nowMs)
        {
            int e = Find(ip);
            if (e < 0)
            {
                if (!create)
                {
                    return false;
                }

                e = Allocate(ip, nowMs);
                if (e < 0)
                {
                    return false;
                }
            }

            _mac[e] = mac;
            _state[e] = (byte)ArpState.Reachable;
            _requests[e] = 0;
            _deadline[e] = nowMs + ReachableTimeMs;
            while (_pendCount[e] > 0)
            {
                int p = TakePending(e);
                _events.ReleaseResolved(_pBuf[p], _pOff[p], _pLen[p], ip, mac, nowMs);
            }

            return true;
        }

        /// <summary>Runs the timers due at <paramref name="nowMs"/> (retries, give-ups, ageing); returns <see cref="NextDeadline"/>.</summary>
        public long Poll(long nowMs)
        {
            for (int e = 0; e < _ip.Length; e++)
            {
                if (_state[e] == (byte)ArpState.Free || _deadline[e] > nowMs)
                {
                    continue;
                }

                switch ((ArpState)_state[e])
                {
                    case ArpState.Incomplete:
                    case ArpState.Probe:
                        if (_requests[e] < MaxRequests)
                        {
                            _requests[e]++;
                            _deadline[e] = nowMs + RetransmitTimeMs;
                            _events.SendArpRequest(_ip[e], nowMs);
                        }
                        else
                        {
                            FreeEntry(e, DropReason.NoArpTimeout, nowMs);
                        }

                        break;
                    case ArpState.Reachable:
                        _state[e] = (byte)ArpState.Stale;
                        _deadline[e] = nowMs + StaleTimeMs;
                        break;
                    default:
                        FreeEntry(e, DropReason.NoArpTimeout, nowMs);
                        break;
                }
            }

            return NextDeadline;
        }

        /// <summary>Earliest entry deadline, <see cref="Never"/> when the cache is empty.</summary>
        public long NextDeadline
        {
            get
            {
                long next = Never;
                for (int e = 0; e < _ip.Length; e++)
                {
                    if (_state[e] != (byte)ArpState.Free && _deadline[e] < next)
                    {
                        next = _deadline[e];
                    }
                }

                return next;
            }
        }

        /// <summary>Frees every entry; waiting packets are dropped with <paramref name="reason"/> (e.g. the link went down).</summary>
        public void Flush(DropReason reason, long nowMs)
        {
            for (int e = 0; e < _ip.Length; e++)
            {
                if (_state[e] != (byte)ArpState.Free)
                {
                    FreeEntry(e, reason, nowMs);
                }
            }
        }

        private void Reset()
        {
            for (int i = 0; i < _bucket.Length; i++)
            {
                _bucket[i] = -1;
            }

            for (int e = 0; e < _ip.Length; e++)
            {
                _state[e] = (byte)ArpState.Free;
                _freeEntries[e] = _ip.Length - 1 - e;
            }

            _freeEntryCount = _ip.Length;
            for (int p = 0; p < _pBuf.Length; p++)
            {
                _pFree[p] = _pBuf.Length - 1 - p;
            }

            _pFreeCount = _pBuf.Length;
        }

        private int Bucket(uint ip)
        {
            return (int)((ip * 0x9E3779B1u) >> _bucketShift);
        }

        private int Find(uint ip)
        {
            int e = _bucket[Bucket(ip)];
            while (e >= 0 && _ip[e] != ip)
            {
                e = _chain[e];
            }

            return e;
        }

        // A fresh entry for ip (state left to the caller), evicting the oldest Stale, else Reachable, entry when
        // none is free. -1 when every entry is Incomplete or Probe.
        private int Allocate(uint ip, long nowMs)
        {
            if (_freeEntryCount == 0)
            {
                // Victims are Stale or Reachable: they hold no waiting packets, so time does not matter below.
                int victim = -1;
                for (int pass = 0; pass < 2 && victim < 0; pass++)
                {
                    byte wanted = pass == 0 ? (byte)ArpState.Stale : (byte)ArpState.Reachable;
                    for (int e = 0; e < _ip.Length; e++)
                    {
                        if (_state[e] == wanted && (victim < 0 || _deadline[e] < _deadline[victim]))
                        {
                            victim = e;
                        }
                    }
                }

                if (victim < 0)
                {
                    return -1;
                }

                FreeEntry(victim, DropReason.NoArpTableFull, nowMs);
            }

            int n = _freeEntries[--_freeEntryCount];
            _ip[n] = ip;
            _mac[n] = 0;
            _requests[n] = 0;
            _pendCount[n] = 0;
            int b = Bucket(ip);
            _chain[n] = _bucket[b];
            _bucket[b] = n;
            return n;
        }

        private int TakePending(int e)
        {
            int p = _pendHead[e];
            _pendHead[e] = _pNext[p];
            _pendCount[e]--;
            _pFree[_pFreeCount++] = p;
            return p;
        }

        private void FreeEntry(int e, DropReason reason, long nowMs)
        {
            while (_pendCount[e] > 0)
            {
                int p = TakePending(e);
                _events.ReleaseDropped(_pBuf[p], _pOff[p], _pLen[p], reason, nowMs);
            }

            int b = Bucket(_ip[e]);
            if (_bucket[b] == e)
            {
                _bucket[b] = _chain[e];
            }
            else
            {
                int prev = _bucket[b];
                while (prev >= 0 && _chain[prev] != e)
                {
                    prev = _chain[prev];
                }

                if (prev >= 0)
                {
                    _chain[prev] = _chain[e];
                }
            }

            _state[e] = (byte)ArpState.Free;
            _freeEntries[_freeEntryCount++] = e;
        }
    }
}
