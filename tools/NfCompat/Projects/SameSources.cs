using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace VpnAppliance.NfCompat.Projects;

/// <summary>
/// "Same sources": when a host .csproj sits beside a .nfproj, the host build compiles every .cs
/// file of the folder (firmware/Firmware.props globs **/*.cs without bin/obj), so the .nfproj
/// must list exactly those files. A device-only project (no .csproj beside it) must still list
/// every .cs file of its folder: a file left out would silently be missing from the device image;
/// it may link more files from outside (the boards link ..\shared\DeviceProgram.cs).
/// <see cref="Sync"/> rewrites the Compile items from the folder.
/// </summary>
public static class SameSources
{
    /// <summary>The .cs files under the project folder (bin/obj excluded), as backslash paths
    /// relative to the folder, sorted ordinal (the form used in Compile items).</summary>
    public static List<string> FolderSources(string projectDir)
    {
        var list = new List<string>();
        void Walk(string dir)
        {
            foreach (var f in Directory.GetFiles(dir, "*.cs"))
                list.Add(Path.GetRelativePath(projectDir, f).Replace('/', '\\'));
            foreach (var d in Directory.GetDirectories(dir))
            {
                string name = Path.GetFileName(d);
                if (name is "bin" or "obj") continue;
                Walk(d);
            }
        }
        Walk(projectDir);
        list.Sort(StringComparer.Ordinal);
        return list;
    }

    static string Normalize(string include)
    {
        string s = include.Replace('/', '\\');
        while (s.StartsWith(".\\", StringComparison.Ordinal)) s = s[2..];
        return s;
    }

    /// <summary>Violations when the folder's .cs files and the Compile items differ (see the class comment).</summary>
    public static List<Violation> Check(string root, NfProject project)
    {
        var found = new List<Violation>();
        bool hostProject = Directory.GetFiles(project.Directory, "*.csproj").Length > 0;
        string rel = Gate.Relative(root, project.Path);
        string folder = Gate.Relative(root, project.Directory);
        string name = Path.GetFileName(project.Path);
        var onDisk = new HashSet<string>(FolderSources(project.Directory), StringComparer.Ordinal);
        var listed = new Dictionary<string, NfItem>(StringComparer.Ordinal);
        foreach (var item in project.Compile) listed[Normalize(item.Include)] = item;
        int firstLine = project.Compile.Count > 0 ? project.Compile[0].Line : 1;
        const string fix = "run `dotnet run --project tools/NfCompat -- --sync` to rewrite the Compile items";
        foreach (var f in onDisk.OrderBy(x => x, StringComparer.Ordinal))
            if (!listed.ContainsKey(f))
                found.Add(new Violation(rel, firstLine, "same-sources", hostProject
                    ? $"'{f}' is in {folder} (the host .csproj compiles it) but is not a Compile item of {name}: {fix}"
                    : $"'{f}' is in {folder} but is not a Compile item of {name}, so the device image would not contain it: {fix}"));
        if (!hostProject) return found;
        foreach (var (f, item) in listed.OrderBy(x => x.Key, StringComparer.Ordinal))
            if (!onDisk.Contains(f) && File.Exists(project.ItemPath(item.Include)))
                found.Add(new Violation(rel, item.Line, "same-sources", $"Compile item '{item.Include}' of {name} is not a .cs file under {folder}, so the host .csproj does not compile it: {fix}"));
        return found;
    }

    static readonly Regex CompileLine = new(@"^([ \t]*)<Compile\s+Include=""[^""]*""\s*/>[ \t]*\r?$", RegexOptions.Compiled);

    /// <summary>
    /// Rewrites the Compile items of a .nfproj from the .cs files of its folder (sorted ordinal,
    /// backslash separators), keeping items that link files from outside the folder and every
    /// other line as it is. Returns true when the file changed.
    /// </summary>
    public static bool Sync(string nfprojPath)
    {
        byte[] raw = File.ReadAllBytes(nfprojPath);
        bool bom = raw.Length >= 3 && raw[0] == 0xEF && raw[1] == 0xBB && raw[2] == 0xBF;
        string text = new UTF8Encoding(false).GetString(raw, bom ? 3 : 0, raw.Length - (bom ? 3 : 0));
        string nl = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        bool endsWithNewline = text.EndsWith('\n');
        if (endsWithNewline) lines.RemoveAt(lines.Count - 1);

        var project = NfProject.Load(nfprojPath);
        var matches = lines.Select((l, i) => (l, i)).Where(x => CompileLine.IsMatch(x.l)).Select(x => x.i).ToList();
        if (matches.Count != project.Compile.Count)
            throw new InvalidOperationException($"{nfprojPath}: a Compile item spans several lines or has metadata; edit it by hand");

        // Items that link a file from outside the folder ("..\shared\X.cs", used by the board
        // projects, which have no host .csproj) are kept: only the folder's own files are synced.
        var files = FolderSources(Path.GetDirectoryName(Path.GetFullPath(nfprojPath))!);
        files.AddRange(project.Compile.Select(c => Normalize(c.Include)).Where(i => i.StartsWith("..", StringComparison.Ordinal)));
        files = files.Distinct(StringComparer.Ordinal).OrderBy(f => f, StringComparer.Ordinal).ToList();
        string itemIndent = "    ";
        int insertAt;
        if (matches.Count > 0)
        {
            itemIndent = CompileLine.Match(lines[matches[0]]).Groups[1].Value;
            insertAt = matches[0];
            for (int k = matches.Count - 1; k >= 0; k--) lines.RemoveAt(matches[k]);
            lines.InsertRange(insertAt, files.Select(f => $"{itemIndent}<Compile Include=\"{f}\" />"));
        }
        else if (files.Count > 0)
        {
            // A new ItemGroup before the first existing one (or before the last Import / </Project>).
            insertAt = lines.FindIndex(l => l.TrimStart().StartsWith("<ItemGroup", StringComparison.Ordinal));
            if (insertAt < 0) insertAt = lines.FindLastIndex(l => l.TrimStart().StartsWith("<Import", StringComparison.Ordinal));
            if (insertAt < 0) insertAt = lines.FindLastIndex(l => l.TrimStart().StartsWith("</Project>", StringComparison.Ordinal));
            string groupIndent = insertAt >= 0 ? lines[insertAt][..(lines[insertAt].Length - lines[insertAt].TrimStart().Length)] : "  ";
            itemIndent = groupIndent + "  ";
            var block = new List<string> { groupIndent + "<ItemGroup>" };
            block.AddRange(files.Select(f => $"{itemIndent}<Compile Include=\"{f}\" />"));
            block.Add(groupIndent + "</ItemGroup>");
            lines.InsertRange(insertAt, block);
        }
        string updated = string.Join(nl, lines) + (endsWithNewline ? nl : "");
        if (updated == text) return false;
        File.WriteAllText(nfprojPath, updated, new UTF8Encoding(bom));
        return true;
    }
}
