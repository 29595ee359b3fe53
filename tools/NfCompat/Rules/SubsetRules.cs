using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace VpnAppliance.NfCompat.Rules;

/// <summary>
/// What compiles but the stable nanoFramework runtime (CoreLibrary 1.17, no generics) cannot
/// run, found in the syntax trees of a compilation. Each finding names the construct and says
/// what to write instead. Rule names: generic, nullable, multidimensional-array, iterator,
/// async, unsafe, dynamic, default-interface-method, record, tuple, linq, decimal,
/// init-accessor, excluded-api, obsolete-api.
/// </summary>
public sealed class SubsetRules : CSharpSyntaxWalker
{
    readonly SemanticModel _model;
    readonly Func<ISymbol, HashSet<string>> _annotations;
    readonly string _file;
    readonly List<Violation> _found;
    readonly HashSet<(int, string)> _seen = new();

    SubsetRules(SemanticModel model, Func<ISymbol, HashSet<string>> annotations, string file, List<Violation> found)
        : base(SyntaxWalkerDepth.Node)
    {
        _model = model; _annotations = annotations; _file = file; _found = found;
    }

    /// <summary>Checks one tree; appends findings.</summary>
    public static void Check(SemanticModel model, Func<ISymbol, HashSet<string>> annotations, string file, List<Violation> found)
    {
        new SubsetRules(model, annotations, file, found).Visit(model.SyntaxTree.GetRoot());
    }

    const string NoGenerics = "the stable nanoFramework runtime has no generics";

    void Report(SyntaxNode node, string rule, string message)
    {
        int line = node.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
        if (_seen.Add((line, rule + message))) _found.Add(new Violation(_file, line, rule, message));
    }

    static string Short(SyntaxNode n)
    {
        string s = n.ToString().Replace("\r", "").Replace('\n', ' ');
        return s.Length > 60 ? s[..57] + "..." : s;
    }

    // ---- generics --------------------------------------------------------------------------

    /// <inheritdoc/>
    public override void VisitGenericName(GenericNameSyntax node)
    {
        var symbol = SymbolOf(node);
        // Name the type as written, qualification included (System.Collections.Generic.List<int>).
        SyntaxNode written = node.Parent is QualifiedNameSyntax q && q.Right == node ? q
            : node.Parent is AliasQualifiedNameSyntax a && a.Name == node ? a : node;
        string name = Short(written);
        if (symbol is IMethodSymbol)
            Report(node, "generic", $"'{name}' calls a generic method; {NoGenerics}: write a method for the concrete type");
        else if (symbol is INamedTypeSymbol { TypeKind: TypeKind.Delegate })
            Report(node, "generic", $"'{name}' is a generic delegate type; {NoGenerics}: declare a delegate type of your own with concrete parameter types");
        else
        {
            string hint = node.Identifier.Text switch
            {
                "List" or "IList" or "ICollection" or "IEnumerable" or "Queue" or "Stack" => "use an array or ArrayList",
                "Dictionary" or "IDictionary" or "HashSet" or "SortedDictionary" or "SortedList" => "use Hashtable (nanoFramework.System.Collections) or a fixed array",
                "Span" or "ReadOnlySpan" or "Memory" or "ReadOnlyMemory" or "ArraySegment" => "use byte[] buffer, int offset, int length (or System.SpanByte)",
                "Nullable" => "use a sentinel value or a separate bool",
                "Action" or "Func" or "EventHandler" or "Predicate" or "Comparison" => "declare a delegate type of your own",
                "Task" or "ValueTask" => "use a thread or a polled state machine",
                _ => "use a non-generic type (object, arrays, ArrayList)",
            };
            Report(node, "generic", $"'{name}' is a generic type; {NoGenerics}: {hint}");
        }
        base.VisitGenericName(node);
    }

    void CheckTypeParameters(SyntaxNode node, TypeParameterListSyntax list, string what, string name)
    {
        if (list != null && list.Parameters.Count > 0)
            Report(node, "generic", $"'{name}{list}' declares a generic {what}; {NoGenerics}: write it for the concrete types it is used with");
    }

    /// <inheritdoc/>
    public override void VisitClassDeclaration(ClassDeclarationSyntax node)
    { CheckTypeParameters(node, node.TypeParameterList, "class", node.Identifier.Text); CheckAsync(node, node.Modifiers); base.VisitClassDeclaration(node); }

    /// <inheritdoc/>
    public override void VisitStructDeclaration(StructDeclarationSyntax node)
    { CheckTypeParameters(node, node.TypeParameterList, "struct", node.Identifier.Text); CheckAsync(node, node.Modifiers); base.VisitStructDeclaration(node); }

    /// <inheritdoc/>
    public override void VisitDelegateDeclaration(DelegateDeclarationSyntax node)
    { CheckTypeParameters(node, node.TypeParameterList, "delegate", node.Identifier.Text); base.VisitDelegateDeclaration(node); }

