namespace VpnAppliance.Config
{
    /// <summary>
    /// The rules one cloud's VPN gateway imposes on a branch (INTEROP.md): reserved ASNs, inside-tunnel and
    /// APIPA ranges, proposals it accepts. One implementation per cloud, one file each; later issues add route
    /// caps and timers here. Called once per <c>vpn peer</c> whose <c>profile</c> names it, with the whole model.
    /// </summary>
    public interface ICloudProfile
    {
        /// <summary>Profile keyword (<c>azure</c>, <c>alibaba</c>, <c>aws</c>, <c>gcp</c>, <c>generic</c>).</summary>
        string Name { get; }

        /// <summary>Checks <paramref name="peer"/>, its tunnel and the BGP neighbours over it.</summary>
        void Validate(ConfigModel model, VpnPeer peer, DiagnosticList diagnostics);
    }
}
