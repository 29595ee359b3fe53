namespace VpnAppliance.Tcp.Tests;

/// <summary>The out-of-order range bookkeeping, against a naive bitmap.</summary>
public class AssemblerTests
{
    [Fact]
    public void NumberedCases()
    {
        var a = new ReceiveAssembler();
        Assert.Equal(0, a.Add(10, 20));   // 1 held
        Assert.Equal(0, a.Add(30, 40));   // 2 held
        Assert.Equal(0, a.Add(20, 30));   // 3 bridges into one [10,40)
        Assert.Equal(1, a.RangeCount);
        Assert.Equal(40, a.Add(0, 10));   // 4 everything contiguous
        Assert.True(a.IsEmpty);
        Assert.Equal(5, a.Add(0, 5));     // 5 in order
        Assert.Equal(0, a.Add(2, 4));     // 6 ... after shifting, [2,4) is new out-of-order data
        Assert.Equal(0, a.Add(6, 8));
        Assert.Equal(0, a.Add(10, 12));
        Assert.Equal(0, a.Add(14, 16));   // 4 ranges: the maximum
        Assert.Equal(-1, a.Add(18, 20));  // 7 refused
        Assert.Equal(12, a.Add(0, 12));   // 8 offset 0 is always taken, merges [2,4) [6,8) [10,12)
        Assert.Equal(1, a.RangeCount);
        Assert.Equal(2, a.RangeStart(0));
        Assert.Equal(4, a.RangeEnd(0));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void RandomDifferentialAgainstBitmap(int seed)
    {
        var rng = new Random(seed);
        var a = new ReceiveAssembler();
        const int Space = 4000;
        var have = new bool[Space * 4];
        int delivered = 0; // absolute offset of RCV.NXT
        for (int step = 0; step < 5000; step++)
        {
            int start = rng.Next(0, 300);
            int len = rng.Next(1, 60);
            int r = a.Add(start, start + len);
            if (r < 0)
            {
                Assert.Equal(ReceiveAssembler.MaximumRanges, a.RangeCount);
                Assert.NotEqual(0, start);
                continue;
            }

            for (int i = start; i < start + len; i++)
            {
                have[delivered + i] = true;
            }

            int expect = 0;
            while (have[delivered + expect])
            {
                expect++;
            }

            Assert.Equal(expect, r);
            delivered += r;
            // Remaining ranges match the bitmap.
            for (int k = 0; k < a.RangeCount; k++)
            {
                Assert.True(a.RangeStart(k) < a.RangeEnd(k));
                Assert.False(have[delivered + a.RangeStart(k) - 1]);
                Assert.False(have[delivered + a.RangeEnd(k)]);
                for (int i = a.RangeStart(k); i < a.RangeEnd(k); i++)
                {
                    Assert.True(have[delivered + i]);
                }
            }

            if (delivered > Space * 3)
            {
                break;
            }
        }
    }
}
