namespace VpnAppliance.Config
{
    /// <summary>
    /// Splits one line of configuration text into tokens. Grammar (docs/config.md §1):
    /// tokens are separated by spaces or tabs; a token that starts with <c>#</c> starts a comment that runs
    /// to the end of the line; a token in double quotes may contain spaces, <c>\"</c> and <c>\\</c>;
    /// only printable ASCII is accepted. No regex, no Split: one pass over the characters.
    /// </summary>
    public sealed class Tokenizer
    {
        /// <summary>Most tokens on one line.</summary>
        public const int MaxTokens = 48;

        /// <summary>Tokens of the last line tokenized (valid up to <see cref="Count"/>).</summary>
        public readonly string[] Tokens = new string[MaxTokens];
        /// <summary>Number of tokens of the last line.</summary>
        public int Count;

        /// <summary>Rule name of the last failure (null when the line tokenized).</summary>
        public string ErrorRule;
        /// <summary>Message of the last failure.</summary>
        public string ErrorMessage;
        /// <summary>Offending text of the last failure.</summary>
        public string ErrorToken;

        private readonly System.Text.StringBuilder _quoted = new System.Text.StringBuilder();

        /// <summary>
        /// Tokenizes <paramref name="text"/>[<paramref name="start"/>, <paramref name="end"/>).
        /// Returns false (with ErrorRule/ErrorMessage/ErrorToken set) on a malformed line.
        /// </summary>
        public bool Tokenize(string text, int start, int end)
        {
            Count = 0;
            ErrorRule = null;
            ErrorMessage = null;
            ErrorToken = null;
            int i = start;
            while (i < end)
            {
                char c = text[i];
                if (c == ' ' || c == '\t') { i++; continue; }
                if (c == '#') return true; // comment to end of line
                if (Count >= MaxTokens)
                {
                    return Fail("too-many-tokens", "a line holds at most " + MaxTokens.ToString() + " tokens", text.Substring(i, Min(end - i, 32)));
                }
                if (c == '"')
                {
                    int j = i + 1;
                    _quoted.Clear();
                    bool closed = false;
                    while (j < end)
                    {
                        char q = text[j];
                        if (q == '"') { closed = true; break; }
                        if (q == '\\' && j + 1 < end && (text[j + 1] == '"' || text[j + 1] == '\\'))
                        {
                            _quoted.Append(text[j + 1]);
                            j += 2;
                            continue;
                        }
                        if (!IsPrintable(q) && q != ' ')
                        {
                            return Fail("bad-character", "only printable ASCII is allowed", text.Substring(j, 1));
                        }
                        _quoted.Append(q);
                        j++;
                    }
                    if (!closed) return Fail("unterminated-quote", "missing closing double quote", text.Substring(i, Min(end - i, 32)));
                    j++; // past closing quote
                    if (j < end && text[j] != ' ' && text[j] != '\t')
                    {
                        return Fail("bad-quote", "a closing quote must be followed by a space or the end of the line", text.Substring(i, Min(end - i, 32)));
                    }
                    Tokens[Count++] = _quoted.ToString();
                    i = j;
                    continue;
                }
                int s = i;
                while (i < end)
                {
                    char b = text[i];
                    if (b == ' ' || b == '\t') break;
                    if (b == '"') return Fail("bad-quote", "a double quote may only start a token", text.Substring(s, Min(end - s, 32)));
                    if (!IsPrintable(b)) return Fail("bad-character", "only printable ASCII is allowed", text.Substring(i, 1));
                    i++;
                }
                Tokens[Count++] = text.Substring(s, i - s);
            }
            return true;
        }

        /// <summary>True for printable ASCII without space (0x21..0x7E).</summary>
        public static bool IsPrintable(char c) { return c > ' ' && c <= '~'; }

        /// <summary>True when <paramref name="token"/> must be quoted to survive a round trip.</summary>
        public static bool NeedsQuotes(string token)
        {
            if (token.Length == 0 || token[0] == '#') return true;
            for (int i = 0; i < token.Length; i++)
            {
                char c = token[i];
                if (c == ' ' || c == '"' || c == '\\' || c == '\t') return true;
            }
            return false;
        }

        private bool Fail(string rule, string message, string token)
        {
            ErrorRule = rule;
            ErrorMessage = message;
            // A malformed secret must not be echoed: after a 'psk' keyword show a placeholder.
            ErrorToken = Count > 0 && Tokens[Count - 1] == "psk" ? ParseContext.SecretToken : token;
            return false;
        }

        private static int Min(int a, int b) { return a < b ? a : b; }
    }
}
