using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace VpnAppliance.NfCompat.Projects;

/// <summary>An item of a .nfproj with the line it is on.</summary>
/// <param name="Include">Include attribute as written.</param>
/// <param name="Line">1-based line in the .nfproj.</param>
/// <param name="Version">Version attribute with properties resolved (PackageReference only).</param>
/// <param name="VersionAsWritten">Version attribute as written.</param>
public sealed record NfItem(string Include, int Line, string Version = null, string VersionAsWritten = null);

/// <summary>
/// What NfCompat needs from a .nfproj: Compile items, project and package references, language
/// version, define constants and assembly name. Properties come from the project and the
/// files it imports that exist (nfproj.props); the nanoFramework SDK imports do not exist here
/// and are skipped. `$(Name)` references are expanded; `Condition="'$(X)' == ''"` is honoured,
/// other conditions on properties are ignored.
/// </summary>
public sealed class NfProject
{
    /// <summary>Full path of the .nfproj.</summary>
    public string Path = "";
    /// <summary>Folder of the .nfproj.</summary>
    public string Directory = "";
    /// <summary>Evaluated properties.</summary>
    public readonly Dictionary<string, string> Properties = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>Compile items.</summary>
    public readonly List<NfItem> Compile = new();
    /// <summary>ProjectReference items.</summary>
    public readonly List<NfItem> ProjectReferences = new();
    /// <summary>PackageReference items.</summary>
    public readonly List<NfItem> PackageReferences = new();
    /// <summary>Old-style Reference items (not supported: packages must be PackageReference).</summary>
    public readonly List<NfItem> References = new();

    /// <summary>AssemblyName property, or the file name.</summary>
    public string AssemblyName => Properties.TryGetValue("AssemblyName", out var a) && a.Length > 0
        ? a : System.IO.Path.GetFileNameWithoutExtension(Path);

    /// <summary>LangVersion property ("" when unset).</summary>
    public string LangVersion => Properties.TryGetValue("LangVersion", out var v) ? v : "";

    /// <summary>DefineConstants split at ';'.</summary>
    public IEnumerable<string> DefineConstants =>
        (Properties.TryGetValue("DefineConstants", out var d) ? d : "")
        .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Loads and evaluates a .nfproj.</summary>
    public static NfProject Load(string path)
    {
        var p = new NfProject { Path = System.IO.Path.GetFullPath(path) };
        p.Directory = System.IO.Path.GetDirectoryName(p.Path)!;
        p.Properties["MSBuildProjectDirectory"] = p.Directory;
        p.Properties["MSBuildThisFileDirectory"] = p.Directory + System.IO.Path.DirectorySeparatorChar;
        p.Properties["DefineConstants"] = "";
        p.Evaluate(p.Path, 0, isProject: true);
        return p;
    }

    static readonly Regex PropertyRef = new(@"\$\(([\w.]+)\)", RegexOptions.Compiled);
    static readonly Regex EmptyCondition = new(@"^\s*'\$\(([\w.]+)\)'\s*==\s*''\s*$", RegexOptions.Compiled);

    /// <summary>Expands `$(Name)`; unknown properties stay as written so that callers can report them.</summary>
    public string Expand(string s) =>
        PropertyRef.Replace(s, m => Properties.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value);

    void Evaluate(string file, int depth, bool isProject)
    {
        if (depth > 8) return;
        var doc = XDocument.Load(file, LoadOptions.SetLineInfo);
        string dir = System.IO.Path.GetDirectoryName(file)!;
        foreach (var el in doc.Root!.Elements())
        {
            switch (el.Name.LocalName)
            {
                case "Import":
                {
                    string target = Expand((string)el.Attribute("Project") ?? "");
                    if (target.Contains("$(", StringComparison.Ordinal)) break;
                    string full = System.IO.Path.GetFullPath(System.IO.Path.Combine(dir, target.Replace('\\', '/')));
                    if (File.Exists(full)) Evaluate(full, depth + 1, isProject: false);
                    break;
                }
                case "PropertyGroup":
                    foreach (var prop in el.Elements())
                    {
                        string cond = (string)prop.Attribute("Condition");
                        if (cond != null)
                        {
                            var m = EmptyCondition.Match(cond);
                            if (!m.Success) continue;
                            if (Properties.TryGetValue(m.Groups[1].Value, out var cur) && cur.Length > 0) continue;
                        }
                        Properties[prop.Name.LocalName] = Expand(prop.Value.Trim());
                    }
                    break;
                case "ItemGroup":
                    if (!isProject) break;
                    foreach (var item in el.Elements())
                    {
                        string include = (string)item.Attribute("Include");
                        if (include == null) continue;
                        int line = ((IXmlLineInfo)item).LineNumber;
                        switch (item.Name.LocalName)
                        {
                            case "Compile": Compile.Add(new NfItem(include, line)); break;
                            case "ProjectReference": ProjectReferences.Add(new NfItem(include, line)); break;
                            case "PackageReference":
                            {
                                string v = (string)item.Attribute("Version") ?? item.Elements().FirstOrDefault(e => e.Name.LocalName == "Version")?.Value ?? "";
                                PackageReferences.Add(new NfItem(include, line, Expand(v), v));
                                break;
                            }
                            case "Reference": References.Add(new NfItem(include, line)); break;
                        }
                    }
                    break;
            }
        }
    }

    /// <summary>Full path of an item path written relative to the project (backslashes allowed).</summary>
    public string ItemPath(string include) =>
        System.IO.Path.GetFullPath(System.IO.Path.Combine(Directory, include.Replace('\\', System.IO.Path.DirectorySeparatorChar)));
}
