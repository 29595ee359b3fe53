using System.Collections;

namespace VpnAppliance.Config
{
    /// <summary>
    /// <c>set system ...</c>: identity of the appliance.
    /// <code>
    /// set system host-name &lt;label&gt;
    /// set system domain-name &lt;domain&gt;
    /// </code>
    /// </summary>
    public sealed class SystemSection : IConfigSection
    {
        /// <summary>Keyword path.</summary>
        public const string PathText = "system";

        /// <summary>Host name (RFC 1123 label), null when unset.</summary>
        public string HostName;
        /// <summary>Domain name, null when unset.</summary>
        public string DomainName;

        /// <inheritdoc/>
        public string Path { get { return PathText; } }

        /// <inheritdoc/>
        public IConfigSection CreateEmpty() { return new SystemSection(); }

        /// <inheritdoc/>
        public void ParseLine(ParseContext ctx, int i)
        {
            if (!ctx.Need(i, "host-name|domain-name")) return;
            string k = ctx.Token(i);
            if (k == "host-name")
            {
                if (!ctx.Need(i + 1, "a host name") || !ctx.End(i + 2) || !ctx.ClaimLeaf(i + 1)) return;
                string v = ctx.Token(i + 1);
                if (!Names.IsValidHostName(v)) { ctx.Error(i + 1, "hostname-syntax", "1-63 letters, digits or '-', not starting or ending with '-' (RFC 1123)"); return; }
                HostName = v;
            }
            else if (k == "domain-name")
            {
                if (!ctx.Need(i + 1, "a domain name") || !ctx.End(i + 2) || !ctx.ClaimLeaf(i + 1)) return;
                string v = ctx.Token(i + 1);
                if (!Names.IsValidDomainName(v)) { ctx.Error(i + 1, "domain-syntax", "dot-separated host-name labels, at most 253 characters"); return; }
                DomainName = v;
            }
            else ctx.UnknownKeyword(i, "host-name|domain-name");
        }

        /// <inheritdoc/>
        public void Print(ConfigWriter w)
        {
            if (HostName != null) w.Set("system host-name").Add(HostName).End();
            if (DomainName != null) w.Set("system domain-name").Add(DomainName).End();
        }

        /// <inheritdoc/>
        public void Validate(ConfigModel model, DiagnosticList d) { }

        /// <inheritdoc/>
        public bool ContentEquals(IConfigSection other, bool compareSecrets)
        {
            SystemSection o = other as SystemSection;
            return o != null && o.HostName == HostName && o.DomainName == DomainName;
        }

        /// <inheritdoc/>
        public void Summarize(ConfigModel model, ArrayList lines)
        {
            lines.Add("host-name " + (HostName == null ? "(not set)" : HostName));
        }

        /// <inheritdoc/>
        public void InheritSecrets(IConfigSection previous) { }
    }
}
