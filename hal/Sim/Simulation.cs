using System;
using System.Collections.Generic;

namespace VpnAppliance.Hal.Sim;

/// <summary>
/// The deterministic network simulation: a virtual clock, a time-ordered event queue, the
/// fabrics (Ethernet switches, UDP networks) and the nodes (appliances, virtual hosts) polled
/// like the real event loop.
///
/// One run, step by step (<see cref="RunUntil"/>):
/// <code>
///   poll every node at now  -> nodes read their ports, write their ports, return deadlines
///   pump every fabric       -> transmitted frames/datagrams cross the sender's link
///                              (faults rolled) and are scheduled at now + latency
///   deliver events due now  -> core forwards across the receiver's link, or the node's port
///                              receives the packet; if anything arrived, poll again at now
///   otherwise jump the clock to min(next event, earliest node deadline)
/// </code>
/// Everything happens in a fixed order (nodes and ports in the order they were added, equal-time
/// events in scheduling order) and all randomness comes from <see cref="Faults"/>, so the same
/// seed and the same test reproduce the same run.
/// </summary>
public sealed class Simulation
{
    private readonly EventQueue _queue;
    private readonly List<ISimFabric> _fabrics = new List<ISimFabric>();
    private readonly List<ISimNode> _nodes = new List<ISimNode>();
    private readonly byte[] _scratch;

    /// <summary>
    /// Creates a simulation. <paramref name="maxInFlight"/> packets (and actions) can be scheduled
    /// at once (beyond that packets are dropped and counted in <see cref="DroppedQueueFull"/>);
    /// <paramref name="maxPacketLength"/> bounds a frame or datagram.
    /// </summary>
    public Simulation(long seed, int maxInFlight = 4096, int maxPacketLength = 2048, long startMs = 0)
    {
        Clock = new VirtualClock(startMs);
        Faults = new FaultInjector(seed);
        _queue = new EventQueue(maxInFlight, maxPacketLength);
        _scratch = new byte[maxPacketLength];
    }

    /// <summary>The virtual clock; give it to every appliance as its <see cref="IClock"/>.</summary>
    public VirtualClock Clock { get; }

    /// <summary>Current virtual time.</summary>
    public long NowMs => Clock.NowMs;

    /// <summary>The seeded fault injector (its seed reproduces the run).</summary>
    public FaultInjector Faults { get; }

    /// <summary>Largest frame or datagram carried.</summary>
    public int MaxPacketLength => _queue.MaxPacket;

    /// <summary>When true every transmission, fault and delivery is appended to <see cref="DeliveryLog"/>.</summary>
    public bool RecordDeliveries { get; set; }

    /// <summary>Lines like <c>12 wan/a tx len=96 h=1a2b3c4d</c> (time, link, event, length, FNV-1a of the bytes).</summary>
    public List<string> DeliveryLog { get; } = new List<string>();

    /// <summary>Packets dropped because the event queue was full.</summary>
    public long DroppedQueueFull { get; private set; }

    /// <summary>Packets dropped because they exceed <see cref="MaxPacketLength"/>.</summary>
    public long DroppedTooLarge { get; private set; }

    /// <summary>Rounds allowed at one virtual instant before <see cref="RunUntil"/> reports a livelock.</summary>
    public int MaxRoundsPerInstant { get; set; } = 10_000;

    /// <summary>Events scheduled and not yet due.</summary>
    public int Pending => _queue.Count;

    /// <summary>Time of the next scheduled event, long.MaxValue when none.</summary>
    public long NextEventMs => _queue.PeekTime();

    internal byte[] Scratch => _scratch;

    /// <summary>
    /// Allocates every in-flight packet buffer now (they are otherwise allocated on first use), so
    /// that a steady-state run allocates nothing even when the number in flight reaches a new peak.
    /// </summary>
    public void PreallocateBuffers() => _queue.PreallocateBuffers();

    /// <summary>Adds an Ethernet switch (a point-to-point link is a switch with two ports).</summary>
    public EthernetSwitch AddSwitch(string name)
    {
        var s = new EthernetSwitch(this, name);
        _fabrics.Add(s);
        return s;
    }

