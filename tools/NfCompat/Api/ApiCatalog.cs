using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;

namespace VpnAppliance.NfCompat.Api;

/// <summary>
/// The embedded API data (api/*.api.txt) and the package table of api/README.md: which package
/// maps to which file and assembly, its pinned stable version, and which other assemblies its
/// signatures use (its dependencies).
/// </summary>
public sealed class ApiCatalog
{
    /// <summary>The default CoreLibrary package (always referenced).</summary>
    public const string CorePackage = "nanoFramework.CoreLibrary";

    /// <summary>Parsed files by package name.</summary>
    public readonly Dictionary<string, ApiAssembly> ByPackage = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>Pinned stable version by package name.</summary>
    public readonly Dictionary<string, string> StableVersion = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>Packages whose types a package's signatures use (transitive closure not applied).</summary>
    public readonly Dictionary<string, List<string>> Dependencies = new(StringComparer.OrdinalIgnoreCase);

    static ApiCatalog _shared;
    static readonly object Gate = new();

    /// <summary>The catalog loaded once per process from the embedded resources.</summary>
    public static ApiCatalog Shared
    {
        get { lock (Gate) return _shared ??= Load(); }
    }

    static ApiCatalog Load()
    {
        var cat = new ApiCatalog();
        var asm = typeof(ApiCatalog).Assembly;
        foreach (var name in asm.GetManifestResourceNames().OrderBy(n => n, StringComparer.Ordinal))
        {
            string text = ReadResource(asm, name);
            if (name.EndsWith(".api.txt", StringComparison.Ordinal))
            {
                var a = ApiParser.Parse(name["api/".Length..], text);
                cat.ByPackage[a.Package] = a;
            }
            else if (name.EndsWith("README.md", StringComparison.Ordinal))
            {
                // | file | package | version |
                foreach (Match m in Regex.Matches(text, @"^\| *([\w.]+\.api\.txt) *\| *([\w.]+) *\| *([0-9][0-9.]*) *\|", RegexOptions.Multiline))
                    cat.StableVersion[m.Groups[2].Value] = m.Groups[3].Value;
            }
        }
        foreach (var (pkg, a) in cat.ByPackage)
        {
            if (!cat.StableVersion.ContainsKey(pkg))
                throw new InvalidDataException($"api/README.md has no stable version for package {pkg}");
            cat.Dependencies[pkg] = cat.ComputeDependencies(a);
        }
        return cat;
    }

    static string ReadResource(Assembly asm, string name)
    {
        using var s = asm.GetManifestResourceStream(name)!;
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }

    static readonly Regex Dotted = new(@"[A-Za-z_]\w*(\.[A-Za-z_]\w*)+(<[^>]*>)?", RegexOptions.Compiled);

    List<string> ComputeDependencies(ApiAssembly a)
    {
        var deps = new SortedSet<string>(StringComparer.Ordinal);
        bool isCore = a.Name == "mscorlib";
        if (!isCore) deps.Add(CorePackage);
        foreach (var t in a.ByKey.Values)
        {
            var texts = new List<string>(t.Bases) { t.DelegateReturn };
            texts.AddRange(t.DelegateParameters.Select(p => p.Type + " " + p.Default));
            foreach (var m in t.Members)
            {
                texts.Add(m.Type);
                texts.AddRange(m.Parameters.Select(p => p.Type + " " + p.Default));
            }
            foreach (var s in texts)
            {
                if (string.IsNullOrEmpty(s)) continue;
                foreach (Match m in Dotted.Matches(s))
                {
                    string key = ApiParser.KeyOf(m.Value);
                    if (a.ByKey.ContainsKey(key)) continue;
                    string owner = OwnerOf(key);
                    if (owner == null)
                        throw new InvalidDataException($"{a.File}: type {m.Value} is defined in no API file");
                    if (!isCore) deps.Add(owner);
                }
            }
        }
        deps.Remove(a.Package);
        return deps.ToList();
    }

    /// <summary>Package defining a type key; CoreLibrary wins over its NoReflection twin.</summary>
    public string OwnerOf(string key)
    {
        if (ByPackage.TryGetValue(CorePackage, out var core) && core.ByKey.ContainsKey(key)) return CorePackage;
        foreach (var (pkg, a) in ByPackage)
            if (a.Name != "mscorlib" && a.ByKey.ContainsKey(key)) return pkg;
        return null;
    }

    /// <summary>Finds a type by key in the given package or its dependencies.</summary>
    public ApiType Resolve(string package, string key)
    {
        if (ByPackage[package].ByKey.TryGetValue(key, out var t)) return t;
        foreach (var d in Closure(new[] { package }))
            if (ByPackage[d].ByKey.TryGetValue(key, out t)) return t;
        return null;
    }

    /// <summary>The packages plus everything they depend on, transitively, in dependency order
    /// (a package comes after its dependencies).</summary>
    public List<string> Closure(IEnumerable<string> packages)
    {
        var result = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        void Visit(string p)
        {
            if (!seen.Add(p)) return;
            foreach (var d in Dependencies[p]) Visit(d);
            result.Add(p);
        }
        foreach (var p in packages) Visit(p);
        return result;
    }

    /// <summary>Packages (other than <paramref name="exclude"/>) that define a type or member with this simple name.</summary>
    public IEnumerable<string> PackagesDefining(string simpleName)
    {
        foreach (var (pkg, a) in ByPackage)
        {
            if (pkg.EndsWith(".NoReflection", StringComparison.Ordinal)) continue;
            foreach (var t in a.ByKey.Values)
            {
                if (t.Name == simpleName || t.Members.Any(m => m.Name == simpleName || m.Name == "get_" + simpleName))
                { yield return pkg; break; }
            }
        }
    }

    /// <summary>Packages with a type in this namespace or one below it.</summary>
    public IEnumerable<string> PackagesWithNamespace(string ns)
    {
        foreach (var (pkg, a) in ByPackage)
        {
            if (pkg.EndsWith(".NoReflection", StringComparison.Ordinal)) continue;
            if (a.Types.Any(t => t.Namespace == ns || t.Namespace.StartsWith(ns + ".", StringComparison.Ordinal)))
                yield return pkg;
        }
    }
}
