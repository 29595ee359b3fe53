using System;

namespace VpnAppliance.Fib.Workloads;

/// <summary>Prefix-length and address distributions for FIB tests and benchmarks.</summary>
public enum RouteMix
{
    /// <summary>
    /// BGP-like lengths and clustered addresses: lengths follow the shape of the public IPv4 table (about two
    /// thirds /24, /22-/23 next, a few percent each /16-/21, 1% /8-/15, 2% /25-/32); addresses are drawn inside
    /// allocation blocks (/14-/16, one block per 24 routes: the public table holds roughly 950k prefixes in
    /// roughly 40k-50k /16s, i.e. about 20-24 routes per /16), which is how routes cluster in real tables.
    /// </summary>
    Bgp,

    /// <summary>BGP-like lengths, addresses uniformly random over 1.0.0.0-223.255.255.255 (worst case for sharing).</summary>
    BgpUniformAddress,

    /// <summary>Lengths uniform over 0..32, addresses uniformly random.</summary>
    UniformLength,
}

/// <summary>
/// Deterministic (seeded) generator of prefixes for a <see cref="RouteMix"/>. Shared by tests/Fib.Tests (linked
/// file) and tools/Bench so the tests and the benchmark talk about the same tables.
/// </summary>
public sealed class RouteGenerator
{
    // (length, weight in 1/1000) for the BGP-like mix; /8-/15 and /25-/32 are spread evenly inside their bands.
    private static readonly int[] BgpLengths = { 16, 17, 18, 19, 20, 21, 22, 23, 24 };
    private static readonly int[] BgpWeights = { 20, 10, 15, 25, 40, 40, 90, 90, 640 };
    private const int ShortWeight = 10;  // /8-/15
    private const int LongWeight = 20;   // /25-/32

    private readonly Random _random;
    private readonly RouteMix _mix;
    private readonly uint[] _blocks;
    private readonly int[] _blockLengths;

    /// <summary>Creates a generator for a table of about <paramref name="routes"/> routes.</summary>
    public RouteGenerator(RouteMix mix, int routes, int seed)
    {
        _random = new Random(seed);
        _mix = mix;
        int blocks = Math.Max(1, (routes + 23) / 24);
        _blocks = new uint[blocks];
        _blockLengths = new int[blocks];
        for (int i = 0; i < blocks; i++)
        {
            int len = 14 + _random.Next(3);
            _blockLengths[i] = len;
            _blocks[i] = Mask(UnicastAddress(), len);
        }
    }

    /// <summary>The next prefix (host bits zero).</summary>
    public (uint Prefix, int Length) Next()
    {
        int len = _mix == RouteMix.UniformLength ? _random.Next(33) : BgpLength();
        uint address;
        if (_mix == RouteMix.Bgp)
        {
            int b = _random.Next(_blocks.Length);
            int blen = _blockLengths[b];
            address = len >= blen ? _blocks[b] | (RandomUInt() >> blen) : UnicastAddress();
        }
        else
        {
            address = UnicastAddress();
        }

        return (Mask(address, len), len);
    }

    /// <summary>A random 32-bit value.</summary>
    public uint RandomUInt()
    {
        return (uint)_random.Next(1 << 16) << 16 | (uint)_random.Next(1 << 16);
    }

    /// <summary>The underlying random source (same seed, same sequence).</summary>
    public Random Random => _random;

    /// <summary>prefix with the bits below length cleared.</summary>
    public static uint Mask(uint address, int length)
    {
        return length == 0 ? 0u : address & (0xFFFFFFFFu << (32 - length));
    }

    private uint UnicastAddress()
    {
        // 1.0.0.0 .. 223.255.255.255
        uint first = (uint)(1 + _random.Next(223));
        return first << 24 | (RandomUInt() & 0x00FFFFFFu);
    }

    private int BgpLength()
    {
        int r = _random.Next(1000);
        if (r < ShortWeight)
        {
            return 8 + _random.Next(8);
        }

        r -= ShortWeight;
        if (r < LongWeight)
        {
            return 25 + _random.Next(8);
        }

        r -= LongWeight;
        for (int i = 0; i < BgpLengths.Length; i++)
        {
            if (r < BgpWeights[i])
            {
                return BgpLengths[i];
            }

            r -= BgpWeights[i];
        }

        return 24;
    }
}
