using System.Text;
using VpnAppliance.Config;

namespace VpnAppliance.Config.Tests;

/// <summary>Bounded, seeded mutation fuzzing of the parser: no exception, every diagnostic has a line.</summary>
public class FuzzTests
{
    private static readonly string[] Pieces =
    {
        "\"", "#", "\\", "\n", "\r", "\t", " ", "\0", "\u00ff", "\u20ac", "\ud800", "/", ".", ",", "-", "999999999999",
        "set", "vpn", "peer", "tunnel", "protocols bgp neighbor", "******", "0.0.0.0/0", "255.255.255.255", "/33",
        "aes256gcm16", "modp1024", "x25519", "prfsha256", "-sha1", "vti", "4294967295", "4294967296", "0",
    };

    [Fact]
    public void MutatedExample_NeverThrows_AndErrorsCarryLineNumbers()
    {
        string seed = TestConfigs.AzureExample;
        var rng = new System.Random(20251122);
        int rejected = 0;
        for (int iter = 0; iter < 20000; iter++)
        {
            string text = Mutate(seed, rng, 1 + rng.Next(4));
            ParseResult r = ConfigText.Parse(text); // must not throw
            Assert.NotNull(r.Model);
            Assert.True(r.Errors.Length <= DiagnosticList.MaxEach);
            int lines = 1;
            foreach (char ch in text) if (ch == '\n') lines++;
            foreach (ConfigDiagnostic e in r.Errors)
            {
                Assert.True(e.Line >= 1 && e.Line <= lines, "iteration " + iter + ": " + e);
                Assert.NotEqual("internal", e.Rule);
                Assert.False(string.IsNullOrEmpty(e.Rule));
            }
            foreach (ConfigDiagnostic w in r.Warnings) Assert.True(w.Line >= 0 && w.Line <= lines);
            if (!r.Ok) rejected++;
            else
            {
                // whatever is accepted must also round-trip
                string stored = ConfigText.PrintForStorage(r.Model);
                ParseResult back = ConfigText.Parse(stored);
                Assert.True(back.Ok && back.Model.ContentEquals(r.Model, true), "iteration " + iter + " round trip: " + TestConfigs.Dump(back));
            }
        }
        Assert.True(rejected > 1000); // the mutations do hit the error paths
    }

    [Fact]
    public void Garbage_HugeLinesAndBinary_AreErrorsNotExceptions()
    {
        var rng = new System.Random(7);
        var bytes = new byte[100_000];
        rng.NextBytes(bytes);
        var sb = new StringBuilder();
        foreach (byte b in bytes) sb.Append((char)b);
        ParseResult r = ConfigText.Parse(sb.ToString());
        Assert.False(r.Ok);

        ParseResult huge = ConfigText.Parse("set system host-name " + new string('a', 1_000_000) + "\n");
        Assert.Equal("line-too-long", huge.Errors[0].Rule);

        ParseResult many = ConfigText.Parse(new string('\n', 30000) + "set system host-name x");
        Assert.Equal("too-many-lines", many.Errors[0].Rule);

        Assert.True(ConfigText.Parse(null!).Ok);
        Assert.True(ConfigText.Parse("").Ok);
    }

    private static string Mutate(string s, System.Random rng, int count)
    {
        var sb = new StringBuilder(s);
        for (int m = 0; m < count; m++)
        {
            int pos = sb.Length == 0 ? 0 : rng.Next(sb.Length);
            switch (rng.Next(7))
            {
                case 0: if (sb.Length > 0) sb[pos] = (char)rng.Next(0, 256); break;
                case 1: sb.Insert(pos, Pieces[rng.Next(Pieces.Length)]); break;
                case 2: sb.Remove(pos, System.Math.Min(rng.Next(1, 40), sb.Length - pos)); break;
                case 3:
                {
                    // duplicate a line elsewhere (conflicts, duplicates)
                    string t = sb.ToString();
                    int a = t.LastIndexOf('\n', pos) + 1;
                    int b = t.IndexOf('\n', pos);
                    if (b < 0) b = t.Length;
                    if (b < a) b = a;
                    sb.Insert(rng.Next(sb.Length + 1), "\n" + t.Substring(a, b - a) + "\n");
                    break;
                }
                case 4: if (sb.Length > 0) sb[pos] = (char)('0' + rng.Next(10)); break;
                case 5: sb.Insert(pos, new string((char)rng.Next(32, 127), rng.Next(1, 2000))); break;
                default: if (sb.Length > 0) sb[pos] = ' '; break;
            }
        }
        return sb.ToString();
    }
}