    /// <summary>Adds a routed IPv4/UDP network (the WAN between appliances and gateways).</summary>
    public UdpNetwork AddUdpNetwork(string name)
    {
        var n = new UdpNetwork(this, name);
        _fabrics.Add(n);
        return n;
    }

    /// <summary>Adds a node polled by <see cref="RunUntil"/>, after the nodes already added.</summary>
    public void AddNode(ISimNode node) => _nodes.Add(node ?? throw new ArgumentNullException(nameof(node)));

    /// <summary>Adds a node from a poll delegate (nowMs -> next deadline).</summary>
    public ISimNode AddNode(Func<long, long> poll)
    {
        var node = new DelegateNode(poll);
        _nodes.Add(node);
        return node;
    }

    /// <summary>Runs <paramref name="action"/> at virtual time <paramref name="timeMs"/> (e.g. cut a link).</summary>
    public void At(long timeMs, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        int i = _queue.Allocate();
        if (i < 0)
        {
            throw new InvalidOperationException("simulation event queue full");
        }

        ref SimEvent e = ref _queue.At(i);
        e.Kind = SimEventKind.Action;
        e.Time = Math.Max(timeMs, NowMs);
        e.Action = action;
        _queue.Push(i);
    }

    /// <summary>
    /// One step for a caller that runs its own loop: pumps the ports, then delivers what is due
    /// now, or else moves the clock to the earlier of the next event and
    /// <paramref name="callerDeadlineMs"/> and delivers what is due then. Returns false (clock
    /// unchanged) when nothing is scheduled and the caller has no deadline.
    /// </summary>
    public bool Step(long callerDeadlineMs = long.MaxValue)
    {
        Pump();
        if (_queue.PeekTime() <= NowMs)
        {
            DeliverDue();
            return true;
        }

        long next = Math.Min(_queue.PeekTime(), callerDeadlineMs);
        if (next == long.MaxValue)
        {
            return false;
        }

        Clock.AdvanceTo(Math.Max(next, NowMs));
        DeliverDue();
        return true;
    }

    /// <summary>
    /// Runs nodes and network until virtual time <paramref name="timeMs"/> (inclusive: events due
    /// at that instant are delivered) and leaves the clock there. Throws on a livelock (more than
    /// <see cref="MaxRoundsPerInstant"/> rounds without time moving).
    /// </summary>
    public void RunUntil(long timeMs) => Run(timeMs, null);

