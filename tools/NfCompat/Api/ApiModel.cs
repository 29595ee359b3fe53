using System.Collections.Generic;

namespace VpnAppliance.NfCompat.Api;

/// <summary>Kind of an API type line (`type public ... class|struct|...`).</summary>
public enum ApiTypeKind { Class, Struct, Interface, Enum, Delegate }

/// <summary>One type of one API file, with its members in file order.</summary>
public sealed class ApiType
{
    /// <summary>Assembly name (first column).</summary>
    public string Assembly = "";
    /// <summary>Full name as written, e.g. `System.Action&lt;T&gt;` or `Outer.Inner`.</summary>
    public string FullName = "";
    /// <summary>Full name without generic parameters, plus a backtick arity when generic (lookup key).</summary>
    public string Key = "";
    /// <summary>Simple name without namespace, outer types or generic parameters.</summary>
    public string Name = "";
    /// <summary>Generic parameter names (empty for non-generic types).</summary>
    public string[] TypeParameters = System.Array.Empty<string>();
    /// <summary>Namespace (empty for nested types: see <see cref="Outer"/>).</summary>
    public string Namespace = "";
    /// <summary>Containing type for nested types.</summary>
    public ApiType Outer;
    /// <summary>Nested types declared inside this one.</summary>
    public readonly List<ApiType> Nested = new();
    /// <summary>Type kind.</summary>
    public ApiTypeKind Kind;
    /// <summary>`protected` nested type.</summary>
    public bool IsProtected;
    /// <summary>static / abstract / sealed / readonly modifiers of the type line.</summary>
    public bool IsStatic, IsAbstract, IsSealed, IsReadOnly;
    /// <summary>Base type then interfaces (class/struct/interface), underlying type (enum).</summary>
    public readonly List<string> Bases = new();
    /// <summary>Delegate return type and parameters.</summary>
    public string DelegateReturn = "";
    /// <summary>Delegate parameters.</summary>
    public List<ApiParameter> DelegateParameters = new();
    /// <summary>Annotations of the type line (`excludetype`, `flags`, `obsolete`).</summary>
    public readonly HashSet<string> Annotations = new();
    /// <summary>Members in file order.</summary>
    public readonly List<ApiMember> Members = new();
    /// <summary>The original line (for messages).</summary>
    public string Line = "";
}

/// <summary>Kind of a member line.</summary>
public enum ApiMemberKind { Method, Constructor, Field, Const, Event }

/// <summary>One member line of a type.</summary>
public sealed class ApiMember
{
    /// <summary>Member kind.</summary>
    public ApiMemberKind Kind;
    /// <summary>Metadata name (`get_Length`, `op_Equality`, `.ctor`).</summary>
    public string Name = "";
    /// <summary>Return type (method), field/event/const type.</summary>
    public string Type = "";
    /// <summary>Parameters (methods and constructors).</summary>
    public List<ApiParameter> Parameters = new();
    /// <summary>`protected` member.</summary>
    public bool IsProtected;
    /// <summary>`static` member.</summary>
    public bool IsStatic;
    /// <summary>`readonly` field.</summary>
    public bool IsReadOnly;
    /// <summary>Constant value as written (const fields).</summary>
    public string Value = "";
    /// <summary>Annotations (`virtual`, `abstract`, `override`, `sealed-override`, `extern`, `obsolete`, `excludetype`).</summary>
    public readonly HashSet<string> Annotations = new();
    /// <summary>The original line (for messages).</summary>
    public string Line = "";
}

/// <summary>One parameter: modifier (ref/out/in/params/this or empty), type, optional default value.</summary>
public sealed class ApiParameter
{
    /// <summary>`ref`, `out`, `in`, `params`, `this` or empty.</summary>
    public string Modifier = "";
    /// <summary>Type as written.</summary>
    public string Type = "";
    /// <summary>Default value as written, or null when the parameter is required.</summary>
    public string Default;
}

/// <summary>All the types of one API file.</summary>
public sealed class ApiAssembly
{
    /// <summary>Assembly name, e.g. `mscorlib`.</summary>
    public string Name = "";
    /// <summary>NuGet package the file describes.</summary>
    public string Package = "";
    /// <summary>File name the data came from.</summary>
    public string File = "";
    /// <summary>Top-level types in file order (nested ones hang off their outer type).</summary>
    public readonly List<ApiType> Types = new();
    /// <summary>Every type, nested included, by <see cref="ApiType.Key"/>.</summary>
    public readonly Dictionary<string, ApiType> ByKey = new(System.StringComparer.Ordinal);
}
