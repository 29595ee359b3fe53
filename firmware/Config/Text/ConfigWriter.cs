using System.Text;

namespace VpnAppliance.Config
{
    /// <summary>
    /// Builds canonical configuration text: one <c>set</c> statement per line, tokens separated by one
    /// space, quoted only when needed (<see cref="Tokenizer.NeedsQuotes"/>), <c>\n</c> line ends.
    /// </summary>
    public sealed class ConfigWriter
    {
        /// <summary>What secrets are replaced with in a normal print.</summary>
        public const string Mask = "******";

        private readonly StringBuilder _sb = new StringBuilder(1024);
        private bool _open;

        /// <summary>True when secrets are written in clear (storage print).</summary>
        public readonly bool IncludeSecrets;

        /// <summary>Creates a writer; <paramref name="includeSecrets"/> selects the storage form.</summary>
        public ConfigWriter(bool includeSecrets) { IncludeSecrets = includeSecrets; }

        /// <summary>Starts a line <c>set &lt;path&gt;</c> (path is written as is, it is keywords).</summary>
        public ConfigWriter Set(string path)
        {
            if (_open) End();
            _sb.Append("set ");
            _sb.Append(path);
            _open = true;
            return this;
        }

        /// <summary>Appends a keyword or value token (quoted when needed).</summary>
        public ConfigWriter Add(string token)
        {
            _sb.Append(' ');
            if (!Tokenizer.NeedsQuotes(token)) { _sb.Append(token); return this; }
            _sb.Append('"');
            for (int i = 0; i < token.Length; i++)
            {
                char c = token[i];
                if (c == '"' || c == '\\') _sb.Append('\\');
                _sb.Append(c);
            }
            _sb.Append('"');
            return this;
        }

        /// <summary>Appends an unsigned number.</summary>
        public ConfigWriter Add(uint value) { _sb.Append(' '); _sb.Append(value); return this; }

        /// <summary>Appends a number.</summary>
        public ConfigWriter Add(int value) { _sb.Append(' '); _sb.Append(value); return this; }

        /// <summary>Appends a secret: in clear for storage, else <see cref="Mask"/>.</summary>
        public ConfigWriter AddSecret(string secret)
        {
            return Add(IncludeSecrets ? secret : Mask);
        }

        /// <summary>Ends the current line.</summary>
        public void End()
        {
            if (!_open) return;
            _sb.Append('\n');
            _open = false;
        }

        /// <summary>The text written so far.</summary>
        public override string ToString()
        {
            End();
            return _sb.ToString();
        }
    }
}
