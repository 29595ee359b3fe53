using System;
using System.Collections.Generic;
using VpnAppliance.Core;

namespace VpnAppliance.Fib.Workloads;

/// <summary>
/// A measured FIB setup: a route set, a table sized tightly for it, and key streams. Sizing rule: the trie's
/// shape depends only on the route set, so the words a table needs are the words the built table uses. The arena
/// is FibSizing.WordsFor(routes, nodes) = 3 * nodes + routes + PeakWords; the tight node count is the smallest
/// with 3 * nodes + routes >= words used (leaves and packed results make the per-route share below one word,
/// which this rule credits to the node count). Routes = the route count.
/// </summary>
public sealed class FibWorkload
{
    public readonly int Routes;
    public readonly int RootBits;
    public readonly uint[] Prefixes;
    public readonly int[] Lengths;
    public readonly int[] Groups;
    public readonly int Nodes;
    public readonly int FullNodes;
    public readonly int Words;
    public readonly uint[] RandomKeys;
    public readonly uint[] TraceKeys;

    public FibWorkload(int routes, RouteMix mix, int rootBits, int seed, int keys)
    {
        Routes = routes;
        RootBits = rootBits;
        var gen = new RouteGenerator(mix, routes, seed);
        var seen = new HashSet<ulong>();
        Prefixes = new uint[routes];
        Lengths = new int[routes];
        Groups = new int[routes];
        for (int i = 0; i < routes;)
        {
            var (p, l) = gen.Next();
            if (seen.Add((ulong)p << 8 | (uint)l))
            {
                Prefixes[i] = p;
                Lengths[i] = l;
                Groups[i] = gen.Random.Next(64);
                i++;
            }
        }

        var probe = new FibTable(routes, routes * 3 + 64, rootBits, null);
        Fill(probe);
        Nodes = Math.Max(1, (probe.WordsInUse - routes + 2) / 3);
        FullNodes = probe.NodesInUse;
        Words = probe.WordsInUse;

        RandomKeys = new uint[keys];
        for (int i = 0; i < keys; i++)
        {
            RandomKeys[i] = gen.RandomUInt();
        }

        TraceKeys = LocalityTrace(gen, keys);
    }

    /// <summary>A table with capacities sized tightly for this route set (empty).</summary>
    public FibTable NewTable() => new FibTable(Routes, Nodes, RootBits, null);

    /// <summary>Inserts every route; throws if any is refused.</summary>
    public void Fill(FibTable fib)
    {
        for (int i = 0; i < Routes; i++)
        {
            var r = fib.Insert(Prefixes[i], Lengths[i], Groups[i]);
            if (r != FibResult.Ok)
            {
                throw new InvalidOperationException($"insert {i} -> {r}");
            }
        }
    }

    /// <summary>Static bytes of the table's arrays under the nanoFramework and the CoreCLR cost models.</summary>
    public (long Nano, long Host) StaticBytes()
    {
        var b = new MemoryBudget();
        FibTable.Account(b, Routes, Nodes, RootBits);
        return (b.NanoBytes, b.HostBytes);
    }

    /// <summary>
    /// Locality trace: 4,096 destinations, each a random host inside a random route of the table; the trace
    /// draws destination i with probability proportional to 1/(i+1) (Zipf, s = 1), the usual model of flow
    /// popularity in packet traces.
    /// </summary>
    private uint[] LocalityTrace(RouteGenerator gen, int keys)
    {
        const int Destinations = 4096;
        var dest = new uint[Destinations];
        for (int i = 0; i < Destinations; i++)
        {
            int r = gen.Random.Next(Routes);
            int l = Lengths[r];
            dest[i] = l == 32 ? Prefixes[r] : Prefixes[r] | (gen.RandomUInt() >> l);
        }

        var cdf = new double[Destinations];
        double sum = 0;
        for (int i = 0; i < Destinations; i++)
        {
            sum += 1.0 / (i + 1);
            cdf[i] = sum;
        }

        var trace = new uint[keys];
        for (int i = 0; i < keys; i++)
        {
            double u = gen.Random.NextDouble() * sum;
            int idx = Array.BinarySearch(cdf, u);
            if (idx < 0)
            {
                idx = ~idx;
            }

            trace[i] = dest[Math.Min(idx, Destinations - 1)];
        }

        return trace;
    }
}
