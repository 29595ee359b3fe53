namespace VpnAppliance.Cli
{
    /// <summary>Names of the router's interface ids for route listings (the appliance adapts its router).</summary>
    public interface IInterfaceNames
    {
        /// <summary>"lan", "tun1".., "lo" for an interface id.</summary>
        string InterfaceName(int interfaceId);

        /// <summary>The configured tunnel (vtiN) an interface id carries, or null.</summary>
        string TunnelName(int interfaceId);

        /// <summary>
        /// Where a FIB entry came from when a routing protocol installed it (e.g. "bgp (eBGP, distance 20)"), or
        /// null for connected/static entries (those are explained from the configuration).
        /// </summary>
        string DynamicOrigin(uint prefix, int length, int group);
    }
}
