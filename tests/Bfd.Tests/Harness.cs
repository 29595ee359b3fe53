using VpnAppliance.Wire;

namespace VpnAppliance.Bfd.Tests;

/// <summary>One direction of an in-memory wire: a fixed ring of copies (no allocation per packet), a latency, a cut switch.</summary>
public sealed class Link : IBfdOutput
{
    private const int Slots = 64;
    private readonly byte[][] _data = new byte[Slots][];
    private readonly int[] _length = new int[Slots];
    private readonly long[] _due = new long[Slots];
    private readonly uint[] _src = new uint[Slots];
    private readonly uint[] _dst = new uint[Slots];
    private int _head;
    private int _count;

    public Link(int latencyMs)
    {
        LatencyMs = latencyMs;
        for (int i = 0; i < Slots; i++)
        {
            _data[i] = new byte[64];
        }
    }

    public int LatencyMs;
    public bool Cut;
    public int Ttl = 255;
    public int DeliverInterface = 1;
    public bool Record;
    public long SentCount;
    public long Lost;
    public long Now;
    public readonly List<(long At, BfdControlPacket Packet, int SourcePort)> Log = new();

    public bool Send(int interfaceId, uint source, uint destination, int sourcePort, byte[] buf, int off, int len, long nowMs)
    {
        SentCount++;
        if (Record)
        {
            Assert.Equal(BfdReceiveResult.Accepted, BfdControlPacket.Parse(buf, off, len, out BfdControlPacket p));
            Log.Add((nowMs, p, sourcePort));
        }

        if (Cut || _count == Slots)
        {
            Lost++;
            return true;   // sent into a dead wire
        }

        int slot = (_head + _count) % Slots;
        Array.Copy(buf, off, _data[slot], 0, len);
        _length[slot] = len;
        _due[slot] = nowMs + LatencyMs;
        _src[slot] = source;
        _dst[slot] = destination;
        _count++;
        return true;
    }

    public long NextDelivery => _count == 0 ? BfdEngine.Never : _due[_head];

    public void Deliver(long now, BfdEngine to)
    {
        for (int guard = 0; guard < Slots && _count > 0 && _due[_head] <= now; guard++)
        {
            int slot = _head;
            _head = (_head + 1) % Slots;
            _count--;
            to.OnPacket(DeliverInterface, _src[slot], _dst[slot], Ttl, _data[slot], 0, _length[slot], now);
        }
    }
}

/// <summary>Two engines back to back over two <see cref="Link"/>s with a virtual clock (A = 169.254.21.2, B = .1, interface 1).</summary>
public sealed class BfdPair
{
    public static readonly uint IpA = Ipv4Address.FromOctets(169, 254, 21, 2);
    public static readonly uint IpB = Ipv4Address.FromOctets(169, 254, 21, 1);

    public readonly Link AtoB;
    public readonly Link BtoA;
    public readonly BfdEngine A;
    public readonly BfdEngine B;
    public readonly int SA;
    public readonly int SB;
    public long Now;
    public bool RecordEvents = true;
    public readonly List<(long At, char Side, BfdState State, BfdDiag Diag)> Events = new();

    public BfdPair(int txMs = 300, int rxMs = 300, int mult = 3, uint seedA = 1, uint seedB = 2, int latencyMs = 1, long start = 1000)
    {
        Now = start;
        AtoB = new Link(latencyMs);
        BtoA = new Link(latencyMs);
        A = new BfdEngine(4, AtoB, seedA);
        B = new BfdEngine(4, BtoA, seedB);
        SA = A.AddSession(1, IpB, IpA, Now);
        SB = B.AddSession(1, IpA, IpB, Now);
        Assert.True(A.Configure(SA, txMs, rxMs, mult, Now));
        Assert.True(B.Configure(SB, txMs, rxMs, mult, Now));
    }

    public BfdSession SessionA => A.Session(SA);
    public BfdSession SessionB => B.Session(SB);

    /// <summary>Runs the event loop up to <paramref name="until"/> (inclusive), jumping the clock to each deadline.</summary>
    public void RunUntil(long until)
    {
        for (int guard = 0; guard < 10_000_000; guard++)
        {
            long t = Math.Min(Math.Min(A.NextDeadline, B.NextDeadline), Math.Min(AtoB.NextDelivery, BtoA.NextDelivery));
            if (t > until)
            {
                Now = until;
                return;
            }

            if (t > Now)
            {
                Now = t;
            }

            AtoB.Now = BtoA.Now = Now;
            AtoB.Deliver(Now, B);
            BtoA.Deliver(Now, A);
            A.Poll(Now);
            B.Poll(Now);
            Drain(A, 'A');
            Drain(B, 'B');
        }

        throw new InvalidOperationException("event loop did not settle");
    }

    public void Run(long ms) => RunUntil(Now + ms);

    /// <summary>Runs until both sessions are Up (at most <paramref name="limitMs"/>); returns the time it took.</summary>
    public long RunUntilUp(long limitMs = 10_000)
    {
        long start = Now;
        while (Now - start < limitMs)
        {
            Run(1);
            if (SessionA.IsUp && SessionB.IsUp && !SessionA.Polling && !SessionB.Polling)
            {
                return Now - start;
            }
        }

        throw new InvalidOperationException("not up");
    }

    private void Drain(BfdEngine e, char side)
    {
        while (e.TakeStateChange(out int i, out _))
        {
            if (RecordEvents)
            {
                BfdSession s = e.Session(i);
                Events.Add((Now, side, s.State, s.Diag));
            }
        }
    }
}

/// <summary>Hand-built BFD Control packets (RFC 5880 §4.1 layout).</summary>
public static class Packets
{
    public static byte[] Control(int version = 1, int diag = 0, BfdState state = BfdState.Down, int flags = 0, int mult = 3, int length = 24,
        uint my = 0x11111111, uint your = 0, uint tx = 1_000_000, uint rx = 1_000_000, uint echo = 0, int size = 24)
    {
        var b = new byte[size];
        b[0] = (byte)((version << 5) | diag);
        b[1] = (byte)(((int)state << 6) | flags);
        b[2] = (byte)mult;
        b[3] = (byte)length;
        NetworkByteOrder.WriteUInt32(b, 4, my);
        NetworkByteOrder.WriteUInt32(b, 8, your);
        NetworkByteOrder.WriteUInt32(b, 12, tx);
        NetworkByteOrder.WriteUInt32(b, 16, rx);
        NetworkByteOrder.WriteUInt32(b, 20, echo);
        return b;
    }
}
