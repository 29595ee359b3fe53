using System;
using System.Collections.Generic;
using VpnAppliance.Hal.Doubles;

namespace VpnAppliance.Hal.Sim;

/// <summary>
/// A routed IPv4 network carrying UDP between hosts (think: the Internet between a branch and
/// its cloud gateways). A datagram sent from host A to B:port crosses A's uplink (latency,
/// faults, cut), then B's uplink, and is delivered to the port bound on B at that UDP port, with
/// A's address and the sending port as source. No NAT, no fragmentation, no ICMP.
/// Binding rules (as a socket stack): one port per address:port, address 0 or the host's own,
/// port 0 takes the next free ephemeral port from 49152 (RFC 6335 §6).
/// </summary>
public sealed class UdpNetwork : ISimFabric, IUdpBindRegistry
{
    private readonly Simulation _sim;
    private readonly List<UdpHost> _hosts = new List<UdpHost>();
    private readonly Dictionary<uint, UdpHost> _byAddress = new Dictionary<uint, UdpHost>();
    private readonly Dictionary<MemoryUdpPort, UdpHost> _owner = new Dictionary<MemoryUdpPort, UdpHost>();
    private readonly UdpEndpoint _destination = new UdpEndpoint();

    internal UdpNetwork(Simulation sim, string name)
    {
        _sim = sim;
        Name = name;
    }

    /// <summary>Name (prefix of its links' names).</summary>
    public string Name { get; }

    /// <summary>Datagrams to an address no host has.</summary>
    public long DroppedNoRoute { get; private set; }

    /// <summary>Adds a host at <paramref name="address"/> (host order) with an uplink of <paramref name="latencyMs"/>.</summary>
    public UdpHost AddHost(string name, uint address, int latencyMs = 0)
    {
        if (address == 0 || _byAddress.ContainsKey(address))
        {
            throw new ArgumentException($"address {new UdpEndpoint(address, 0)} is 0 or already used", nameof(address));
        }

        var host = new UdpHost(this, name, address, new SimLink(Name + "/" + name, latencyMs));
        _hosts.Add(host);
        _byAddress.Add(address, host);
        return host;
    }

    /// <summary>The host owning <paramref name="address"/>, or null.</summary>
    public UdpHost HostAt(uint address) => _byAddress.TryGetValue(address, out UdpHost h) ? h : null;

    /// <summary>Parses a dotted quad into a host-order address (test convenience).</summary>
    public static uint Address(string dotted)
    {
        string[] parts = dotted.Split('.');
        if (parts.Length != 4)
        {
            throw new FormatException(dotted);
        }

        uint a = 0;
        foreach (string p in parts)
        {
            a = (a << 8) | byte.Parse(p, System.Globalization.CultureInfo.InvariantCulture);
        }

        return a;
    }

    internal void Own(MemoryUdpPort port, UdpHost host) => _owner.Add(port, host);

    PortResult IUdpBindRegistry.Register(MemoryUdpPort port, uint localAddress, int localPort, UdpEndpoint resolved)
    {
        if (!_owner.TryGetValue(port, out UdpHost host))
        {
            return PortResult.Invalid;
        }

        if (localAddress != 0 && localAddress != host.Address)
        {
            return PortResult.AddressInUse; // not an address of this host
        }

        if (localPort == 0)
        {
            for (int tries = 0; tries < 16384 && localPort == 0; tries++)
            {
                int candidate = host.NextEphemeral;
                host.NextEphemeral = candidate == 65535 ? MemoryUdpPort.FirstEphemeralPort : candidate + 1;
                if (!host.Bound.ContainsKey(candidate))
                {
                    localPort = candidate;
                }
            }

            if (localPort == 0)
            {
                return PortResult.AddressInUse;
            }
        }
        else if (host.Bound.ContainsKey(localPort))
        {
            return PortResult.AddressInUse;
        }

        host.Bound.Add(localPort, port);
        resolved.Set(localAddress, localPort);
        return PortResult.Ok;
    }

    void IUdpBindRegistry.Unregister(MemoryUdpPort port)
    {
        if (_owner.TryGetValue(port, out UdpHost host) && host.Bound.TryGetValue(port.LocalPort, out MemoryUdpPort p) && p == port)
        {
            host.Bound.Remove(port.LocalPort);
        }
    }

    void ISimFabric.Pump()
    {
        byte[] scratch = _sim.Scratch;
        for (int h = 0; h < _hosts.Count; h++)
        {
            UdpHost host = _hosts[h];
            for (int p = 0; p < host.Ports.Count; p++)
            {
                MemoryUdpPort port = host.Ports[p];
                int n;
                while ((n = port.TakeSent(scratch, 0, scratch.Length, _destination)) >= 0)
                {
                    n = Math.Min(n, scratch.Length);
                    host.Link.Capture?.WriteUdp(_sim.NowMs, host.Address, port.LocalPort, _destination.Address, _destination.Port, scratch, 0, n);
                    _sim.Log(host.Link, "tx", scratch, n);
                    _sim.Transmit(host.Link, this, SimEventKind.ToCore, scratch, n, host, null,
                        host.Address, port.LocalPort, _destination.Address, _destination.Port);
                }
            }
        }
    }

    void ISimFabric.Handle(ref SimEvent e, byte[] data)
    {
        if (e.Kind == SimEventKind.ToCore)
        {
            var from = (UdpHost)e.From;
            if (!from.Link.Up)
            {
                from.Link.DroppedCut++;
                _sim.Log(from.Link, "drop-cut", data, e.Length);
                return;
            }

            from.Link.Delivered++;
            if (!_byAddress.TryGetValue(e.DestinationAddress, out UdpHost to))
            {
                DroppedNoRoute++;
                _sim.Log(from.Link, "drop-noroute", data, e.Length);
                return;
            }

            _sim.Transmit(to.Link, this, SimEventKind.ToNode, data, e.Length, from, to,
                e.SourceAddress, e.SourcePort, e.DestinationAddress, e.DestinationPort);
            return;
        }

        var target = (UdpHost)e.To;
        if (!target.Link.Up)
        {
            target.Link.DroppedCut++;
            _sim.Log(target.Link, "drop-cut", data, e.Length);
            return;
        }

        if (target.Bound.TryGetValue(e.DestinationPort, out MemoryUdpPort port) &&
            port.Inject(data, 0, e.Length, e.SourceAddress, e.SourcePort))
        {
            target.Link.Delivered++;
            target.Link.Capture?.WriteUdp(_sim.NowMs, e.SourceAddress, e.SourcePort, e.DestinationAddress, e.DestinationPort, data, 0, e.Length);
            _sim.Log(target.Link, "rx", data, e.Length);
            return;
        }

        if (port == null)
        {
            target.DroppedNoListener++;
        }

        target.Link.DroppedAtReceiver++;
        _sim.Log(target.Link, "drop-receiver", data, e.Length);
    }
}
