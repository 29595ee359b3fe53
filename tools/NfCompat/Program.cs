using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using VpnAppliance.Boards;
using VpnAppliance.NfCompat.Projects;

namespace VpnAppliance.NfCompat;

/// <summary>
/// `dotnet run --project tools/NfCompat [-- options]`
///   (none)            check every .nfproj: one line per project, then `nfcompat: N projects, M violations`
///   --root DIR        repository root (default: walk up to VpnAppliance.sln)
///   --verbose         also print what the generated reference assemblies needed (added/dropped members) and timings
///   --sync [X.nfproj] rewrite the Compile items of every .nfproj (or of X) from the .cs files of its folder
///   --file F.cs [--package P]...  check one file against CoreLibrary plus the given packages
///   --budget          per board: `budget &lt;board&gt;: used=&lt;bytes&gt; limit=&lt;bytes&gt;`, then `budget: N boards, M over`
/// Exit code 0 only when nothing is violated / over budget; 2 on a usage error.
/// </summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    public static int Main(string[] args)
    {
        string root = null, explicitRoot = null;
        bool verbose = false, sync = false, budget = false;
        string syncTarget = null, file = null;
        var packages = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--root" when i + 1 < args.Length: root = explicitRoot = args[++i]; break;
                case "--verbose": verbose = true; break;
                case "--budget": budget = true; break;
                case "--file" when i + 1 < args.Length: file = args[++i]; break;
                case "--package" when i + 1 < args.Length: packages.Add(args[++i]); break;
                case "--sync":
                    sync = true;
                    if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)) syncTarget = args[++i];
                    break;
                case "--help" or "-h":
                    Console.WriteLine("usage: NfCompat [--root DIR] [--verbose] [--sync [X.nfproj]] [--budget] [--file F.cs [--package P]...]");
                    return 0;
                default:
                    Console.Error.WriteLine($"nfcompat: unknown argument '{args[i]}' (try --help)");
                    return 2;
            }
        }
        if (file != null)
        {
            var found = Gate.CheckSnippet(File.ReadAllText(file), packages.ToArray());
            foreach (var v in found) Console.WriteLine(v with { File = file });
            Console.WriteLine($"nfcompat: 1 file, {found.Count} violations");
            return found.Count == 0 ? 0 : 1;
        }
        try
        {
            root = Path.GetFullPath(root ?? BoardCatalog.FindRepoRoot(Directory.GetCurrentDirectory()));
        }
        catch (DirectoryNotFoundException e)
        {
            Console.Error.WriteLine("nfcompat: " + e.Message + " (use --root)");
            return 2;
        }
        if (sync) return Sync(root, syncTarget, rootGiven: explicitRoot != null);
        if (budget) return Budget(root, Console.Out);
        return Check(root, verbose, Console.Out);
    }

    /// <summary>Checks every .nfproj under root and prints the report; returns the exit code.</summary>
    public static int Check(string root, bool verbose, TextWriter output)
    {
        var sw = Stopwatch.StartNew();
        var gate = new Gate();
        var results = gate.CheckRepository(root);
        int violations = 0;
        foreach (var r in results)
        {
            if (r.Violations.Count == 0) { output.WriteLine($"{r.RelativePath}: ok"); continue; }
            foreach (var v in r.Violations.OrderBy(v => v.File, StringComparer.Ordinal).ThenBy(v => v.Line))
                output.WriteLine(v);
            violations += r.Violations.Count;
        }
        if (verbose)
        {
            foreach (var g in gate.Assemblies.Generated.OrderBy(g => g.Package, StringComparer.Ordinal))
            {
                output.WriteLine($"reference assembly {g.Package}: {g.DroppedCount} dropped, {g.Fixups.Demoted.Count} demoted, {g.Fixups.Extra.Values.Sum(x => x.Count)} added, {g.Annotations.Count} annotated symbols");
                foreach (var line in g.Fixups.Log) output.WriteLine("  " + line);
            }
            foreach (var r in results) output.WriteLine($"time {r.RelativePath}: {r.Milliseconds} ms");
            output.WriteLine($"time: {sw.ElapsedMilliseconds} ms");
        }
        output.WriteLine($"nfcompat: {results.Count} projects, {violations} violations");
        return violations == 0 ? 0 : 1;
    }

    static int Sync(string root, string target, bool rootGiven)
    {
        IEnumerable<string> projects = Gate.FindProjects(root);
        if (target != null)
        {
            // A relative X.nfproj is taken relative to --root when one is given, else to the
            // current folder; either way it must be a project under the root.
            var candidates = rootGiven
                ? new[] { Path.GetFullPath(Path.Combine(root, target)), Path.GetFullPath(target) }
                : new[] { Path.GetFullPath(target), Path.GetFullPath(Path.Combine(root, target)) };
            string found = candidates.FirstOrDefault(c => File.Exists(c)
                && !Path.GetRelativePath(root, c).StartsWith("..", StringComparison.Ordinal));
            if (found == null)
            {
                Console.Error.WriteLine($"nfcompat: {target} is not a .nfproj under {root}");
                return 2;
            }
            projects = new[] { found };
        }
        int changed = 0;
        foreach (var p in projects)
        {
            bool c = SameSources.Sync(p);
            Console.WriteLine($"{Gate.Relative(root, p)}: {(c ? "updated" : "unchanged")}");
            if (c) changed++;
        }
        Console.WriteLine($"nfcompat --sync: {changed} updated");
        return 0;
    }

    /// <summary>Prints the static memory of every board against its heap budget; returns the exit code.</summary>
    public static int Budget(string root, TextWriter output)
    {
        var boards = BoardCatalog.Load(root);
        int over = 0;
        foreach (var b in boards)
        {
            long used = BoardCatalog.StaticBytes(b);
            output.WriteLine($"budget {b.Name}: used={used} limit={b.HeapBudgetBytes}");
            if (used > b.HeapBudgetBytes) over++;
        }
        output.WriteLine($"budget: {boards.Length} boards, {over} over");
        return over == 0 ? 0 : 1;
    }
}
