using VpnAppliance.Ipsec.Ike;

namespace VpnAppliance.Ipsec.Tests.Ike;

/// <summary>Seeded mutation fuzz (no exception escapes) and zero allocation when parsing after warm-up.</summary>
public class IkeRobustnessTests
{
    [Fact]
    public void Seeded_mutation_fuzz_never_throws()
    {
        byte[] g = IkeSaInitGolden.Build();
        var m = new IkeMessage();
        var rng = new Random(7296);
        byte[] c = new byte[g.Length + 16];
        int ok = 0;
        for (int i = 0; i < 20_000; i++)
        {
            g.CopyTo(c, 0);
            int len = g.Length;
            int edits = 1 + rng.Next(4);
            for (int e = 0; e < edits; e++)
            {
                switch (rng.Next(4))
                {
                    case 0: c[rng.Next(len)] = (byte)rng.Next(256); break;               // random byte
                    case 1: c[rng.Next(len)] ^= (byte)(1 << rng.Next(8)); break;         // bit flip
                    case 2: len = rng.Next(len + 1); break;                              // cut
                    default: len = Math.Min(c.Length, len + rng.Next(17)); break;        // trailing bytes
                }
            }
            if (len >= 28 && rng.Next(2) == 0) IkeHeader.WriteMessageLength(c, 0, len);  // keep the header consistent half the time
            IkeParseResult r = m.Parse(c, 0, len);                                       // must not throw
            if (r == IkeParseResult.Ok) ok++;
        }
        Assert.InRange(ok, 1, 20_000);
    }

    [Fact]
    public void Parsing_allocates_nothing_after_warm_up()
    {
        byte[] g = IkeSaInitGolden.Build();
        var m = new IkeMessage();
        for (int i = 0; i < 100; i++) Assert.Equal(IkeParseResult.Ok, m.Parse(g, 0, g.Length));
        long before = GC.GetAllocatedBytesForCurrentThread();
        int ok = 0;
        for (int i = 0; i < 10_000; i++) if (m.Parse(g, 0, g.Length) == IkeParseResult.Ok) ok++;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(10_000, ok);
        Assert.Equal(0, allocated);
    }
}
