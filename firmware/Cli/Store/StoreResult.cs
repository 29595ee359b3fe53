namespace VpnAppliance.Cli.Store
{
    /// <summary>Outcome of a <see cref="ConfigStore"/> operation.</summary>
    public enum StoreResult
    {
        /// <summary>Done.</summary>
        Ok = 0,
        /// <summary>No valid record in any slot (a new or erased board).</summary>
        Empty = 1,
        /// <summary>The record does not fit in a slot (the payload limit is <see cref="ConfigStore.MaxPayload"/>).</summary>
        TooLarge = 2,
        /// <summary>The flash reported an error (or lost power); the previous record is still the current one.</summary>
        FlashError = 3,
        /// <summary>The record was written but reads back different (worn or failing flash).</summary>
        VerifyFailed = 4,
    }
}
