namespace VpnAppliance.Hal.Sim;

/// <summary>
/// The wire between one node port and the network core (a switch port or a UDP host's uplink):
/// latency in virtual ms, up/down state, fault profile, counters and an optional pcap capture.
/// A packet crosses two links (sender's, then receiver's), so end-to-end latency is their sum.
/// </summary>
public sealed class SimLink
{
    internal SimLink(string name, int latencyMs)
    {
        Name = name;
        LatencyMs = latencyMs;
    }

    /// <summary>Name used in the delivery log ("lan/appliance-a").</summary>
    public string Name { get; }

    /// <summary>One-way latency of this link in virtual ms.</summary>
    public int LatencyMs { get; set; }

    /// <summary>False while the link is cut: everything crossing it (including in flight) is lost.</summary>
    public bool Up { get; private set; } = true;

    /// <summary>Fault probabilities applied to every packet crossing this link.</summary>
    public FaultProfile Faults { get; } = new FaultProfile();

    /// <summary>When set, packets leaving and entering the node through this link are written here.</summary>
    public PcapWriter Capture { get; set; }

    /// <summary>Packets that entered the link.</summary>
    public long Packets { get; internal set; }

    /// <summary>Packets handed to the far side.</summary>
    public long Delivered { get; internal set; }

    /// <summary>Packets lost because the link was cut.</summary>
    public long DroppedCut { get; internal set; }

    /// <summary>Packets lost by the fault injector.</summary>
    public long DroppedFault { get; internal set; }

    /// <summary>Packets corrupted by the fault injector.</summary>
    public long Corrupted { get; internal set; }

    /// <summary>Packets duplicated by the fault injector.</summary>
    public long Duplicated { get; internal set; }

    /// <summary>Packets delayed for reordering by the fault injector.</summary>
    public long Reordered { get; internal set; }

    /// <summary>Packets the receiver refused (ring full, no socket bound on the port).</summary>
    public long DroppedAtReceiver { get; internal set; }

    /// <summary>Called when the state changes (an Ethernet link drives its port's carrier).</summary>
    internal System.Action<bool> StateChanged { get; set; }

    /// <summary>Cuts the link (cable pulled, path black-holed).</summary>
    public void Cut()
    {
        if (!Up)
        {
            return;
        }

        Up = false;
        StateChanged?.Invoke(false);
    }

    /// <summary>Restores a cut link.</summary>
    public void Restore()
    {
        if (Up)
        {
            return;
        }

        Up = true;
        StateChanged?.Invoke(true);
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
