using VpnAppliance.Bgp.Session;
using VpnAppliance.Bgp.Speaker;

namespace VpnAppliance.Bgp.Tests.Engine;

/// <summary>
/// An in-memory stream network between BGP speakers under a virtual clock: Connect reaches the endpoint with
/// the remote address (accept first, then "connected" at the opener), bytes arrive LatencyMs later in order,
/// Close is seen by the other side. A link can be cut silently (nothing delivered, as a dead tunnel) or
/// hard (both sides see the close). Every event is queued and delivered by Run, never re-entrantly.
/// </summary>
public sealed class MemoryNet
{
    public long Now = 1_000;
    public int LatencyMs = 1;
    public readonly List<Endpoint> Endpoints = new();
    private readonly List<(long At, long Seq, Action Act)> queue = new();
    private long seq;
    private readonly List<Conn> conns = new();

    public sealed class Conn
    {
        public Endpoint Opener = null!, Acceptor = null!;
        public int OpenerHandle, AcceptorHandle = -1;
        public bool Open = true;
        public bool Silent;
        public bool OpenerClosed, AcceptorClosed;
    }

    public Endpoint Add(uint address, BgpSpeakerFactory make)
    {
        var e = new Endpoint(this, address);
        e.Speaker = make(e);
        Endpoints.Add(e);
        return e;
    }

    public delegate BgpSpeaker BgpSpeakerFactory(Endpoint transport);

    internal void Schedule(long delay, Action act)
    {
        queue.Add((Now + delay, seq++, act));
    }

    /// <summary>Cuts every connection between a and b: silently (no close seen) or hard.</summary>
    public void Cut(Endpoint a, Endpoint b, bool silent)
    {
        foreach (var c in conns)
        {
            if (!c.Open || !((c.Opener == a && c.Acceptor == b) || (c.Opener == b && c.Acceptor == a)))
                continue;
            if (silent)
            {
                c.Silent = true;
                continue;
            }

            c.Open = false;
            var ca = c;
            Schedule(LatencyMs, () => ca.Opener.Speaker.OnClosed(ca.OpenerHandle, Now));
            if (ca.AcceptorHandle >= 0)
                Schedule(LatencyMs, () => ca.Acceptor.Speaker.OnClosed(ca.AcceptorHandle, Now));
        }
    }

    /// <summary>Blocks new connections between two endpoints (SYNs lost).</summary>
    public readonly HashSet<(uint, uint)> Blocked = new();

    internal int Connect(Endpoint from, uint remote)
    {
        int h = from.NextHandle++;
        var target = Endpoints.FirstOrDefault(e => e.Address == remote);
        if (target == null || Blocked.Contains((from.Address, remote)) || Blocked.Contains((remote, from.Address)))
            return h; // SYN into the void: ConnectRetry will deal with it
        var c = new Conn { Opener = from, Acceptor = target, OpenerHandle = h };
        conns.Add(c);
        from.Handles[h] = (c, true);
        Schedule(LatencyMs, () =>
        {
            if (!c.Open) return;
            int hb = target.NextHandle++;
            c.AcceptorHandle = hb;
            target.Handles[hb] = (c, false);
            target.Accepted++;
            // SYN, SYN-ACK: the opener is connected first, then the acceptor (RFC 9293 three-way handshake).
            from.Speaker.OnConnected(h, Now);
            if (!target.Speaker.OnAccepted(hb, from.Address, Now))
            {
                target.Handles.Remove(hb);
                c.Open = false;
                c.AcceptorClosed = true;
                Schedule(LatencyMs, () => from.Speaker.OnClosed(h, Now));
            }
        });
        return h;
    }

    internal bool Send(Endpoint from, int handle, byte[] buffer, int offset, int length)
    {
        if (!from.Handles.TryGetValue(handle, out var hc))
            return false;
        var c = hc.Conn;
        if (hc.IsOpener ? c.OpenerClosed : c.AcceptorClosed)
            return false;
        if (c.Silent) return true;
        var copy = new byte[length];
        Array.Copy(buffer, offset, copy, 0, length);
        from.BytesSent += length;
        Schedule(LatencyMs, () =>
        {
            if (c.Silent || (hc.IsOpener ? c.AcceptorClosed : c.OpenerClosed)) return;
            var (to, h) = hc.IsOpener ? (c.Acceptor, c.AcceptorHandle) : (c.Opener, c.OpenerHandle);
            to.Speaker.OnBytes(h, copy, 0, copy.Length, Now);
        });
        return true;
    }

