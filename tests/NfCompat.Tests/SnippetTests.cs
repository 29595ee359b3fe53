using System.Collections.Generic;
using System.Linq;
using VpnAppliance.NfCompat;

namespace VpnAppliance.NfCompat.Tests;

/// <summary>
/// The gate has teeth: each known-bad snippet is rejected with a rule and a message a human can
/// act on; each known-good snippet of the nanoFramework subset passes.
/// </summary>
public sealed class SnippetTests
{
    const string Collections = "nanoFramework.System.Collections";
    const string Text = "nanoFramework.System.Text";
    const string Native = "nanoFramework.Runtime.Native";

    /// <summary>Wraps statements in a method of a class (usings for System, System.Collections, System.Threading).</summary>
    static string InMethod(string body, string members = "") => $@"
using System;
using System.Collections;
using System.Threading;
namespace Sample
{{
    public class Subject
    {{
        {members}
        public void Run(object o, byte[] buffer, int offset)
        {{
            {body}
        }}
    }}
}}";

    static IReadOnlyList<Violation> Check(string source, params string[] packages) => Gate.CheckSnippet(source, packages);

    static void AssertRejected(IReadOnlyList<Violation> found, string rule, string messagePart)
    {
        string all = string.Join("\n", found);
        Assert.True(found.Any(v => v.Rule == rule && v.Message.Contains(messagePart)),
            $"expected a '{rule}' violation mentioning \"{messagePart}\", got:\n{all}");
        Assert.All(found, v => Assert.Equal("snippet.cs", v.File));
        Assert.All(found, v => Assert.True(v.Line > 0, v.ToString()));
    }

    static void AssertPasses(IReadOnlyList<Violation> found) =>
        Assert.True(found.Count == 0, "expected no violations, got:\n" + string.Join("\n", found));

    // ---- rejected ------------------------------------------------------------------------------

    [Fact]
    public void GenericList_IsRejected()
    {
        var found = Check(InMethod("var list = new System.Collections.Generic.List<int>(); list.Add(1);"));
        AssertRejected(found, "generic", "'System.Collections.Generic.List<int>' is a generic type; the stable nanoFramework runtime has no generics: use an array or ArrayList");
    }

    [Fact]
    public void GenericList_MessageHasFileLineRule()
    {
        var found = Check("class A {\n  void M() {\n    List<int> x = null;\n  }\n}\n");
        Assert.Contains(found, v => v.ToString() == "snippet.cs:3: generic: 'List<int>' is a generic type; the stable nanoFramework runtime has no generics: use an array or ArrayList");
        Assert.Contains(found, v => v.Rule == "compile" && v.Line == 3); // List<T> does not exist either
    }

    [Fact]
    public void NullableInt_IsRejected() =>
        AssertRejected(Check(InMethod("int? maybe = null; if (maybe == null) { }")), "nullable", "'int?' is Nullable<int>");

    [Fact]
    public void MonitorEnterWithLockTaken_IsRejected()
    {
        var found = Check(InMethod("bool taken = false; Monitor.Enter(o, ref taken); Monitor.Exit(o);"));
        AssertRejected(found, "compile", "Monitor.Enter(object) only");
    }

    [Fact]
    public void DateTimeNow_IsRejected() =>
        AssertRejected(Check(InMethod("DateTime t = DateTime.Now;")), "compile", "no DateTime.Now");

    [Fact]
    public void EnvironmentTickCount_IsRejected_EvenWithRuntimeNative()
    {
        AssertRejected(Check(InMethod("int t = Environment.TickCount;"), Native), "compile", "use Environment.TickCount64");
        AssertRejected(Check(InMethod("int t = Environment.TickCount;")), "compile", "Environment");
    }

    [Fact]
    public void AsyncMethod_IsRejected()
    {
        var found = Check(InMethod("", "public async void Later() { await Later2(); } object Later2() => null;"));
        AssertRejected(found, "async", "async methods need Task");
        AssertRejected(found, "async", "awaits");
    }

    [Fact]
    public void LinqQuery_IsRejected()
    {
        var found = Check(InMethod("int[] a = { 1, 2 }; var q = from x in a where x > 1 select x;"));
        AssertRejected(found, "linq", "LINQ query syntax");
    }

