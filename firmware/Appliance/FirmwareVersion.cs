namespace VpnAppliance.Firmware
{
    /// <summary>Version of the firmware image, printed by <c>show version</c> and the simulator banner.</summary>
    public static class FirmwareVersion
    {
        /// <summary>Semantic version of this firmware.</summary>
        public const string Text = "0.1.0";

        /// <summary>Product name.</summary>
        public const string Product = "edge-vpn-appliance";
    }
}
