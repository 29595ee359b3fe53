using System;

namespace VpnAppliance.Hal.Sim;

/// <summary>
/// Something the simulation polls, like an appliance's event loop: it does its work at
/// <paramref name="nowMs"/> and returns its next deadline (<see cref="long.MaxValue"/> = none).
/// </summary>
public interface ISimNode
{
    /// <summary>Does the work due at <paramref name="nowMs"/>; returns the next deadline.</summary>
    long Poll(long nowMs);
}

/// <summary>An <see cref="ISimNode"/> from a delegate (for tests and small virtual hosts).</summary>
public sealed class DelegateNode : ISimNode
{
    private readonly Func<long, long> _poll;

    /// <summary>Wraps <paramref name="poll"/>.</summary>
    public DelegateNode(Func<long, long> poll) => _poll = poll ?? throw new ArgumentNullException(nameof(poll));

    /// <summary>Calls the delegate.</summary>
    public long Poll(long nowMs) => _poll(nowMs);
}
