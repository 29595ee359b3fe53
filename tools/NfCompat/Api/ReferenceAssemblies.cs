using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Emit;

namespace VpnAppliance.NfCompat.Api;

/// <summary>One generated reference assembly.</summary>
public sealed class GeneratedAssembly
{
    /// <summary>Package it stands for.</summary>
    public string Package = "";
    /// <summary>Metadata reference to the emitted metadata-only image.</summary>
    public MetadataReference Reference;
    /// <summary>Annotations by documentation comment id of the declared symbol.</summary>
    public readonly Dictionary<string, HashSet<string>> Annotations = new(StringComparer.Ordinal);
    /// <summary>Adjustments and dropped data lines (for --verbose).</summary>
    public StubFixups Fixups;
    /// <summary>Number of data lines dropped.</summary>
    public int DroppedCount => Fixups.Dropped.Count;
}

/// <summary>
/// Generates, compiles and caches (in memory, once per process) the reference assembly of each
/// package: stub source from <see cref="StubSource"/>, then rounds of compile-and-fix until
/// the stub compiles without errors: first explicit implementations of interface members the
/// data cannot list, then, for any error left, the offending member loses its
/// virtual/override modifiers or is dropped (counted, and shown by --verbose).
/// </summary>
public sealed class ReferenceAssemblies
{
    readonly ApiCatalog _catalog;
    readonly Dictionary<string, GeneratedAssembly> _cache = new(StringComparer.OrdinalIgnoreCase);
    readonly object _lock = new();

    static ReferenceAssemblies _shared;
    static readonly object SharedLock = new();

    /// <summary>One instance per process over <see cref="ApiCatalog.Shared"/>.</summary>
    public static ReferenceAssemblies Shared
    {
        get { lock (SharedLock) return _shared ??= new ReferenceAssemblies(ApiCatalog.Shared); }
    }

    /// <summary>Creates a generator over a catalog.</summary>
    public ReferenceAssemblies(ApiCatalog catalog) => _catalog = catalog;

    /// <summary>The catalog.</summary>
    public ApiCatalog Catalog => _catalog;

    /// <summary>Every assembly generated so far.</summary>
    public IReadOnlyCollection<GeneratedAssembly> Generated
    {
        get { lock (_lock) return _cache.Values.ToList(); }
    }

    /// <summary>Gets (generating on first use) the assembly of a package.</summary>
    public GeneratedAssembly Get(string package)
    {
        lock (_lock)
        {
            if (_cache.TryGetValue(package, out var g)) return g;
            g = Generate(package);
            _cache[package] = g;
            return g;
        }
    }

    static readonly CSharpParseOptions StubParse = new(LanguageVersion.Latest, DocumentationMode.None);

    GeneratedAssembly Generate(string package)
    {
        var asm = _catalog.ByPackage[package];
        var deps = new List<GeneratedAssembly>();
        foreach (var d in _catalog.Closure(_catalog.Dependencies[package]))
            deps.Add(Get(d));
        var refs = deps.Select(d => d.Reference).ToList();
        var fix = new StubFixups();
        ApiType Resolve(string key) => _catalog.Resolve(package, key);

        CSharpCompilation comp = null;
        StubSource src = null;
        SyntaxTree tree = null;
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: NullableContextOptions.Disable, allowUnsafe: false,
            concurrentBuild: false, warningLevel: 0, deterministic: true);
        for (int round = 0; round < 12; round++)
        {
            src = StubSource.Write(asm, Resolve, fix);
            tree = CSharpSyntaxTree.ParseText(src.Text, StubParse, path: asm.Name + ".stub.cs", encoding: Encoding.UTF8);
            comp = CSharpCompilation.Create(asm.Name, new[] { tree }, refs, options);
            var errors = comp.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            bool changed = false;
            if (round == 0) changed = AddMissingImplementations(comp, tree, fix);
            if (!changed && errors.Count == 0) break;
            if (!changed)
            {
                foreach (var e in errors) changed |= FixError(e, src, fix);
                if (!changed)
                    throw new InvalidOperationException($"stub of {package} does not compile and cannot be fixed:\n" +
                        string.Join("\n", errors.Take(20)));
            }
        }
        var finalErrors = comp.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (finalErrors.Count > 0)
            throw new InvalidOperationException($"stub of {package} still has errors:\n" + string.Join("\n", finalErrors.Take(20)));

