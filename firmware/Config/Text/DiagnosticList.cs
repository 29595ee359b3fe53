using System.Collections;

namespace VpnAppliance.Config
{
    /// <summary>
    /// Collects errors and warnings of one parse/validate run. Bounded: at most <see cref="MaxEach"/>
    /// errors and as many warnings are kept; further ones only set <see cref="Truncated"/>, so a
    /// garbage text cannot exhaust the heap.
    /// </summary>
    public sealed class DiagnosticList
    {
        /// <summary>Most errors (and, separately, warnings) kept.</summary>
        public const int MaxEach = 50;
        /// <summary>Longest token text kept in a diagnostic.</summary>
        public const int MaxTokenChars = 64;

        private readonly ArrayList _errors = new ArrayList();
        private readonly ArrayList _warnings = new ArrayList();

        /// <summary>Errors seen, including those not kept.</summary>
        public int ErrorCount;
        /// <summary>Warnings seen, including those not kept.</summary>
        public int WarningCount;
        /// <summary>
        /// When true (replacing a running config), a withheld secret that could not be inherited is an error;
        /// when false (parsing a text on its own) it is a warning.
        /// </summary>
        public bool SecretsRequired;
        /// <summary>True when some error or warning was dropped because the list was full.</summary>
        public bool Truncated;

        /// <summary>Records an error.</summary>
        public void Error(int line, string token, string rule, string message)
        {
            ErrorCount++;
            if (_errors.Count >= MaxEach) { Truncated = true; return; }
            _errors.Add(new ConfigDiagnostic(line, Printable(token), rule, message, false));
        }

        /// <summary>Records a warning.</summary>
        public void Warning(int line, string token, string rule, string message)
        {
            WarningCount++;
            if (_warnings.Count >= MaxEach) { Truncated = true; return; }
            _warnings.Add(new ConfigDiagnostic(line, Printable(token), rule, message, true));
        }

        /// <summary>Kept errors, in the order found.</summary>
        public ConfigDiagnostic[] Errors() { return ToArray(_errors); }

        /// <summary>Kept warnings, in the order found.</summary>
        public ConfigDiagnostic[] Warnings() { return ToArray(_warnings); }

        private static ConfigDiagnostic[] ToArray(ArrayList list)
        {
            ConfigDiagnostic[] a = new ConfigDiagnostic[list.Count];
            for (int i = 0; i < a.Length; i++) a[i] = (ConfigDiagnostic)list[i];
            return a;
        }

        /// <summary>The token as shown in a message: at most <see cref="MaxTokenChars"/> characters,
        /// non-printable characters as <c>\xHH</c>.</summary>
        public static string Printable(string token)
        {
            if (token == null) return "";
            bool clean = token.Length <= MaxTokenChars;
            for (int i = 0; clean && i < token.Length; i++)
            {
                char c = token[i];
                if (c < (char)0x20 || c > (char)0x7E || c == '\'') clean = false;
            }
            if (clean) return token;
            System.Text.StringBuilder sb = new System.Text.StringBuilder();
            for (int i = 0; i < token.Length && sb.Length < MaxTokenChars; i++)
            {
                char c = token[i];
                if (c >= (char)0x20 && c <= (char)0x7E && c != '\'') { sb.Append(c); continue; }
                sb.Append("\\x");
                int v = c > (char)0xFF ? 0x3F : (int)c;
                sb.Append(HexDigit(v >> 4));
                sb.Append(HexDigit(v & 0xF));
            }
            if (sb.Length >= MaxTokenChars) sb.Append("...");
            return sb.ToString();
        }

        private static char HexDigit(int v) { return (char)(v < 10 ? '0' + v : 'a' + v - 10); }
    }
}
