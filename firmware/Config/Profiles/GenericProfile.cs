namespace VpnAppliance.Config
{
    /// <summary>
    /// Any other IKEv2 peer (another branch, strongSwan, a router): only the general rules apply (they live in the
    /// sections: AS 0 and 23456 invalid, RFC 8212 warnings, weak DH groups).
    /// </summary>
    public sealed class GenericProfile : ICloudProfile
    {
        /// <summary>Keyword.</summary>
        public const string ProfileName = "generic";

        /// <inheritdoc/>
        public string Name { get { return ProfileName; } }

        /// <inheritdoc/>
        public void Validate(ConfigModel model, VpnPeer peer, DiagnosticList diagnostics) { }
    }
}
