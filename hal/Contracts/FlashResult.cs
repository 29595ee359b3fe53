namespace VpnAppliance.Hal
{
    /// <summary>Outcome of a flash store operation.</summary>
    public enum FlashResult
    {
        /// <summary>Done.</summary>
        Ok = 0,
        /// <summary>Slot, offset or length outside the slot.</summary>
        OutOfRange = 1,
        /// <summary>The medium reported an error (or the simulated power was cut).</summary>
        IoError = 2,
    }
}
