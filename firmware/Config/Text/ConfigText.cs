namespace VpnAppliance.Config
{
    /// <summary>
    /// The configuration text format (docs/config.md): parse, validate, print.
    /// Parse never throws: every problem is a <see cref="ConfigDiagnostic"/> with line, token and rule.
    /// Phases: (1) each line is tokenized and dispatched to its section (all syntax errors collected);
    /// (2) only when phase 1 found no error, every section validates itself and its cross-section rules
    /// (so a typo does not cascade into "unknown reference" errors).
    /// </summary>
    public static class ConfigText
    {
        /// <summary>Longest accepted line in characters.</summary>
        public const int MaxLineChars = 1024;
        /// <summary>Most lines read from one text.</summary>
        public const int MaxLines = 20000;

        /// <summary>Parses and validates <paramref name="text"/> with the built-in sections.</summary>
        public static ParseResult Parse(string text) { return Parse(text, SectionRegistry.Default); }

        /// <summary>Parses and validates <paramref name="text"/> with the sections of <paramref name="registry"/>.</summary>
        public static ParseResult Parse(string text, SectionRegistry registry) { return Parse(text, registry, null); }

        /// <summary>
        /// Parses and validates <paramref name="text"/> as the replacement of <paramref name="previous"/>: secrets
        /// the text withholds (<c>******</c>) are taken from <paramref name="previous"/>, and a secret that is still
        /// missing afterwards is an error (without <paramref name="previous"/> it is only a warning).
        /// </summary>
        public static ParseResult Parse(string text, SectionRegistry registry, ConfigModel previous)
        {
            DiagnosticList diagnostics = new DiagnosticList();
            diagnostics.SecretsRequired = previous != null;
            ConfigModel model = new ConfigModel(registry);
            int line = 0;
            try
            {
                ParseLines(text == null ? "" : text, model, diagnostics, ref line);
                if (diagnostics.ErrorCount == 0)
                {
                    line = 0;
                    if (previous != null) model.InheritSecrets(previous);
                    for (int i = 0; i < model.SectionCount; i++) model.SectionAt(i).Validate(model, diagnostics);
                }
            }
            catch (System.Exception)
            {
                // Defence in depth: a bug in a section must not take the console down; it becomes an error.
                diagnostics.Error(line, "", "internal", "the parser failed on this line; please report it");
            }
            return new ParseResult(model, diagnostics);
        }

        private static void ParseLines(string text, ConfigModel model, DiagnosticList diagnostics, ref int line)
        {
            Tokenizer tokenizer = new Tokenizer();
            ParseContext ctx = new ParseContext(diagnostics);
            SectionRegistry registry = model.Registry;
            int pos = 0;
            while (pos < text.Length)
            {
                if (diagnostics.Truncated) return; // error list full: stop reading garbage
                int nl = text.IndexOf('\n', pos);
                int end = nl < 0 ? text.Length : nl;
                int next = nl < 0 ? text.Length : nl + 1;
                line++;
                if (line > MaxLines)
                {
                    diagnostics.Error(line, "", "too-many-lines", "a configuration holds at most " + MaxLines.ToString() + " lines");
                    return;
                }
                int stop = end;
                if (stop > pos && text[stop - 1] == '\r') stop--;
                if (stop - pos > MaxLineChars)
                {
                    diagnostics.Error(line, text.Substring(pos, 24), "line-too-long", "a line holds at most " + MaxLineChars.ToString() + " characters");
                    pos = next;
                    continue;
                }
                if (!tokenizer.Tokenize(text, pos, stop))
                {
                    diagnostics.Error(line, tokenizer.ErrorToken, tokenizer.ErrorRule, tokenizer.ErrorMessage);
                    pos = next;
                    continue;
                }
                pos = next;
                if (tokenizer.Count == 0) continue; // blank or comment
                ctx.Reset(line, tokenizer.Tokens, tokenizer.Count);
                if (ctx.Token(0) != "set")
                {
                    ctx.Error(0, "expected-set", "a statement starts with 'set'");
                    continue;
                }
                if (ctx.Count < 2)
                {
                    ctx.Error(0, "incomplete", "expected one of " + registry.FirstWords() + " after this");
                    continue;
                }
                int consumed;
                int s = registry.Match(ctx, 1, out consumed);
                if (s < 0)
                {
                    ctx.Error(UnmatchedIndex(ctx, registry), "unknown-statement", "no such configuration path; top-level words are " + registry.FirstWords());
                    continue;
                }
                model.SectionAt(s).ParseLine(ctx, 1 + consumed);
                ctx.CommitLine();
            }
        }

        // The first token that no registered path continues with (for a precise error token).
        private static int UnmatchedIndex(ParseContext ctx, SectionRegistry registry)
        {
            int best = 1;
            for (int i = 0; i < registry.Count; i++)
            {
                string[] words = registry.Get(i).Path.Split(' ');
                int k = 0;
                while (k < words.Length && 1 + k < ctx.Count && ctx.Token(1 + k) == words[k]) k++;
                if (1 + k > best) best = 1 + k;
            }
            return best;
        }

        /// <summary>Canonical text with secrets masked (<c>******</c>): for <c>show configuration</c>.</summary>
        public static string Print(ConfigModel model) { return Print(model, false); }

        /// <summary>Canonical text with secrets in clear: ONLY for the flash store (round-trips exactly).</summary>
        public static string PrintForStorage(ConfigModel model) { return Print(model, true); }

        private static string Print(ConfigModel model, bool includeSecrets)
        {
            ConfigWriter w = new ConfigWriter(includeSecrets);
            for (int i = 0; i < model.SectionCount; i++) model.SectionAt(i).Print(w);
            return w.ToString();
        }
    }
}
