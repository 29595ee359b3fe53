using VpnAppliance.Hal.Crypto;

namespace VpnAppliance.Ipsec
{
    /// <summary>
    /// One direction of a CHILD SA (RFC 4301 §4.4.2): SPI, transform, keyed crypto objects, sequence state
    /// (the sender's counter or the receiver's anti-replay window), lifetimes and counters.
    ///
    /// Memory: the slot is preallocated by the SAD; the crypto objects are created from the provider the first
    /// time the slot is keyed for a transform and kept for reuse (a provider call per SA setup, never per packet;
    /// at most one GCM, one CBC and one HMAC per hash per slot). Keys live only inside those objects and are
    /// zeroised by <see cref="Clear"/> (RFC 4301 §4.4.2: SA deletion).
    /// </summary>
    public sealed class EspSecurityAssociation
    {
        private readonly ReplayWindow _window;
        private readonly EspCounters _counters = new EspCounters();
        private readonly EspLifetime _lifetime = new EspLifetime();
        private readonly IMac[] _macs = new IMac[5]; // indexed by HashAlgorithm (1..4)
        private IAeadCipher _gcm;
        private ICbcCipher _cbc;
        private IMac _mac;
        private bool _keyed;

        /// <summary>Creates an unkeyed slot whose inbound replay window holds <paramref name="replayWindow"/> packets.</summary>
        public EspSecurityAssociation(int replayWindow)
        {
            _window = new ReplayWindow(replayWindow);
        }

        /// <summary>Security Parameter Index (RFC 4303 §2.1), host order.</summary>
        public uint Spi;

        /// <summary>IANA encryption transform ID (<see cref="EspTransform.EncrAesGcm16"/> or <see cref="EspTransform.EncrAesCbc"/>).</summary>
        public int Encryption { get; private set; }

        /// <summary>AES key length in bits.</summary>
        public int KeyBits { get; private set; }

        /// <summary>IANA integrity transform ID (<see cref="EspTransform.AuthNone"/> with GCM).</summary>
        public int Integrity { get; private set; }

        /// <summary>True for AES-GCM (combined mode).</summary>
        public bool IsAead { get { return Encryption == EspTransform.EncrAesGcm16; } }

        /// <summary>IV bytes per packet.</summary>
        public int IvLength { get; private set; }

        /// <summary>ICV bytes per packet.</summary>
        public int IcvLength { get; private set; }

        /// <summary>Alignment of payload + padding + trailer.</summary>
        public int PadBlock { get; private set; }

        /// <summary>Extended (64-bit) sequence numbers negotiated (RFC 4303 §2.2.1; IKEv2 transform type 5).</summary>
        public bool ExtendedSequenceNumbers { get; private set; }

        /// <summary>True once keyed and until cleared.</summary>
        public bool IsKeyed { get { return _keyed; } }

        /// <summary>Outbound: the last sequence number sent (0 before the first packet, RFC 4303 §3.3.3).</summary>
        public ulong LastSequence;

        /// <summary>Inbound: the anti-replay window.</summary>
        public ReplayWindow Window { get { return _window; } }

        /// <summary>Packets, bytes and drops of this direction.</summary>
        public EspCounters Counters { get { return _counters; } }

        /// <summary>Lifetime limits of this direction.</summary>
        public EspLifetime Lifetime { get { return _lifetime; } }

        /// <summary>nowMs when the SA was installed (lifetimes by time count from here).</summary>
        public long InstalledAtMs;

        /// <summary>Latched when a soft lifetime (or the outbound soft sequence limit) is reached.</summary>
        public bool SoftExpired;

        /// <summary>Latched when a hard lifetime (or the outbound sequence limit) is reached; the SA passes nothing.</summary>
        public bool HardExpired;

        /// <summary>The AEAD cipher when <see cref="IsAead"/>.</summary>
        internal IAeadCipher Gcm { get { return _gcm; } }

        /// <summary>The CBC cipher when not <see cref="IsAead"/>.</summary>
        internal ICbcCipher Cbc { get { return _cbc; } }

        /// <summary>The HMAC when not <see cref="IsAead"/>.</summary>
        internal IMac Mac { get { return _mac; } }

