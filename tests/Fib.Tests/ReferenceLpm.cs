using System.Collections.Generic;
using System.Linq;
using VpnAppliance.Fib;

namespace VpnAppliance.Fib.Tests;

/// <summary>The naive oracle: a dictionary of (prefix, length) and a lookup that tries lengths 32 down to 0.</summary>
public sealed class ReferenceLpm
{
    private readonly Dictionary<(uint, int), int> _routes = new();
    private readonly List<(uint, int)> _keys = new();
    private readonly Dictionary<(uint, int), int> _index = new();

    public int Count => _routes.Count;

    public bool Contains(uint prefix, int length) => _routes.ContainsKey((prefix, length));

    public void Set(uint prefix, int length, int group)
    {
        if (!_routes.ContainsKey((prefix, length)))
        {
            _index[(prefix, length)] = _keys.Count;
            _keys.Add((prefix, length));
        }

        _routes[(prefix, length)] = group;
    }

    public bool Remove(uint prefix, int length)
    {
        if (!_routes.Remove((prefix, length)))
        {
            return false;
        }

        int i = _index[(prefix, length)];
        var last = _keys[^1];
        _keys[i] = last;
        _index[last] = i;
        _keys.RemoveAt(_keys.Count - 1);
        _index.Remove((prefix, length));
        return true;
    }

    public void Clear()
    {
        _routes.Clear();
        _keys.Clear();
        _index.Clear();
    }

    public int Lookup(uint address)
    {
        for (int len = 32; len >= 0; len--)
        {
            uint p = len == 0 ? 0u : address & (0xFFFFFFFFu << (32 - len));
            if (_routes.TryGetValue((p, len), out int g))
            {
                return g;
            }
        }

        return -1;
    }

    /// <summary>Routes in prefix order (address, then length).</summary>
    public List<(uint Prefix, int Length, int Group)> Sorted() =>
        _routes.Select(kv => (kv.Key.Item1, kv.Key.Item2, kv.Value)).OrderBy(r => r.Item1).ThenBy(r => r.Item2).ToList();

    /// <summary>A random live route (the table must not be empty).</summary>
    public (uint Prefix, int Length) Pick(System.Random random) => _keys[random.Next(_keys.Count)];
}

/// <summary>Collects an enumeration into a list (test-only; allocates).</summary>
public sealed class ListVisitor : IFibVisitor
{
    public readonly List<(uint Prefix, int Length, int Group)> Routes = new();
    public int StopAfter = int.MaxValue;

    public bool Visit(uint prefix, int length, int group)
    {
        Routes.Add((prefix, length, group));
        return Routes.Count < StopAfter;
    }
}
