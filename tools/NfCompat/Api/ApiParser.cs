using System;
using System.Collections.Generic;

namespace VpnAppliance.NfCompat.Api;

/// <summary>
/// Parses the line format of api/*.api.txt (see api/README.md) into <see cref="ApiAssembly"/>.
/// A line that cannot be understood throws <see cref="FormatException"/> naming it: the data is
/// ours, so a surprise there is a bug to fix, not an input to tolerate.
/// </summary>
public static class ApiParser
{
    /// <summary>Parses one whole file.</summary>
    public static ApiAssembly Parse(string fileName, string text)
    {
        var asm = new ApiAssembly { File = fileName };
        var pending = new List<(string TypeName, ApiMember Member)>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0) continue;
            if (line.StartsWith('#'))
            {
                // "# nanoFramework public API surface: assembly X  (NuGet package Y)"
                int p = line.IndexOf("(NuGet package ", StringComparison.Ordinal);
                if (p >= 0) asm.Package = line[(p + 15)..].TrimEnd(')').Trim();
                continue;
            }
            var cols = line.Split('|', 3);
            if (cols.Length != 3) throw new FormatException($"{fileName}: not 3 columns: {line}");
            asm.Name = cols[0];
            var (body, notes) = SplitAnnotations(cols[2]);
            if (body.StartsWith("type ", StringComparison.Ordinal))
            {
                var t = ParseType(cols[1], body, line);
                foreach (var n in notes) t.Annotations.Add(n);
                t.Assembly = cols[0];
                asm.ByKey[t.Key] = t;
            }
            else
            {
                var m = ParseMember(body, line);
                foreach (var n in notes) m.Annotations.Add(n);
                pending.Add((cols[1], m));
            }
        }
        // Nesting: an `Outer.Inner` type line says `nested`; attach to the outer type.
        foreach (var t in Sorted(asm.ByKey.Values))
        {
            if (t.Namespace == null)
            {
                int dot = t.Key.LastIndexOf('.');
                if (!asm.ByKey.TryGetValue(t.Key[..dot], out var outer))
                    throw new FormatException($"{fileName}: nested type without outer type: {t.Line}");
                t.Outer = outer;
                t.Namespace = "";
                outer.Nested.Add(t);
            }
            else asm.Types.Add(t);
        }
        foreach (var (typeName, m) in pending)
        {
            if (!asm.ByKey.TryGetValue(KeyOf(typeName), out var t))
                throw new FormatException($"{fileName}: member of unknown type: {m.Line}");
            t.Members.Add(m);
        }
        return asm;
    }

    static IEnumerable<ApiType> Sorted(IEnumerable<ApiType> types)
    {
        var list = new List<ApiType>(types);
        list.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return list;
    }

    /// <summary>`System.Action&lt;T1,T2&gt;` to `System.Action`2`.</summary>
    public static string KeyOf(string fullName)
    {
        int lt = fullName.IndexOf('<');
        if (lt < 0) return fullName;
        int arity = SplitTopLevel(fullName[(lt + 1)..^1], ',').Count;
        return fullName[..lt] + "`" + arity;
    }

    static (string Body, List<string> Notes) SplitAnnotations(string s)
    {
        var notes = new List<string>();
        int p = s.IndexOf("  #", StringComparison.Ordinal);
        if (p < 0) return (s, notes);
        foreach (var part in s[p..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            if (part.StartsWith('#')) notes.Add(part[1..]);
        return (s[..p], notes);
    }

    static ApiType ParseType(string fullName, string body, string line)
    {
        var t = new ApiType { FullName = fullName, Key = KeyOf(fullName), Line = line };
        int lt = fullName.IndexOf('<');
        string plain = lt < 0 ? fullName : fullName[..lt];
        if (lt >= 0) t.TypeParameters = SplitTopLevel(fullName[(lt + 1)..^1], ',').ToArray();
        int dot = plain.LastIndexOf('.');
        t.Name = plain[(dot + 1)..];
        t.Namespace = dot < 0 ? "" : plain[..dot];

        string rest = body[5..];
        string bases = "";
        int colon = rest.IndexOf(" : ", StringComparison.Ordinal);
        var words = new List<string>();
        if (rest.Contains(" delegate ", StringComparison.Ordinal))
        {
            int d = rest.IndexOf(" delegate ", StringComparison.Ordinal);
            words.AddRange(rest[..d].Split(' ', StringSplitOptions.RemoveEmptyEntries));
            words.Add("delegate");
            string sig = rest[(d + 10)..];
            int paren = sig.IndexOf(" (", StringComparison.Ordinal);
            t.DelegateReturn = sig[..paren];
            t.DelegateParameters = ParseParameters(sig[(paren + 2)..^1]);
        }
        else
        {
            if (colon >= 0) { bases = rest[(colon + 3)..]; rest = rest[..colon]; }
            words.AddRange(rest.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }
        foreach (var w in words)
        {
            switch (w)
            {
                case "public": break;
                case "protected": t.IsProtected = true; break;
                case "nested": t.Namespace = null; break; // resolved by the caller
                case "static": t.IsStatic = true; break;
                case "abstract": t.IsAbstract = true; break;
                case "sealed": t.IsSealed = true; break;
                case "readonly": t.IsReadOnly = true; break;
                case "class": t.Kind = ApiTypeKind.Class; break;
                case "struct": t.Kind = ApiTypeKind.Struct; break;
                case "interface": t.Kind = ApiTypeKind.Interface; break;
                case "enum": t.Kind = ApiTypeKind.Enum; break;
                case "delegate": t.Kind = ApiTypeKind.Delegate; break;
                default: throw new FormatException("unknown type modifier '" + w + "': " + line);
            }
        }
        foreach (var b in SplitTopLevel(bases, ','))
            if (b.Trim().Length > 0) t.Bases.Add(b.Trim());
        return t;
    }

    static ApiMember ParseMember(string body, string line)
    {
        var m = new ApiMember { Line = line };
        string s = body;
        while (true)
        {
            if (s.StartsWith("protected ", StringComparison.Ordinal)) { m.IsProtected = true; s = s[10..]; }
            else if (s.StartsWith("static ", StringComparison.Ordinal)) { m.IsStatic = true; s = s[7..]; }
            else if (s.StartsWith("readonly ", StringComparison.Ordinal)) { m.IsReadOnly = true; s = s[9..]; }
            else break;
        }
        if (s.StartsWith(".ctor(", StringComparison.Ordinal))
        {
            m.Kind = ApiMemberKind.Constructor;
            m.Name = ".ctor";
            m.Parameters = ParseParameters(s[6..s.LastIndexOf(')')]);
            return m;
        }
        if (s.StartsWith("event ", StringComparison.Ordinal))
        {
            m.Kind = ApiMemberKind.Event;
            int sp = s.LastIndexOf(' ');
            m.Type = s[6..sp];
            m.Name = s[(sp + 1)..];
            return m;
        }
        if (s.StartsWith("const field ", StringComparison.Ordinal))
        {
            m.Kind = ApiMemberKind.Const;
            int eq = s.IndexOf(" = ", StringComparison.Ordinal);
            string decl = s[12..eq];
            int sp = decl.LastIndexOf(' ');
            m.Type = decl[..sp];
            m.Name = decl[(sp + 1)..];
            m.Value = s[(eq + 3)..];
            return m;
        }
        if (s.StartsWith("field ", StringComparison.Ordinal))
        {
            m.Kind = ApiMemberKind.Field;
            int sp = s.LastIndexOf(' ');
            m.Type = s[6..sp];
            m.Name = s[(sp + 1)..];
            return m;
        }
        int open = s.IndexOf('(');
        if (open < 0 || !s.EndsWith(')')) throw new FormatException("cannot parse member: " + line);
        string head = s[..open];
        int hs = head.LastIndexOf(' ');
        if (hs < 0) throw new FormatException("member without return type: " + line);
        m.Kind = ApiMemberKind.Method;
        m.Type = head[..hs];
        m.Name = head[(hs + 1)..];
        m.Parameters = ParseParameters(s[(open + 1)..^1]);
        return m;
    }

    static readonly string[] Modifiers = { "ref ", "out ", "in ", "params ", "this " };

    /// <summary>Parses `T1,ref T2,T3=value` (commas inside brackets or quotes do not split).</summary>
    public static List<ApiParameter> ParseParameters(string list)
    {
        var result = new List<ApiParameter>();
        foreach (var part in SplitTopLevel(list, ','))
        {
            string p = part.Trim();
            if (p.Length == 0) continue;
            var ap = new ApiParameter();
            foreach (var mod in Modifiers)
                if (p.StartsWith(mod, StringComparison.Ordinal)) { ap.Modifier = mod.Trim(); p = p[mod.Length..]; break; }
            int eq = IndexOfTopLevel(p, '=');
            if (eq >= 0) { ap.Default = p[(eq + 1)..]; p = p[..eq]; }
            ap.Type = p;
            result.Add(ap);
        }
        return result;
    }

    /// <summary>Splits at <paramref name="sep"/> outside of (), &lt;&gt;, [] and quotes.</summary>
    public static List<string> SplitTopLevel(string s, char sep)
    {
        var parts = new List<string>();
        int depth = 0, start = 0;
        char quote = '\0';
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (quote != '\0')
            {
                if (c == '\\') i++;
                else if (c == quote) quote = '\0';
                continue;
            }
            if (c == '"' || c == '\'') quote = c;
            else if (c == '(' || c == '<' || c == '[') depth++;
            else if (c == ')' || c == '>' || c == ']') depth--;
            else if (c == sep && depth == 0) { parts.Add(s[start..i]); start = i + 1; }
        }
        if (s.Length > 0) parts.Add(s[start..]);
        return parts;
    }

    static int IndexOfTopLevel(string s, char target)
    {
        // The type part of a parameter never contains quotes or '=', so the first '=' outside
        // brackets starts the default value.
        int depth = 0;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '(' || c == '<' || c == '[') depth++;
            else if (c == ')' || c == '>' || c == ']') depth--;
            else if (c == target && depth == 0) return i;
        }
        return -1;
    }
}
