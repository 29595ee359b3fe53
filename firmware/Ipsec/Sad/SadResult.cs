namespace VpnAppliance.Ipsec
{
    /// <summary>Outcome of a SAD operation. Nothing in the SAD throws on bad input or a full table.</summary>
    public enum SadResult
    {
        /// <summary>Done.</summary>
        Ok = 0,
        /// <summary>Every CHILD SA slot (Capacities.ChildSas) is in use.</summary>
        Full = 1,
        /// <summary>No unused SPI &gt;= 256 was drawn within the bounded number of tries, or the DRBG failed.</summary>
        SpiUnavailable = 2,
        /// <summary>The handle does not name a live slot (never issued, deleted, or reused since).</summary>
        InvalidHandle = 3,
        /// <summary>The slot is not in the state the call needs (install twice, install before reserve).</summary>
        InvalidState = 4,
        /// <summary>The transform combination or key length is not supported, or the provider lacks it.</summary>
        NotSupported = 5,
        /// <summary>KEYMAT shorter than the transforms need, or an out-of-range argument (peer SPI below 256, port).</summary>
        InvalidArgument = 6,
        /// <summary>The tunnel interface id is outside 0 .. Capacities.Tunnels - 1.</summary>
        NoSuchTunnel = 7,
    }
}
