using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using VpnAppliance.NfCompat.Api;
using VpnAppliance.NfCompat.Projects;
using VpnAppliance.NfCompat.Rules;

namespace VpnAppliance.NfCompat;

/// <summary>Outcome of checking one .nfproj.</summary>
public sealed class ProjectResult
{
    /// <summary>Project path relative to the repository root, '/' separated.</summary>
    public string RelativePath = "";
    /// <summary>Violations found in the project and its files.</summary>
    public readonly List<Violation> Violations = new();
    /// <summary>Packages available to the project (own and through project references).</summary>
    public readonly SortedSet<string> Packages = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>Reference to the compiled project, for projects that reference it.</summary>
    public MetadataReference Reference;
    /// <summary>Milliseconds spent compiling and checking this project (its references excluded).</summary>
    public long Milliseconds;
    /// <summary>Projects it references (transitively), for their packages and references.</summary>
    public readonly List<ProjectResult> References = new();
}

/// <summary>
/// The nanoFramework compatibility gate: compiles source against reference assemblies generated
/// from the API data (no .NET reference assemblies), with the nanoFramework language version and
/// `NANOFRAMEWORK_1_0`, and applies <see cref="SubsetRules"/>.
/// </summary>
public sealed class Gate
{
    /// <summary>Language version of the device build when a project does not set one.</summary>
    public const LanguageVersion DefaultLanguageVersion = LanguageVersion.CSharp9;

    readonly ReferenceAssemblies _refs;
    readonly Dictionary<string, HashSet<string>> _annotations = new(StringComparer.Ordinal);
    readonly HashSet<string> _annotationsLoaded = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates a gate over the shared (per-process) generated assemblies.</summary>
    public Gate() : this(ReferenceAssemblies.Shared) { }

    /// <summary>Creates a gate over the given generated assemblies.</summary>
    public Gate(ReferenceAssemblies refs) => _refs = refs;

    /// <summary>The generated assemblies.</summary>
    public ReferenceAssemblies Assemblies => _refs;

    /// <summary>
    /// Compiles one source text as a project referencing the given packages (CoreLibrary is
    /// always added) and returns every violation (file name `snippet.cs`).
    /// </summary>
    public static IReadOnlyList<Violation> CheckSnippet(string source, params string[] packages) =>
        CheckSnippet(source, DefaultLanguageVersion, packages);

    /// <summary>As <see cref="CheckSnippet(string, string[])"/> with another language version (a .nfproj may raise it).</summary>
    public static IReadOnlyList<Violation> CheckSnippet(string source, LanguageVersion languageVersion, string[] packages)
    {
        var gate = new Gate();
        var found = new List<Violation>();
        var pkgs = new SortedSet<string>(packages ?? Array.Empty<string>(), StringComparer.OrdinalIgnoreCase) { ApiCatalog.CorePackage };
        var tree = CSharpSyntaxTree.ParseText(source, ParseOptions(languageVersion, Array.Empty<string>()), path: "snippet.cs");
        gate.CompileAndCheck("Snippet", new[] { (tree, "snippet.cs") }, pkgs, Array.Empty<MetadataReference>(), found);
        return found;
    }

    static CSharpParseOptions ParseOptions(LanguageVersion lang, IEnumerable<string> defines) =>
        new(lang, DocumentationMode.None, SourceCodeKind.Regular,
            defines.Append("NANOFRAMEWORK_1_0").Distinct(StringComparer.Ordinal).ToArray());

    /// <summary>Compiles trees against the packages' generated assemblies plus extra references; appends violations.</summary>
    /// <returns>A reference to the compilation, for projects that reference this one.</returns>
    public MetadataReference CompileAndCheck(string assemblyName, IReadOnlyList<(SyntaxTree Tree, string RelativePath)> trees,
        IEnumerable<string> packages, IEnumerable<MetadataReference> projectReferences, List<Violation> found)
    {
        var closure = _refs.Catalog.Closure(packages);
        if (closure.Any(p => p.Equals(ApiCatalog.CorePackage + ".NoReflection", StringComparison.OrdinalIgnoreCase)))
            closure.Remove(ApiCatalog.CorePackage);
        var generated = closure.Select(_refs.Get).ToList();
        LoadAnnotations(generated);
        var refs = generated.Select(g => g.Reference).Concat(projectReferences).ToList();
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: NullableContextOptions.Disable, allowUnsafe: false, concurrentBuild: true);
        var comp = CSharpCompilation.Create(assemblyName, trees.Select(t => t.Tree), refs, options);
        var pathOf = trees.ToDictionary(t => t.Tree, t => t.RelativePath);

