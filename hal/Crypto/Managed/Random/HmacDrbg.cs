using VpnAppliance.Hal;
using VpnAppliance.Hal.Crypto;

namespace VpnAppliance.Hal.Crypto.Managed.Random
{
    /// <summary>
    /// HMAC_DRBG (NIST SP 800-90A Rev. 1 §10.1.2) over any HMAC (normally HMAC-SHA-256: security strength
    /// 256 bits). Seeded and periodically reseeded from the HAL entropy source; no prediction resistance.
    /// State: Key and V (one HMAC output each) and the reseed counter. Allocates nothing after construction
    /// (given an HMAC whose SetKey does not allocate, as the managed one).
    /// Flow: Instantiate(entropy || nonce || personalization) -> Generate ... -> Reseed every
    /// <see cref="ReseedInterval"/> requests -> Clear on shutdown.
    /// </summary>
    public sealed class HmacDrbg : IRandom
    {
        /// <summary>Requests between reseeds (SP 800-90A Table 2 allows up to 2^48; we reseed far more often).</summary>
        public const int ReseedInterval = 4096;

        /// <summary>Largest single request, 2^19 bits (SP 800-90A Table 2); NextBytes splits larger fills.</summary>
        public const int MaxBytesPerRequest = 65536;

        /// <summary>Entropy input per (re)seed: 256 bits; the nonce at instantiation: 128 bits (SP 800-90A §8.6.7).</summary>
        public const int EntropyBytes = 32;

        private const int NonceBytes = 16;
        private const int MaxEntropyReads = 64;

        private readonly IMac _hmac;
        private readonly IEntropySource _entropy;
        private readonly byte[] _key;
        private readonly byte[] _v;
        private readonly byte[] _seed = new byte[EntropyBytes + NonceBytes];
        private readonly byte[] _separator = new byte[1];
        private int _reseedCounter;
        private bool _instantiated;

        /// <summary>
        /// Binds the DRBG to an (unkeyed) HMAC it then owns and to the entropy source. The first NextBytes
        /// instantiates it; call <see cref="Instantiate"/> first to add a personalization string.
        /// </summary>
        public HmacDrbg(IMac hmac, IEntropySource entropy)
        {
            _hmac = hmac;
            _entropy = entropy;
            _key = new byte[hmac.MacLength];
            _v = new byte[hmac.MacLength];
        }

        /// <summary>Generate requests served since the last (re)seed.</summary>
        public int ReseedCounter { get { return _reseedCounter; } }

        /// <summary>Instantiates from the entropy source (entropy input and nonce) plus an optional personalization string.</summary>
        public CryptoResult Instantiate(byte[] personalization, int offset, int count)
        {
            if (!ReadEntropy(EntropyBytes + NonceBytes))
            {
                return CryptoResult.EntropyUnavailable;
            }

            InstantiateCore(_seed, 0, EntropyBytes + NonceBytes, personalization, offset, count);
            ConstantTime.Zeroise(_seed, 0, _seed.Length);
            return CryptoResult.Ok;
        }

        /// <summary>
        /// HMAC_DRBG_Instantiate_algorithm (SP 800-90A §10.1.2.3) with caller-supplied inputs: for the NIST CAVP
        /// known-answer tests only; production code seeds from the entropy source.
        /// </summary>
        public void InstantiateWith(byte[] entropy, int entropyOffset, int entropyCount, byte[] nonce, int nonceOffset, int nonceCount,
            byte[] personalization, int personalizationOffset, int personalizationCount)
        {
            for (int i = 0; i < _key.Length; i++)
            {
                _key[i] = 0x00;
                _v[i] = 0x01;
            }

            Update(entropy, entropyOffset, entropyCount, nonce, nonceOffset, nonceCount, personalization, personalizationOffset, personalizationCount);
            _reseedCounter = 1;
            _instantiated = true;
        }

        /// <summary>HMAC_DRBG_Reseed_algorithm (§10.1.2.4) with fresh entropy from the source.</summary>
        public CryptoResult Reseed(byte[] additional, int offset, int count)
        {
            if (!_instantiated)
            {
                return CryptoResult.InvalidState;
            }

            if (!ReadEntropy(EntropyBytes))
            {
                return CryptoResult.EntropyUnavailable;
            }

            ReseedWith(_seed, 0, EntropyBytes, additional, offset, count);
            ConstantTime.Zeroise(_seed, 0, _seed.Length);
            return CryptoResult.Ok;
        }

        /// <summary>HMAC_DRBG_Reseed_algorithm with caller-supplied entropy (CAVP known-answer tests only).</summary>
        public void ReseedWith(byte[] entropy, int entropyOffset, int entropyCount, byte[] additional, int additionalOffset, int additionalCount)
        {
            Update(entropy, entropyOffset, entropyCount, additional, additionalOffset, additionalCount, null, 0, 0);
            _reseedCounter = 1;
        }