        using var ms = new MemoryStream();
        var emit = comp.Emit(ms, options: new EmitOptions(metadataOnly: true));
        if (!emit.Success) throw new InvalidOperationException($"stub of {package} did not emit: " + string.Join("\n", emit.Diagnostics));
        var g = new GeneratedAssembly
        {
            Package = package,
            Fixups = fix,
            Reference = MetadataReference.CreateFromImage(ms.ToArray(), filePath: asm.Name + ".dll"),
        };
        RecordAnnotations(comp, tree, src, g);
        return g;
    }

    static bool FixError(Diagnostic e, StubSource src, StubFixups fix)
    {
        int pos = e.Location.SourceSpan.Start;
        // The innermost data line whose generated text contains the error.
        (int Start, int End, string Line) best = default;
        foreach (var s in src.Spans)
            if (pos >= s.Start && pos < s.End && (best.Line == null || s.End - s.Start < best.End - best.Start)) best = s;
        if (best.Line == null) return false;
        string code = e.Id;
        bool modifierProblem = code is "CS0115" or "CS0506" or "CS0549" or "CS0106" or "CS0508" or "CS0545" or "CS0546" or "CS0513";
        if (modifierProblem && !fix.Demoted.Contains(best.Line) && !best.Line.Contains("|type ", StringComparison.Ordinal))
        {
            fix.Demoted.Add(best.Line);
            fix.Log.Add($"demoted (modifiers removed): {best.Line}  [{code}: {e.GetMessage()}]");
            return true;
        }
        if (best.Line.Contains("|type ", StringComparison.Ordinal)) return false;
        if (fix.Dropped.ContainsKey(best.Line)) return false;
        fix.Dropped[best.Line] = $"{code}: {e.GetMessage()}";
        fix.Log.Add($"dropped: {best.Line}  [{code}: {e.GetMessage()}]");
        return true;
    }

    static readonly SymbolDisplayFormat Qualified = SymbolDisplayFormat.FullyQualifiedFormat
        .WithMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.UseSpecialTypes | SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers);

    /// <summary>Adds explicit implementations for interface members no listed member implements,
    /// and overrides for inherited abstract members (neither can be in the data).</summary>
    static bool AddMissingImplementations(CSharpCompilation comp, SyntaxTree tree, StubFixups fix)
    {
        var model = comp.GetSemanticModel(tree);
        bool changed = false;
        foreach (var decl in tree.GetRoot().DescendantNodes().OfType<TypeDeclarationSyntax>())
        {
            if (decl is InterfaceDeclarationSyntax) continue;
            if (model.GetDeclaredSymbol(decl) is not INamedTypeSymbol type) continue;
            string key = KeyOf(type);
            foreach (var iface in type.AllInterfaces)
            {
                foreach (var member in iface.GetMembers())
                {
                    if (member is IMethodSymbol { MethodKind: MethodKind.PropertyGet or MethodKind.PropertySet or MethodKind.EventAdd or MethodKind.EventRemove }) continue;
                    if (member.IsStatic) continue;
                    if (type.FindImplementationForInterfaceMember(member) != null) continue;
                    string text = ExplicitImplementation(iface, member);
                    if (text == null) continue;
                    Add(fix, key, text, $"explicit implementation added: {type.ToDisplayString()} {text}");
                    changed = true;
                }
            }
            if (type.IsAbstract) continue;
            for (var b = type.BaseType; b != null; b = b.BaseType)
            {
                foreach (var member in b.GetMembers().Where(m => m.IsAbstract))
                {
                    if (member is IMethodSymbol { MethodKind: not MethodKind.Ordinary }) continue;
                    if (IsOverridden(type, member)) continue;
                    string text = AbstractOverride(member);
                    if (text == null) continue;
                    Add(fix, key, text, $"override added: {type.ToDisplayString()} {text}");
                    changed = true;
                }
            }
        }
        return changed;
    }

    static void Add(StubFixups fix, string key, string text, string log)
    {
        if (!fix.Extra.TryGetValue(key, out var list)) fix.Extra[key] = list = new List<string>();
        if (list.Contains(text)) return;
        list.Add(text);
        fix.Log.Add(log);
    }

    static bool IsOverridden(INamedTypeSymbol type, ISymbol abstractMember)
    {
        for (var t = type; t != null && !SymbolEqualityComparer.Default.Equals(t, abstractMember.ContainingType); t = t.BaseType)
            foreach (var m in t.GetMembers(abstractMember.Name))
            {
                ISymbol o = m switch { IMethodSymbol x => x.OverriddenMethod, IPropertySymbol p => p.OverriddenProperty, IEventSymbol ev => ev.OverriddenEvent, _ => null };
                for (; o != null; o = o switch { IMethodSymbol x => x.OverriddenMethod, IPropertySymbol p => p.OverriddenProperty, IEventSymbol ev => ev.OverriddenEvent, _ => null })
                    if (SymbolEqualityComparer.Default.Equals(o, abstractMember)) return true;
            }
        return false;
    }

    /// <summary>Key of a type symbol in <see cref="ApiAssembly.ByKey"/> form.</summary>
    static string KeyOf(INamedTypeSymbol t)
    {
        string name = t.MetadataName.Replace('`', '`');
        string prefix = t.ContainingType != null ? KeyOf(t.ContainingType) : (t.ContainingNamespace.IsGlobalNamespace ? "" : t.ContainingNamespace.ToDisplayString());
        return prefix.Length == 0 ? name : prefix + "." + name;
    }

    static string Params(IMethodSymbol m) => string.Join(", ", m.Parameters.Select((p, i) =>
        (p.RefKind switch { RefKind.Ref => "ref ", RefKind.Out => "out ", RefKind.In => "in ", _ => "" }) +
        (p.IsParams ? "params " : "") + p.Type.ToDisplayString(Qualified) + " p" + i));

    static string ExplicitImplementation(INamedTypeSymbol iface, ISymbol member)
    {
        string i = iface.ToDisplayString(Qualified);
        switch (member)
        {
            case IMethodSymbol m when m.MethodKind == MethodKind.Ordinary:
                return $"{m.ReturnType.ToDisplayString(Qualified)} {i}.{m.Name}({Params(m)}) {{ throw null; }}";
            case IPropertySymbol p:
                string acc = (p.GetMethod != null ? "get { throw null; } " : "") + (p.SetMethod != null ? "set { throw null; } " : "");
                if (p.IsIndexer)
                    return $"{p.Type.ToDisplayString(Qualified)} {i}.this[{string.Join(", ", p.Parameters.Select((x, k) => x.Type.ToDisplayString(Qualified) + " p" + k))}] {{ {acc}}}";
                return $"{p.Type.ToDisplayString(Qualified)} {i}.{p.Name} {{ {acc}}}";
            case IEventSymbol ev:
                return $"event {ev.Type.ToDisplayString(Qualified)} {i}.{ev.Name} {{ add {{ }} remove {{ }} }}";
        }
        return null;
    }

    static string AbstractOverride(ISymbol member)
    {
        string access = member.DeclaredAccessibility == Accessibility.Protected ? "protected" : "public";
        switch (member)
        {
            case IMethodSymbol m:
                return $"{access} override {m.ReturnType.ToDisplayString(Qualified)} {m.Name}({Params(m)}) {{ throw null; }}";
            case IPropertySymbol p when !p.IsIndexer:
                string acc = (p.GetMethod != null ? "get { throw null; } " : "") + (p.SetMethod != null ? "set { throw null; } " : "");
                return $"{access} override {p.Type.ToDisplayString(Qualified)} {p.Name} {{ {acc}}}";
        }
        return null;
    }

    static void RecordAnnotations(CSharpCompilation comp, SyntaxTree tree, StubSource src, GeneratedAssembly g)
    {
        var model = comp.GetSemanticModel(tree);
        var root = tree.GetRoot();
        foreach (var (offset, notes) in src.Annotated)
        {
            var relevant = notes.Where(n => n is "excludetype" or "obsolete").ToList();
            if (relevant.Count == 0) continue;
            var token = root.FindToken(offset);
            ISymbol symbol = null;
            foreach (var node in token.Parent!.AncestorsAndSelf())
            {
                symbol = node switch
                {
                    AccessorDeclarationSyntax a => model.GetDeclaredSymbol(a),
                    BaseFieldDeclarationSyntax f => model.GetDeclaredSymbol(f.Declaration.Variables[0]),
                    EnumMemberDeclarationSyntax em => model.GetDeclaredSymbol(em),
                    MemberDeclarationSyntax md => model.GetDeclaredSymbol(md),
                    _ => null,
                };
                if (symbol != null || node is MemberDeclarationSyntax) break;
            }
            if (symbol == null) continue;
            string id = symbol.GetDocumentationCommentId();
            if (id == null) continue;
            if (!g.Annotations.TryGetValue(id, out var set)) g.Annotations[id] = set = new HashSet<string>();
            foreach (var n in relevant) set.Add(n);
        }
    }
}
