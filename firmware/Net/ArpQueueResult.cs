namespace VpnAppliance.Net
{
    /// <summary>Outcome of <see cref="ArpCache.Enqueue"/>.</summary>
    public enum ArpQueueResult
    {
        /// <summary>The packet waits for the reply; the cache holds its buffer.</summary>
        Queued = 0,

        /// <summary>The entry's queue (PendingPerEntry) or the shared pending pool is full; the caller drops the packet.</summary>
        QueueFull = 1,

        /// <summary>No entry free and none evictable; the caller drops the packet.</summary>
        TableFull = 2,
    }
}
