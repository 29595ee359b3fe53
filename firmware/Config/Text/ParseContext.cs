using System.Collections;

namespace VpnAppliance.Config
{
    /// <summary>
    /// What a section sees while parsing one <c>set</c> line: the tokens (token 0 is <c>set</c>), the line
    /// number, and helpers that read typed values and report errors naming line, token and rule.
    /// A helper that fails has already reported; the section just stops handling the line.
    /// </summary>
    public sealed class ParseContext
    {
        private readonly DiagnosticList _diagnostics;
        private readonly Hashtable _leaves = new Hashtable();
        private string[] _tokens;
        private readonly ArrayList _pendingKeys = new ArrayList();
        private readonly ArrayList _pendingValues = new ArrayList();
        private int _errorsAtLineStart;

        /// <summary>What a diagnostic shows instead of a secret.</summary>
        public const string SecretToken = "(secret)";

        /// <summary>1-based line number.</summary>
        public int Line;
        /// <summary>Number of tokens on the line.</summary>
        public int Count;

        /// <summary>Creates a context reporting into <paramref name="diagnostics"/>.</summary>
        public ParseContext(DiagnosticList diagnostics) { _diagnostics = diagnostics; }

        /// <summary>Where diagnostics go.</summary>
        public DiagnosticList Diagnostics { get { return _diagnostics; } }

        /// <summary>Points the context at the next line.</summary>
        public void Reset(int line, string[] tokens, int count)
        {
            Line = line;
            _tokens = tokens;
            Count = count;
            _pendingKeys.Clear();
            _pendingValues.Clear();
            _errorsAtLineStart = _diagnostics.ErrorCount;
        }

        /// <summary>
        /// Called by the parser after the section handled the line: leaves claimed on a line without errors
        /// become binding (a rejected value never causes a later conflict).
        /// </summary>
        public void CommitLine()
        {
            if (_diagnostics.ErrorCount != _errorsAtLineStart) return;
            for (int i = 0; i < _pendingKeys.Count; i++)
            {
                _leaves[_pendingKeys[i]] = new LeafClaim(Line, (string)_pendingValues[i]);
            }
            _pendingKeys.Clear();
            _pendingValues.Clear();
        }

        /// <summary>Token <paramref name="i"/>, or "" past the end.</summary>
        public string Token(int i) { return i >= 0 && i < Count ? _tokens[i] : ""; }

        /// <summary>Reports an error about token <paramref name="i"/> (the last token if i is past the end).</summary>
        public void Error(int i, string rule, string message)
        {
            _diagnostics.Error(Line, Token(i < Count ? i : Count - 1), rule, message);
        }

        /// <summary>Reports a warning about token <paramref name="i"/>.</summary>
        public void Warning(int i, string rule, string message)
        {
            _diagnostics.Warning(Line, Token(i < Count ? i : Count - 1), rule, message);
        }

        /// <summary>True when token <paramref name="i"/> exists; otherwise reports <c>incomplete</c>.</summary>
        public bool Need(int i, string what)
        {
            if (i < Count) return true;
            Error(Count - 1, "incomplete", "expected " + what + " after this");
            return false;
        }

        /// <summary>True when the line ends at <paramref name="i"/>; otherwise reports <c>extra-token</c>.</summary>
        public bool End(int i)
        {
            if (i >= Count) return true;
            Error(i, "extra-token", "unexpected token; the statement ends before it");
            return false;
        }

        /// <summary>Reports the standard unknown-keyword error for token i, listing what is allowed.</summary>
        public void UnknownKeyword(int i, string allowed)
        {
            Error(i, "unknown-keyword", "expected one of: " + allowed);
        }

        /// <summary>
        /// Single-valued leaf bookkeeping: the words before <paramref name="valueIndex"/> name the leaf, the
        /// rest is its value. Setting a leaf again to the same value is harmless; to a different value it is a
        /// <c>conflict</c> error naming the first line.
        /// </summary>
        public bool ClaimLeaf(int valueIndex) { return ClaimLeaf(valueIndex, false); }

        /// <summary>As <see cref="ClaimLeaf(int)"/>; with <paramref name="secret"/> the error never shows the value.</summary>
        public bool ClaimLeaf(int valueIndex, bool secret)
        {
            string key = Join(1, valueIndex);
            string value = Join(valueIndex, Count);
            LeafClaim old = (LeafClaim)_leaves[key];
            if (old == null)
            {
                _pendingKeys.Add(key);
                _pendingValues.Add(value);
                return true;
            }
            if (old.Value == value) return true;
            if (secret)
            {
                _diagnostics.Error(Line, SecretToken, "conflict", "'" + key + "' is already set on line " + old.Line.ToString());
                return false;
            }
            Error(valueIndex, "conflict", "'" + key + "' is already set on line " + old.Line.ToString());
            return false;
        }