    /// <summary>
    /// Runs until <paramref name="condition"/> holds (checked after every round at every instant)
    /// or virtual time <paramref name="deadlineMs"/> is reached; returns whether the condition
    /// held. The clock stays where the condition became true.
    /// </summary>
    public bool RunUntil(Func<bool> condition, long deadlineMs)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return condition() || Run(deadlineMs, condition);
    }

    private bool Run(long timeMs, Func<bool> condition)
    {
        long instant = NowMs;
        int rounds = 0;
        while (true)
        {
            long now = NowMs;
            if (now != instant)
            {
                instant = now;
                rounds = 0;
            }

            if (++rounds > MaxRoundsPerInstant)
            {
                throw new InvalidOperationException($"simulation livelock at t={now} ms (seed {Faults.Seed}): {MaxRoundsPerInstant} rounds without time moving");
            }

            long deadline = PollNodes(now);
            Pump();
            int delivered = DeliverDue();
            if (condition != null && condition())
            {
                return true;
            }

            if (delivered > 0)
            {
                continue;
            }

            long next = Math.Min(deadline, _queue.PeekTime());
            if (next <= now)
            {
                continue;
            }

            if (next > timeMs)
            {
                break;
            }

            Clock.AdvanceTo(next);
        }

        if (timeMs > NowMs)
        {
            Clock.AdvanceTo(timeMs);
        }

        return condition != null && condition();
    }

    /// <summary>Runs for <paramref name="durationMs"/> virtual ms.</summary>
    public void RunFor(long durationMs) => RunUntil(NowMs + durationMs);

    /// <summary>Drains every port's transmit ring into the network now (no node is polled).</summary>
    public void Pump()
    {
        for (int i = 0; i < _fabrics.Count; i++)
        {
            _fabrics[i].Pump();
        }
    }

    private long PollNodes(long now)
    {
        long deadline = long.MaxValue;
        for (int i = 0; i < _nodes.Count; i++)
        {
            long d = _nodes[i].Poll(now);
            if (d < deadline)
            {
                deadline = d;
            }
        }

        return deadline;
    }

    private int DeliverDue()
    {
        int n = 0;
        while (_queue.PeekTime() <= NowMs)
        {
            int i = _queue.Pop();
            ref SimEvent e = ref _queue.At(i);
            if (e.Kind == SimEventKind.Action)
            {
                Action a = e.Action;
                _queue.Release(i);
                a();
            }
            else
            {
                e.Fabric.Handle(ref e, _queue.Buffer(i));
                _queue.Release(i);
            }

            n++;
            if (n > MaxRoundsPerInstant * 16)
            {
                throw new InvalidOperationException($"simulation livelock at t={NowMs} ms: endless events at one instant");
            }
        }

        return n;
    }

    /// <summary>
    /// Puts a packet on <paramref name="link"/>: cut links and the fault injector may drop it,
    /// corrupt, duplicate or delay it; otherwise it is scheduled at now + latency.
    /// </summary>
    internal void Transmit(SimLink link, ISimFabric fabric, SimEventKind kind, byte[] data, int length,
        object from, object to, uint sourceAddress, int sourcePort, uint destinationAddress, int destinationPort)
    {
        link.Packets++;
        if (!link.Up)
        {
            link.DroppedCut++;
            Log(link, "drop-cut", data, length);
            return;
        }

        if (length > _queue.MaxPacket)
        {
            DroppedTooLarge++;
            Log(link, "drop-toolarge", data, length);
            return;
        }

        int i = _queue.Allocate();
        if (i < 0)
        {
            DroppedQueueFull++;
            Log(link, "drop-queuefull", data, length);
            return;
        }

        byte[] buffer = _queue.Buffer(i);
        Buffer.BlockCopy(data, 0, buffer, 0, length);
        FaultAction action = Faults.Decide(link, buffer, 0, length);
        if ((action & FaultAction.Drop) != 0)
        {
            _queue.Release(i);
            Log(link, "drop-fault", data, length);
            return;
        }

        if ((action & FaultAction.Corrupt) != 0)
        {
            Log(link, "corrupt", buffer, length);
        }

        long time = NowMs + link.LatencyMs;
        if ((action & FaultAction.Reorder) != 0)
        {
            time += Math.Max(1, link.Faults.ReorderDelayMs);
            Log(link, "reorder", buffer, length);
        }

        ref SimEvent e = ref _queue.At(i);
        e.Kind = kind;
        e.Time = time;
        e.Length = length;
        e.Fabric = fabric;
        e.From = from;
        e.To = to;
        e.SourceAddress = sourceAddress;
        e.SourcePort = sourcePort;
        e.DestinationAddress = destinationAddress;
        e.DestinationPort = destinationPort;
        _queue.Push(i);

        if ((action & FaultAction.Duplicate) != 0)
        {
            int j = _queue.Allocate();
            if (j < 0)
            {
                DroppedQueueFull++;
                return;
            }

            Buffer.BlockCopy(buffer, 0, _queue.Buffer(j), 0, length);
            ref SimEvent d = ref _queue.At(j);
            d = _queue.At(i);
            d.Time = time + Math.Max(0, link.Faults.DuplicateDelayMs);
            _queue.Push(j);
            Log(link, "duplicate", buffer, length);
        }
    }

    /// <summary>Appends a delivery-log line when recording.</summary>
    internal void Log(SimLink link, string what, byte[] data, int length)
    {
        if (!RecordDeliveries)
        {
            return;
        }

        DeliveryLog.Add($"{NowMs} {link.Name} {what} len={length} h={Fnv1a(data, length):x8}");
    }

    /// <summary>32-bit FNV-1a of the first <paramref name="length"/> bytes (a fingerprint for logs).</summary>
    public static uint Fnv1a(byte[] data, int length)
    {
        uint h = 2166136261;
        for (int i = 0; i < length; i++)
        {
            h = (h ^ data[i]) * 16777619;
        }

        return h;
    }
}
