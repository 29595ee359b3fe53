using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace VpnAppliance.NfCompat.Api;

/// <summary>
/// Writes the C# stub source of one API assembly: every listed type and member with the same
/// signature, modifiers and constant values, bodies `throw null;`. Compiling it yields a
/// reference assembly with the nanoFramework surface. What the compiler needs beyond the data
/// comes from <see cref="StubFixups"/> (explicit interface implementations, members to drop or
/// to demote); the writer records where each member starts so that compiler errors and
/// annotations can be mapped back to data lines.
/// </summary>
public sealed class StubSource
{
    readonly ApiAssembly _asm;
    readonly Func<string, ApiType> _resolve;
    readonly StubFixups _fix;
    readonly StringBuilder _sb = new();

    /// <summary>Span of generated text per data line (member or type line).</summary>
    public readonly List<(int Start, int End, string Line)> Spans = new();
    /// <summary>Offsets of annotated declarations (for the symbol annotation map).</summary>
    public readonly List<(int Offset, HashSet<string> Annotations)> Annotated = new();

    StubSource(ApiAssembly asm, Func<string, ApiType> resolve, StubFixups fix)
    {
        _asm = asm; _resolve = resolve; _fix = fix;
    }

    /// <summary>Generates the stub text.</summary>
    public static StubSource Write(ApiAssembly asm, Func<string, ApiType> resolve, StubFixups fix)
    {
        var w = new StubSource(asm, resolve, fix);
        foreach (var t in asm.Types) w.WriteTopLevel(t);
        return w;
    }

    /// <summary>The generated C# text.</summary>
    public string Text => _sb.ToString();

    void WriteTopLevel(ApiType t)
    {
        if (t.Namespace.Length > 0) _sb.Append("namespace ").Append(t.Namespace).Append(" {\n");
        WriteType(t, "  ");
        if (t.Namespace.Length > 0) _sb.Append("}\n");
    }

    static readonly Regex DottedName = new(@"(?<![\w.:])[A-Za-z_]\w*(\.[A-Za-z_]\w*)+", RegexOptions.Compiled);

    /// <summary>Qualifies every dotted (namespace-qualified) name with `global::`.</summary>
    public static string Ty(string type) => DottedName.Replace(type, m => "global::" + m.Value);

