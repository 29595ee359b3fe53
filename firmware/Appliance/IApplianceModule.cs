namespace VpnAppliance.Firmware
{
    /// <summary>
    /// The wiring point for protocol engines (router, IKE, BGP, routing manager). The appliance calls
    /// every registered module once per Poll, in registration order, after draining the ports; a module
    /// does its due work and returns its next deadline (<see cref="Appliance.Never"/> when idle).
    /// Modules are sans-IO towards the network: they read and write through the appliance's handlers.
    /// </summary>
    public interface IApplianceModule
    {
        /// <summary>Short name for logs and <c>show system</c> ("router", "ike", "bgp").</summary>
        string Name { get; }

        /// <summary>Does what is due at <paramref name="nowMs"/>; returns the next deadline.</summary>
        long Poll(long nowMs);
    }
}
