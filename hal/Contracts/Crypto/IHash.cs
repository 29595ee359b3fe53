namespace VpnAppliance.Hal.Crypto
{
    /// <summary>Incremental hash over caller buffers; no allocation after construction.</summary>
    public interface IHash
    {
        /// <summary>Digest length in bytes.</summary>
        int HashLength { get; }
        /// <summary>Internal block length in bytes (64 for SHA-1/256, 128 for SHA-384/512).</summary>
        int BlockLength { get; }
        /// <summary>Starts a new digest.</summary>
        void Reset();
        /// <summary>Absorbs bytes.</summary>
        void Update(byte[] data, int offset, int count);
        /// <summary>Writes the digest (<see cref="HashLength"/> bytes) and resets.</summary>
        void Final(byte[] output, int offset);
    }
}
