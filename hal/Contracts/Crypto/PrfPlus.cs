namespace VpnAppliance.Hal.Crypto
{
    /// <summary>
    /// The IKEv2 key expansion prf+ (RFC 7296 §2.13):
    /// prf+ (K, S) = T1 | T2 | T3 | ...  with  T1 = prf(K, S | 0x01),  Tn = prf(K, Tn-1 | S | n).
    /// The prf is an HMAC (<see cref="IMac"/>) whose key K the caller has set. At most 255 blocks
    /// can be produced (the counter is one octet). Holds one block of scratch; allocates nothing per call.
    /// </summary>
    public sealed class PrfPlus
    {
        private readonly IMac _prf;
        private readonly byte[] _t;
        private readonly byte[] _counter = new byte[1];

        /// <summary>Binds prf+ to a keyed prf.</summary>
        public PrfPlus(IMac prf)
        {
            _prf = prf;
            _t = new byte[prf.MacLength];
        }

        /// <summary>Largest output length: 255 blocks of the prf output.</summary>
        public int MaxOutputLength { get { return 255 * _t.Length; } }

        /// <summary>
        /// Writes <paramref name="count"/> bytes of prf+(K, S) where S is the seed range. Returns
        /// InvalidLength if more than 255 blocks would be needed.
        /// </summary>
        public CryptoResult Expand(byte[] seed, int seedOffset, int seedCount, byte[] output, int outputOffset, int count)
        {
            if (count < 0 || count > MaxOutputLength)
            {
                return CryptoResult.InvalidLength;
            }

            int blockLength = _t.Length;
            int written = 0;
            for (int n = 1; written < count; n++)
            {
                _prf.Reset();
                if (n > 1)
                {
                    _prf.Update(_t, 0, blockLength);
                }

                _prf.Update(seed, seedOffset, seedCount);
                _counter[0] = (byte)n;
                _prf.Update(_counter, 0, 1);
                _prf.Final(_t, 0);
                int take = count - written;
                if (take > blockLength)
                {
                    take = blockLength;
                }

                System.Array.Copy(_t, 0, output, outputOffset + written, take);
                written += take;
            }

            ConstantTime.Zeroise(_t, 0, blockLength);
            return CryptoResult.Ok;
        }
    }
}
