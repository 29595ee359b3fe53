using System.Collections.Generic;
using VpnAppliance.Hal.Doubles;

namespace VpnAppliance.Hal.Sim;

/// <summary>
/// One IPv4 address on a <see cref="UdpNetwork"/> (an appliance's WAN interface, a cloud gateway,
/// a virtual host) with its uplink and the UDP ports created on it. Ports bind on this address
/// (or 0.0.0.0, meaning this address).
/// </summary>
public sealed class UdpHost
{
    internal readonly List<MemoryUdpPort> Ports = new List<MemoryUdpPort>();
    internal readonly Dictionary<int, MemoryUdpPort> Bound = new Dictionary<int, MemoryUdpPort>();
    internal int NextEphemeral = MemoryUdpPort.FirstEphemeralPort;
    private readonly UdpNetwork _network;

    internal UdpHost(UdpNetwork network, string name, uint address, SimLink link)
    {
        _network = network;
        Name = name;
        Address = address;
        Link = link;
    }

    /// <summary>Name (used in the link name).</summary>
    public string Name { get; }

    /// <summary>IPv4 address, host order.</summary>
    public uint Address { get; }

    /// <summary>The uplink between this host and the network core.</summary>
    public SimLink Link { get; }

    /// <summary>Datagrams that arrived for a port nobody had bound (a real stack would answer ICMP port unreachable).</summary>
    public long DroppedNoListener { get; internal set; }

    /// <summary>Creates an unbound port on this host; bind it through <see cref="IUdpPort.Bind"/>.</summary>
    public MemoryUdpPort CreatePort(int rxCapacity = 64, int txCapacity = 64, int maxDatagramLength = 2048)
    {
        var port = new MemoryUdpPort(rxCapacity, txCapacity, maxDatagramLength, _network);
        Ports.Add(port);
        _network.Own(port, this);
        return port;
    }

    /// <inheritdoc/>
    public override string ToString() => Name + " " + new UdpEndpoint(Address, 0).ToString();
}
