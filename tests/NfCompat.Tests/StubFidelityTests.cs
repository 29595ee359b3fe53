using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using VpnAppliance.NfCompat.Api;

namespace VpnAppliance.NfCompat.Tests;

/// <summary>
/// Round trip: every type and member line of the API data is in the generated reference
/// assembly with the same name, parameter types, static/protected modifiers, virtual/abstract/
/// override annotations and integral constant values; and the assembly has no public or
/// protected member the data does not list (explicit interface implementations excepted).
/// </summary>
public sealed class StubFidelityTests
{
    static readonly SymbolDisplayFormat Format = new(
        globalNamespaceStyle: SymbolDisplayGlobalNamespaceStyle.Omitted,
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes);

    static string Key(string type, bool isStatic, bool isProtected, string name, IEnumerable<string> parameters) =>
        $"{type}|{(isProtected ? "protected " : "")}{(isStatic ? "static " : "")}{name}({string.Join(",", parameters)})";

    static IEnumerable<ApiType> AllTypes(ApiAssembly a) => a.ByKey.Values;

    public static IEnumerable<object[]> Packages() =>
        ApiCatalog.Shared.ByPackage.Keys.OrderBy(k => k, StringComparer.Ordinal).Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(Packages))]
    public void GeneratedAssembly_MatchesTheData(string package)
    {
        var refs = ReferenceAssemblies.Shared;
        var data = refs.Catalog.ByPackage[package];
        var closure = refs.Catalog.Closure(new[] { package });
        if (package.EndsWith(".NoReflection", StringComparison.Ordinal)) closure.Remove(ApiCatalog.CorePackage);
        var generated = refs.Get(package);
        var comp = CSharpCompilation.Create("probe", references: closure.Select(p => refs.Get(p).Reference));
        var asm = (IAssemblySymbol)comp.GetAssemblyOrModuleSymbol(generated.Reference)!;

        var expected = new SortedSet<string>(StringComparer.Ordinal);
        var problems = new List<string>();
        var annotations = new Dictionary<string, ApiMember>(StringComparer.Ordinal);
        foreach (var t in AllTypes(data))
        {
            expected.Add("type " + t.FullName);
            foreach (var m in t.Members)
            {
                string key = m.Kind switch
                {
                    ApiMemberKind.Method or ApiMemberKind.Constructor => Key(t.FullName, m.IsStatic, m.IsProtected, m.Name,
                        m.Parameters.Select(p => (p.Modifier is "ref" or "out" or "in" ? p.Modifier + " " : "") + p.Type)),
                    _ => Key(t.FullName, m.IsStatic || m.Kind == ApiMemberKind.Const, m.IsProtected, m.Name, Array.Empty<string>()),
                };
                if (t.Kind == ApiTypeKind.Enum) key = Key(t.FullName, true, false, m.Name, Array.Empty<string>());
                expected.Add(key);
                annotations[key] = m;
            }
        }

        var actual = new SortedSet<string>(StringComparer.Ordinal);
        void Walk(INamedTypeSymbol type)
        {
            if (type.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Protected)) return;
            string full = type.ToDisplayString(Format.RemoveMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.UseSpecialTypes)).Replace(", ", ",");
            actual.Add("type " + full);
            foreach (var member in type.GetMembers())
            {
                if (member is INamedTypeSymbol nested) { Walk(nested); continue; }
                if (member.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Protected)) continue;
                if (member.IsImplicitlyDeclared) continue;
                bool prot = member.DeclaredAccessibility == Accessibility.Protected;
                string key;
                switch (member)
                {
                    case IMethodSymbol m when m.MethodKind is MethodKind.ExplicitInterfaceImplementation or MethodKind.EventAdd or MethodKind.EventRemove:
                        continue;
                    case IMethodSymbol m when type.TypeKind == TypeKind.Delegate:
                        continue; // Invoke/BeginInvoke: the delegate line covers them
                    case IMethodSymbol m:
                        key = Key(full, m.IsStatic, prot, m.MetadataName, m.Parameters.Select(p =>
                            (p.RefKind switch { RefKind.Ref => "ref ", RefKind.Out => "out ", RefKind.In => "in ", _ => "" }) + p.Type.ToDisplayString(Format)));
                        if (annotations.TryGetValue(key, out var am) && type.TypeKind == TypeKind.Class)
                        {
                            if (am.Annotations.Contains("abstract") != m.IsAbstract) problems.Add("abstract differs: " + am.Line);
                            if ((am.Annotations.Contains("override") || am.Annotations.Contains("sealed-override")) != m.IsOverride) problems.Add("override differs: " + am.Line);
                            if (!type.IsSealed && am.Annotations.Contains("virtual") != (m.IsVirtual)) problems.Add("virtual differs: " + am.Line);
                        }
                        break;
                    case IFieldSymbol f:
                        key = Key(full, f.IsStatic || f.IsConst, prot, f.Name, Array.Empty<string>());
                        if (f.IsConst && annotations.TryGetValue(key, out var cm) && f.ConstantValue is IConvertible c
                            && f.ConstantValue is not (float or double or string or char))
                        {
                            string? v = Convert.ToString(c, CultureInfo.InvariantCulture);
                            if (v != cm.Value) problems.Add($"value {v} differs: {cm.Line}");
                        }
                        break;
                    case IEventSymbol e:
                        key = Key(full, e.IsStatic, prot, e.Name, Array.Empty<string>());
                        break;
                    default:
                        continue; // properties: their accessors are compared as methods
                }
                actual.Add(key);
            }
        }
        foreach (var t in AllTypesOf(asm.GlobalNamespace)) Walk(t);

        var missing = expected.Except(actual).ToList();
        var extra = actual.Except(expected).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0 && problems.Count == 0,
            $"missing from the assembly:\n  {string.Join("\n  ", missing)}\nnot in the data:\n  {string.Join("\n  ", extra)}\nproblems:\n  {string.Join("\n  ", problems)}");
    }

    static IEnumerable<INamedTypeSymbol> AllTypesOf(INamespaceSymbol ns)
    {
        foreach (var t in ns.GetTypeMembers()) yield return t;
        foreach (var child in ns.GetNamespaceMembers())
            foreach (var t in AllTypesOf(child)) yield return t;
    }
}