        /// <summary>
        /// HMAC_DRBG_Generate_algorithm (§10.1.2.5): at most <see cref="MaxBytesPerRequest"/> bytes.
        /// Does not reseed by itself (returns InvalidState when a reseed is due); <see cref="NextBytes"/> does.
        /// </summary>
        public CryptoResult Generate(byte[] output, int offset, int count, byte[] additional, int additionalOffset, int additionalCount)
        {
            if (!_instantiated || _reseedCounter > ReseedInterval)
            {
                return CryptoResult.InvalidState;
            }

            if (!Bounds.Fits(output, offset, count) || count > MaxBytesPerRequest)
            {
                return CryptoResult.InvalidLength;
            }

            if (additionalCount > 0)
            {
                Update(additional, additionalOffset, additionalCount, null, 0, 0, null, 0, 0);
            }

            int outLength = _v.Length;
            int done = 0;
            while (done < count)
            {
                // V = HMAC(Key, V); returned_bits = leftmost bits of V || V || ...
                _hmac.SetKey(_key, 0, _key.Length);
                _hmac.Update(_v, 0, outLength);
                _hmac.Final(_v, 0);
                int take = count - done;
                if (take > outLength)
                {
                    take = outLength;
                }

                System.Array.Copy(_v, 0, output, offset + done, take);
                done += take;
            }

            Update(additional, additionalOffset, additionalCount, null, 0, 0, null, 0, 0);
            _reseedCounter++;
            return CryptoResult.Ok;
        }

        /// <summary>Fills the range, instantiating on first use and reseeding from the entropy source when due.</summary>
        public CryptoResult NextBytes(byte[] buffer, int offset, int count)
        {
            if (!Bounds.Fits(buffer, offset, count))
            {
                return CryptoResult.InvalidLength;
            }

            if (!_instantiated)
            {
                CryptoResult instantiate = Instantiate(null, 0, 0);
                if (instantiate != CryptoResult.Ok)
                {
                    return instantiate;
                }
            }

            int done = 0;
            while (done < count)
            {
                if (_reseedCounter > ReseedInterval)
                {
                    CryptoResult reseed = Reseed(null, 0, 0);
                    if (reseed != CryptoResult.Ok)
                    {
                        return reseed;
                    }
                }

                int take = count - done;
                if (take > MaxBytesPerRequest)
                {
                    take = MaxBytesPerRequest;
                }

                CryptoResult result = Generate(buffer, offset + done, take, null, 0, 0);
                if (result != CryptoResult.Ok)
                {
                    return result;
                }

                done += take;
            }

            return CryptoResult.Ok;
        }

        /// <summary>Zeroises Key and V and returns to the uninstantiated state (§9.4).</summary>
        public void Clear()
        {
            ConstantTime.Zeroise(_key, 0, _key.Length);
            ConstantTime.Zeroise(_v, 0, _v.Length);
            ConstantTime.Zeroise(_seed, 0, _seed.Length);
            _hmac.Clear();
            _reseedCounter = 0;
            _instantiated = false;
        }

        private void InstantiateCore(byte[] seed, int seedOffset, int seedCount, byte[] personalization, int offset, int count)
        {
            InstantiateWith(seed, seedOffset, EntropyBytes, seed, seedOffset + EntropyBytes, seedCount - EntropyBytes, personalization, offset, count);
        }

        /// <summary>
        /// HMAC_DRBG_Update (§10.1.2.2) with provided_data = a || b || c:
        /// Key = HMAC(Key, V || 0x00 || provided); V = HMAC(Key, V); and, if provided is not empty,
        /// Key = HMAC(Key, V || 0x01 || provided); V = HMAC(Key, V).
        /// </summary>
        private void Update(byte[] a, int aOffset, int aCount, byte[] b, int bOffset, int bCount, byte[] c, int cOffset, int cCount)
        {
            int outLength = _v.Length;
            bool provided = aCount > 0 || bCount > 0 || cCount > 0;
            for (byte round = 0; round <= 1; round++)
            {
                if (round == 1 && !provided)
                {
                    break;
                }

                _separator[0] = round;
                _hmac.SetKey(_key, 0, _key.Length);
                _hmac.Update(_v, 0, outLength);
                _hmac.Update(_separator, 0, 1);
                if (aCount > 0)
                {
                    _hmac.Update(a, aOffset, aCount);
                }

                if (bCount > 0)
                {
                    _hmac.Update(b, bOffset, bCount);
                }

                if (cCount > 0)
                {
                    _hmac.Update(c, cOffset, cCount);
                }

                _hmac.Final(_key, 0);
                _hmac.SetKey(_key, 0, _key.Length);
                _hmac.Update(_v, 0, outLength);
                _hmac.Final(_v, 0);
            }
        }

        /// <summary>Reads exactly <paramref name="count"/> bytes into the seed buffer; bounded retries.</summary>
        private bool ReadEntropy(int count)
        {
            int have = 0;
            for (int attempt = 0; attempt < MaxEntropyReads && have < count; attempt++)
            {
                int got = _entropy.Fill(_seed, have, count - have);
                if (got > 0)
                {
                    have += got;
                }
            }

            if (have < count)
            {
                ConstantTime.Zeroise(_seed, 0, _seed.Length);
                return false;
            }

            return true;
        }
    }
}