    [Fact]
    public void Tuple_IsRejected()
    {
        AssertRejected(Check(InMethod("var pair = (1, 2);")), "tuple", "is a tuple");
        AssertRejected(Check(InMethod("", "(int, int) Pair() { throw new Exception(); }")), "tuple", "'(int, int)' is a tuple");
    }

    [Fact]
    public void SpanOfByte_IsRejected() =>
        AssertRejected(Check(InMethod("Span<byte> s = buffer;")), "generic", "'Span<byte>' is a generic type; the stable nanoFramework runtime has no generics: use byte[] buffer, int offset, int length");

    [Fact]
    public void GenericMethodOfOurOwn_IsRejected()
    {
        var found = Check(InMethod("object x = Echo(o);", "static T Echo<T>(T value) { return value; }"));
        AssertRejected(found, "generic", "'Echo<T>' declares a generic method");
        AssertRejected(found, "generic", "calls generic method");
    }

    [Fact]
    public void GenericTypeOfOurOwn_IsRejected() =>
        AssertRejected(Check("public class Box<T> { public T Value; }"), "generic", "'Box<T>' declares a generic class");

    [Fact]
    public void MultidimensionalArray_IsRejected() =>
        AssertRejected(Check(InMethod("var grid = new int[2,3]; grid[1,2] = 4;")), "multidimensional-array", "use a jagged array");

    [Fact]
    public void ActionOfInt_IsRejected() =>
        AssertRejected(Check(InMethod("Action<int> a = x => { };")), "generic", "'Action<int>' is a generic delegate type");

    [Fact]
    public void YieldIterator_IsRejected() =>
        AssertRejected(Check(InMethod("", "IEnumerable Numbers() { yield return 1; }")), "iterator", "makes an iterator");

    [Fact]
    public void ExcludeTypeInCode_IsRejected()
    {
        AssertRejected(Check(InMethod("object v = DBNull.Value;")), "excluded-api", "'System.DBNull' is marked [ExcludeType]");
        AssertRejected(Check(InMethod("AttributeTargets t = AttributeTargets.Class;")), "excluded-api", "stripped from the device image");
    }

    [Fact]
    public void ObsoleteMember_IsRejected() =>
        AssertRejected(Check(InMethod("DateTimeKind k = DateTimeKind.Local;")), "obsolete-api", "'System.DateTimeKind.Local' is marked [Obsolete]");

    [Fact]
    public void OtherConstructs_AreRejected()
    {
        AssertRejected(Check("public record Point(int X, int Y);"), "record", "record 'Point'");
        AssertRejected(Check("public interface IShape { int Sides() => 4; }"), "default-interface-method", "has a body");
        AssertRejected(Check(InMethod("dynamic d = o;")), "dynamic", "'dynamic'");
        AssertRejected(Check(InMethod("decimal m = 1;")), "decimal", "'decimal'");
        AssertRejected(Check(InMethod("", "unsafe void P(byte* b) { }")), "unsafe", "pointer");
        AssertRejected(Check(InMethod("", "public int X { get; init; }")), "init-accessor", "'init'");
    }

    [Fact]
    public void LambdaNaturalType_IsRejected_WhenTheProjectRaisesLangVersion()
    {
        // C# 10 gives `var f = () => 1;` the type Func<int>: generic, although no '<' is written.
        var found = Gate.CheckSnippet(InMethod("var f = () => 1; int x = f();"), Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp10, System.Array.Empty<string>());
        AssertRejected(found, "generic", "'var' here is 'System.Func<int>'");
    }

    [Fact]
    public void MissingPackage_IsNamedInTheMessage() =>
        AssertRejected(Check(InMethod("var sb = new System.Text.StringBuilder();")), "compile", "nanoFramework.System.Text");

    // ---- accepted ------------------------------------------------------------------------------

    [Fact]
    public void ArrayList_Passes() =>
        AssertPasses(Check(InMethod("var list = new ArrayList(); list.Add(o); object first = list[0]; int n = list.Count; list.RemoveAt(0);"), Collections));

    [Fact]
    public void Hashtable_Passes() =>
        AssertPasses(Check(InMethod("var map = new Hashtable(); map[\"k\"] = o; bool has = map.Contains(\"k\"); object v = map[\"k\"];"), Collections));