    void WriteType(ApiType t, string ind)
    {
        int start = _sb.Length;
        _sb.Append(ind);
        if (t.Annotations.Count > 0) Annotated.Add((_sb.Length, t.Annotations));
        _sb.Append(t.IsProtected ? "protected " : "public ");
        string tps = t.TypeParameters.Length == 0 ? "" : "<" + string.Join(",", t.TypeParameters) + ">";
        switch (t.Kind)
        {
            case ApiTypeKind.Delegate:
                _sb.Append("delegate ").Append(Ty(t.DelegateReturn)).Append(' ').Append(t.Name).Append(tps)
                   .Append('(').Append(Params(t.DelegateParameters)).Append(");\n");
                Spans.Add((start, _sb.Length, t.Line));
                return;
            case ApiTypeKind.Enum:
                if (t.Annotations.Contains("flags")) _sb.Insert(start + ind.Length, "[global::System.Flags] ");
                _sb.Append("enum ").Append(t.Name);
                if (t.Bases.Count > 0) _sb.Append(" : ").Append(t.Bases[0]);
                _sb.Append(" {\n");
                Spans.Add((start, _sb.Length, t.Line));
                foreach (var m in t.Members)
                {
                    if (_fix.Dropped.ContainsKey(m.Line)) continue;
                    int ms = _sb.Length;
                    _sb.Append(ind).Append("  ");
                    if (m.Annotations.Count > 0) Annotated.Add((_sb.Length, m.Annotations));
                    _sb.Append(m.Name).Append(" = ").Append(m.Value).Append(",\n");
                    Spans.Add((ms, _sb.Length, m.Line));
                }
                _sb.Append(ind).Append("}\n");
                return;
        }
        if (t.IsStatic) _sb.Append("static ");
        if (t.IsAbstract) _sb.Append("abstract ");
        if (t.IsSealed) _sb.Append("sealed ");
        if (t.IsReadOnly) _sb.Append("readonly ");
        _sb.Append(t.Kind switch { ApiTypeKind.Struct => "struct ", ApiTypeKind.Interface => "interface ", _ => "class " });
        _sb.Append(t.Name).Append(tps);
        var bases = t.Bases.Where(b => !_fix.DroppedBases.Contains(t.Key + ":" + b)).ToList();
        if (bases.Count > 0) _sb.Append(" : ").Append(string.Join(", ", bases.Select(Ty)));
        _sb.Append(" {\n");
        Spans.Add((start, _sb.Length, t.Line));

        string inner = ind + "  ";
        foreach (var n in t.Nested) WriteType(n, inner);
        var members = t.Members.Where(m => !_fix.Dropped.ContainsKey(m.Line)).ToList();
        bool anyCtor = members.Any(m => m.Kind == ApiMemberKind.Constructor);
        if (t.Kind == ApiTypeKind.Class && !t.IsStatic && !anyCtor)
        {
            // No constructor in the data: declare an internal one so that C# does not add a
            // public default constructor the real type does not have.
            _sb.Append(inner).Append("internal ").Append(t.Name).Append("()").Append(BaseCall(t)).Append(" { }\n");
        }
        var accessors = new Dictionary<string, (ApiMember Get, ApiMember Set)>();
        var order = new List<string>();
        foreach (var m in members)
        {
            if (m.Kind == ApiMemberKind.Method && IsAccessor(m, out string prop, out bool isGet))
            {
                string key = (m.IsStatic ? "static " : "") + prop + "|" + IndexKey(m, isGet);
                if (!accessors.TryGetValue(key, out var pair)) { pair = (null, null); order.Add(key); }
                if (isGet) pair.Get = m; else pair.Set = m;
                accessors[key] = pair;
                continue;
            }
            WriteMember(t, m, inner);
        }
        foreach (var key in order) WriteProperty(t, accessors[key].Get, accessors[key].Set, inner);
        if (_fix.Extra.TryGetValue(t.Key, out var extra))
            foreach (var e in extra) _sb.Append(inner).Append(e).Append('\n');
        _sb.Append(ind).Append("}\n");
    }

    static bool IsAccessor(ApiMember m, out string prop, out bool isGet)
    {
        prop = ""; isGet = false;
        if (m.Name.StartsWith("get_", StringComparison.Ordinal) && m.Type != "void")
        { prop = m.Name[4..]; isGet = true; return true; }
        if (m.Name.StartsWith("set_", StringComparison.Ordinal) && m.Type == "void" && m.Parameters.Count >= 1)
        { prop = m.Name[4..]; return true; }
        return false;
    }

    static string IndexKey(ApiMember m, bool isGet)
    {
        var ps = isGet ? m.Parameters : m.Parameters.Take(m.Parameters.Count - 1).ToList();
        return string.Join(",", ps.Select(p => p.Type));
    }

    string Modifiers(ApiType t, ApiMember m, bool forAccessorGroup = false)
    {
        if (t.Kind == ApiTypeKind.Interface) return m.IsStatic ? "static " : "";
        var sb = new StringBuilder();
        sb.Append(m.IsProtected ? "protected " : "public ");
        if (m.IsStatic) sb.Append("static ");
        if (!_fix.Demoted.Contains(m.Line))
        {
            if (m.Annotations.Contains("abstract")) sb.Append("abstract ");
            else if (m.Annotations.Contains("sealed-override")) sb.Append("sealed override ");
            else if (m.Annotations.Contains("override")) sb.Append("override ");
            else if (m.Annotations.Contains("virtual") && !t.IsSealed && t.Kind == ApiTypeKind.Class) sb.Append("virtual ");
        }
        return sb.ToString();
    }

    bool IsAbstract(ApiType t, ApiMember m) =>
        t.Kind == ApiTypeKind.Interface || (m.Annotations.Contains("abstract") && !_fix.Demoted.Contains(m.Line));

