namespace VpnAppliance.Tcp.Tests;

/// <summary>
/// Two stacks joined by a seeded lossy, duplicating, reordering link under a virtual clock. Packets are
/// copied into preallocated slots (no allocation per packet) and delivered in (time, order) order; a reordered
/// packet is held back a few ms so later ones overtake it; the second copy of a duplicate arrives 1 ms later.
/// Every random decision comes from one SplitMix64 stream, so a seed reproduces a run exactly.
/// </summary>
public sealed class LossyNetwork : ITcpOutput
{
    private sealed class Packet
    {
        public readonly byte[] Data = new byte[2048];
        public int Length;
        public uint Source;
        public uint Destination;
        public long DeliverAt;
        public long Order;
    }

    private readonly Packet[] _slots;
    private readonly int[] _free;
    private int _freeCount;
    private readonly int[] _inFlight;
    private int _inFlightCount;
    private ulong _rng;
    private long _order;

    public TcpStack? A;
    public TcpStack? B;
    public uint AddressA = 0xA9FE0001;
    public uint AddressB = 0xA9FE0002;
    public double Loss;
    public double Duplicate;
    public double Reorder;
    public double Corrupt;
    public int LatencyMs = 10;
    public int ReorderDelayMs = 15;
    public long Now;
    public long Sent;
    public long Dropped;
    public long Duplicated;
    public long Reordered;
    public long Corrupted;
    public long Overflow;

    /// <summary>Segments offered with a zero window field (bytes 14-15 of the TCP header).</summary>
    public long ZeroWindows;

    public LossyNetwork(long seed, int capacity = 4096)
    {
        _rng = (ulong)seed;
        _slots = new Packet[capacity];
        _free = new int[capacity];
        _inFlight = new int[capacity];
        for (int i = 0; i < capacity; i++)
        {
            _slots[i] = new Packet();
            _free[i] = capacity - 1 - i;
        }

        _freeCount = capacity;
    }

    // SplitMix64 (Steele, Lea, Flood 2014).
    private ulong Next()
    {
        ulong z = _rng += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private bool Roll(double p) => p > 0 && (Next() >> 11) * (1.0 / (1UL << 53)) < p;

    /// <summary>Optional trace of every segment offered to the link (diagnostics; allocates when set).</summary>
    public Action<string>? Trace;

    public void SendSegment(uint source, uint destination, byte[] buffer, int offset, int length, int ttl, long nowMs)
    {
        Sent++;
        if (length >= 20 && buffer[offset + 14] == 0 && buffer[offset + 15] == 0 && (buffer[offset + 13] & 0x04) == 0)
        {
            ZeroWindows++;
        }

        Trace?.Invoke($"{Now} {(source == AddressA ? "C>S" : "S>C")} {Seg.Parse(source, destination, buffer, offset, length)}");
        if (Roll(Loss))
        {
            Dropped++;
            return;
        }

        bool corrupt = Roll(Corrupt);
        int copies = 1;
        if (Roll(Duplicate))
        {
            Duplicated++;
            copies = 2;
        }

        long extra = 0;
        if (Roll(Reorder))
        {
            Reordered++;
            extra = 1 + (long)(Next() % (ulong)ReorderDelayMs);
        }

        for (int c = 0; c < copies; c++)
        {
            if (_freeCount == 0)
            {
                Overflow++;
                return;
            }

            int slot = _free[--_freeCount];
            Packet p = _slots[slot];
            Array.Copy(buffer, offset, p.Data, 0, length);
            p.Length = length;
            p.Source = source;
            p.Destination = destination;
            p.DeliverAt = Now + LatencyMs + extra + c;
            if (corrupt && c == 0)
            {
                Corrupted++;
                p.Data[(int)(Next() % (ulong)length)] ^= (byte)(1 + Next() % 255);
            }

            p.Order = _order++;
            _inFlight[_inFlightCount++] = slot;
        }
    }

    public int InFlight => _inFlightCount;

    /// <summary>Earliest delivery time, or long.MaxValue.</summary>
    public long NextDelivery
    {
        get
        {
            long next = long.MaxValue;
            for (int i = 0; i < _inFlightCount; i++)
            {
                long t = _slots[_inFlight[i]].DeliverAt;
                if (t < next)
                {
                    next = t;
                }
            }

            return next;
        }
    }

    /// <summary>Delivers every packet due at or before Now, in (time, order) order; returns how many.</summary>
    public int DeliverDue()
    {
        int delivered = 0;
        for (int guard = 0; guard < 100_000; guard++)
        {
            int best = -1;
            for (int i = 0; i < _inFlightCount; i++)
            {
                Packet p = _slots[_inFlight[i]];
                if (p.DeliverAt <= Now && (best < 0 || p.DeliverAt < _slots[_inFlight[best]].DeliverAt
                    || (p.DeliverAt == _slots[_inFlight[best]].DeliverAt && p.Order < _slots[_inFlight[best]].Order)))
                {
                    best = i;
                }
            }

            if (best < 0)
            {
                return delivered;
            }

            int slot = _inFlight[best];
            _inFlight[best] = _inFlight[--_inFlightCount];
            Packet q = _slots[slot];
            TcpStack target = q.Destination == AddressA ? A! : B!;
            target.OnSegment(q.Source, q.Destination, q.Data, 0, q.Length, Now);
            _free[_freeCount++] = slot;
            delivered++;
        }

        return delivered;
    }
}
