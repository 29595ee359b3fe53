namespace VpnAppliance.Config
{
    /// <summary>
    /// Outcome of <see cref="ConfigText.Parse(string)"/>: <see cref="Ok"/> is true when there are no errors
    /// (warnings never block). <see cref="Model"/> is the parsed model even when not Ok (for diagnostics only;
    /// never apply a model whose result is not Ok).
    /// </summary>
    public sealed class ParseResult
    {
        /// <summary>True when the text parsed and validated without errors.</summary>
        public readonly bool Ok;
        /// <summary>The parsed model (complete only when <see cref="Ok"/>).</summary>
        public readonly ConfigModel Model;
        /// <summary>Same as <see cref="Model"/>.</summary>
        public ConfigModel Config { get { return Model; } }
        /// <summary>Errors (at most <see cref="DiagnosticList.MaxEach"/>), in line order of discovery.</summary>
        public readonly ConfigDiagnostic[] Errors;
        /// <summary>Warnings; they do not block.</summary>
        public readonly ConfigDiagnostic[] Warnings;
        /// <summary>True when more errors/warnings existed than were kept.</summary>
        public readonly bool Truncated;

        /// <summary>Creates a result.</summary>
        public ParseResult(ConfigModel model, DiagnosticList diagnostics)
        {
            Model = model;
            Errors = diagnostics.Errors();
            Warnings = diagnostics.Warnings();
            Truncated = diagnostics.Truncated;
            Ok = diagnostics.ErrorCount == 0;
        }
    }
}
