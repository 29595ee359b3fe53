using System.Collections;
using VpnAppliance.Config;

namespace VpnAppliance.Cli
{
    /// <summary>
    /// The configuration being edited in configuration mode: canonical <c>set</c> lines (storage form, secrets
    /// in clear: it never leaves the box except masked), bounded by <see cref="MaxLines"/>.
    ///
    /// <see cref="Set"/> follows the configuration parser (docs/config.md), which stays the single authority:
    /// the candidate plus the new line is parsed; a syntax error on the new line refuses it (nothing changes);
    /// <c>conflict</c> (a single-valued leaf set to another value) replaces the earlier line; <c>duplicate-value</c>
    /// leaves the candidate as it is. Validation errors (an unknown peer, a missing PSK) do not refuse a set:
    /// the configuration is completed statement by statement and validated whole at commit.
    /// <see cref="Delete"/> removes every line under a path, as Junos/VyOS <c>delete</c> does.
    /// </summary>
    public sealed class CandidateConfig
    {
        /// <summary>Rules the parser reports while reading a line (phase 1, docs/config.md §7, §4).</summary>
        public static readonly string[] SyntaxRules = new string[]
        {
            "expected-set", "unknown-statement", "unknown-keyword", "incomplete", "extra-token", "bad-value",
            "bad-number", "out-of-range", "bad-ipv4", "bad-prefix", "prefix-host-bits", "bad-asn", "name-syntax",
            "hostname-syntax", "domain-syntax", "tunnel-name", "bad-identity", "interface-prefix", "loopback-32",
            "router-id-zero", "hold-time", "too-many", "line-too-long", "too-many-lines", "too-many-tokens",
            "bad-character", "bad-quote", "unterminated-quote", "unknown-algorithm", "unsupported-algorithm",
            "proposal-no-encryption", "proposal-duplicate", "proposal-syntax", "proposal-too-long",
            "proposal-aead-integrity", "proposal-no-integrity", "ike-dh-missing", "ike-prf-missing", "esp-prf",
            "asn-reserved", "internal",
        };

        private readonly ArrayList _lines = new ArrayList();
        private readonly int _maxLines;
        private string _baseText = "";

        /// <summary>An empty candidate of at most <paramref name="maxLines"/> statements.</summary>
        public CandidateConfig(int maxLines)
        {
            _maxLines = maxLines;
        }

        /// <summary>Most statements.</summary>
        public int MaxLines { get { return _maxLines; } }

        /// <summary>Statements in the candidate.</summary>
        public int Count { get { return _lines.Count; } }

        /// <summary>Statement i.</summary>
        public string Line(int i)
        {
            return (string)_lines[i];
        }

        /// <summary>The candidate as configuration text (secrets in clear).</summary>
        public string Text
        {
            get
            {
                System.Text.StringBuilder sb = new System.Text.StringBuilder();
                for (int i = 0; i < _lines.Count; i++)
                {
                    sb.Append((string)_lines[i]);
                    sb.Append('\n');
                }

                return sb.ToString();
            }
        }

        /// <summary>True when the candidate differs from the text it was last loaded from.</summary>
        public bool Changed { get { return Text != _baseText; } }

        /// <summary>Replaces the candidate with the statements of <paramref name="storageText"/> (comments and blank lines dropped).</summary>
        public void Load(string storageText)
        {
            _lines.Clear();
            string[] lines = storageText.Split('\n');
            for (int i = 0; i < lines.Length && _lines.Count < _maxLines; i++)
            {
                string l = lines[i].Trim();
                if (l.Length > 0 && l[0] != '#')
                {
                    _lines.Add(l);
                }
            }

            _baseText = Text;
        }

        /// <summary>Sets what <see cref="Changed"/> compares with (the running configuration's storage text).</summary>
        public void SetBase(string storageText)
        {
            CandidateConfig other = new CandidateConfig(_maxLines);
            other.Load(storageText);
            _baseText = other.Text;
        }

        /// <summary>
        /// Adds the statement <paramref name="line"/> ("set ..."). Returns true when the candidate accepted it
        /// (possibly replacing an earlier value); false with the parser's errors for the line otherwise.
        /// </summary>
        public bool Set(string line, out ConfigDiagnostic[] errors)
        {
            errors = new ConfigDiagnostic[0];
            if (IndexOf(line) >= 0)
            {
                return true;
            }

            if (_lines.Count >= _maxLines)
            {
                errors = new ConfigDiagnostic[] { new ConfigDiagnostic(0, "", "too-many-lines", "the candidate holds at most " + _maxLines.ToString() + " statements", false) };
                return false;
            }

            _lines.Add(line);
            int lineNumber = _lines.Count;
            // Bounded: every pass removes one conflicting earlier line.
            for (int pass = 0; pass < 4; pass++)
            {
                ParseResult r = ConfigText.Parse(Text);
                ArrayList own = new ArrayList();
                int conflictLine = 0;
                bool duplicate = false;
                for (int i = 0; i < r.Errors.Length; i++)
                {
                    ConfigDiagnostic e = r.Errors[i];
                    if (e.Line != lineNumber)
                    {
                        continue;
                    }

                    if (e.Rule == "conflict")
                    {
                        conflictLine = TrailingNumber(e.Message);
                    }
                    else if (e.Rule == "duplicate-value")
                    {
                        duplicate = true;
                    }
                    else if (IsSyntaxRule(e.Rule))
                    {
                        own.Add(e);
                    }
                }

                if (own.Count > 0)
                {
                    _lines.RemoveAt(lineNumber - 1);
                    errors = new ConfigDiagnostic[own.Count];
                    own.CopyTo(errors);
                    return false;
                }

                if (duplicate)
                {
                    _lines.RemoveAt(lineNumber - 1);
                    return true;
                }

                if (conflictLine < 1 || conflictLine >= lineNumber)
                {
                    return true;
                }

                _lines.RemoveAt(conflictLine - 1);
                lineNumber--;
            }

            return true;
        }

        /// <summary>Removes every statement whose words start with <paramref name="path"/> (words after "set"); returns how many.</summary>
        public int Delete(string[] path, int start, int count)
        {
            int removed = 0;
            for (int i = _lines.Count - 1; i >= 0; i--)
            {
                string[] words = CliWords.Split((string)_lines[i]);
                bool match = words.Length >= count + 1;
                for (int k = 0; k < count && match; k++)
                {
                    match = words[1 + k] == path[start + k];
                }

                if (match)
                {
                    _lines.RemoveAt(i);
                    removed++;
                }
            }

            return removed;
        }

        private int IndexOf(string line)
        {
            for (int i = 0; i < _lines.Count; i++)
            {
                if ((string)_lines[i] == line)
                {
                    return i;
                }
            }

            return -1;
        }

        private static bool IsSyntaxRule(string rule)
        {
            for (int i = 0; i < SyntaxRules.Length; i++)
            {
                if (SyntaxRules[i] == rule)
                {
                    return true;
                }
            }

            return false;
        }

        // "... is already set on line 12" -> 12.
        private static int TrailingNumber(string message)
        {
            int end = message.Length;
            int start = end;
            while (start > 0 && message[start - 1] >= '0' && message[start - 1] <= '9')
            {
                start--;
            }

            int n = 0;
            for (int i = start; i < end && i - start < 9; i++)
            {
                n = n * 10 + (message[i] - '0');
            }

            return n;
        }
    }
}
