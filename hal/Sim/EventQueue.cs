using System;

namespace VpnAppliance.Hal.Sim;

/// <summary>Kinds of scheduled simulation events.</summary>
internal enum SimEventKind
{
    /// <summary>A packet reaches the network core (switch or UDP router) at the end of the sender's link.</summary>
    ToCore,
    /// <summary>A packet reaches the receiving node at the end of its link.</summary>
    ToNode,
    /// <summary>A caller-scheduled action (link cut, restart).</summary>
    Action,
}

/// <summary>One scheduled event; packet bytes live in the queue's buffer of the same index.</summary>
internal struct SimEvent
{
    public SimEventKind Kind;
    public long Time;
    public long Seq;
    public int Length;
    public ISimFabric Fabric;
    public object From;
    public object To;
    public uint SourceAddress;
    public int SourcePort;
    public uint DestinationAddress;
    public int DestinationPort;
    public Action Action;
}

/// <summary>The part of a switch or UDP network the event loop calls.</summary>
internal interface ISimFabric
{
    /// <summary>Drains the attached ports' transmit rings into scheduled events.</summary>
    void Pump();

    /// <summary>Handles a due event of this fabric (its bytes are in <paramref name="data"/>).</summary>
    void Handle(ref SimEvent e, byte[] data);
}

/// <summary>
/// Fixed pool of events ordered by (time, insertion sequence) in a binary min-heap, so events
/// at the same virtual instant run in the order they were scheduled: a deterministic run.
/// Packet buffers are allocated on first use of a slot and reused after.
/// </summary>
internal sealed class EventQueue
{
    private readonly SimEvent[] _events;
    private readonly byte[][] _buffers;
    private readonly int[] _heap;
    private readonly int[] _free;
    private readonly int _maxPacket;
    private int _heapCount;
    private int _freeCount;
    private long _seq;

    public EventQueue(int capacity, int maxPacket)
    {
        _events = new SimEvent[capacity];
        _buffers = new byte[capacity][];
        _heap = new int[capacity];
        _free = new int[capacity];
        _maxPacket = maxPacket;
        for (int i = 0; i < capacity; i++)
        {
            _free[i] = capacity - 1 - i;
        }

        _freeCount = capacity;
    }

    public int Count => _heapCount;

    public int MaxPacket => _maxPacket;

    /// <summary>A free slot index, or -1 when the pool is full.</summary>
    public int Allocate()
    {
        if (_freeCount == 0)
        {
            return -1;
        }

        int i = _free[--_freeCount];
        _events[i] = default;
        return i;
    }

    public ref SimEvent At(int i) => ref _events[i];

    public byte[] Buffer(int i) => _buffers[i] ??= new byte[_maxPacket];

    public void PreallocateBuffers()
    {
        for (int i = 0; i < _buffers.Length; i++)
        {
            Buffer(i);
        }
    }

    public void Release(int i)
    {
        _events[i].Fabric = null;
        _events[i].From = null;
        _events[i].To = null;
        _events[i].Action = null;
        _free[_freeCount++] = i;
    }

    /// <summary>Schedules the filled slot.</summary>
    public void Push(int i)
    {
        _events[i].Seq = _seq++;
        int pos = _heapCount++;
        _heap[pos] = i;
        while (pos > 0)
        {
            int parent = (pos - 1) / 2;
            if (!Less(_heap[pos], _heap[parent]))
            {
                break;
            }

            (_heap[pos], _heap[parent]) = (_heap[parent], _heap[pos]);
            pos = parent;
        }
    }

    /// <summary>Time of the earliest event, long.MaxValue when empty.</summary>
    public long PeekTime() => _heapCount == 0 ? long.MaxValue : _events[_heap[0]].Time;

    /// <summary>Removes the earliest event; returns its slot (release it when done).</summary>
    public int Pop()
    {
        int top = _heap[0];
        _heapCount--;
        if (_heapCount > 0)
        {
            _heap[0] = _heap[_heapCount];
            int pos = 0;
            while (true)
            {
                int l = 2 * pos + 1;
                if (l >= _heapCount)
                {
                    break;
                }

                int r = l + 1;
                int m = r < _heapCount && Less(_heap[r], _heap[l]) ? r : l;
                if (!Less(_heap[m], _heap[pos]))
                {
                    break;
                }

                (_heap[pos], _heap[m]) = (_heap[m], _heap[pos]);
                pos = m;
            }
        }

        return top;
    }

    private bool Less(int a, int b)
    {
        ref SimEvent x = ref _events[a];
        ref SimEvent y = ref _events[b];
        return x.Time < y.Time || (x.Time == y.Time && x.Seq < y.Seq);
    }
}
