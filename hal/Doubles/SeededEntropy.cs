namespace VpnAppliance.Hal.Doubles
{
    /// <summary>
    /// Deterministic "entropy" for tests: SplitMix64 (Steele, Lea, Flood, "Fast splittable
    /// pseudorandom number generators", OOPSLA 2014) from a 64-bit seed. Same seed, same bytes.
    /// NOT random: never use outside tests and the simulator.
    /// </summary>
    public sealed class SeededEntropy : IEntropySource
    {
        private ulong _state;
        private ulong _word;
        private int _wordBytesLeft;
        private long _budget;

        /// <summary>Creates the sequence for <paramref name="seed"/>; unlimited output.</summary>
        public SeededEntropy(long seed)
        {
            _state = (ulong)seed;
            _budget = -1;
        }

        /// <summary>Bytes produced so far.</summary>
        public long BytesProduced { get; private set; }

        /// <summary>
        /// Limits the bytes still available (to test the "temporarily exhausted" path, Fill returns
        /// fewer or 0); -1 = unlimited.
        /// </summary>
        public void SetBudget(long bytes)
        {
            _budget = bytes;
        }

        /// <summary>Writes up to <paramref name="count"/> bytes of the sequence; fewer when a budget runs out.</summary>
        public int Fill(byte[] buffer, int offset, int count)
        {
            if (buffer == null || offset < 0 || count < 0 || offset > buffer.Length - count)
            {
                return 0;
            }

            int n = count;
            if (_budget >= 0 && _budget < n)
            {
                n = (int)_budget;
            }

            for (int i = 0; i < n; i++)
            {
                if (_wordBytesLeft == 0)
                {
                    _word = Next();
                    _wordBytesLeft = 8;
                }

                buffer[offset + i] = (byte)_word;
                _word >>= 8;
                _wordBytesLeft--;
            }

            if (_budget >= 0)
            {
                _budget -= n;
            }

            BytesProduced += n;
            return n;
        }

        /// <summary>Next 64-bit SplitMix64 output.</summary>
        public ulong Next()
        {
            // SplitMix64: golden-ratio increment, then the MurmurHash3-style finalizer with
            // Stafford's "Mix13" constants.
            _state += 0x9E3779B97F4A7C15UL;
            ulong z = _state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
