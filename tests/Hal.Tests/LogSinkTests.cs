using System.IO;
using VpnAppliance.Hal.Doubles;
using VpnAppliance.Hal.Host;

namespace VpnAppliance.Hal.Tests;

public sealed class LogSinkTests
{
    [Fact]
    public void MemorySinkKeepsTheLastLines()
    {
        var s = new MemoryLogSink(3);
        for (int i = 0; i < 5; i++)
        {
            s.Write(i * 10, LogLevel.Info, "ike", "line " + i);
        }

        Assert.Equal(3, s.Count);
        Assert.Equal(5, s.Total);
        Assert.Equal("line 2", s.MessageAt(0));
        Assert.Equal("line 4", s.MessageAt(2));
        Assert.Equal(40, s.TimeAt(2));
        Assert.Equal("ike", s.SubsystemAt(1));
        Assert.Equal(1, s.IndexOf("3"));
        Assert.Equal(-1, s.IndexOf("line 0"));
        Assert.Throws<System.ArgumentOutOfRangeException>(() => s.MessageAt(3));
    }

    [Fact]
    public void StderrSinkFormat()
    {
        var w = new StringWriter();
        var s = new StderrLogSink(w);
        s.Write(12_345, LogLevel.Info, "ike", "text");
        s.Write(5, LogLevel.Warning, "bgp", "x");
        s.Write(123_456_789, LogLevel.Error, "cfg", "y");
        Assert.Equal("[   12.345] info ike: text\n[    0.005] warn bgp: x\n[123456.789] error cfg: y\n", w.ToString().Replace("\r\n", "\n"));
    }
}