        // Emitting (to nowhere) reports every compile error plus those found only while lowering
        // (string switch, interpolation, lock, foreach ask for more framework members), in one
        // binding pass.
        var errors = comp.Emit(Stream.Null).Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)
            .OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal).ThenBy(d => d.Location.SourceSpan.Start).ToList();
        var packageSet = new HashSet<string>(closure, StringComparer.OrdinalIgnoreCase);
        foreach (var e in errors)
        {
            string file = e.Location.SourceTree != null && pathOf.TryGetValue(e.Location.SourceTree, out var p) ? p : assemblyName;
            int line = e.Location.IsInSource ? e.Location.GetLineSpan().StartLinePosition.Line + 1 : 0;
            found.Add(new Violation(file, line, "compile", $"{e.Id}: {e.GetMessage()}{Hint(e, packageSet)}"));
        }
        foreach (var (tree, rel) in trees)
            SubsetRules.Check(comp.GetSemanticModel(tree), AnnotationsOf, rel, found);
        return comp.ToMetadataReference();
    }

    void LoadAnnotations(IEnumerable<GeneratedAssembly> generated)
    {
        foreach (var g in generated)
        {
            if (!_annotationsLoaded.Add(g.Package)) continue;
            foreach (var (id, notes) in g.Annotations)
            {
                if (!_annotations.TryGetValue(id, out var set)) _annotations[id] = set = new HashSet<string>();
                set.UnionWith(notes);
            }
        }
    }

    HashSet<string> AnnotationsOf(ISymbol symbol)
    {
        if (symbol.Locations.Any(l => l.IsInSource)) return null; // the project's own code
        string id = symbol.GetDocumentationCommentId();
        return id != null && _annotations.TryGetValue(id, out var set) ? set : null;
    }

    static readonly Regex Quoted = new(@"'([A-Za-z_][\w.]*)", RegexOptions.Compiled);

    /// <summary>Known replacements for members the stable surface does not have.</summary>
    static readonly Dictionary<string, string> Replacements = new(StringComparer.Ordinal)
    {
        ["Now"] = "nanoFramework has no DateTime.Now (no local time): use DateTime.UtcNow, or better the nowMs the caller passes in",
        ["TickCount"] = "nanoFramework has no Environment.TickCount (int): use Environment.TickCount64 from nanoFramework.Runtime.Native",
        ["Enter"] = "nanoFramework has Monitor.Enter(object) only: use lock(obj) or Monitor.Enter(obj)/Monitor.Exit(obj)",
        ["Nullable"] = "nanoFramework has no Nullable<T>: use a sentinel value or a separate bool",
        ["System.Nullable"] = "nanoFramework has no Nullable<T>; `int?`, or `?.`/`??` on a value-type result, needs it: test for null explicitly",
        ["ValueTuple"] = "nanoFramework has no tuples: use out parameters or a small class/struct",
        ["Span"] = "nanoFramework has no Span<T>: use byte[] buffer, int offset, int length (or System.SpanByte)",
        ["Task"] = "nanoFramework has no Task/async: use a thread or a polled state machine",
        ["IAsyncStateMachine"] = "nanoFramework has no Task/async: use a thread or a polled state machine",
        ["Decimal"] = "nanoFramework has no decimal: use long (scaled integer) or double",
        ["IsExternalInit"] = "nanoFramework has no init accessors: use a constructor parameter and a get-only property",
    };

    string Hint(Diagnostic e, HashSet<string> referenced)
    {
        var hints = new List<string>();
        var names = Quoted.Matches(e.GetMessage()).Select(m => m.Groups[1].Value).ToList();
        foreach (var name in names)
            if (Replacements.TryGetValue(name, out var r)) hints.Add(r);
        // Which quoted name is the missing one depends on the message.
        string missing = e.Id switch
        {
            "CS0246" or "CS0103" => names.FirstOrDefault(),
            "CS0117" or "CS1061" => names.Skip(1).FirstOrDefault(),
            _ => null,
        };
        if (missing != null && hints.Count == 0)
        {
            var elsewhere = _refs.Catalog.PackagesDefining(missing).Where(p => !referenced.Contains(p)).ToList();
            if (elsewhere.Count > 0)
                hints.Add($"'{missing}' is in package {string.Join(" / ", elsewhere)}, which this project does not reference (add a PackageReference)");
        }
        if (e.Id == "CS0234" && names.Count >= 2)
        {
            string ns = names[1] + "." + names[0];
            var elsewhere = _refs.Catalog.PackagesWithNamespace(ns).Where(p => !referenced.Contains(p)).ToList();
            if (elsewhere.Count > 0)
                hints.Add($"namespace {ns} is in package {string.Join(" / ", elsewhere)}, which this project does not reference (add a PackageReference)");
        }
        return hints.Count == 0 ? "" : " (" + string.Join("; ", hints.Distinct()) + ")";
    }

    // ---- repository --------------------------------------------------------------------------

    /// <summary>Every .nfproj under the root (bin/obj skipped), sorted by relative path.</summary>
    public static List<string> FindProjects(string root)
    {
        var list = new List<string>();
        void Walk(string dir)
        {
            foreach (var f in Directory.GetFiles(dir, "*.nfproj")) list.Add(Path.GetFullPath(f));
            foreach (var d in Directory.GetDirectories(dir))
            {
                string name = Path.GetFileName(d);
                if (name is "bin" or "obj" || name.StartsWith('.')) continue;
                Walk(d);
            }
        }
        Walk(root);
        list.Sort((a, b) => string.CompareOrdinal(Relative(root, a), Relative(root, b)));
        return list;
    }

    /// <summary>Path relative to root with '/' separators.</summary>
    public static string Relative(string root, string path) =>
        Path.GetRelativePath(root, path).Replace('\\', '/');

    /// <summary>Checks every project (or the given ones) of a repository.</summary>
    public List<ProjectResult> CheckRepository(string root, IEnumerable<string> projects = null)
    {
        root = Path.GetFullPath(root);
        var memo = new Dictionary<string, ProjectResult>(StringComparer.Ordinal);
        var results = new List<ProjectResult>();
        foreach (var p in projects ?? FindProjects(root))
            results.Add(CheckProject(root, Path.GetFullPath(p), memo, new List<string>()));
        return results;
    }

    ProjectResult CheckProject(string root, string path, Dictionary<string, ProjectResult> memo, List<string> visiting)
    {
        if (memo.TryGetValue(path, out var done)) return done;
        var result = new ProjectResult { RelativePath = Relative(root, path) };
        memo[path] = result;
        visiting.Add(path);
        string rel = result.RelativePath;
        var v = result.Violations;
        NfProject project;
        try
        {
            project = NfProject.Load(path);
        }
        catch (System.Xml.XmlException e)
        {
            v.Add(new Violation(rel, e.LineNumber, "project-file", "not a well-formed MSBuild file: " + e.Message));
            visiting.Remove(path);
            return result;
        }

        // Packages: known, pinned stable version.
        var catalog = _refs.Catalog;
        result.Packages.Add(ApiCatalog.CorePackage);
        foreach (var pr in project.PackageReferences)
        {
            if (!catalog.StableVersion.TryGetValue(pr.Include, out var stable))
            {
                v.Add(new Violation(rel, pr.Line, "package", $"package '{pr.Include}' is not in the nanoFramework API data (tools/NfCompat/api): only {string.Join(", ", catalog.StableVersion.Keys.OrderBy(k => k, StringComparer.Ordinal))} can be checked"));
                continue;
            }
            if (pr.Version.Contains("$(", StringComparison.Ordinal))
                v.Add(new Violation(rel, pr.Line, "package", $"version '{pr.VersionAsWritten}' of '{pr.Include}' uses a property nfproj.props does not define"));
            else if (pr.Version != stable)
                v.Add(new Violation(rel, pr.Line, "package", $"'{pr.Include}' version {pr.Version} differs from the stable version {stable} whose API was checked (use Version=\"$(...)\" from nfproj.props)"));
            result.Packages.Add(pr.Include);
        }
        foreach (var r in project.References)
            v.Add(new Violation(rel, r.Line, "package", $"<Reference Include=\"{r.Include}\"> is not checked: name packages with <PackageReference> and a version property from nfproj.props"));

        // Project references: compiled first, their packages flow to this project.
        var projectRefs = new List<MetadataReference>();
        foreach (var pr in project.ProjectReferences)
        {
            string target = project.ItemPath(pr.Include);
            if (!target.EndsWith(".nfproj", StringComparison.OrdinalIgnoreCase) || !File.Exists(target))
            {
                v.Add(new Violation(rel, pr.Line, "project-reference", $"'{pr.Include}' is not an existing .nfproj"));
                continue;
            }
            if (visiting.Contains(target))
            {
                v.Add(new Violation(rel, pr.Line, "project-reference", $"'{pr.Include}' makes a reference cycle"));
                continue;
            }
            var dep = CheckProject(root, target, memo, visiting);
            AddReference(result, dep);
        }
        foreach (var dep in result.References)
        {
            result.Packages.UnionWith(dep.Packages);
            if (dep.Reference != null) projectRefs.Add(dep.Reference);
        }

        // Sources: exactly the Compile items.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var trees = new List<(SyntaxTree, string)>();
        var lang = DefaultLanguageVersion;
        if (project.LangVersion.Length > 0 && !LanguageVersionFacts.TryParse(project.LangVersion, out lang))
        {
            v.Add(new Violation(rel, 0, "lang-version", $"LangVersion '{project.LangVersion}' is not a C# language version"));
            lang = DefaultLanguageVersion;
        }
        var parse = ParseOptions(lang, project.DefineConstants);
        foreach (var item in project.Compile)
        {
            string file = project.ItemPath(item.Include);
            if (!File.Exists(file))
            {
                v.Add(new Violation(rel, item.Line, "missing-file", $"Compile item '{item.Include}' does not exist"));
                continue;
            }
            string text = File.ReadAllText(file);
            trees.Add((CSharpSyntaxTree.ParseText(text, parse, path: file, encoding: Encoding.UTF8), Relative(root, file)));
        }
        result.Reference = CompileAndCheck(project.AssemblyName, trees, result.Packages, projectRefs, v);
        v.AddRange(SameSources.Check(root, project));
        result.Milliseconds = clock.ElapsedMilliseconds;
        visiting.Remove(path);
        return result;
    }

    static void AddReference(ProjectResult into, ProjectResult dep)
    {
        if (into.References.Contains(dep)) return;
        into.References.Add(dep);
        foreach (var d in dep.References) AddReference(into, d);
    }
}
