namespace VpnAppliance.NfCompat;

/// <summary>One reason a project would not build or run on the stable nanoFramework runtime.</summary>
/// <param name="File">Path relative to the repository root, '/' separated.</param>
/// <param name="Line">1-based line (0 when the whole file is meant).</param>
/// <param name="Rule">Short rule name: `compile`, `generic`, `same-sources`, ...</param>
/// <param name="Message">What is wrong and what to do instead, for a human.</param>
public sealed record Violation(string File, int Line, string Rule, string Message)
{
    /// <summary>`file:line: rule: message`.</summary>
    public override string ToString() => $"{File}:{Line}: {Rule}: {Message}";
}
