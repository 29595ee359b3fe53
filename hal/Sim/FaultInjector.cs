using System;
using VpnAppliance.Hal.Doubles;

namespace VpnAppliance.Hal.Sim;

/// <summary>What the fault injector did to one packet on one link.</summary>
[Flags]
public enum FaultAction
{
    /// <summary>Passed unchanged.</summary>
    None = 0,
    /// <summary>Lost.</summary>
    Drop = 1,
    /// <summary>One byte flipped.</summary>
    Corrupt = 2,
    /// <summary>Delivered twice.</summary>
    Duplicate = 4,
    /// <summary>Held back so that later packets overtake it.</summary>
    Reorder = 8,
}

/// <summary>
/// Seeded fault decisions. All randomness of a run comes from one SplitMix64 stream consumed in
/// the simulation's deterministic event order, so the same seed gives the same run, bit for bit.
/// Probabilities live on each <see cref="SimLink"/>; a zero probability consumes no randomness.
/// </summary>
public sealed class FaultInjector
{
    private readonly SeededEntropy _rng;

    /// <summary>Creates the injector for <paramref name="seed"/>.</summary>
    public FaultInjector(long seed)
    {
        Seed = seed;
        _rng = new SeededEntropy(seed);
    }

    /// <summary>The seed (print it with any failure so the run can be reproduced).</summary>
    public long Seed { get; }

    /// <summary>Uniform double in [0, 1) (53 random bits).</summary>
    public double NextDouble() => (_rng.Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, bound).</summary>
    public int NextInt(int bound) => bound <= 1 ? 0 : (int)(_rng.Next() % (ulong)bound);

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool Roll(double p) => p > 0 && (p >= 1 || NextDouble() < p);

    /// <summary>
    /// Decides the fate of a packet crossing <paramref name="link"/>; a corruption is applied to
    /// the bytes in place. Counts on the link.
    /// </summary>
    public FaultAction Decide(SimLink link, byte[] data, int offset, int length)
    {
        FaultProfile f = link.Faults;
        if (!f.Any)
        {
            return FaultAction.None;
        }

        if (Roll(f.Drop))
        {
            link.DroppedFault++;
            return FaultAction.Drop;
        }

        FaultAction action = FaultAction.None;
        if (length > 0 && Roll(f.Corrupt))
        {
            int at = NextInt(length);
            data[offset + at] ^= (byte)(1 + NextInt(255));
            link.Corrupted++;
            action |= FaultAction.Corrupt;
        }

        if (Roll(f.Duplicate))
        {
            link.Duplicated++;
            action |= FaultAction.Duplicate;
        }

        if (Roll(f.Reorder))
        {
            link.Reordered++;
            action |= FaultAction.Reorder;
        }

        return action;
    }
}