    /// <inheritdoc/>
    public override void VisitLocalFunctionStatement(LocalFunctionStatementSyntax node)
    {
        CheckTypeParameters(node, node.TypeParameterList, "local function", node.Identifier.Text);
        CheckAsync(node, node.Modifiers);
        base.VisitLocalFunctionStatement(node);
    }

    /// <inheritdoc/>
    public override void VisitMethodDeclaration(MethodDeclarationSyntax node)
    {
        CheckTypeParameters(node, node.TypeParameterList, "method", node.Identifier.Text);
        CheckAsync(node, node.Modifiers);
        if (node.Parent is InterfaceDeclarationSyntax && (node.Body != null || node.ExpressionBody != null))
            Report(node, "default-interface-method", $"interface method '{node.Identifier.Text}' has a body (default interface method); nanoFramework does not support them: implement it in the classes or in an abstract base class");
        base.VisitMethodDeclaration(node);
    }

    /// <inheritdoc/>
    public override void VisitIdentifierName(IdentifierNameSyntax node)
    {
        if (node.IsVar || node.Identifier.Text == "dynamic")
        {
            var type = _model.GetTypeInfo(node).Type;
            if (type?.TypeKind == TypeKind.Dynamic)
                Report(node, "dynamic", "'dynamic' needs the dynamic language runtime, which nanoFramework does not have: use a concrete type or object with casts");
            // `var` can hide a constructed generic type (a lambda's natural type Func<int> from C# 10 on).
            if (node.IsVar && type is INamedTypeSymbol { IsGenericType: true } g)
                Report(node, "generic", $"'var' here is '{g.ToDisplayString()}', a generic type; {NoGenerics}: declare a delegate or type of your own");
        }
        var symbol = SymbolOf(node);
        // A generic method called without type arguments (inferred) is still generic.
        if (symbol is IMethodSymbol { IsGenericMethod: true } gm && node.Parent is not GenericNameSyntax)
            Report(node, "generic", $"'{node.Identifier.Text}' calls generic method '{gm.OriginalDefinition.ToDisplayString()}' (type arguments inferred); {NoGenerics}: write a method for the concrete type");
        CheckAnnotated(node, symbol);
        base.VisitIdentifierName(node);
    }

    // ---- other constructs ------------------------------------------------------------------

    /// <inheritdoc/>
    public override void VisitNullableType(NullableTypeSyntax node)
    {
        var element = _model.GetTypeInfo(node.ElementType).Type;
        if (element == null || element.IsValueType || element.TypeKind == TypeKind.Error || element.TypeKind == TypeKind.TypeParameter)
            Report(node, "nullable", $"'{Short(node)}' is Nullable<{Short(node.ElementType)}>, a generic type nanoFramework does not have: use a sentinel value or a separate bool");
        base.VisitNullableType(node);
    }

    /// <inheritdoc/>
    public override void VisitArrayRankSpecifier(ArrayRankSpecifierSyntax node)
    {
        if (node.Rank > 1)
            Report(node, "multidimensional-array", $"'{Short(node.Parent ?? node)}' is a multidimensional array; nanoFramework supports only single-dimensional arrays: use a jagged array (T[][]) or index a flat array as [row * width + column]");
        base.VisitArrayRankSpecifier(node);
    }

    /// <inheritdoc/>
    public override void VisitYieldStatement(YieldStatementSyntax node)
    {
        Report(node, "iterator", $"'{Short(node)}' makes an iterator; iterators compile to generic state machines nanoFramework cannot run: fill an array or write an IEnumerator class by hand");
        base.VisitYieldStatement(node);
    }

    void CheckAsync(SyntaxNode node, SyntaxTokenList modifiers)
    {
        if (modifiers.Any(SyntaxKind.AsyncKeyword))
            Report(node, "async", "async methods need Task and the async state machine, which nanoFramework does not have: use a thread or a polled state machine");
        if (modifiers.Any(SyntaxKind.UnsafeKeyword))
            Report(node, "unsafe", "unsafe code is not supported by nanoFramework: use arrays and indices");
    }

    /// <inheritdoc/>
    public override void VisitParenthesizedLambdaExpression(ParenthesizedLambdaExpressionSyntax node)
    { CheckAsync(node, node.Modifiers); base.VisitParenthesizedLambdaExpression(node); }

    /// <inheritdoc/>
    public override void VisitSimpleLambdaExpression(SimpleLambdaExpressionSyntax node)
    { CheckAsync(node, node.Modifiers); base.VisitSimpleLambdaExpression(node); }

    /// <inheritdoc/>
    public override void VisitAnonymousMethodExpression(AnonymousMethodExpressionSyntax node)
    { CheckAsync(node, node.Modifiers); base.VisitAnonymousMethodExpression(node); }

