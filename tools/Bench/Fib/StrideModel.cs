using System;
using System.Collections.Generic;
using VpnAppliance.Fib.Workloads;

namespace VpnAppliance.Bench.Fib;

/// <summary>
/// `Bench fib --quick --strides`: the measurement behind the stride choice written at the top of FibTable.cs.
/// For a route set and root width it counts, for strides 3, 4 and 5, the trie the FIB's layout would build
/// (full nodes, leaves, nodes with children, results) and walks keys through it to count the levels a lookup
/// visits. Bytes use the FIB's layout rules per stride: record = bitmap words + 1 base word (stride 3 and 4:
/// 2^s - 1 + 2^s bits fit one word; stride 5: two), a header word for nodes with children (stride 5: the 32-bit
/// leaf map leaves no room for a result, so + 1 result word), leaves 1 word, results two per word.
/// IL operations per level are counted from the Lookup loop's IL for stride 4 (about 45 per level with the
/// SWAR popcount inlined by hand on the device, 11 of them popcount); stride 3 is the same code, stride 5 adds a
/// second bitmap load and 32-bit popcounts (about +12).
/// </summary>
public static class StrideModel
{
    public static void Run(FibWorkload work)
    {
        foreach (int stride in new[] { 3, 4, 5 })
        {
            var nodes = new Dictionary<(int Depth, uint Bits), (int Routes, bool HasChild)>();
            int r = work.RootBits;
            for (int i = 0; i < work.Routes; i++)
            {
                int len = work.Lengths[i];
                if (len < r)
                {
                    continue;
                }

                uint p = work.Prefixes[i];
                int target = r + (len - r) / stride * stride;
                for (int d = r; d <= target; d += stride)
                {
                    var key = (d, RouteGenerator.Mask(p, d));
                    nodes.TryGetValue(key, out var v);
                    if (d == target)
                    {
                        v.Routes++;
                    }
                    else
                    {
                        v.HasChild = true;
                    }

                    nodes[key] = v;
                }
            }

            int full = 0, leaves = 0, withChildren = 0, results = 0;
            foreach (var kv in nodes)
            {
                bool isLeaf = kv.Key.Depth != r && kv.Value.Routes == 1 && !kv.Value.HasChild;
                if (isLeaf)
                {
                    leaves++;
                    continue;
                }

                full++;
                results += kv.Value.Routes;
                if (kv.Value.HasChild)
                {
                    withChildren++;
                }
            }

            int bitmapWords = stride == 5 ? 2 : 1;
            long words = (long)full * (bitmapWords + 1) + withChildren * (stride == 5 ? 2 : 1) + leaves + (results + 1) / 2;
            double bytesPerRoute = (words * 4 + (1 << r) * 8) / (double)work.Routes;
            double levelsRandom = Levels(nodes, work.RandomKeys, r, stride);
            double levelsTrace = Levels(nodes, work.TraceKeys, r, stride);
            int ilPerLevel = stride == 5 ? 57 : 45;
            Console.WriteLine(
                $"stride={stride} routes={work.Routes} root_bits={r} full_nodes={full} leaves={leaves} est_words={words} " +
                $"est_bytes_per_route={bytesPerRoute:F2} levels_random={levelsRandom:F2} levels_trace={levelsTrace:F2} " +
                $"est_il_ops_trace={levelsTrace * ilPerLevel + 30:F0}");
        }
    }

    // Average number of trie nodes (full or leaf) a lookup visits below the root slot.
    private static double Levels(Dictionary<(int, uint), (int, bool)> nodes, uint[] keys, int r, int stride)
    {
        long total = 0;
        int n = Math.Min(keys.Length, 1 << 16);
        for (int i = 0; i < n; i++)
        {
            for (int d = r; d <= 32; d += stride)
            {
                if (!nodes.ContainsKey((d, RouteGenerator.Mask(keys[i], d))))
                {
                    break;
                }

                total++;
            }
        }

        return (double)total / n;
    }
}
