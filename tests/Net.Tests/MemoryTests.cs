using Xunit.Abstractions;
using VpnAppliance.Core;
using VpnAppliance.Fib;
using VpnAppliance.Hal.Doubles;

namespace VpnAppliance.Net.Tests;

/// <summary>Router.Account describes exactly what the constructor allocates (for the board budget tool).</summary>
public class MemoryTests
{
    private const int HeaderSlack = 64;

    [Theory]
    [InlineData(4, 2, 16, 1664)]
    [InlineData(64, 4, 64, 2048)]
    [InlineData(256, 8, 200, 9216)]
    public void AccountMatchesAllocation(int arpEntries, int tunnels, int packetBuffers, int bufferSize)
    {
        var c = new Capacities { ArpEntries = arpEntries, Tunnels = tunnels, PacketBuffers = packetBuffers, PacketBufferSize = bufferSize, NextHopGroups = 2, PathsPerGroup = 2 };
        var pool = new PacketPool(packetBuffers, bufferSize);
        var lan = new MemoryNetPort(new byte[6], 0, 1, 1, 1514);
        var groups = new NextHopGroupTable(c);
        var fib = new FibTable(16, 16, 5, groups);
        _ = new Router(c, pool, lan, fib, groups);   // statics and JIT outside the measurement
        long before = GC.GetAllocatedBytesForCurrentThread();
        var router = new Router(c, pool, lan, fib, groups);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var budget = new MemoryBudget();
        Router.Account(budget, c);
        Assert.InRange(allocated - budget.HostBytes, -HeaderSlack, HeaderSlack);
        GC.KeepAlive(router);
    }
}

/// <summary>The router's static memory under the nanoFramework model for the board profiles' capacities.</summary>
public class BoardMemoryTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("wt32-eth01", 16, 4, 16, 1664, 6_000)]
    [InlineData("esp32-ethernet-kit", 64, 4, 64, 1664, 8_000)]
    [InlineData("stm32f769i-disco", 128, 8, 256, 1664, 12_000)]
    public void RouterFitsSmallBoards(string board, int arpEntries, int tunnels, int packetBuffers, int bufferSize, int limit)
    {
        var budget = new MemoryBudget();
        Router.Account(budget, new Capacities { ArpEntries = arpEntries, Tunnels = tunnels, PacketBuffers = packetBuffers, PacketBufferSize = bufferSize });
        output.WriteLine($"router {board}: nano={budget.NanoBytes} host={budget.HostBytes}");
        Assert.InRange(budget.NanoBytes, 1, limit);
    }
}
