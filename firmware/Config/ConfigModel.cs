using System.Collections;

namespace VpnAppliance.Config
{
    /// <summary>
    /// A whole configuration: one instance of every registered section. Built by <see cref="ConfigText.Parse(string)"/>
    /// (or in code), printed by <see cref="ConfigText.Print"/>, compared structurally by <see cref="ContentEquals"/>.
    /// Typed accessors give the built-in sections; sections added later are reached with <see cref="Section"/>.
    /// </summary>
    public sealed class ConfigModel
    {
        private readonly SectionRegistry _registry;
        private readonly IConfigSection[] _sections;

        /// <summary>An empty model of the built-in sections (all defaults).</summary>
        public ConfigModel() : this(SectionRegistry.Default) { }

        /// <summary>An empty model with the sections of <paramref name="registry"/>.</summary>
        public ConfigModel(SectionRegistry registry)
        {
            _registry = registry;
            _sections = new IConfigSection[registry.Count];
            for (int i = 0; i < _sections.Length; i++) _sections[i] = registry.Get(i).CreateEmpty();
        }

        /// <summary>The registry this model was built from.</summary>
        public SectionRegistry Registry { get { return _registry; } }

        /// <summary>Number of sections.</summary>
        public int SectionCount { get { return _sections.Length; } }

        /// <summary>Section by index (print order).</summary>
        public IConfigSection SectionAt(int i) { return _sections[i]; }

        /// <summary>Section by path (e.g. <c>protocols bgp</c>), or null.</summary>
        public IConfigSection Section(string path)
        {
            for (int i = 0; i < _sections.Length; i++)
            {
                if (_sections[i].Path == path) return _sections[i];
            }
            return null;
        }

        /// <summary><c>system</c>.</summary>
        public SystemSection System { get { return (SystemSection)Section(SystemSection.PathText); } }
        /// <summary><c>interfaces</c>.</summary>
        public InterfacesSection Interfaces { get { return (InterfacesSection)Section(InterfacesSection.PathText); } }
        /// <summary><c>vpn ike-group</c>.</summary>
        public IkeGroupSection IkeGroups { get { return (IkeGroupSection)Section(IkeGroupSection.PathText); } }
        /// <summary><c>vpn esp-group</c>.</summary>
        public EspGroupSection EspGroups { get { return (EspGroupSection)Section(EspGroupSection.PathText); } }
        /// <summary><c>vpn peer</c>.</summary>
        public PeerSection Peers { get { return (PeerSection)Section(PeerSection.PathText); } }
        /// <summary><c>vpn tunnel</c>.</summary>
        public TunnelSection Tunnels { get { return (TunnelSection)Section(TunnelSection.PathText); } }
        /// <summary><c>policy prefix-list</c>.</summary>
        public PolicySection Policy { get { return (PolicySection)Section(PolicySection.PathText); } }
        /// <summary><c>protocols static</c>.</summary>
        public StaticSection Static { get { return (StaticSection)Section(StaticSection.PathText); } }
        /// <summary><c>protocols bgp</c>.</summary>
        public BgpSection Bgp { get { return (BgpSection)Section(BgpSection.PathText); } }

        /// <summary>
        /// Structural equality: same sections with equal content. With <paramref name="compareSecrets"/> false,
        /// secrets are ignored (a masked print parses back equal except for them).
        /// </summary>
        public bool ContentEquals(ConfigModel other, bool compareSecrets)
        {
            if (other == null || other._sections.Length != _sections.Length) return false;
            for (int i = 0; i < _sections.Length; i++)
            {
                if (_sections[i].Path != other._sections[i].Path) return false;
                if (!_sections[i].ContentEquals(other._sections[i], compareSecrets)) return false;
            }
            return true;
        }

        /// <summary>Structural equality including secrets.</summary>
        public override bool Equals(object obj) { return ContentEquals(obj as ConfigModel, true); }

        /// <summary>Hash consistent with <see cref="Equals"/> (coarse: section count).</summary>
        public override int GetHashCode() { return _sections.Length; }

        /// <summary>Short lines describing the model, e.g. <c>bgp: local-as 65010, 2 neighbors</c>.</summary>
        public string[] Summary()
        {
            ArrayList lines = new ArrayList();
            for (int i = 0; i < _sections.Length; i++) _sections[i].Summarize(this, lines);
            string[] a = new string[lines.Count];
            for (int i = 0; i < a.Length; i++) a[i] = (string)lines[i];
            return a;
        }

        /// <summary>Takes masked secrets from <paramref name="previous"/> section by section.</summary>
        public void InheritSecrets(ConfigModel previous)
        {
            if (previous == null) return;
            for (int i = 0; i < _sections.Length; i++)
            {
                IConfigSection old = previous.Section(_sections[i].Path);
                if (old != null) _sections[i].InheritSecrets(old);
            }
        }
    }
}
