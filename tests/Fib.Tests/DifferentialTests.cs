using System;
using VpnAppliance.Fib.Workloads;

namespace VpnAppliance.Fib.Tests;

/// <summary>
/// Randomized differential test against <see cref="ReferenceLpm"/>: inserts, replaces, deletes (of present and
/// missing prefixes) and lookups interleaved, several seeds, target sizes 1..100,000, three route mixes. After
/// every change one lookup is compared (half on a random address, half inside a live prefix), and the whole
/// table is compared by enumeration at checkpoints and at the end.
/// </summary>
public class DifferentialTests
{
    public static TheoryData<RouteMix, int, int, int> Cases()
    {
        var data = new TheoryData<RouteMix, int, int, int>();
        int[] seeds = { 1, 2, 3 };
        foreach (RouteMix mix in Enum.GetValues<RouteMix>())
        {
            foreach (int seed in seeds)
            {
                foreach (int size in new[] { 1, 40, 2_000, 100_000 })
                {
                    // Root widths: one aligned with /24 (8), two not (10, 13); 1 exercises the tiny-root edge.
                    int rootBits = size == 1 ? 1 : (seed == 1 ? 8 : seed == 2 ? 10 : 13);
                    data.Add(mix, seed, size, rootBits);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesNaiveLpm(RouteMix mix, int seed, int size, int rootBits)
    {
        var gen = new RouteGenerator(mix, size, seed * 7919 + size);
        var random = gen.Random;
        // Route capacity exactly the target size (so inserts beyond it must be Full); nodes generous so only the
        // route limit refuses here (the tight node pool has its own test).
        var fib = new FibTable(size, size * 6 + 64, rootBits, null);
        var reference = new ReferenceLpm();
        int ops = Math.Max(100_000, size * 3);
        int checkpoint = Math.Max(ops / 5, 1);
        int fulls = 0;
        for (int op = 0; op < ops; op++)
        {
            int r = random.Next(100);
            bool growing = reference.Count < size;
            if (r < (growing ? 65 : 45))
            {
                var (p, l) = gen.Next();
                int g = random.Next(1000);
                bool existed = reference.Contains(p, l);
                var res = fib.Insert(p, l, g);
                if (!existed && reference.Count >= size)
                {
                    Assert.Equal(FibResult.Full, res);
                    fulls++;
                }
                else
                {
                    Assert.Equal(FibResult.Ok, res);
                    reference.Set(p, l, g);
                }
            }
            else if (r < 90 && reference.Count > 0)
            {
                var (p, l) = reference.Pick(random);
                Assert.Equal(FibResult.Ok, fib.Delete(p, l));
                reference.Remove(p, l);
            }
            else
            {
                // Delete of a (probably) missing prefix.
                var (p, l) = gen.Next();
                var expected = reference.Contains(p, l) ? FibResult.Ok : FibResult.NotFound;
                Assert.Equal(expected, fib.Delete(p, l));
                reference.Remove(p, l);
            }

            Assert.Equal(reference.Count, fib.Count);
            uint key;
            if (random.Next(2) == 0 || reference.Count == 0)
            {
                key = gen.RandomUInt();
            }
            else
            {
                var (p, l) = reference.Pick(random);
                key = l == 32 ? p : p | (gen.RandomUInt() >> l);
            }

            int got = fib.Lookup(key);
            int want = reference.Lookup(key);
            if (got != want)
            {
                Assert.Fail($"op {op}: lookup {Ip.Format(key)} got {got} want {want}");
            }

            if ((op + 1) % checkpoint == 0)
            {
                CompareAll(fib, reference);
            }
        }

        CompareAll(fib, reference);

        // Drain: delete everything; the pools must come back empty.
        foreach (var (p, l, _) in reference.Sorted())
        {
            Assert.Equal(FibResult.Ok, fib.Delete(p, l));
        }

        Assert.Equal(0, fib.Count);
        Assert.Equal(0, fib.NodesInUse);
        Assert.Equal(0, fib.WordsInUse);
        Assert.Equal(-1, fib.Lookup(gen.RandomUInt()));
    }

    internal static void CompareAll(FibTable fib, ReferenceLpm reference)
    {
        var visitor = new ListVisitor();
        int n = fib.Enumerate(visitor);
        var want = reference.Sorted();
        Assert.Equal(want.Count, n);
        for (int i = 0; i < want.Count; i++)
        {
            if (want[i] != visitor.Routes[i])
            {
                Assert.Fail($"route {i}: got {Ip.Format(visitor.Routes[i].Prefix)}/{visitor.Routes[i].Length} {visitor.Routes[i].Group}, want {Ip.Format(want[i].Prefix)}/{want[i].Length} {want[i].Group}");
            }
        }

        for (int i = 0; i < want.Count; i++)
        {
            Assert.True(fib.TryGet(want[i].Prefix, want[i].Length, out int g));
            Assert.Equal(want[i].Group, g);
        }
    }
}

/// <summary>Dotted-quad helpers for tests.</summary>
public static class Ip
{
    public static string Format(uint a) => $"{a >> 24}.{(a >> 16) & 255}.{(a >> 8) & 255}.{a & 255}";

    public static uint Parse(string s)
    {
        var parts = s.Split('.');
        if (parts.Length != 4)
        {
            throw new FormatException(s);
        }

        uint a = 0;
        foreach (var p in parts)
        {
            a = a << 8 | byte.Parse(p);
        }

        return a;
    }
}
