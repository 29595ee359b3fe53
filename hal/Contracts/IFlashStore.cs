namespace VpnAppliance.Hal
{
    /// <summary>
    /// Persistent storage as a few equal-size slots (the config store uses two: A/B).
    ///
    /// Power-loss semantics every implementation guarantees and every user must assume:
    /// <list type="bullet">
    /// <item>After <see cref="Erase"/> returns Ok every byte of the slot reads <see cref="ErasedValue"/>.
    /// An erase interrupted by power loss leaves any mixture of old bytes and erased bytes.</item>
    /// <item><see cref="Write"/> programs bytes in increasing address order. Power loss during a write
    /// leaves a prefix of the new bytes written and the remaining bytes as they were; the byte being
    /// programmed at the moment of loss may hold any value.</item>
    /// <item>Writing a byte that is not erased is allowed by this contract (the NOR AND-semantics of
    /// real flash are hidden by the driver's read-modify-write), but users should erase first.</item>
    /// <item>Nothing is cached: when Write returns Ok the bytes are durable.</item>
    /// <item>Whatever the medium, a power loss never changes a slot other than the one being
    /// erased or written. Raw-flash stores (the doubles, the host file store) also keep the
    /// prefix shape above; a store on a device file system (hal/Device FileFlashStore) only
    /// promises that the slot being written is untrusted after a cut, because the file system
    /// decides what survives.</item>
    /// </list>
    /// Hence a record is trustworthy only if it carries its own length, sequence number and CRC,
    /// and the store writes the slot that is not current (A/B), so one good copy always survives.
    /// </summary>
    public interface IFlashStore
    {
        /// <summary>Number of slots (at least 2).</summary>
        int SlotCount { get; }

        /// <summary>Bytes per slot.</summary>
        int SlotSize { get; }

        /// <summary>Value every byte holds after an erase (0xFF on NOR flash).</summary>
        byte ErasedValue { get; }

        /// <summary>Sets every byte of the slot to <see cref="ErasedValue"/>.</summary>
        FlashResult Erase(int slot);

        /// <summary>Programs <paramref name="count"/> bytes at <paramref name="slotOffset"/>.</summary>
        FlashResult Write(int slot, int slotOffset, byte[] data, int dataOffset, int count);

        /// <summary>Reads <paramref name="count"/> bytes from <paramref name="slotOffset"/>.</summary>
        FlashResult Read(int slot, int slotOffset, byte[] buffer, int bufferOffset, int count);
    }
}
