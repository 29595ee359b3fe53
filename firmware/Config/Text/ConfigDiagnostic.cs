namespace VpnAppliance.Config
{
    /// <summary>
    /// One error or warning about a configuration text: the line it comes from (1-based; 0 when the
    /// model was built in code), the offending token, the rule's short name and a sentence for the operator.
    /// Printed as <c>line N: 'token': rule: message</c>.
    /// </summary>
    public sealed class ConfigDiagnostic
    {
        /// <summary>1-based line number in the text (0 = not from a text).</summary>
        public readonly int Line;
        /// <summary>The token the rule is about (possibly shortened, never contains control characters).</summary>
        public readonly string Token;
        /// <summary>Short, stable rule name (e.g. <c>alibaba-inside-range</c>); documented in docs/config.md.</summary>
        public readonly string Rule;
        /// <summary>Human-readable explanation.</summary>
        public readonly string Message;
        /// <summary>True for a warning (does not block apply), false for an error.</summary>
        public readonly bool IsWarning;

        /// <summary>Creates a diagnostic.</summary>
        public ConfigDiagnostic(int line, string token, string rule, string message, bool isWarning)
        {
            Line = line;
            Token = token == null ? "" : token;
            Rule = rule == null ? "" : rule;
            Message = message == null ? "" : message;
            IsWarning = isWarning;
        }

        /// <summary><c>line N: 'token': rule: message</c>.</summary>
        public override string ToString()
        {
            return "line " + Line.ToString() + ": '" + Token + "': " + Rule + ": " + Message;
        }
    }
}
