using VpnAppliance.Hal.Doubles;
using VpnAppliance.Hal.Host;
using VpnAppliance.Hal.Sim;

namespace VpnAppliance.Hal.Tests;

/// <summary>IClock contract: monotonic non-decreasing.</summary>
public abstract class ClockContractTests
{
    protected abstract IClock Create();

    /// <summary>Lets time pass in the implementation's own way (manual advance or real time).</summary>
    protected abstract void LetTimePass(IClock clock);

    [Fact]
    public void NeverGoesBackwards()
    {
        IClock clock = Create();
        long last = clock.NowMs;
        for (int i = 0; i < 1000; i++)
        {
            if (i % 100 == 0)
            {
                LetTimePass(clock);
            }

            long now = clock.NowMs;
            Assert.True(now >= last, $"{now} < {last}");
            last = now;
        }
    }
}

public sealed class ManualClockContractTests : ClockContractTests
{
    protected override IClock Create() => new ManualClock(1000);

    protected override void LetTimePass(IClock clock) => ((ManualClock)clock).Advance(7);

    [Fact]
    public void AdvanceAndSetMoveExactly()
    {
        var c = new ManualClock(5);
        c.Advance(10);
        Assert.Equal(15, c.NowMs);
        c.Set(100);
        Assert.Equal(100, c.NowMs);
        Assert.Throws<System.ArgumentOutOfRangeException>(() => c.Set(99));
        Assert.Throws<System.ArgumentOutOfRangeException>(() => c.Advance(-1));
    }
}

public sealed class SystemClockContractTests : ClockContractTests
{
    protected override IClock Create() => new SystemClock(1000);

    protected override void LetTimePass(IClock clock) => System.Threading.Thread.Yield();

    [Fact]
    public void StartsAtTheGivenValue()
    {
        var c = new SystemClock(50_000);
        Assert.InRange(c.NowMs, 50_000, 50_000 + 60_000);
    }
}

public sealed class VirtualClockContractTests : ClockContractTests
{
    protected override IClock Create() => new VirtualClock(1000);

    protected override void LetTimePass(IClock clock) => ((VirtualClock)clock).Advance(3);

    [Fact]
    public void RefusesToGoBack()
    {
        var c = new VirtualClock(10);
        c.AdvanceTo(20);
        Assert.Throws<System.ArgumentOutOfRangeException>(() => c.AdvanceTo(19));
        Assert.Equal(20, c.NowMs);
    }
}