    [Fact]
    public void ByteCodecs_Pass() => AssertPasses(Check(InMethod(@"
            ushort port = (ushort)((buffer[offset] << 8) | buffer[offset + 1]);
            uint spi = (uint)(buffer[offset + 2] << 24 | buffer[offset + 3] << 16 | buffer[offset + 4] << 8 | buffer[offset + 5]);
            ulong seq = ((ulong)spi << 32) | 7UL;
            buffer[offset] = (byte)(port >> 8);
            buffer[offset + 1] = (byte)port;
            buffer[offset + 2] = unchecked((byte)(seq >> 56));
            Array.Copy(buffer, 0, buffer, 4, 2);")));

    [Fact]
    public void MonitorEnterObjectAndLock_Pass() =>
        AssertPasses(Check(InMethod("Monitor.Enter(o); try { } finally { Monitor.Exit(o); } lock (o) { offset++; }")));

    [Fact]
    public void StringInterpolation_Passes() =>
        AssertPasses(Check(InMethod("string s = $\"peer {offset} has {buffer.Length} bytes, {o}\"; Console.WriteLine(s);")));

    [Fact]
    public void TickCount64_PassesWithRuntimeNative_AndIsRejectedWithout()
    {
        string src = InMethod("long now = Environment.TickCount64;");
        AssertPasses(Check(src, Native));
        AssertRejected(Check(src), "compile", "nanoFramework.Runtime.Native");
    }

    [Fact]
    public void SwitchOnStrings_Passes() => AssertPasses(Check(InMethod(@"
            string s = o as string;
            switch (s)
            {
                case ""ike"": offset = 1; break;
                case ""esp"": offset = 2; break;
                case ""bgp"": offset = 3; break;
                case ""fib"": offset = 4; break;
                case ""log"": offset = 5; break;
                case ""sys"": offset = 6; break;
                case ""peer"": offset = 7; break;
                case ""route"": offset = 8; break;
                default: offset = 0; break;
            }")));

    [Fact]
    public void ForeachOverArrayAndArrayList_Passes() => AssertPasses(Check(InMethod(@"
            int sum = 0;
            foreach (byte b in buffer) sum += b;
            var list = new ArrayList();
            foreach (object item in list) sum += item.GetHashCode();"), Collections));

    [Fact]
    public void DelegateOfOurOwn_Passes() => AssertPasses(Check(InMethod(
        "PacketHandler h = OnPacket; h(buffer, 0, buffer.Length); h += OnPacket; h -= OnPacket;",
        "public delegate void PacketHandler(byte[] b, int off, int len); void OnPacket(byte[] b, int off, int len) { }")));

    [Fact]
    public void InterfaceAndAbstractClass_Pass() => AssertPasses(Check(@"
namespace Sample
{
    public interface IShape { int Sides { get; } string Name(); }
    public abstract class Shape : IShape
    {
        public abstract int Sides { get; }
        public virtual string Name() { return ""shape""; }
    }
    public sealed class Square : Shape
    {
        public override int Sides => 4;
        public override string Name() { return ""square"" + base.Name(); }
    }
}"));

    [Fact]
    public void ExceptionsTryCatchFinally_Pass() => AssertPasses(Check(InMethod(@"
            try
            {
                if (buffer == null) throw new ArgumentNullException(""buffer"");
                if (offset < 0) throw new ArgumentOutOfRangeException(""offset"");
            }
            catch (ArgumentException e) { Console.WriteLine(e.Message); }
            catch (Exception) { throw; }
            finally { offset = 0; }",
        "public sealed class WireException : Exception { public WireException(string m) : base(m) { } }")));

    [Fact]
    public void StringBuilder_PassesWithSystemText() =>
        AssertPasses(Check(InMethod("var sb = new System.Text.StringBuilder(); sb.Append(\"x=\").Append(offset).AppendLine(); string s = sb.ToString();"), Text));

    [Fact]
    public void AttributeSyntaxOnExcludedTypes_Passes() => AssertPasses(Check(@"
using System;
namespace Sample
{
    [Flags] public enum Options { None = 0, A = 1, B = 2 }
    [AttributeUsage(AttributeTargets.Class)] public sealed class MarkerAttribute : Attribute { }
    [Marker] public class Marked { }
}"));

    [Fact]
    public void NanoFrameworkDefineIsSet() =>
        AssertPasses(Check("#if !NANOFRAMEWORK_1_0\n#error not defined\n#endif\nclass A { }"));

    [Fact]
    public void UnknownApi_IsACompileError() =>
        AssertRejected(Check(InMethod("string s = string.Join(\",\", new string[0]);")), "compile", "Join");
}