        /// <summary>
        /// Keys the slot: encryption key (for GCM: key || 4-byte salt, RFC 4106 §8.1) at
        /// keys[encryptionOffset], integrity key at keys[integrityOffset] (ignored for GCM). Resets the sequence
        /// state, counters and flags. Returns NotSupported for a transform the provider lacks.
        /// </summary>
        public CryptoResult Configure(ICryptoProvider provider, int encryption, int keyBits, int integrity, bool esn,
            byte[] keys, int encryptionOffset, int integrityOffset)
        {
            Clear();
            if (provider == null || !EspTransform.IsSupported(encryption, keyBits, integrity))
            {
                return CryptoResult.NotSupported;
            }

            int encryptionLength = EspTransform.EncryptionKeyLength(encryption, keyBits);
            int integrityLength = EspTransform.IntegrityKeyLength(integrity);
            if (keys == null || encryptionOffset < 0 || encryptionOffset > keys.Length - encryptionLength ||
                integrityOffset < 0 || integrityOffset > keys.Length - integrityLength)
            {
                return CryptoResult.InvalidLength;
            }

            CryptoResult result;
            if (encryption == EspTransform.EncrAesGcm16)
            {
                if (_gcm == null)
                {
                    _gcm = provider.CreateAesGcm();
                }

                if (_gcm == null)
                {
                    return CryptoResult.NotSupported;
                }

                result = _gcm.SetKey(keys, encryptionOffset, encryptionLength);
            }
            else
            {
                if (_cbc == null)
                {
                    _cbc = provider.CreateAesCbc();
                }

                HashAlgorithm hash = EspTransform.HashOf(integrity);
                if (_macs[(int)hash] == null)
                {
                    _macs[(int)hash] = provider.CreateHmac(hash);
                }

                _mac = _macs[(int)hash];
                if (_cbc == null || _mac == null)
                {
                    return CryptoResult.NotSupported;
                }

                result = _cbc.SetKey(keys, encryptionOffset, encryptionLength);
                if (result == CryptoResult.Ok)
                {
                    result = _mac.SetKey(keys, integrityOffset, integrityLength);
                }
            }

            if (result != CryptoResult.Ok)
            {
                Clear();
                return result;
            }

            Encryption = encryption;
            KeyBits = keyBits;
            Integrity = integrity;
            IvLength = EspTransform.IvLength(encryption);
            IcvLength = EspTransform.IcvLength(encryption, integrity);
            PadBlock = EspTransform.PadBlock(encryption);
            ExtendedSequenceNumbers = esn;
            _window.Reset(esn);
            _keyed = true;
            return CryptoResult.Ok;
        }

        /// <summary>
        /// Re-evaluates the lifetimes at <paramref name="nowMs"/> against the counters and latches
        /// <see cref="SoftExpired"/> / <see cref="HardExpired"/>. Returns true when the hard lifetime has passed.
        /// </summary>
        public bool UpdateLifetime(long nowMs)
        {
            long age = nowMs - InstalledAtMs;
            if (!SoftExpired && _lifetime.SoftReached(age, _counters.Bytes, _counters.Packets))
            {
                SoftExpired = true;
            }

            if (!HardExpired && _lifetime.HardReached(age, _counters.Bytes, _counters.Packets))
            {
                HardExpired = true;
                SoftExpired = true;
            }

            return HardExpired;
        }

        /// <summary>
        /// The next nowMs at which a time lifetime fires (soft if not yet latched, else hard), or
        /// <see cref="long.MaxValue"/> when none is pending.
        /// </summary>
        public long NextDeadline()
        {
            if (!_keyed || HardExpired)
            {
                return long.MaxValue;
            }

            if (!SoftExpired && _lifetime.SoftTimeMs > 0)
            {
                return InstalledAtMs + _lifetime.SoftTimeMs;
            }

            return _lifetime.HardTimeMs > 0 ? InstalledAtMs + _lifetime.HardTimeMs : long.MaxValue;
        }

        /// <summary>
        /// Zeroises key material (the crypto objects' Clear, RFC 4301 §4.4.2) and resets the slot. The crypto
        /// objects themselves are kept for the next SA in this slot.
        /// </summary>
        public void Clear()
        {
            if (_gcm != null)
            {
                _gcm.Clear();
            }

            if (_cbc != null)
            {
                _cbc.Clear();
            }

            for (int i = 0; i < _macs.Length; i++)
            {
                if (_macs[i] != null)
                {
                    _macs[i].Clear();
                }
            }

            _mac = null;
            _keyed = false;
            Spi = 0;
            Encryption = 0;
            KeyBits = 0;
            Integrity = 0;
            IvLength = 0;
            IcvLength = 0;
            PadBlock = 0;
            ExtendedSequenceNumbers = false;
            LastSequence = 0;
            InstalledAtMs = 0;
            SoftExpired = false;
            HardExpired = false;
            _window.Reset(false);
            _counters.Reset();
            _lifetime.CopyFrom(null);
        }
    }
}
