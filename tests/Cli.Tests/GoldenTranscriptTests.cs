using System.Text;
using System.Text.RegularExpressions;
using VpnAppliance.Config.Validation;

namespace VpnAppliance.Cli.Tests;

/// <summary>
/// Golden transcripts: Golden/NAME.in is what an operator types (one line per Enter; directives start with
/// '@'), Golden/NAME.out is the exact console output (CR LF shown as LF, escapes as \xNN). A transcript that
/// differs fails with both texts; CLI_GOLDEN_UPDATE=1 rewrites the .out files (review the diff before committing).
/// Directives: "@appliance" (a whole appliance on a test board instead of the CLI alone), "@login" (login required), "@config FILE" (running config at boot), "@limits tunnels=N routes=N",
/// "@advance MS" (time passes), "@raw TEXT" (bytes without Enter, with \t \r \x1b escapes).
/// </summary>
public class GoldenTranscriptTests
{
    public static IEnumerable<object[]> Transcripts() =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Golden"), "*.in").Order().Select(f => new object[] { Path.GetFileNameWithoutExtension(f) });

    [Theory]
    [MemberData(nameof(Transcripts))]
    public void Transcript(string name)
    {
        string dir = Path.Combine(AppContext.BaseDirectory, "Golden");
        string[] script = File.ReadAllLines(Path.Combine(dir, name + ".in"));
        bool login = false;
        bool appliance = false;
        string? config = null;
        var limits = new BoardLimits { Board = "test-board", Tunnels = 4, IkeSas = 4, Routes = 64, BgpPeers = 4 };
        foreach (string l in script.Where(l => l.StartsWith('@')))
        {
            string[] w = l.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (w[0] == "@login") login = true;
            if (w[0] == "@appliance") appliance = true;
            if (w[0] == "@config") config = File.ReadAllText(Path.Combine(dir, w[1]));
            if (w[0] == "@limits")
            {
                foreach (string kv in w.Skip(1))
                {
                    string[] p = kv.Split('=');
                    if (p[0] == "tunnels") limits.Tunnels = int.Parse(p[1]);
                    if (p[0] == "routes") limits.Routes = int.Parse(p[1]);
                }
            }
        }

        ITranscriptRig rig = appliance
            ? new ApplianceRig(new VpnAppliance.Hal.Doubles.MemoryFlash(2, 16384, 0xFF), config, login)
            : new CliRig(login, null, config, limits);
        foreach (string l in script)
        {
            if (l.StartsWith("@advance ")) rig.Advance(long.Parse(l[9..]));
            else if (l.StartsWith("@raw ")) rig.Type(Unescape(l[5..]));
            else if (!l.StartsWith('@')) rig.Type(l + "\r");
        }

        string actual = Escape(rig.Take());
        string outPath = Path.Combine(dir, name + ".out");
        if (Environment.GetEnvironmentVariable("CLI_GOLDEN_UPDATE") == "1")
        {
            string src = Path.Combine(FindSourceDir(), "Golden", name + ".out");
            File.WriteAllText(src, actual);
            return;
        }

        Assert.True(File.Exists(outPath), $"no golden output {name}.out (run with CLI_GOLDEN_UPDATE=1)");
        Assert.Equal(File.ReadAllText(outPath), actual);
    }

    private static string Unescape(string s) =>
        Regex.Replace(s.Replace("\\t", "\t").Replace("\\r", "\r"), @"\\x([0-9a-fA-F]{2})", m => ((char)Convert.ToInt32(m.Groups[1].Value, 16)).ToString());

    private static string Escape(string s)
    {
        var sb = new StringBuilder();
        foreach (char c in s)
        {
            if (c == '\n' || (c >= 32 && c < 127)) sb.Append(c);
            else sb.Append($"\\x{(int)c:x2}");
        }

        return sb.ToString();
    }

    private static string FindSourceDir([System.Runtime.CompilerServices.CallerFilePath] string file = "") => Path.GetDirectoryName(file)!;
}
