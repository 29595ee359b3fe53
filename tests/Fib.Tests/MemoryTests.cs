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

/// <summary>The ESP32-without-PSRAM profile: 1,000 BGP-like routes in at most 16 KB of nanoFramework heap.</summary>
public class Esp32BudgetTests
{
    [Fact]
    public void ThousandBgpLikeRoutesFitSixteenKilobytes()
    {
        const int Routes = 1000;
        int rootBits = FibSizing.RootBitsFor(Routes);
        var gen = new RouteGenerator(RouteMix.Bgp, Routes, 2024);
        var seen = new System.Collections.Generic.HashSet<(uint, int)>();
        var routes = new System.Collections.Generic.List<(uint, int)>();
        while (routes.Count < Routes)
        {
            var r = gen.Next();
            if (seen.Add(r))
            {
                routes.Add(r);
            }
        }

        // Sized as a board would be: FibSizing.TrieNodesFor (0.4 x routes + 64), not tuned to this table.
        var caps = new Capacities { Routes = Routes, TrieNodes = FibSizing.TrieNodesFor(Routes), FibRootBits = rootBits };
        var fib = new FibTable(caps, null);
        foreach (var (p, l) in routes)
        {
            Assert.Equal(FibResult.Ok, fib.Insert(p, l, 1));
        }

        Assert.Equal(Routes, fib.Count);
        var budget = new MemoryBudget();
        FibTable.Account(budget, caps);
        Assert.True(budget.NanoBytes <= 16 * 1024, $"nano {budget.NanoBytes} bytes");

        // The same check for the tables built by other seeds: the sizing rule holds them too.
        for (int seed = 1; seed <= 5; seed++)
        {
            var g = new RouteGenerator(RouteMix.Bgp, Routes, seed);
            var t = new FibTable(caps, null);
            while (t.Count < Routes)
            {
                var (p, l) = g.Next();
                Assert.Equal(FibResult.Ok, t.Insert(p, l, 2));
            }
        }
    }
}
