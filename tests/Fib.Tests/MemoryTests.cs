using System;
using VpnAppliance.Core;
using VpnAppliance.Fib.Workloads;

namespace VpnAppliance.Fib.Tests;

/// <summary>Account methods describe exactly what the constructors allocate; the ESP32 profile fits its budget.</summary>
public class MemoryTests
{
    private const int HeaderSlack = 48;

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(1_000, 900, 9)]
    [InlineData(10_000, 12_000, 10)]
    [InlineData(100_000, 100_000, 13)]
    public void FibAccountMatchesAllocation(int routes, int nodes, int rootBits)
    {
        _ = new FibTable(1, 1, 1, null); // statics and JIT outside the measurement
        long before = GC.GetAllocatedBytesForCurrentThread();
        var fib = new FibTable(routes, nodes, rootBits, null);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var budget = new MemoryBudget();
        FibTable.Account(budget, routes, nodes, rootBits);
        Assert.InRange(allocated - budget.HostBytes, -HeaderSlack, HeaderSlack);
        GC.KeepAlive(fib);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(64, 8)]
    [InlineData(1_000, 16)]
    public void GroupTableAccountMatchesAllocation(int groups, int paths)
    {
        _ = new NextHopGroupTable(1, 1);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var t = new NextHopGroupTable(groups, paths);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var budget = new MemoryBudget();
        NextHopGroupTable.Account(budget, groups, paths);
        Assert.InRange(allocated - budget.HostBytes, -HeaderSlack, HeaderSlack);
        GC.KeepAlive(t);
    }

    [Fact]
    public void CapacitiesOverloadsAgree()
    {
        var c = new Capacities { Routes = 500, TrieNodes = 400, FibRootBits = 9, NextHopGroups = 32, PathsPerGroup = 8 };
        var a = new MemoryBudget();
        var b = new MemoryBudget();
        FibTable.Account(a, c);
        FibTable.Account(b, 500, 400, 9);
        Assert.Equal(b.NanoBytes, a.NanoBytes);
        NextHopGroupTable.Account(a, c);
        NextHopGroupTable.Account(b, 32, 8);
        Assert.Equal(b.HostBytes, a.HostBytes);
        var fib = new FibTable(c, new NextHopGroupTable(c));
        Assert.Equal(500, fib.RouteCapacity);
        Assert.Equal(400, fib.NodeCapacity);
    }
}
