using System.Collections;

namespace VpnAppliance.Config
{
    /// <summary>
    /// One part of the configuration, owned by one subsystem, addressed by a keyword path after <c>set</c>
    /// (<c>system</c>, <c>vpn peer</c>, <c>protocols bgp</c>, ...). An instance is both the handler and the data
    /// of that part for one model. The parser core only finds the section for a line (longest path match in the
    /// <see cref="SectionRegistry"/>) and hands it the rest of the line; a later subsystem adds its statements by
    /// registering a new section, without touching the parser.
    /// </summary>
    public interface IConfigSection
    {
        /// <summary>Keyword path, words separated by one space (e.g. <c>protocols bgp</c>).</summary>
        string Path { get; }

        /// <summary>A new, empty (all defaults) instance of the same section, for a new model.</summary>
        IConfigSection CreateEmpty();

        /// <summary>
        /// Handles one <c>set</c> line; <paramref name="index"/> is the first token after the path. Reports
        /// syntax/range errors through <paramref name="ctx"/>; never throws.
        /// </summary>
        void ParseLine(ParseContext ctx, int index);

        /// <summary>Writes the section's lines in canonical order (non-default values only).</summary>
        void Print(ConfigWriter writer);

        /// <summary>Checks the section's own rules and the cross-section rules it owns (it sees the whole model).</summary>
        void Validate(ConfigModel model, DiagnosticList diagnostics);

        /// <summary>Structural equality with another instance of the same section.</summary>
        bool ContentEquals(IConfigSection other, bool compareSecrets);

        /// <summary>Adds zero or more one-line summaries (for the simulator banner / <c>show summary</c>).</summary>
        void Summarize(ConfigModel model, ArrayList lines);

        /// <summary>
        /// Secrets that this text withholds (written as <see cref="ConfigWriter.Mask"/>) are taken from
        /// <paramref name="previous"/> (the running section) when the same object exists there.
        /// </summary>
        void InheritSecrets(IConfigSection previous);
    }
}
