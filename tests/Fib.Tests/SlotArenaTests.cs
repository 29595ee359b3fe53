using System;
using System.Collections.Generic;

namespace VpnAppliance.Fib.Tests;

/// <summary>SlotArena against a bool-array model: allocations are free runs, and fail only when no run exists.</summary>
public class SlotArenaTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(100, 2)]
    [InlineData(1000, 3)]
    [InlineData(5000, 4)]
    public void MatchesModel(int capacity, int seed)
    {
        var r = new Random(seed);
        var arena = new SlotArena(capacity);
        var used = new bool[capacity];
        var held = new List<(int Start, int Count)>();
        for (int op = 0; op < 20_000; op++)
        {
            if (r.Next(100) < 55 || held.Count == 0)
            {
                int count = 1 + r.Next(r.Next(4) == 0 ? 45 : 4);
                int start = arena.Allocate(count);
                bool exists = HasRun(used, count);
                if (start < 0)
                {
                    Assert.False(exists, $"op {op}: a run of {count} exists but Allocate failed");
                    continue;
                }

                for (int i = start; i < start + count; i++)
                {
                    Assert.False(used[i], $"op {op}: slot {i} handed out twice");
                    used[i] = true;
                }

                held.Add((start, count));
            }
            else if (r.Next(10) == 0 && held.Count > 0)
            {
                int k = r.Next(held.Count);
                var (start, count) = held[k];
                int extra = 1 + r.Next(3);
                bool free = start + count + extra <= capacity;
                for (int i = start + count; free && i < start + count + extra; i++)
                {
                    free = !used[i];
                }

                Assert.Equal(free, arena.TryExtend(start, count, extra));
                if (free)
                {
                    for (int i = start + count; i < start + count + extra; i++)
                    {
                        used[i] = true;
                    }

                    held[k] = (start, count + extra);
                }
            }
            else
            {
                int k = r.Next(held.Count);
                var (start, count) = held[k];
                held[k] = held[^1];
                held.RemoveAt(held.Count - 1);
                arena.Release(start, count);
                for (int i = start; i < start + count; i++)
                {
                    used[i] = false;
                }
            }

            int inUse = 0;
            foreach (var u in used)
            {
                inUse += u ? 1 : 0;
            }

            Assert.Equal(inUse, arena.InUse);
        }
    }

    private static bool HasRun(bool[] used, int count)
    {
        int run = 0;
        foreach (var u in used)
        {
            run = u ? 0 : run + 1;
            if (run >= count)
            {
                return true;
            }
        }

        return false;
    }
}
