using System.Collections;

namespace VpnAppliance.Config
{
    /// <summary>
    /// The sections a model is made of, in canonical print order, and the dispatch of a <c>set</c> line to the
    /// section with the longest matching keyword path.
    /// </summary>
    public sealed class SectionRegistry
    {
        private readonly ArrayList _sections = new ArrayList();
        private readonly ArrayList _paths = new ArrayList(); // string[] words per section

        private string _firstWords;
        private static SectionRegistry s_default;
        private static readonly object s_lock = new object();

        /// <summary>The registry with the built-in sections (shared, do not register into it).</summary>
        public static SectionRegistry Default
        {
            get
            {
                lock (s_lock)
                {
                    if (s_default == null) s_default = CreateDefault();
                    return s_default;
                }
            }
        }

        /// <summary>A new registry holding the built-in sections; extend it with <see cref="Register"/>.</summary>
        public static SectionRegistry CreateDefault()
        {
            SectionRegistry r = new SectionRegistry();
            r.Register(new SystemSection());
            r.Register(new InterfacesSection());
            r.Register(new IkeGroupSection());
            r.Register(new EspGroupSection());
            r.Register(new PeerSection());
            r.Register(new TunnelSection());
            r.Register(new PolicySection());
            r.Register(new StaticSection());
            r.Register(new BgpSection());
            r.Register(new BfdSection());
            return r;
        }

        /// <summary>Number of sections.</summary>
        public int Count { get { return _sections.Count; } }

        /// <summary>Prototype of section <paramref name="i"/> (print order).</summary>
        public IConfigSection Get(int i) { return (IConfigSection)_sections[i]; }

        /// <summary>Adds a section (printed after those already registered). False if the path is taken or empty.</summary>
        public bool Register(IConfigSection prototype)
        {
            if (prototype == null || prototype.Path == null || prototype.Path.Length == 0) return false;
            for (int i = 0; i < _sections.Count; i++)
            {
                if (Get(i).Path == prototype.Path) return false;
            }
            _sections.Add(prototype);
            _paths.Add(prototype.Path.Split(' '));
            _firstWords = null;
            return true;
        }

        /// <summary>
        /// Index of the section whose path matches the most tokens starting at <paramref name="start"/>;
        /// -1 when none. <paramref name="consumed"/> is the path length in tokens.
        /// </summary>
        public int Match(ParseContext ctx, int start, out int consumed)
        {
            int best = -1;
            consumed = 0;
            for (int i = 0; i < _paths.Count; i++)
            {
                string[] words = (string[])_paths[i];
                if (words.Length <= consumed) continue;
                bool all = true;
                for (int w = 0; w < words.Length && all; w++)
                {
                    if (start + w >= ctx.Count || ctx.Token(start + w) != words[w]) all = false;
                }
                if (all)
                {
                    best = i;
                    consumed = words.Length;
                }
            }
            return best;
        }

        /// <summary>"a|b|c" of the first words of all paths (for error messages).</summary>
        public string FirstWords()
        {
            if (_firstWords != null) return _firstWords;
            System.Text.StringBuilder sb = new System.Text.StringBuilder();
            ArrayList seen = new ArrayList();
            for (int i = 0; i < _paths.Count; i++)
            {
                string w = ((string[])_paths[i])[0];
                if (seen.Contains(w)) continue;
                seen.Add(w);
                if (sb.Length > 0) sb.Append('|');
                sb.Append(w);
            }
            _firstWords = sb.ToString();
            return _firstWords;
        }
    }
}
