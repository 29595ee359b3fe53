using System;
using System.Linq;
using VpnAppliance.Fib.Workloads;

namespace VpnAppliance.Fib.Tests;

/// <summary>
/// A refused insert leaves the table exactly as it was: with a trie arena far too small for the route capacity,
/// random inserts and deletes hit Full often; after every Full the enumeration and the counters are unchanged, and
/// the table keeps matching the naive reference.
/// </summary>
public class FullPoolTests
{
    [Theory]
    [InlineData(RouteMix.Bgp, 1, 5)]
    [InlineData(RouteMix.BgpUniformAddress, 2, 9)]
    [InlineData(RouteMix.UniformLength, 3, 13)]
    public void RefusedInsertsChangeNothing(RouteMix mix, int seed, int rootBits)
    {
        var gen = new RouteGenerator(mix, 3000, seed);
        var random = gen.Random;
        var fib = new FibTable(2000, 1, rootBits, null);   // arena: 3 + 2000 + 48 words, far less than 2000 routes need
        var reference = new ReferenceLpm();
        int fulls = 0;
        for (int op = 0; op < 8_000; op++)
        {
            if (random.Next(100) < 60 || reference.Count == 0)
            {
                var (p, l) = gen.Next();
                int g = random.Next(500);
                var before = Snapshot(fib);
                int words = fib.WordsInUse, nodes = fib.NodesInUse, count = fib.Count;
                var res = fib.Insert(p, l, g);
                if (res == FibResult.Full)
                {
                    fulls++;
                    Assert.False(reference.Contains(p, l));
                    Assert.Equal(before, Snapshot(fib));
                    Assert.Equal(words, fib.WordsInUse);
                    Assert.Equal(nodes, fib.NodesInUse);
                    Assert.Equal(count, fib.Count);
                }
                else
                {
                    Assert.Equal(FibResult.Ok, res);
                    reference.Set(p, l, g);
                }
            }
            else
            {
                var (p, l) = reference.Pick(random);
                Assert.Equal(FibResult.Ok, fib.Delete(p, l));
                reference.Remove(p, l);
            }

            uint key = gen.RandomUInt();
            Assert.Equal(reference.Lookup(key), fib.Lookup(key));
        }

        Assert.True(fulls > 100, $"only {fulls} refusals");
        Assert.Equal(fulls, fib.FullCount);
        Assert.True(fib.Compactions > 0);
        DifferentialTests.CompareAll(fib, reference);
    }

    private static string Snapshot(FibTable fib)
    {
        var v = new ListVisitor();
        fib.Enumerate(v);
        return string.Join(";", v.Routes.Select(r => $"{r.Prefix:x}/{r.Length}={r.Group}"));
    }
}