    /// <inheritdoc/>
    public override void VisitAwaitExpression(AwaitExpressionSyntax node)
    {
        Report(node, "async", $"'{Short(node)}' awaits; nanoFramework has no Task/async support: use a thread or a polled state machine");
        base.VisitAwaitExpression(node);
    }

    /// <inheritdoc/>
    public override void VisitForEachStatement(ForEachStatementSyntax node)
    {
        if (node.AwaitKeyword.IsKind(SyntaxKind.AwaitKeyword))
            Report(node, "async", "'await foreach' needs IAsyncEnumerable<T> and Task, which nanoFramework does not have: use a plain foreach");
        base.VisitForEachStatement(node);
    }

    /// <inheritdoc/>
    public override void VisitUsingStatement(UsingStatementSyntax node)
    {
        if (node.AwaitKeyword.IsKind(SyntaxKind.AwaitKeyword))
            Report(node, "async", "'await using' needs IAsyncDisposable and Task, which nanoFramework does not have: use a plain using");
        base.VisitUsingStatement(node);
    }

    /// <inheritdoc/>
    public override void VisitLocalDeclarationStatement(LocalDeclarationStatementSyntax node)
    {
        if (node.AwaitKeyword.IsKind(SyntaxKind.AwaitKeyword))
            Report(node, "async", "'await using' needs IAsyncDisposable and Task, which nanoFramework does not have: use a plain using");
        base.VisitLocalDeclarationStatement(node);
    }

    /// <inheritdoc/>
    public override void VisitUnsafeStatement(UnsafeStatementSyntax node)
    { Report(node, "unsafe", "an unsafe block is not supported by nanoFramework: use arrays and indices"); base.VisitUnsafeStatement(node); }

    /// <inheritdoc/>
    public override void VisitPointerType(PointerTypeSyntax node)
    { Report(node, "unsafe", $"'{Short(node)}' is a pointer type; nanoFramework has no pointers: use arrays and indices"); base.VisitPointerType(node); }

    /// <inheritdoc/>
    public override void VisitFunctionPointerType(FunctionPointerTypeSyntax node)
    { Report(node, "unsafe", $"'{Short(node)}' is a function pointer; nanoFramework has no pointers: use a delegate"); base.VisitFunctionPointerType(node); }

    /// <inheritdoc/>
    public override void VisitFixedStatement(FixedStatementSyntax node)
    { Report(node, "unsafe", "'fixed' pins memory for pointers; nanoFramework has no pointers: use arrays and indices"); base.VisitFixedStatement(node); }

    /// <inheritdoc/>
    public override void VisitStackAllocArrayCreationExpression(StackAllocArrayCreationExpressionSyntax node)
    { Report(node, "unsafe", $"'{Short(node)}' uses stackalloc, which nanoFramework does not support: use a preallocated byte[] field"); base.VisitStackAllocArrayCreationExpression(node); }

    /// <inheritdoc/>
    public override void VisitImplicitStackAllocArrayCreationExpression(ImplicitStackAllocArrayCreationExpressionSyntax node)
    { Report(node, "unsafe", $"'{Short(node)}' uses stackalloc, which nanoFramework does not support: use a preallocated byte[] field"); base.VisitImplicitStackAllocArrayCreationExpression(node); }

    /// <inheritdoc/>
    public override void VisitPrefixUnaryExpression(PrefixUnaryExpressionSyntax node)
    {
        if (node.IsKind(SyntaxKind.AddressOfExpression) || node.IsKind(SyntaxKind.PointerIndirectionExpression))
            Report(node, "unsafe", $"'{Short(node)}' uses a pointer operator; nanoFramework has no pointers: use arrays and indices");
        base.VisitPrefixUnaryExpression(node);
    }

    /// <inheritdoc/>
    public override void VisitMemberAccessExpression(MemberAccessExpressionSyntax node)
    {
        if (node.IsKind(SyntaxKind.PointerMemberAccessExpression))
            Report(node, "unsafe", $"'{Short(node)}' uses '->'; nanoFramework has no pointers");
        base.VisitMemberAccessExpression(node);
    }

    /// <inheritdoc/>
    public override void VisitFieldDeclaration(FieldDeclarationSyntax node)
    {
        if (node.Modifiers.Any(SyntaxKind.FixedKeyword) || node.Modifiers.Any(SyntaxKind.UnsafeKeyword))
            Report(node, "unsafe", "fixed-size buffers and unsafe fields are not supported by nanoFramework: use a byte[] field");
        base.VisitFieldDeclaration(node);
    }

