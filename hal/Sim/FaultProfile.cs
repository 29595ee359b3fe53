namespace VpnAppliance.Hal.Sim;

/// <summary>
/// Fault probabilities of one link, each rolled independently per packet per traversal
/// (0 = never, 1 = always). Applied in this order: drop, corrupt, duplicate, reorder.
/// </summary>
public sealed class FaultProfile
{
    /// <summary>Probability that the packet is lost.</summary>
    public double Drop { get; set; }

    /// <summary>Probability that one byte of the packet is flipped (XOR with a non-zero value).</summary>
    public double Corrupt { get; set; }

    /// <summary>Probability that the packet arrives twice.</summary>
    public double Duplicate { get; set; }

    /// <summary>Probability that the packet is held back by <see cref="ReorderDelayMs"/> so later ones overtake it.</summary>
    public double Reorder { get; set; }

    /// <summary>Extra delay of a reordered packet (virtual ms, at least 1).</summary>
    public int ReorderDelayMs { get; set; } = 5;

    /// <summary>Extra delay of the second copy of a duplicated packet (virtual ms, 0 = same instant, after the first).</summary>
    public int DuplicateDelayMs { get; set; }

    /// <summary>True when any probability is non-zero.</summary>
    public bool Any => Drop > 0 || Corrupt > 0 || Duplicate > 0 || Reorder > 0;

    /// <summary>Sets every probability to 0.</summary>
    public void Clear()
    {
        Drop = 0;
        Corrupt = 0;
        Duplicate = 0;
        Reorder = 0;
    }
}