    void WriteMember(ApiType t, ApiMember m, string ind)
    {
        int start = _sb.Length;
        _sb.Append(ind);
        if (m.Annotations.Count > 0) Annotated.Add((_sb.Length, m.Annotations));
        string body = IsAbstract(t, m) ? ";" : " { throw null; }";
        switch (m.Kind)
        {
            case ApiMemberKind.Constructor:
                _sb.Append(m.IsProtected ? "protected " : "public ").Append(t.Name)
                   .Append('(').Append(Params(m.Parameters)).Append(')');
                if (t.Kind == ApiTypeKind.Class) _sb.Append(BaseCall(t));
                _sb.Append(" { throw null; }");
                break;
            case ApiMemberKind.Const:
                _sb.Append(m.IsProtected ? "protected " : "public ").Append("const ").Append(Ty(m.Type)).Append(' ')
                   .Append(m.Name).Append(" = ").Append(ConstValue(m.Type, m.Value)).Append(';');
                break;
            case ApiMemberKind.Field:
                _sb.Append(m.IsProtected ? "protected " : "public ");
                if (m.IsStatic) _sb.Append("static ");
                if (m.IsReadOnly || (t.IsReadOnly && !m.IsStatic)) _sb.Append("readonly ");
                _sb.Append(Ty(m.Type)).Append(' ').Append(m.Name).Append(';');
                break;
            case ApiMemberKind.Event:
                _sb.Append(Modifiers(t, m)).Append("event ").Append(Ty(m.Type)).Append(' ').Append(m.Name).Append(';');
                break;
            default:
                if (m.Name.StartsWith("op_", StringComparison.Ordinal))
                {
                    string ps = Params(m.Parameters);
                    if (m.Name == "op_Implicit" || m.Name == "op_Explicit")
                        _sb.Append("public static ").Append(m.Name == "op_Implicit" ? "implicit" : "explicit")
                           .Append(" operator ").Append(Ty(m.Type)).Append('(').Append(ps).Append(')').Append(body);
                    else
                        _sb.Append("public static ").Append(Ty(m.Type)).Append(" operator ").Append(OperatorToken(m))
                           .Append('(').Append(ps).Append(')').Append(body);
                    break;
                }
                _sb.Append(Modifiers(t, m)).Append(Ty(m.Type)).Append(' ').Append(m.Name)
                   .Append('(').Append(Params(m.Parameters)).Append(')').Append(body);
                break;
        }
        _sb.Append('\n');
        Spans.Add((start, _sb.Length, m.Line));
    }

    void WriteProperty(ApiType t, ApiMember get, ApiMember set, string ind)
    {
        var main = get ?? set;
        string type = get != null ? get.Type : set.Parameters[^1].Type;
        var index = get != null ? get.Parameters : set.Parameters.Take(set.Parameters.Count - 1).ToList();
        string name = main.Name[4..];
        bool isIndexer = index.Count > 0;
        // The property takes the widest accessibility; a narrower accessor says `protected`.
        bool anyPublic = (get != null && !get.IsProtected) || (set != null && !set.IsProtected);
        var head = new ApiMember { IsProtected = !anyPublic, IsStatic = main.IsStatic, Line = main.Line };
        foreach (var a in (get ?? set).Annotations) head.Annotations.Add(a);
        if (get != null && set != null && _fix.Demoted.Contains(set.Line)) head.Annotations.Clear();
        if (_fix.Demoted.Contains(main.Line)) _fix.Demoted.Add(head.Line);
        bool isAbstract = IsAbstract(t, head);
        int start = _sb.Length;
        _sb.Append(ind).Append(Modifiers(t, head)).Append(Ty(type)).Append(' ');
        if (isIndexer)
        {
            if (name != "Item") _sb.Insert(start + ind.Length, "[global::System.Runtime.CompilerServices.IndexerName(\"" + name + "\")] ");
            _sb.Append("this[").Append(Params(index)).Append(']');
        }
        else _sb.Append(name);
        _sb.Append(" {");
        Spans.Add((start, _sb.Length, main.Line));
        foreach (var acc in new[] { get, set })
        {
            if (acc == null) continue;
            int s = _sb.Length;
            _sb.Append(' ');
            if (acc.Annotations.Count > 0) Annotated.Add((_sb.Length, acc.Annotations));
            if (acc.IsProtected && anyPublic) _sb.Append("protected ");
            _sb.Append(acc == get ? "get" : "set").Append(isAbstract ? ";" : " { throw null; }");
            Spans.Add((s, _sb.Length, acc.Line));
        }
        _sb.Append(" }\n");
    }

