namespace VpnAppliance.Config
{
    /// <summary>
    /// Holder of the configuration in force. <see cref="Replace"/> swaps in a new model only when its text
    /// parses and validates without errors; on any error the running model and its text stay exactly as they
    /// were. Secrets a new text withholds (<c>******</c>) are kept from the running model for the same object.
    /// </summary>
    public sealed class RunningConfig
    {
        private readonly SectionRegistry _registry;
        private ConfigModel _model;
        private string _storageText;

        /// <summary>An empty running configuration with the built-in sections.</summary>
        public RunningConfig() : this(SectionRegistry.Default) { }

        /// <summary>An empty running configuration with the sections of <paramref name="registry"/>.</summary>
        public RunningConfig(SectionRegistry registry)
        {
            _registry = registry;
            _model = new ConfigModel(registry);
            _storageText = ConfigText.PrintForStorage(_model);
        }

        /// <summary>The model in force (treat as read-only).</summary>
        public ConfigModel Model { get { return _model; } }

        private int _generation;

        /// <summary>Count of successful replacements.</summary>
        public int Generation { get { return _generation; } }

        /// <summary>Canonical text, secrets masked.</summary>
        public string Text { get { return ConfigText.Print(_model); } }

        /// <summary>Canonical text with secrets, for the flash store.</summary>
        public string StorageText { get { return _storageText; } }

        /// <summary>
        /// Parses <paramref name="text"/> as a complete configuration and, if it has no errors, makes it the
        /// running one. Returns the parse result either way (errors and warnings for the operator).
        /// </summary>
        public ParseResult Replace(string text)
        {
            ParseResult r = ParseInheriting(text);
            if (r.Ok)
            {
                _model = r.Model;
                _storageText = ConfigText.PrintForStorage(_model);
                _generation++;
            }
            return r;
        }

        /// <summary>Alias of <see cref="Replace"/>.</summary>
        public ParseResult Apply(string text) { return Replace(text); }

        // Withheld secrets are inherited from the running model before validation.
        private ParseResult ParseInheriting(string text)
        {
            return ConfigText.Parse(text, _registry, _model);
        }
    }
}
