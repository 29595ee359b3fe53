using VpnAppliance.Config;
using Xunit.Abstractions;

namespace VpnAppliance.Config.Tests;

/// <summary>Allocation figures of a parse (host runtime; the device allocates similar object counts).</summary>
public class MeasureTests
{
    private readonly ITestOutputHelper _out;
    public MeasureTests(ITestOutputHelper output) { _out = output; }

    [Fact]
    public void ParsingTheExample_AllocatesABoundedAmount()
    {
        string text = TestConfigs.AzureExample;
        ConfigText.Parse(text); // warm up (statics, registry)
        long before = System.GC.GetAllocatedBytesForCurrentThread();
        ParseResult r = ConfigText.Parse(text);
        long parse = System.GC.GetAllocatedBytesForCurrentThread() - before;
        before = System.GC.GetAllocatedBytesForCurrentThread();
        string shown = ConfigText.Print(r.Model);
        long print = System.GC.GetAllocatedBytesForCurrentThread() - before;
        _out.WriteLine($"example: {text.Length} chars; parse+validate allocates {parse} bytes; print allocates {print} bytes ({shown.Length} chars)");
        Assert.True(r.Ok);
        Assert.True(parse < 200_000, "parse allocated " + parse);
        Assert.True(print < 60_000, "print allocated " + print);
    }
}