    internal void Close(Endpoint from, int handle)
    {
        if (!from.Handles.TryGetValue(handle, out var hc)) return;
        var c = hc.Conn;
        from.Handles.Remove(handle);
        if (hc.IsOpener) c.OpenerClosed = true; else c.AcceptorClosed = true;
        if (!c.Open) return;
        c.Open = false;
        if (c.Silent) return;
        var (to, h) = hc.IsOpener ? (c.Acceptor, c.AcceptorHandle) : (c.Opener, c.OpenerHandle);
        if (h >= 0)
            Schedule(LatencyMs, () => to.Speaker.OnClosed(h, Now));
    }

    /// <summary>Runs events and speaker timers until <paramref name="until"/> holds or virtual time passes <paramref name="maxMs"/>.</summary>
    public bool Run(Func<bool> until, long maxMs = 600_000)
    {
        long end = Now + maxMs;
        for (int step = 0; step < 2_000_000; step++)
        {
            foreach (var e in Endpoints) e.Deadline = e.Speaker.Poll(Now);
            if (until()) return true;
            long next = long.MaxValue;
            foreach (var q in queue) next = Math.Min(next, q.At);
            foreach (var e in Endpoints) next = Math.Min(next, e.Deadline);
            if (next == long.MaxValue || next > end)
            {
                Now = end;
                foreach (var e in Endpoints) e.Speaker.Poll(Now);
                return until();
            }

            Now = Math.Max(Now, next);
            var due = queue.Where(q => q.At <= Now).OrderBy(q => q.At).ThenBy(q => q.Seq).ToList();
            foreach (var q in due) queue.Remove(q);
            foreach (var q in due) q.Act();
        }

        return false;
    }

    /// <summary>Advances virtual time by <paramref name="ms"/> running everything on the way.</summary>
    public void Advance(long ms) => Run(() => false, ms);
}

/// <summary>One speaker's side of the MemoryNet.</summary>
public sealed class Endpoint(MemoryNet net, uint address) : IBgpTransport
{
    public readonly uint Address = address;
    public BgpSpeaker Speaker = null!;
    public int NextHandle = 1;
    public long Deadline;
    public int Accepted;
    public long BytesSent;
    public int SendSpaceLimit = 65536;
    public readonly Dictionary<int, (MemoryNet.Conn Conn, bool IsOpener)> Handles = new();

    public int Connect(uint localAddress, uint remoteAddress, int ttl, long nowMs)
    {
        LastTtl = ttl;
        return net.Connect(this, remoteAddress);
    }

    public int LastTtl;
    public int SendSpace(int handle) => Handles.ContainsKey(handle) ? SendSpaceLimit : 0;
    public bool Send(int handle, byte[] buffer, int offset, int length) => net.Send(this, handle, buffer, offset, length);
    public void Close(int handle) => net.Close(this, handle);
    public bool IsConnected(int handle) => false;
    public uint LocalAddress(int handle) => Address;

    /// <summary>True when the Established connection of the session toward <paramref name="peer"/> was opened by us.</summary>
    public bool WeOpened(BgpSession s) => Handles.TryGetValue(s.EstablishedHandle, out var c) && c.IsOpener;
}

/// <summary>Collects log lines and route-sink calls.</summary>
public sealed class Recorder : IBgpLog, IBgpRouteSink, IBgpTextOutput
{
    public readonly List<string> Lines = new();
    public readonly Dictionary<(uint, int), uint[]> Routes = new();
    public int Changes;
    public readonly System.Text.StringBuilder Text = new();

    public void Write(long nowMs, bool warning, string line) => Lines.Add((warning ? "W " : "I ") + line);

    public void OnBestPathChanged(uint prefix, int length, uint[] nextHops, uint[] peerAddresses, int count)
    {
        Changes++;
        if (count == 0) Routes.Remove((prefix, length));
        else Routes[(prefix, length)] = nextHops.Take(count).ToArray();
    }

    public void Write(string text) => Text.Append(text);
}