    string BaseCall(ApiType t)
    {
        if (t.Bases.Count == 0) return "";
        var b = _resolve(ApiParser.KeyOf(t.Bases[0]));
        if (b == null || b.Kind != ApiTypeKind.Class) return "";
        var ctors = b.Members.Where(m => m.Kind == ApiMemberKind.Constructor && !_fix.Dropped.ContainsKey(m.Line)).ToList();
        if (ctors.Count == 0) return ""; // the base's internal constructor (same assembly) or object
        if (ctors.Any(c => c.Parameters.Count == 0)) return "";
        var pick = ctors.OrderBy(c => c.Parameters.Count).First();
        return " : base(" + string.Join(", ", pick.Parameters.Select(p => "default(" + Ty(p.Type) + ")")) + ")";
    }

    static string Params(List<ApiParameter> ps)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < ps.Count; i++)
        {
            if (i > 0) sb.Append(", ");
            var p = ps[i];
            if (p.Modifier.Length > 0) sb.Append(p.Modifier).Append(' ');
            sb.Append(Ty(p.Type)).Append(" p").Append(i);
            if (p.Default != null) sb.Append(" = ").Append(p.Default == "default" ? "default" : Ty(p.Default));
        }
        return sb.ToString();
    }

    static string ConstValue(string type, string value)
    {
        bool isFloat = type == "float";
        bool isReal = isFloat || type == "double";
        if (isReal)
        {
            string suffix = isFloat ? "F" : "D";
            if (value == "NaN") return $"(0.0{suffix} / 0.0{suffix})";
            if (value == "Infinity") return $"(1.0{suffix} / 0.0{suffix})";
            if (value == "-Infinity") return $"(-1.0{suffix} / 0.0{suffix})";
            return value + suffix;
        }
        if (value.StartsWith('"') || value.StartsWith('\'') || value == "null" || type == "bool") return value;
        return "(" + Ty(type) + ")(" + value + ")";
    }

    static string OperatorToken(ApiMember m) => m.Name switch
    {
        "op_Addition" => "+", "op_Subtraction" => "-", "op_Multiply" => "*", "op_Division" => "/",
        "op_Modulus" => "%", "op_Equality" => "==", "op_Inequality" => "!=", "op_LessThan" => "<",
        "op_GreaterThan" => ">", "op_LessThanOrEqual" => "<=", "op_GreaterThanOrEqual" => ">=",
        "op_UnaryNegation" => "-", "op_UnaryPlus" => "+", "op_LogicalNot" => "!", "op_OnesComplement" => "~",
        "op_BitwiseAnd" => "&", "op_BitwiseOr" => "|", "op_ExclusiveOr" => "^", "op_LeftShift" => "<<",
        "op_RightShift" => ">>", "op_Increment" => "++", "op_Decrement" => "--", "op_True" => "true", "op_False" => "false",
        _ => throw new FormatException("unknown operator: " + m.Line),
    };
}

/// <summary>What the generator must add or leave out to make a data set compile.</summary>
public sealed class StubFixups
{
    /// <summary>Data lines left out, with the compiler error that forced it.</summary>
    public readonly Dictionary<string, string> Dropped = new(StringComparer.Ordinal);
    /// <summary>Member lines whose virtual/override/abstract modifiers were removed.</summary>
    public readonly HashSet<string> Demoted = new(StringComparer.Ordinal);
    /// <summary>`TypeKey:Base` entries removed from base lists.</summary>
    public readonly HashSet<string> DroppedBases = new(StringComparer.Ordinal);
    /// <summary>Extra member text per type key (explicit interface implementations, overrides).</summary>
    public readonly Dictionary<string, List<string>> Extra = new(StringComparer.Ordinal);
    /// <summary>Log of every adjustment (shown by --verbose).</summary>
    public readonly List<string> Log = new();
}
