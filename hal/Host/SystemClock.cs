using System.Diagnostics;

namespace VpnAppliance.Hal.Host;

/// <summary>
/// Monotonic milliseconds from <see cref="Stopwatch"/> (CLOCK_MONOTONIC on Linux), counted from
/// construction plus an optional start value. Unaffected by wall-clock changes.
/// </summary>
public sealed class SystemClock : IClock
{
    private readonly long _origin;
    private readonly long _startMs;

    /// <summary>Creates a clock that reads <paramref name="startMs"/> now.</summary>
    public SystemClock(long startMs = 0)
    {
        _origin = Stopwatch.GetTimestamp();
        _startMs = startMs;
    }

    /// <summary>Milliseconds since construction plus the start value.</summary>
    public long NowMs
    {
        get
        {
            long ticks = Stopwatch.GetTimestamp() - _origin;
            long f = Stopwatch.Frequency;
            // Split to avoid overflowing ticks * 1000 on a nanosecond timer after ~106 days.
            return _startMs + (ticks / f) * 1000 + (ticks % f) * 1000 / f;
        }
    }
}
