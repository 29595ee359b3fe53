namespace VpnAppliance.Firmware
{
    /// <summary>The routing manager as the static-route side sees it: which next-hop groups hold dynamic (BGP) routes.</summary>
    public interface IDynamicRoutes
    {
        /// <summary>True when <paramref name="group"/> was made for dynamic routes.</summary>
        bool OwnsGroup(int group);

        /// <summary>Administrative distance of the dynamic routes (eBGP 20); a static route below it wins.</summary>
        int Distance { get; }
    }
}
