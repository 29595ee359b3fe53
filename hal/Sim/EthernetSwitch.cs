using System;
using System.Collections.Generic;
using VpnAppliance.Hal.Doubles;

namespace VpnAppliance.Hal.Sim;

/// <summary>
/// A learning Ethernet switch (IEEE 802.1D transparent bridging, without spanning tree): each
/// attached <see cref="MemoryNetPort"/> hangs on its own <see cref="SimLink"/>. A frame leaving a
/// port crosses that link to the switch, which learns the source MAC and forwards to the port
/// that last sent from the destination MAC, or floods (broadcast, multicast, unknown unicast)
/// to every other port, across each receiver's link. Cutting a link drops the carrier of its
/// port (<see cref="INetPort.LinkUp"/> false) and restoring it raises it again.
/// </summary>
public sealed class EthernetSwitch : ISimFabric
{
    private readonly Simulation _sim;
    private readonly List<Attachment> _ports = new List<Attachment>();
    private readonly Dictionary<ulong, Attachment> _macTable = new Dictionary<ulong, Attachment>();

    internal EthernetSwitch(Simulation sim, string name)
    {
        _sim = sim;
        Name = name;
    }

    /// <summary>Name (prefix of its links' names).</summary>
    public string Name { get; }

    /// <summary>Frames shorter than an Ethernet header (14 bytes), dropped.</summary>
    public long DroppedRunts { get; private set; }

    /// <summary>Frames flooded to every other port.</summary>
    public long Flooded { get; private set; }

    /// <summary>
    /// Creates a port with MAC <paramref name="mac"/> (48 bits in the low bytes, e.g.
    /// 0x02_00_00_00_00_01) and connects it through a link of <paramref name="latencyMs"/>.
    /// </summary>
    public MemoryNetPort AddPort(string name, ulong mac, int latencyMs = 0, int rxCapacity = 64, int txCapacity = 64, int maxFrameLength = 1514)
    {
        byte[] m = new byte[6];
        for (int i = 0; i < 6; i++)
        {
            m[i] = (byte)(mac >> (40 - 8 * i));
        }

        var port = new MemoryNetPort(m, 0, rxCapacity, txCapacity, maxFrameLength);
        Connect(port, name, latencyMs);
        return port;
    }

    /// <summary>Connects an existing port through a new link; returns the link.</summary>
    public SimLink Connect(MemoryNetPort port, string name, int latencyMs = 0)
    {
        ArgumentNullException.ThrowIfNull(port);
        var link = new SimLink(Name + "/" + name, latencyMs);
        var a = new Attachment(port, link);
        link.StateChanged = up => port.SetLinkUp(up);
        _ports.Add(a);
        return link;
    }

    /// <summary>The link of an attached port.</summary>
    public SimLink LinkOf(MemoryNetPort port)
    {
        foreach (Attachment a in _ports)
        {
            if (a.Port == port)
            {
                return a.Link;
            }
        }

        throw new ArgumentException("port not attached to " + Name, nameof(port));
    }

    /// <summary>Forgets the learned MAC addresses.</summary>
    public void FlushMacTable() => _macTable.Clear();

    void ISimFabric.Pump()
    {
        byte[] scratch = _sim.Scratch;
        for (int p = 0; p < _ports.Count; p++)
        {
            Attachment a = _ports[p];
            int n;
            while ((n = a.Port.TakeSent(scratch, 0, scratch.Length)) >= 0)
            {
                n = Math.Min(n, scratch.Length);
                a.Link.Capture?.WritePacket(_sim.NowMs, scratch, 0, n);
                _sim.Log(a.Link, "tx", scratch, n);
                _sim.Transmit(a.Link, this, SimEventKind.ToCore, scratch, n, a, null, 0, 0, 0, 0);
            }
        }
    }

    void ISimFabric.Handle(ref SimEvent e, byte[] data)
    {
        var from = (Attachment)e.From;
        if (e.Kind == SimEventKind.ToCore)
        {
            if (!from.Link.Up)
            {
                // Cut while the frame was on the wire.
                from.Link.DroppedCut++;
                _sim.Log(from.Link, "drop-cut", data, e.Length);
                return;
            }

            from.Link.Delivered++;
            if (e.Length < 14)
            {
                DroppedRunts++;
                return;
            }

            ulong src = Mac(data, 6);
            if ((data[6] & 1) == 0)
            {
                _macTable[src] = from;
            }

            ulong dst = Mac(data, 0);
            if ((data[0] & 1) == 0 && _macTable.TryGetValue(dst, out Attachment to))
            {
                if (to != from)
                {
                    _sim.Transmit(to.Link, this, SimEventKind.ToNode, data, e.Length, from, to, 0, 0, 0, 0);
                }

                return;
            }

            Flooded++;
            for (int p = 0; p < _ports.Count; p++)
            {
                Attachment other = _ports[p];
                if (other != from)
                {
                    _sim.Transmit(other.Link, this, SimEventKind.ToNode, data, e.Length, from, other, 0, 0, 0, 0);
                }
            }

            return;
        }

        var target = (Attachment)e.To;
        if (!target.Link.Up)
        {
            target.Link.DroppedCut++;
            _sim.Log(target.Link, "drop-cut", data, e.Length);
            return;
        }

        if (target.Port.Inject(data, 0, e.Length))
        {
            target.Link.Delivered++;
            target.Link.Capture?.WritePacket(_sim.NowMs, data, 0, e.Length);
            _sim.Log(target.Link, "rx", data, e.Length);
        }
        else
        {
            target.Link.DroppedAtReceiver++;
            _sim.Log(target.Link, "drop-receiver", data, e.Length);
        }
    }

    private static ulong Mac(byte[] b, int o) =>
        (ulong)b[o] << 40 | (ulong)b[o + 1] << 32 | (ulong)b[o + 2] << 24 | (ulong)b[o + 3] << 16 | (ulong)b[o + 4] << 8 | b[o + 5];

    private sealed class Attachment
    {
        public Attachment(MemoryNetPort port, SimLink link)
        {
            Port = port;
            Link = link;
        }

        public MemoryNetPort Port { get; }

        public SimLink Link { get; }
    }
}
