using VpnAppliance.Core;
using VpnAppliance.Hal;

namespace VpnAppliance.Tests.Core;

public class PacketPoolTests
{
    [Fact]
    public void AllocatesEveryBufferOnceThenReportsFull()
    {
        var pool = new PacketPool(4, 128);
        var got = new HashSet<int>();
        for (int i = 0; i < 4; i++)
        {
            int b = pool.Allocate();
            Assert.InRange(b, 0, 3);
            Assert.True(got.Add(b));
        }

        Assert.Equal(PacketPool.Full, pool.Allocate());
        Assert.Equal(1, pool.FullCount);
        Assert.Equal(4, pool.InUse);
        Assert.True(pool.Release(2));
        Assert.Equal(2, pool.Allocate());
        Assert.Equal(384, pool.Offset(3));
        Assert.Equal(512, pool.Data.Length);
    }

    [Fact]
    public void DoubleFreeAndBadIndexAreRefusedAndCounted()
    {
        var pool = new PacketPool(2, 64);
        int b = pool.Allocate();
        Assert.True(pool.Release(b));
        Assert.False(pool.Release(b));
        Assert.False(pool.Release(-1));
        Assert.False(pool.Release(2));
        Assert.Equal(3, pool.DoubleFreeCount);
        Assert.Equal(0, pool.InUse);
        Assert.NotEqual(PacketPool.Full, pool.Allocate());
        Assert.NotEqual(PacketPool.Full, pool.Allocate());
        Assert.Equal(PacketPool.Full, pool.Allocate());
    }
}

public class LogRingTests
{
    private sealed class Sink : ILogSink
    {
        public readonly List<string> Lines = new();

        public void Write(long nowMs, LogLevel level, string subsystem, string message) => Lines.Add($"{nowMs} {level} {subsystem} {message}");
    }

    [Fact]
    public void KeepsTheNewestLinesAndForwardsEveryLine()
    {
        var sink = new Sink();
        var ring = new LogRing(3, sink);
        for (int i = 1; i <= 5; i++)
        {
            ring.Write(i * 1000 + 5, LogLevel.Info, "ike", "line " + i);
        }

        Assert.Equal(3, ring.Count);
        Assert.Equal(5, ring.Total);
        Assert.Equal(new[] { "line 3", "line 4", "line 5" }, Enumerable.Range(0, 3).Select(ring.Message));
        Assert.Equal(5, sink.Lines.Count);
        Assert.Equal("     [3.005] info ike: line 3", ring.Format(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ring.Format(3));
    }

    [Theory]
    [InlineData(0L, LogLevel.Error, "     [0.000] err  bgp: x")]
    [InlineData(123456789L, LogLevel.Warning, "[123456.789] warn bgp: x")]
    [InlineData(1L, LogLevel.Debug, "     [0.001] dbg  bgp: x")]
    public void FormatsLines(long now, LogLevel level, string expected)
    {
        Assert.Equal(expected, LogRing.FormatLine(now, level, "bgp", "x"));
    }
}
