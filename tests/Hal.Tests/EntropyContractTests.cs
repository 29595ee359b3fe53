using VpnAppliance.Hal.Doubles;
using VpnAppliance.Hal.Host;

namespace VpnAppliance.Hal.Tests;

/// <summary>IEntropySource contract: fills the range it is given and nothing else.</summary>
public abstract class EntropyContractTests
{
    protected abstract IEntropySource Create();

    [Fact]
    public void FillsExactlyTheRange()
    {
        IEntropySource e = Create();
        byte[] b = new byte[80];
        System.Array.Fill(b, (byte)0xEE);
        Assert.Equal(64, e.Fill(b, 8, 64));
        for (int i = 0; i < 8; i++)
        {
            Assert.Equal(0xEE, b[i]);
            Assert.Equal(0xEE, b[72 + i]);
        }

        // 64 bytes all equal would be a broken source (probability 2^-504 otherwise).
        bool varied = false;
        for (int i = 9; i < 72; i++)
        {
            varied |= b[i] != b[8];
        }

        Assert.True(varied);
    }

    [Fact]
    public void BadRangeWritesNothing()
    {
        IEntropySource e = Create();
        byte[] b = new byte[4];
        Assert.Equal(0, e.Fill(b, 2, 3));
        Assert.Equal(0, e.Fill(b, -1, 1));
        Assert.Equal(0, e.Fill(null, 0, 1));
        Assert.Equal(new byte[4], b);
    }

    [Fact]
    public void FillDoesNotAllocate()
    {
        IEntropySource e = Create();
        byte[] b = new byte[32];
        e.Fill(b, 0, 32);
        long before = System.GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            e.Fill(b, 0, 32);
        }

        Assert.Equal(0, System.GC.GetAllocatedBytesForCurrentThread() - before);
    }
}

public sealed class SeededEntropyContractTests : EntropyContractTests
{
    protected override IEntropySource Create() => new SeededEntropy(1234);

    [Fact]
    public void SameSeedSameBytesDifferentSeedDifferentBytes()
    {
        byte[] a = new byte[33], b = new byte[33], c = new byte[33];
        new SeededEntropy(7).Fill(a, 0, 33);
        var split = new SeededEntropy(7);
        split.Fill(b, 0, 5);
        split.Fill(b, 5, 28);
        new SeededEntropy(8).Fill(c, 0, 33);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void SplitMix64ReferenceValue()
    {
        // SplitMix64 from state 0: first output 0xE220A8397B1DCDAF (Vigna's reference splitmix64.c).
        Assert.Equal(0xE220A8397B1DCDAFUL, new SeededEntropy(0).Next());
    }

    [Fact]
    public void BudgetModelsExhaustion()
    {
        var e = new SeededEntropy(1);
        e.SetBudget(10);
        byte[] b = new byte[8];
        Assert.Equal(8, e.Fill(b, 0, 8));
        Assert.Equal(2, e.Fill(b, 0, 8));
        Assert.Equal(0, e.Fill(b, 0, 8));
    }
}

public sealed class OsEntropyContractTests : EntropyContractTests
{
    protected override IEntropySource Create() => new OsEntropy();
}
