using System;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using VpnAppliance.NfCompat;
using VpnAppliance.NfCompat.Api;

namespace VpnAppliance.NfCompat.Tests;

/// <summary>The gate over the real tree, and the generated reference assemblies.</summary>
public sealed class RepositoryTests
{
    /// <summary>Repository root, found from this source file (build output may be elsewhere: VPN_ARTIFACTS).</summary>
    internal static string RepoRoot([CallerFilePath] string here = "")
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(here)!); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "VpnAppliance.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("VpnAppliance.sln not found above " + here);
    }

    [Fact]
    public void EveryNfprojOfTheRepository_HasNoViolations()
    {
        var output = new StringWriter();
        int exit = Program.Check(RepoRoot(), verbose: false, output);
        string text = output.ToString();
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        int projects = Gate.FindProjects(RepoRoot()).Count;
        Assert.True(projects > 0);
        Assert.True(exit == 0, text);
        Assert.Equal($"nfcompat: {projects} projects, 0 violations", lines[^1]);
        Assert.Equal(projects, lines.Count(l => l.EndsWith(": ok", StringComparison.Ordinal)));
    }

    [Fact]
    public void ReferenceAssemblies_DropNoMember()
    {
        var refs = ReferenceAssemblies.Shared;
        foreach (var package in refs.Catalog.ByPackage.Keys)
        {
            var g = refs.Get(package);
            Assert.True(g.DroppedCount == 0, package + ":\n" + string.Join("\n", g.Fixups.Log));
            Assert.Empty(g.Fixups.Demoted);
        }
    }

    [Fact]
    public void Catalog_PinsTheVersionsOfNfprojProps()
    {
        // Every NfXxxVersion property of nfproj.props is the pinned version of some package.
        string props = File.ReadAllText(Path.Combine(RepoRoot(), "nfproj.props"));
        var pinned = ApiCatalog.Shared.StableVersion;
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(props, @"<Nf\w+Version>([^<]+)</"))
            Assert.Contains(m.Groups[1].Value, pinned.Values);
        Assert.Equal("1.17.11", pinned[ApiCatalog.CorePackage]);
        Assert.Equal(18, ApiCatalog.Shared.ByPackage.Count);
    }

    [Fact]
    public void AnnotationsAreMappedToSymbols()
    {
        var core = ReferenceAssemblies.Shared.Get(ApiCatalog.CorePackage);
        Assert.Contains("obsolete", core.Annotations["F:System.DateTimeKind.Local"]);
        Assert.Contains("excludetype", core.Annotations["T:System.DBNull"]);
        Assert.Contains("obsolete", core.Annotations["M:System.Guid.TryParseGuidWithDashes(System.String,System.Guid@)"]);
    }

    [Fact]
    public void Budget_PrintsOneLinePerBoardAndASummary()
    {
        var output = new StringWriter();
        int exit = Program.Budget(RepoRoot(), output);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        var boards = lines.Where(l => l.StartsWith("budget ", StringComparison.Ordinal) && !l.StartsWith("budget:", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(boards);
        int over = 0;
        foreach (var line in boards)
        {
            var m = System.Text.RegularExpressions.Regex.Match(line, @"^budget [\w.-]+: used=(\d+) limit=(\d+)$");
            Assert.True(m.Success, line);
            if (long.Parse(m.Groups[1].Value) > long.Parse(m.Groups[2].Value)) over++;
        }
        Assert.Equal($"budget: {boards.Length} boards, {over} over", lines[^1]);
        Assert.Equal(over == 0 ? 0 : 1, exit);
    }
}
