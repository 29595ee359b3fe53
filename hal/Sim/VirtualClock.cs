using System;

namespace VpnAppliance.Hal.Sim;

/// <summary>
/// Simulated time: an <see cref="IClock"/> that moves only when the <see cref="Simulation"/>
/// advances it (to the next event or deadline), never on its own. Never goes backwards.
/// </summary>
public sealed class VirtualClock : IClock
{
    private long _nowMs;

    /// <summary>Creates a clock reading <paramref name="startMs"/>.</summary>
    public VirtualClock(long startMs = 0) => _nowMs = startMs;

    /// <summary>Current virtual time in milliseconds.</summary>
    public long NowMs => _nowMs;

    /// <summary>Moves time to <paramref name="timeMs"/>; a value in the past throws (a scheduler bug).</summary>
    public void AdvanceTo(long timeMs)
    {
        if (timeMs < _nowMs)
        {
            throw new ArgumentOutOfRangeException(nameof(timeMs), $"virtual time cannot go back from {_nowMs} to {timeMs}");
        }

        _nowMs = timeMs;
    }

    /// <summary>Moves time forward by <paramref name="deltaMs"/>.</summary>
    public void Advance(long deltaMs) => AdvanceTo(_nowMs + deltaMs);
}