        private string Join(int from, int to)
        {
            System.Text.StringBuilder sb = new System.Text.StringBuilder();
            for (int i = from; i < to && i < Count; i++)
            {
                if (i > from) sb.Append(' ');
                sb.Append(_tokens[i]);
            }
            return sb.ToString();
        }

        /// <summary>Reads a name (<see cref="Names.IsValidName"/>).</summary>
        public bool ReadName(int i, string what, out string name)
        {
            name = null;
            if (!Need(i, what)) return false;
            name = _tokens[i];
            if (Names.IsValidName(name)) return true;
            Error(i, "name-syntax", what + " must be 1-32 of A-Z a-z 0-9 _ . - starting with a letter or digit");
            return false;
        }

        /// <summary>Reads an unsigned base-10 number in [min, max].</summary>
        public bool ReadUInt(int i, string what, uint min, uint max, out uint value)
        {
            value = 0;
            if (!Need(i, what)) return false;
            if (!Numbers.TryParseUInt(_tokens[i], out value))
            {
                Error(i, "bad-number", what + " must be a number (digits 0-9)");
                return false;
            }
            if (value < min || value > max)
            {
                Error(i, "out-of-range", what + " must be " + min.ToString() + ".." + max.ToString());
                return false;
            }
            return true;
        }

        /// <summary>Reads a base-10 number in [min, max] as int (max must fit an int).</summary>
        public bool ReadInt(int i, string what, int min, int max, out int value)
        {
            uint v;
            value = 0;
            if (!ReadUInt(i, what, (uint)min, (uint)max, out v)) return false;
            value = (int)v;
            return true;
        }

        /// <summary>Reads an AS number (asplain or asdot, RFC 5396).</summary>
        public bool ReadAsn(int i, string what, out uint asn)
        {
            asn = 0;
            if (!Need(i, what)) return false;
            if (Numbers.TryParseAsn(_tokens[i], out asn))
            {
                if (asn != 0) return true;
                Error(i, "asn-reserved", "AS 0 is reserved and must not be used (RFC 7607)");
                return false;
            }
            Error(i, "bad-asn", what + " must be an AS number 1..4294967295 (asplain or asdot)");
            return false;
        }

        /// <summary>Reads a dotted-quad IPv4 address.</summary>
        public bool ReadAddress(int i, string what, out uint address)
        {
            address = 0;
            if (!Need(i, what)) return false;
            if (Ipv4.TryParse(_tokens[i], out address)) return true;
            Error(i, "bad-ipv4", what + " must be an IPv4 address a.b.c.d");
            return false;
        }

        /// <summary>Reads <c>a.b.c.d/nn</c>; with <paramref name="network"/> host bits must be zero.</summary>
        public bool ReadPrefix(int i, string what, bool network, out Ipv4Prefix prefix)
        {
            prefix = new Ipv4Prefix(0, 0);
            if (!Need(i, what)) return false;
            if (!Ipv4Prefix.TryParse(_tokens[i], out prefix))
            {
                Error(i, "bad-prefix", what + " must be a.b.c.d/nn with nn 0..32");
                return false;
            }
            if (network && !prefix.IsNetwork)
            {
                Error(i, "prefix-host-bits", what + " has host bits set; did you mean " + Ipv4.Format(prefix.Network) + "/" + prefix.Length.ToString() + "?");
                return false;
            }
            return true;
        }

        /// <summary>Reads one of <paramref name="choices"/>; returns its index in <paramref name="index"/>.</summary>
        public bool ReadChoice(int i, string what, string[] choices, out int index)
        {
            index = -1;
            if (!Need(i, what)) return false;
            string t = _tokens[i];
            for (int k = 0; k < choices.Length; k++)
            {
                if (choices[k] == t) { index = k; return true; }
            }
            Error(i, "bad-value", what + " must be one of: " + JoinChoices(choices));
            return false;
        }

        /// <summary>"a|b|c".</summary>
        public static string JoinChoices(string[] choices)
        {
            System.Text.StringBuilder sb = new System.Text.StringBuilder();
            for (int k = 0; k < choices.Length; k++)
            {
                if (k > 0) sb.Append('|');
                sb.Append(choices[k]);
            }
            return sb.ToString();
        }

        private sealed class LeafClaim
        {
            public readonly int Line;
            public readonly string Value;
            public LeafClaim(int line, string value) { Line = line; Value = value; }
        }
    }
}
