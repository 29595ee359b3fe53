using System;

namespace VpnAppliance.Fib.Tests;

/// <summary>The host fast path (hardware popcount) and the portable path agree on every input the trie uses.</summary>
public class BitsTests
{
    [Fact]
    public void PopCountPortableAndHostAgreeOnEvery16BitValue()
    {
        Assert.True(TrieBits.HostFastPath);
        for (uint x = 0; x < 0x10000; x++)
        {
            int expected = 0;
            for (uint v = x; v != 0; v >>= 1)
            {
                expected += (int)(v & 1);
            }

            Assert.Equal(expected, TrieBits.PopCount16Portable(x));
            Assert.Equal(expected, TrieBits.PopCount16(x));
        }
    }

    [Fact]
    public void FixedLog2IsAccurate()
    {
        Assert.Equal(0, FixedLog2.Log2Q16(1));
        Assert.Equal(31 << 16, FixedLog2.Log2Q16(0x80000000u));
        var r = new Random(3);
        for (int i = 0; i < 100_000; i++)
        {
            uint x = (uint)r.Next() | 1u;
            double exact = Math.Log2(x) * 65536;
            Assert.InRange(FixedLog2.Log2Q16(x) - exact, -8.0, 8.0);
        }

        for (int e = 0; e < 32; e++)
        {
            Assert.Equal(e, FixedLog2.TopBit(1u << e));
            Assert.Equal(e, FixedLog2.TopBit((1u << e) | 1u));
        }
    }
}