    /// <inheritdoc/>
    public override void VisitInterfaceDeclaration(InterfaceDeclarationSyntax node)
    {
        CheckTypeParameters(node, node.TypeParameterList, "interface", node.Identifier.Text);
        foreach (var member in node.Members)
        {
            bool hasBody = member switch
            {
                BasePropertyDeclarationSyntax p => (p is PropertyDeclarationSyntax { ExpressionBody: not null } or IndexerDeclarationSyntax { ExpressionBody: not null })
                    || (p.AccessorList?.Accessors.Any(a => a.Body != null || a.ExpressionBody != null) ?? false),
                OperatorDeclarationSyntax o => o.Body != null || o.ExpressionBody != null,
                _ => false,
            };
            if (hasBody)
                Report(member, "default-interface-method", $"interface member '{Short(member)}' has a body (default interface implementation); nanoFramework does not support them: implement it in the classes");
        }
        base.VisitInterfaceDeclaration(node);
    }

    /// <inheritdoc/>
    public override void VisitRecordDeclaration(RecordDeclarationSyntax node)
    {
        Report(node, "record", $"record '{node.Identifier.Text}' needs IEquatable<T> and compiler-generated generic members nanoFramework does not have: write a class (or struct) with explicit fields and Equals");
        CheckTypeParameters(node, node.TypeParameterList, "record", node.Identifier.Text);
        base.VisitRecordDeclaration(node);
    }

    /// <inheritdoc/>
    public override void VisitTupleType(TupleTypeSyntax node)
    { Report(node, "tuple", $"'{Short(node)}' is a tuple (generic ValueTuple), which nanoFramework does not have: use out parameters or a small class/struct"); base.VisitTupleType(node); }

    /// <inheritdoc/>
    public override void VisitTupleExpression(TupleExpressionSyntax node)
    { Report(node, "tuple", $"'{Short(node)}' is a tuple (generic ValueTuple), which nanoFramework does not have: use out parameters or a small class/struct"); base.VisitTupleExpression(node); }

    /// <inheritdoc/>
    public override void VisitParenthesizedVariableDesignation(ParenthesizedVariableDesignationSyntax node)
    { Report(node, "tuple", $"'{Short(node)}' deconstructs into a tuple, which nanoFramework does not have: use out parameters"); base.VisitParenthesizedVariableDesignation(node); }

    /// <inheritdoc/>
    public override void VisitQueryExpression(QueryExpressionSyntax node)
    { Report(node, "linq", "LINQ query syntax needs System.Linq and generics, which nanoFramework does not have: write a loop"); base.VisitQueryExpression(node); }

    /// <inheritdoc/>
    public override void VisitPredefinedType(PredefinedTypeSyntax node)
    {
        if (node.Keyword.IsKind(SyntaxKind.DecimalKeyword))
            Report(node, "decimal", "'decimal' is not supported by nanoFramework: use long (scaled integer) or double");
        base.VisitPredefinedType(node);
    }

    /// <inheritdoc/>
    public override void VisitAccessorDeclaration(AccessorDeclarationSyntax node)
    {
        if (node.IsKind(SyntaxKind.InitAccessorDeclaration))
            Report(node, "init-accessor", "'init' accessors need IsExternalInit, which nanoFramework does not have: use a constructor parameter and a get-only property");
        base.VisitAccessorDeclaration(node);
    }

    // ---- annotated API (#excludetype, #obsolete) --------------------------------------------

    ISymbol SymbolOf(SyntaxNode node)
    {
        var info = _model.GetSymbolInfo(node);
        return info.Symbol ?? (info.CandidateSymbols.Length > 0 ? info.CandidateSymbols[0] : null);
    }

    void CheckAnnotated(SimpleNameSyntax node, ISymbol symbol)
    {
        if (symbol == null || symbol.Kind == SymbolKind.Namespace) return;
        // Attribute syntax ([Flags], [AttributeUsage(AttributeTargets.Class)], [Conditional("X")])
        // is what the excluded attribute types exist for: the compiler consumes it.
        if (node.Ancestors().Any(a => a is AttributeListSyntax)) return;
        for (var s = symbol.OriginalDefinition; s != null; s = s.ContainingType)
        {
            if (Has(s, out var notes) || (s is IPropertySymbol p && (Has(p.GetMethod, out notes) || Has(p.SetMethod, out notes))))
            {
                string what = s.ToDisplayString();
                if (notes.Contains("excludetype"))
                    Report(node, "excluded-api", $"'{what}' is marked [ExcludeType] in the nanoFramework API: it exists for the compiler but is stripped from the device image; do not use it in code");
                else
                    Report(node, "obsolete-api", $"'{what}' is marked [Obsolete] in the nanoFramework API: it is on its way out of the library, use a current member instead");
                return;
            }
        }
    }

    bool Has(ISymbol s, out HashSet<string> notes)
    {
        notes = s == null ? null : _annotations(s);
        return notes != null && notes.Count > 0;
    }
}
