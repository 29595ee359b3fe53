namespace VpnAppliance.Hal.Crypto.Device
{
    /// <summary>
    /// A few reusable arrays of exact lengths. nanoFramework's crypto API takes a whole byte[] (no offset or
    /// count), so a message must sit in an array of exactly its length; ESP flows repeat a handful of
    /// lengths, so a small round-robin cache avoids making one per packet. Bounded: <see cref="Slots"/> arrays.
    /// </summary>
    internal sealed class ExactLengthBuffers
    {
        /// <summary>Cached arrays.</summary>
        public const int Slots = 4;

        private readonly byte[][] _buffers = new byte[Slots][];
        private int _next;

        /// <summary>An array of exactly <paramref name="length"/> bytes (reused when cached, otherwise made and cached).</summary>
        public byte[] Get(int length)
        {
            for (int i = 0; i < Slots; i++)
            {
                byte[] b = _buffers[i];
                if (b != null && b.Length == length)
                {
                    return b;
                }
            }

            byte[] made = new byte[length];
            _buffers[_next] = made;
            _next = (_next + 1) % Slots;
            return made;
        }

        /// <summary>Zeroises every cached array.</summary>
        public void Clear()
        {
            for (int i = 0; i < Slots; i++)
            {
                if (_buffers[i] != null)
                {
                    System.Array.Clear(_buffers[i], 0, _buffers[i].Length);
                }
            }
        }
    }
}
