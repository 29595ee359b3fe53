using System;
using VpnAppliance.Fib.Workloads;

namespace VpnAppliance.Fib.Tests;

/// <summary>Steady state allocates nothing: lookups, inserts/deletes (with compactions), ECMP selection, enumeration.</summary>
public class AllocationTests
{
    private sealed class CountingVisitor : IFibVisitor
    {
        public int Seen;

        public bool Visit(uint prefix, int length, int group)
        {
            Seen++;
            return true;
        }
    }

    [Fact]
    public void LookupsInsertsDeletesAndSelectionAllocateNothing()
    {
        const int Routes = 5_000;
        var gen = new RouteGenerator(RouteMix.Bgp, Routes, 11);
        var groups = new NextHopGroupTable(16, 8);
        int g0 = groups.Create();
        int g1 = groups.Create();
        groups.AddMember(g0, 1, 1, 1);
        groups.AddMember(g0, 2, 2, 3);

        // Nodes sized tightly so that inserts run into holes and compactions happen inside the measured loop.
        var probe = new FibTable(Routes, Routes * 8, 10, null);
        var prefixes = new uint[Routes * 2];
        var lengths = new int[Routes * 2];
        for (int i = 0; i < prefixes.Length; i++)
        {
            (prefixes[i], lengths[i]) = gen.Next();
        }

        for (int i = 0; i < Routes; i++)
        {
            probe.Insert(prefixes[i], lengths[i], 0);
        }

        var fib = new FibTable(Routes * 2, probe.NodesInUse + probe.NodesInUse / 8, 10, groups);
        var keys = new uint[100_000];
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = gen.RandomUInt();
        }

        var visitor = new CountingVisitor();

        // Warm-up: every code path once (JIT, statics).
        RunMix(fib, prefixes, lengths, g0, g1, 2_000);
        Lookups(fib, keys, groups);
        fib.Enumerate(visitor);
        fib.Compact();

        long before = GC.GetAllocatedBytesForCurrentThread();
        long sink = Lookups(fib, keys, groups);
        int compactionsBefore = fib.Compactions;
        RunMix(fib, prefixes, lengths, g0, g1, 10_000);
        fib.Enumerate(visitor);
        fib.Compact();
        long after = GC.GetAllocatedBytesForCurrentThread();

        Assert.Equal(before, after);
        Assert.True(sink != 0);
        Assert.True(visitor.Seen > 0);
        Assert.True(fib.Compactions > compactionsBefore + 1, "the measured loop should include compactions");
    }

    private static void RunMix(FibTable fib, uint[] prefixes, int[] lengths, int g0, int g1, int ops)
    {
        for (int i = 0; i < ops; i++)
        {
            int k = (i * 7919) % prefixes.Length;
            if ((i & 3) != 3)
            {
                fib.Insert(prefixes[k], lengths[k], (i & 1) == 0 ? g0 : g1);
            }
            else
            {
                fib.Delete(prefixes[k], lengths[k]);
            }
        }
    }

    private static long Lookups(FibTable fib, uint[] keys, NextHopGroupTable groups)
    {
        long sum = 0;
        for (int i = 0; i < keys.Length; i++)
        {
            int g = fib.Lookup(keys[i]);
            sum += g;
            if (g >= 0)
            {
                sum += groups.Select(g, FlowHash.Compute(keys[i], 0x0A000001, 6, i & 0xFFFF, 443));
            }
        }

        return sum;
    }
}
