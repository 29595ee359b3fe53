using VpnAppliance.Hal.Crypto;

namespace VpnAppliance.Hal.Crypto.Managed.Hashing
{
    /// <summary>
    /// HMAC (RFC 2104; FIPS 198-1) over any <see cref="IHash"/>:
    /// HMAC(K, m) = H((K0 ^ opad) || H((K0 ^ ipad) || m)), K0 = K padded (or first hashed when longer
    /// than a block). Also the IKEv2 PRF (RFC 7296 §2.13) and, truncated, the ESP/IKE integrity ICV
    /// (RFC 2404, RFC 4868). The padded keys are kept for the SA's life and zeroised by <see cref="Clear"/>.
    /// </summary>
    public sealed class Hmac : IMac
    {
        private readonly IHash _hash;
        private readonly byte[] _innerPad;
        private readonly byte[] _outerPad;
        private readonly byte[] _innerDigest;
        private bool _keyed;

        /// <summary>Wraps <paramref name="hash"/>, which this instance then owns.</summary>
        public Hmac(IHash hash)
        {
            _hash = hash;
            _innerPad = new byte[hash.BlockLength];
            _outerPad = new byte[hash.BlockLength];
            _innerDigest = new byte[hash.HashLength];
        }

        /// <summary>Full output length (the digest length).</summary>
        public int MacLength { get { return _innerDigest.Length; } }

        /// <summary>Sets K; a key longer than the block is replaced by its hash (RFC 2104 §2).</summary>
        public CryptoResult SetKey(byte[] key, int offset, int count)
        {
            if (count < 0 || (count > 0 && (key == null || offset < 0 || offset + count > key.Length)))
            {
                return CryptoResult.InvalidKey;
            }

            int blockLength = _innerPad.Length;
            System.Array.Clear(_innerPad, 0, blockLength);
            if (count > blockLength)
            {
                _hash.Reset();
                _hash.Update(key, offset, count);
                _hash.Final(_innerPad, 0);
            }
            else if (count > 0)
            {
                System.Array.Copy(key, offset, _innerPad, 0, count);
            }

            for (int i = 0; i < blockLength; i++)
            {
                byte k = _innerPad[i];
                _innerPad[i] = (byte)(k ^ 0x36);
                _outerPad[i] = (byte)(k ^ 0x5C);
            }

            _keyed = true;
            Reset();
            return CryptoResult.Ok;
        }

        /// <summary>Starts a new message: H is fed K0 ^ ipad.</summary>
        public void Reset()
        {
            _hash.Reset();
            if (_keyed)
            {
                _hash.Update(_innerPad, 0, _innerPad.Length);
            }
        }

        /// <summary>Absorbs message bytes.</summary>
        public void Update(byte[] data, int offset, int count)
        {
            _hash.Update(data, offset, count);
        }

        /// <summary>Writes the full HMAC and starts the next message under the same key.</summary>
        public void Final(byte[] output, int offset)
        {
            _hash.Final(_innerDigest, 0);
            _hash.Update(_outerPad, 0, _outerPad.Length);
            _hash.Update(_innerDigest, 0, _innerDigest.Length);
            _hash.Final(output, offset);
            Reset();
        }

        /// <summary>Zeroises the padded keys and the intermediate digest.</summary>
        public void Clear()
        {
            ConstantTime.Zeroise(_innerPad, 0, _innerPad.Length);
            ConstantTime.Zeroise(_outerPad, 0, _outerPad.Length);
            ConstantTime.Zeroise(_innerDigest, 0, _innerDigest.Length);
            _keyed = false;
            _hash.Reset();
        }
    }
}
