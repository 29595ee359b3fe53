using VpnAppliance.Hal.Crypto;
using VpnAppliance.Wire;

namespace VpnAppliance.Ipsec.Ike
{
    // The keys of one IKE SA and the protection of its messages.
    //
    // Flow: Configure(suite) once per negotiated suite (creates the cipher/MAC/prf objects, the only allocation);
    // then DeriveInitial (IKE_SA_INIT, RFC 7296 §2.14) or DeriveRekey (CREATE_CHILD_SA rekeying the IKE SA, §2.18)
    // fills
    //     {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr} = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr)
    // (lengths: SK_d/SK_pi/SK_pr = prf output, SK_a = HMAC key = digest length, SK_e = AES key [+ 4-octet salt for
    // GCM, RFC 5282 §7.1]) and keys every object once per direction. Protect/Unprotect then only run the keyed
    // objects over caller buffers: no allocation per message. DeriveChildKeys is §2.17's KEYMAT, ComputePskAuth
    // §2.15's shared-key AUTH.
    //
    // SK payload (RFC 7296 §3.14), SKF (RFC 7383 §2.5) the same with 4 more header octets:
    //   | generic header (4) [| Fragment Number (2) | Total Fragments (2)] | IV | ciphertext of (inner payloads |
    //     Padding | Pad Length) | ICV |
    //   AES-CBC: IV 16 octets (RFC 3602), plaintext padded to 16; ICV = HMAC truncation (RFC 2404, RFC 4868) over
    //            the whole message from the IKE header through the end of the ciphertext (§3.14).
    //   AES-GCM-16 (RFC 5282): SK_e = key | salt (4), IV 8 octets, ICV 16 octets, AAD = the IKE header through the
    //            end of the SK/SKF payload header (RFC 5282 §5.1; RFC 7383 §2.5 for SKF's number fields); no block
    //            alignment, so the padding is empty and only the Pad Length octet is added.
    // "Initiator" keys are those of the ORIGINAL initiator of the IKE SA (§2.14), whatever the exchange.

    /// <summary>
    /// The keys of one IKE SA (RFC 7296 §2.14, §2.17, §2.18), SK/SKF payload protection (§3.14, RFC 5282,
    /// RFC 7383) and the shared-key AUTH (§2.15). All buffers are preallocated; no exception escapes.
    /// </summary>
    public sealed class IkeSaKeys
    {
        /// <summary>Largest single key (SK_d / SK_a / SK_p with SHA-512 = 64 octets).</summary>
        public const int MaxKeyBytes = 64;
        /// <summary>Largest Diffie-Hellman shared secret accepted (4096-bit MODP = 512 octets).</summary>
        public const int MaxSharedSecretBytes = 512;
        /// <summary>Largest nonce (RFC 7296 §3.9).</summary>
        public const int MaxNonceBytes = 256;
        /// <summary>SK payload header: the generic payload header (RFC 7296 §3.14).</summary>
        public const int SkHeaderLength = 4;
        /// <summary>SKF payload header: generic header + Fragment Number + Total Fragments (RFC 7383 §2.5).</summary>
        public const int SkfHeaderLength = 8;

        /// <summary>Index of SK_d for <see cref="CopyKey"/>.</summary>
        public const int KeySkD = 0;
        /// <summary>Index of SK_ai.</summary>
        public const int KeySkAi = 1;
        /// <summary>Index of SK_ar.</summary>
        public const int KeySkAr = 2;
        /// <summary>Index of SK_ei (including the GCM salt).</summary>
        public const int KeySkEi = 3;
        /// <summary>Index of SK_er (including the GCM salt).</summary>
        public const int KeySkEr = 4;
        /// <summary>Index of SK_pi.</summary>
        public const int KeySkPi = 5;
        /// <summary>Index of SK_pr.</summary>
        public const int KeySkPr = 6;

        const int GcmSaltLength = 4;       // RFC 5282 §7.1
        const int GcmIvLength = 8;         // RFC 5282 §3.1
        const int GcmIcvLength = 16;       // ENCR_AES_GCM_16
        const int CbcBlockLength = 16;     // RFC 3602

        // RFC 7296 §2.15: the 17 ASCII octets "Key Pad for IKEv2", no terminator.
        static readonly byte[] s_keyPad = new byte[]
        {
            (byte)'K', (byte)'e', (byte)'y', (byte)' ', (byte)'P', (byte)'a', (byte)'d', (byte)' ', (byte)'f',
            (byte)'o', (byte)'r', (byte)' ', (byte)'I', (byte)'K', (byte)'E', (byte)'v', (byte)'2',
        };

        readonly ICryptoProvider _provider;
        readonly IRandom _random;
        readonly IkeSuite _suite = new IkeSuite();

        // SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr as prf+ wrote them (kept for CopyKey, zeroised by Clear).
        readonly byte[] _keymat = new byte[3 * MaxKeyBytes + 2 * MaxKeyBytes + 2 * MaxKeyBytes];
        readonly int[] _keyOffsets = new int[7];
        readonly int[] _keyLengths = new int[7];
        // prf+ seed: [g^ir |] Ni | Nr [| SPIi | SPIr].
        // Derivation scratch (g^ir | Ni | Nr | SPIs): shared by every IkeSaKeys of one engine (single-threaded), so it
        // is not paid per IKE SA on small boards. SeedBytes tells its size.
        readonly byte[] _seed;

        /// <summary>Size of the derivation scratch a set of IkeSaKeys shares.</summary>
        public const int SeedBytes = MaxSharedSecretBytes + 2 * MaxNonceBytes + 16;
        readonly byte[] _skeyseed = new byte[MaxKeyBytes];
        readonly byte[] _scratch = new byte[MaxKeyBytes];
        readonly byte[] _macedId = new byte[MaxKeyBytes];

        IMac _prf;            // scratch prf: SKEYSEED, prf+ for the SA keys, PSK AUTH
        IMac _prfD;           // keyed with SK_d (§2.17 KEYMAT, §2.18 SKEYSEED of the next IKE SA)
        IMac _prfPi;          // keyed with SK_pi
        IMac _prfPr;          // keyed with SK_pr
        PrfPlus _plus;        // over _prf
        PrfPlus _plusD;       // over _prfD
        HashAlgorithm _prfHash;
        IAeadCipher _aeadI, _aeadR;
        ICbcCipher _cbcI, _cbcR;
        IMac _integI, _integR;
        HashAlgorithm _integHash;

        bool _configured;
        bool _ready;
        int _prfLength;
        int _encKeyLength;
        int _integKeyLength;
        int _ivLength;
        int _icvLength;
        int _blockLength;

        /// <summary>Binds the keys to a crypto provider and the DRBG that draws IVs; preallocates all buffers.</summary>
        public IkeSaKeys(ICryptoProvider provider, IRandom random) : this(provider, random, new byte[SeedBytes])
        {
        }

        /// <summary>
        /// Same, with a derivation scratch of <see cref="SeedBytes"/> shared with other IkeSaKeys used from the same
        /// thread (the IKE engine passes one buffer to all its SA slots).
        /// </summary>
        public IkeSaKeys(ICryptoProvider provider, IRandom random, byte[] sharedSeed)
        {
            _provider = provider;
            _random = random;
            _seed = sharedSeed != null && sharedSeed.Length >= SeedBytes ? sharedSeed : new byte[SeedBytes];
        }

        /// <summary>Output length of the negotiated prf (also the length of SK_d, SK_pi, SK_pr and of AUTH).</summary>
        public int PrfLength { get { return _prfLength; } }
        /// <summary>True once keys are derived (and until <see cref="Clear"/> or <see cref="Configure"/>).</summary>
        public bool Ready { get { return _ready; } }
        /// <summary>True after a successful <see cref="Configure"/>.</summary>
        public bool Configured { get { return _configured; } }
        /// <summary>The configured suite (do not modify).</summary>
        public IkeSuite Suite { get { return _suite; } }
        /// <summary>Length of SK_ei / SK_er: AES key, plus 4 salt octets for GCM (RFC 5282 §7.1).</summary>
        public int EncryptionKeyLength { get { return _encKeyLength; } }
        /// <summary>Length of SK_ai / SK_ar (HMAC key = digest length, RFC 4868 §2.1); 0 for GCM.</summary>
        public int IntegrityKeyLength { get { return _integKeyLength; } }
        /// <summary>IV octets in an SK payload: 16 (CBC) or 8 (GCM).</summary>
        public int IvLength { get { return _ivLength; } }
        /// <summary>ICV octets: the integrity truncation (CBC) or 16 (GCM).</summary>
        public int IcvLength { get { return _icvLength; } }
        /// <summary>Plaintext alignment: 16 (CBC) or 1 (GCM).</summary>
        public int BlockLength { get { return _blockLength; } }
        /// <summary>Total octets prf+ produces for the IKE SA keys (§2.14).</summary>
        public int TotalKeyLength { get { return 3 * _prfLength + 2 * _integKeyLength + 2 * _encKeyLength; } }
        /// <summary>
        /// Offset from the SK payload's generic header to the first plaintext octet (4 + IV): a caller may write the
        /// inner payloads there and pass the same range as plain to <see cref="Protect"/> (no copy then).
        /// </summary>
        public int SkPlainOffset { get { return SkHeaderLength + _ivLength; } }

        /// <summary>
        /// Selects the transforms and makes the cipher, MAC and prf objects (allocation allowed here; objects of the
        /// same algorithms are reused). Returns false for an unsupported suite or when the provider lacks an algorithm.
        /// Clears any derived keys.
        /// </summary>
        public bool Configure(IkeSuite suite)
        {
            Clear();
            _configured = false;
            if (suite == null || _provider == null) return false;
            int keyBits = suite.KeyBits;
            if (keyBits != 128 && keyBits != 192 && keyBits != 256) return false;
            HashAlgorithm prfHash = PrfHash(suite.Prf);
            if (prfHash == 0) return false;
            HashAlgorithm integHash = 0;
            if (suite.Encryption == IkeSuite.EncrAesGcm16)
            {
                if (suite.Integrity != 0) return false;                                   // RFC 5282 §8
            }
            else if (suite.Encryption == IkeSuite.EncrAesCbc)
            {
                integHash = IntegrityHash(suite.Integrity);
                if (integHash == 0) return false;
            }
            else return false;

            if (_prf == null || _prfHash != prfHash)
            {
                _prf = _provider.CreateHmac(prfHash);
                _prfD = _provider.CreateHmac(prfHash);
                _prfPi = _provider.CreateHmac(prfHash);
                _prfPr = _provider.CreateHmac(prfHash);
                if (_prf == null || _prfD == null || _prfPi == null || _prfPr == null)
                {
                    _prf = null;
                    return false;
                }
                _plus = new PrfPlus(_prf);
                _plusD = new PrfPlus(_prfD);
                _prfHash = prfHash;
            }

            if (suite.Encryption == IkeSuite.EncrAesGcm16)
            {
                if (_aeadI == null)
                {
                    _aeadI = _provider.CreateAesGcm();
                    _aeadR = _provider.CreateAesGcm();
                    if (_aeadI == null || _aeadR == null) { _aeadI = null; return false; }
                }
                _encKeyLength = keyBits / 8 + GcmSaltLength;
                _integKeyLength = 0;
                _ivLength = GcmIvLength;
                _icvLength = GcmIcvLength;
                _blockLength = 1;
            }
            else
            {
                if (_cbcI == null)
                {
                    _cbcI = _provider.CreateAesCbc();
                    _cbcR = _provider.CreateAesCbc();
                    if (_cbcI == null || _cbcR == null) { _cbcI = null; return false; }
                }
                if (_integI == null || _integHash != integHash)
                {
                    _integI = _provider.CreateHmac(integHash);
                    _integR = _provider.CreateHmac(integHash);
                    if (_integI == null || _integR == null) { _integI = null; return false; }
                    _integHash = integHash;
                }
                _encKeyLength = keyBits / 8;
                _integKeyLength = IntegrityTruncation.DigestLength(integHash);                 // RFC 4868 §2.1, RFC 2404 §3
                _ivLength = CbcBlockLength;
                _icvLength = IntegrityTruncation.IcvLength(integHash);
                _blockLength = CbcBlockLength;
            }
            _prfLength = IntegrityTruncation.DigestLength(prfHash);
            _suite.CopyFrom(suite);
            _configured = true;
            return true;
        }

        /// <summary>
        /// RFC 7296 §2.14: SKEYSEED = prf(Ni | Nr, g^ir); {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr} =
        /// prf+(SKEYSEED, Ni | Nr | SPIi | SPIr). The HMAC prfs take a key of any length, so the whole Ni | Nr is the
        /// key (the §2.14 halving rule is for fixed-key-size prfs only). Returns InvalidState before Configure,
        /// InvalidLength for out-of-range nonces or secret.
        /// </summary>
        public CryptoResult DeriveInitial(byte[] ni, int niOffset, int niLength, byte[] nr, int nrOffset, int nrLength,
                                          byte[] gir, int girOffset, int girLength, ulong spiI, ulong spiR)
        {
            _ready = false;
            if (!_configured) return CryptoResult.InvalidState;
            if (!Nonce(ni, niOffset, niLength) || !Nonce(nr, nrOffset, nrLength) || !Secret(gir, girOffset, girLength, false))
                return CryptoResult.InvalidLength;
            System.Array.Copy(ni, niOffset, _seed, 0, niLength);
            System.Array.Copy(nr, nrOffset, _seed, niLength, nrLength);
            int n = niLength + nrLength;
            CryptoResult r = _prf.SetKey(_seed, 0, n);
            if (r != CryptoResult.Ok) return Fail(r);
            _prf.Update(gir, girOffset, girLength);
            _prf.Final(_skeyseed, 0);
            WriteUInt64(_seed, n, spiI);
            WriteUInt64(_seed, n + 8, spiR);
            return ExpandAndInstall(_prfLength, n + 16);
        }

        /// <summary>
        /// RFC 7296 §2.18: SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr) with the OLD SA's prf, then the keys as in
        /// §2.14 with this SA's prf, the exchange's nonces and the NEW IKE SA's SPIs. <paramref name="old"/> may be
        /// this object (SKEYSEED is computed before anything is replaced).
        /// </summary>
        public CryptoResult DeriveRekey(IkeSaKeys old, byte[] gir, int girOffset, int girLength, byte[] ni, int niOffset, int niLength,
                                        byte[] nr, int nrOffset, int nrLength, ulong spiI, ulong spiR)
        {
            if (old == null || !old.Ready) { _ready = false; return CryptoResult.InvalidState; }
            if (!_configured) { _ready = false; return CryptoResult.InvalidState; }
            if (!Nonce(ni, niOffset, niLength) || !Nonce(nr, nrOffset, nrLength) || !Secret(gir, girOffset, girLength, false))
            { _ready = false; return CryptoResult.InvalidLength; }
            System.Array.Copy(gir, girOffset, _seed, 0, girLength);
            System.Array.Copy(ni, niOffset, _seed, girLength, niLength);
            System.Array.Copy(nr, nrOffset, _seed, girLength + niLength, nrLength);
            int skeyseedLength = old.ComputePrfSkD(_seed, 0, girLength + niLength + nrLength, _skeyseed, 0);
            _ready = false;
            if (skeyseedLength <= 0) return Fail(CryptoResult.InvalidState);
            System.Array.Copy(ni, niOffset, _seed, 0, niLength);
            System.Array.Copy(nr, nrOffset, _seed, niLength, nrLength);
            int n = niLength + nrLength;
            WriteUInt64(_seed, n, spiI);
            WriteUInt64(_seed, n + 8, spiR);
            return ExpandAndInstall(skeyseedLength, n + 16);
        }

        /// <summary>
        /// prf(SK_d, data) with this SA's prf: the §2.18 SKEYSEED of the IKE SA that rekeys this one. Writes
        /// <see cref="PrfLength"/> octets and returns that length, or -1 when not ready or out of range.
        /// </summary>
        public int ComputePrfSkD(byte[] data, int dataOffset, int dataLength, byte[] output, int outputOffset)
        {
            if (!_ready || !Range(data, dataOffset, dataLength) || !Range(output, outputOffset, _prfLength)) return -1;
            _prfD.Reset();
            _prfD.Update(data, dataOffset, dataLength);
            _prfD.Final(output, outputOffset);
            return _prfLength;
        }

        /// <summary>
        /// RFC 7296 §2.17: KEYMAT = prf+(SK_d, Ni | Nr), or prf+(SK_d, g^ir (new) | Ni | Nr) with PFS
        /// (<paramref name="girLength"/> 0 = no PFS). Writes <paramref name="keymatLength"/> octets.
        /// </summary>
        public CryptoResult DeriveChildKeys(byte[] gir, int girOffset, int girLength, byte[] ni, int niOffset, int niLength,
                                            byte[] nr, int nrOffset, int nrLength, byte[] keymat, int keymatOffset, int keymatLength)
        {
            if (!_ready) return CryptoResult.InvalidState;
            if (!Nonce(ni, niOffset, niLength) || !Nonce(nr, nrOffset, nrLength) || !Secret(gir, girOffset, girLength, true)
                || !Range(keymat, keymatOffset, keymatLength))
                return CryptoResult.InvalidLength;
            if (girLength > 0) System.Array.Copy(gir, girOffset, _seed, 0, girLength);
            System.Array.Copy(ni, niOffset, _seed, girLength, niLength);
            System.Array.Copy(nr, nrOffset, _seed, girLength + niLength, nrLength);
            int n = girLength + niLength + nrLength;
            CryptoResult r = _plusD.Expand(_seed, 0, n, keymat, keymatOffset, keymatLength);
            ConstantTime.Zeroise(_seed, 0, n);
            return r;
        }

        /// <summary>
        /// RFC 7296 §2.15 shared key: AUTH = prf(prf(PSK, "Key Pad for IKEv2"), RealMessage | NonceOfPeer |
        /// prf(SK_px, RestOfIDPayload)), x = i when <paramref name="forInitiator"/> (the AUTH the original initiator
        /// sends: its IKE_SA_INIT request, Nr, IDi). <paramref name="idBody"/> is the ID payload after the generic
        /// header (ID Type, 3 RESERVED, data). Writes and returns <see cref="PrfLength"/> octets; -1 when not ready or
        /// a range is invalid.
        /// </summary>
        public int ComputePskAuth(bool forInitiator, byte[] psk, int pskOffset, int pskLength,
                                  byte[] realMessage, int messageOffset, int messageLength,
                                  byte[] peerNonce, int nonceOffset, int nonceLength,
                                  byte[] idBody, int idOffset, int idLength, byte[] output, int outputOffset)
        {
            if (!_ready || pskLength <= 0 || !Range(psk, pskOffset, pskLength) || !Range(realMessage, messageOffset, messageLength)
                || !Range(peerNonce, nonceOffset, nonceLength) || !Range(idBody, idOffset, idLength) || !Range(output, outputOffset, _prfLength))
                return -1;
            IMac px = forInitiator ? _prfPi : _prfPr;
            px.Reset();
            px.Update(idBody, idOffset, idLength);
            px.Final(_macedId, 0);
            if (_prf.SetKey(psk, pskOffset, pskLength) != CryptoResult.Ok) return -1;
            _prf.Update(s_keyPad, 0, s_keyPad.Length);
            _prf.Final(_scratch, 0);
            if (_prf.SetKey(_scratch, 0, _prfLength) != CryptoResult.Ok) return -1;
            _prf.Update(realMessage, messageOffset, messageLength);
            _prf.Update(peerNonce, nonceOffset, nonceLength);
            _prf.Update(_macedId, 0, _prfLength);
            _prf.Final(output, outputOffset);
            _prf.Clear();
            ConstantTime.Zeroise(_scratch, 0, _scratch.Length);
            ConstantTime.Zeroise(_macedId, 0, _macedId.Length);
            return _prfLength;
        }

        /// <summary>
        /// Copies key <paramref name="which"/> (<see cref="KeySkD"/> .. <see cref="KeySkPr"/>) to output and returns its
        /// length (0 for SK_a with GCM), or -1 when not ready or out of range. For tests and key export to the
        /// CHILD SA logic only; never log it.
        /// </summary>
        public int CopyKey(int which, byte[] output, int outputOffset)
        {
            if (!_ready || which < 0 || which > KeySkPr) return -1;
            int length = _keyLengths[which];
            if (!Range(output, outputOffset, length)) return -1;
            if (length > 0) System.Array.Copy(_keymat, _keyOffsets[which], output, outputOffset, length);
            return length;
        }

        /// <summary>Length of key <paramref name="which"/> for the configured suite (valid after Configure).</summary>
        public int KeyLength(int which)
        {
            if (which == KeySkD || which == KeySkPi || which == KeySkPr) return _prfLength;
            if (which == KeySkAi || which == KeySkAr) return _integKeyLength;
            if (which == KeySkEi || which == KeySkEr) return _encKeyLength;
            return 0;
        }

        /// <summary>Octets an SK payload adds to <paramref name="plainLength"/> octets of inner payloads, generic header included.</summary>
        public int ProtectOverhead(int plainLength)
        {
            return Overhead(plainLength, SkHeaderLength);
        }

        /// <summary>Octets an SK (header 4) or SKF (header 8) payload adds to the plaintext.</summary>
        public int Overhead(int plainLength, int payloadHeaderLength)
        {
            if (!_configured || plainLength < 0) return 0;
            return payloadHeaderLength + _ivLength + PadLength(plainLength) + 1 + _icvLength;
        }

        /// <summary>
        /// Largest plaintext whose SK/SKF payload (header <paramref name="payloadHeaderLength"/>) fits in
        /// <paramref name="payloadSpace"/> octets; 0 when nothing fits.
        /// </summary>
        public int MaxPlainLength(int payloadSpace, int payloadHeaderLength)
        {
            if (!_configured) return 0;
            int ct = payloadSpace - payloadHeaderLength - _ivLength - _icvLength;
            if (_blockLength > 1) ct -= ct % _blockLength;
            int plain = ct - 1;
            return plain > 0 ? plain : 0;
        }

        /// <summary>
        /// Writes the SK payload (RFC 7296 §3.14) at <paramref name="skOffset"/>: generic header with Next Payload =
        /// <paramref name="innerNextPayload"/>, random IV, the encrypted plain[plainOffset..+plainLength) with padding
        /// and Pad Length, the ICV; sets the SK Payload Length and the IKE header Length. message[messageOffset ..
        /// skOffset) must already hold the IKE header (and any unencrypted payloads), the last Next Payload being SK
        /// (46). <paramref name="capacity"/> counts from <paramref name="messageOffset"/>. The plaintext may already sit
        /// at skOffset + <see cref="SkPlainOffset"/>. <paramref name="sendingAsInitiator"/> = this end is the original
        /// initiator of the IKE SA (SK_ei/SK_ai). Returns the message length, or -1 (keys not ready, no room, bad range,
        /// DRBG failure).
        /// </summary>
        public int Protect(bool sendingAsInitiator, byte[] plain, int plainOffset, int plainLength, byte innerNextPayload,
                           byte[] message, int messageOffset, int skOffset, int capacity)
        {
            if (!_ready || !MessageRange(message, messageOffset, capacity) || skOffset < messageOffset + IkeHeader.Length
                || skOffset > messageOffset + capacity - SkHeaderLength)
                return -1;
            message[skOffset] = innerNextPayload;
            message[skOffset + 1] = 0;
            return ProtectPayload(sendingAsInitiator, plain, plainOffset, plainLength, message, messageOffset, skOffset, SkHeaderLength, capacity);
        }

        /// <summary>
        /// The shared SK/SKF encryption: the caller has written the payload's Next Payload (and, for SKF, the Fragment
        /// Number and Total Fragments) at payloadOffset; this writes the Payload Length, the IKE header Length, IV,
        /// ciphertext and ICV. Returns the message length or -1.
        /// </summary>
        public int ProtectPayload(bool sendingAsInitiator, byte[] plain, int plainOffset, int plainLength, byte[] message,
                                  int messageOffset, int payloadOffset, int payloadHeaderLength, int capacity)
        {
            if (!_ready || !MessageRange(message, messageOffset, capacity) || plainLength < 0 || !Range(plain, plainOffset, plainLength)) return -1;
            if (payloadOffset < messageOffset + IkeHeader.Length) return -1;
            int padLength = PadLength(plainLength);
            int ctLength = plainLength + padLength + 1;
            int payloadLength = payloadHeaderLength + _ivLength + ctLength + _icvLength;
            int end = payloadOffset + payloadLength;
            if (payloadLength > 0xFFFF || end - messageOffset > capacity) return -1;
            int ivOffset = payloadOffset + payloadHeaderLength;
            int ctOffset = ivOffset + _ivLength;
            int icvOffset = ctOffset + ctLength;

            if (plainLength > 0) System.Array.Copy(plain, plainOffset, message, ctOffset, plainLength);   // memmove semantics
            for (int i = 0; i < padLength; i++) message[ctOffset + plainLength + i] = 0;                    // §3.14: any value
            message[icvOffset - 1] = (byte)padLength;
            if (_random == null || _random.NextBytes(message, ivOffset, _ivLength) != CryptoResult.Ok) return -1;
            NetworkByteOrder.WriteUInt16(message, payloadOffset + 2, payloadLength);
            IkeHeader.WriteMessageLength(message, messageOffset, end - messageOffset);

            if (_suite.Encryption == IkeSuite.EncrAesGcm16)
            {
                IAeadCipher aead = sendingAsInitiator ? _aeadI : _aeadR;
                // RFC 5282 §5.1: AAD = IKE header .. end of the SK (SKF: incl. the number fields) payload header.
                CryptoResult r = aead.Seal(message, ivOffset, message, messageOffset, ivOffset - messageOffset,
                    message, ctOffset, ctLength, message, ctOffset, message, icvOffset);
                if (r != CryptoResult.Ok) return -1;
            }
            else
            {
                ICbcCipher cbc = sendingAsInitiator ? _cbcI : _cbcR;
                if (cbc.Encrypt(message, ivOffset, message, ctOffset, ctLength, message, ctOffset) != CryptoResult.Ok) return -1;
                IMac integ = sendingAsInitiator ? _integI : _integR;
                integ.Reset();
                integ.Update(message, messageOffset, icvOffset - messageOffset);                         // §3.14
                integ.Final(_scratch, 0);
                System.Array.Copy(_scratch, 0, message, icvOffset, _icvLength);
            }
            return end - messageOffset;
        }

        /// <summary>
        /// Verifies the ICV of the SK payload at <paramref name="skOffset"/> (constant time), then decrypts in place and
        /// checks the Pad Length. The SK payload must end at the message end (§3.14). plainOffset/plainLength give the
        /// inner payloads inside <paramref name="message"/>. <paramref name="fromInitiator"/> = sent by the original
        /// initiator (SK_ei/SK_ai). Returns Ok, NotReady, AuthenticationFailed (message untouched, or its ciphertext
        /// zeroed by the host GCM) or Malformed.
        /// </summary>
        public IkeKeysResult Unprotect(bool fromInitiator, byte[] message, int messageOffset, int messageLength, int skOffset,
                                       out int plainOffset, out int plainLength)
        {
            return UnprotectPayload(fromInitiator, message, messageOffset, messageLength, skOffset, SkHeaderLength, out plainOffset, out plainLength);
        }

        /// <summary>
        /// The shared SK/SKF verification and decryption (header <paramref name="payloadHeaderLength"/> = 4 or 8). The
        /// ICV position is taken from the message end, so every covered octet (IKE header, payload header, IV,
        /// ciphertext) is authenticated before any length inside is believed.
        /// </summary>
        public IkeKeysResult UnprotectPayload(bool fromInitiator, byte[] message, int messageOffset, int messageLength, int payloadOffset,
                                             int payloadHeaderLength, out int plainOffset, out int plainLength)
        {
            plainOffset = 0;
            plainLength = 0;
            if (!_ready) return IkeKeysResult.NotReady;
            if (message == null || messageOffset < 0 || messageLength < IkeHeader.Length || messageOffset > message.Length - messageLength)
                return IkeKeysResult.Malformed;
            int end = messageOffset + messageLength;
            if (payloadOffset < messageOffset + IkeHeader.Length || payloadOffset > end - payloadHeaderLength) return IkeKeysResult.Malformed;
            int ivOffset = payloadOffset + payloadHeaderLength;
            int ctOffset = ivOffset + _ivLength;
            int icvOffset = end - _icvLength;
            int ctLength = icvOffset - ctOffset;
            if (ctLength < 1 || ctLength % _blockLength != 0) return IkeKeysResult.Malformed;

            if (_suite.Encryption == IkeSuite.EncrAesGcm16)
            {
                IAeadCipher aead = fromInitiator ? _aeadI : _aeadR;
                CryptoResult r = aead.Open(message, ivOffset, message, messageOffset, ivOffset - messageOffset,
                    message, ctOffset, ctLength, message, icvOffset, message, ctOffset);
                if (r == CryptoResult.AuthenticationFailed) return IkeKeysResult.AuthenticationFailed;
                if (r != CryptoResult.Ok) return IkeKeysResult.Malformed;
            }
            else
            {
                IMac integ = fromInitiator ? _integI : _integR;
                integ.Reset();
                integ.Update(message, messageOffset, icvOffset - messageOffset);                         // §3.14
                integ.Final(_scratch, 0);
                if (!ConstantTime.AreEqual(_scratch, 0, message, icvOffset, _icvLength)) return IkeKeysResult.AuthenticationFailed;
                ICbcCipher cbc = fromInitiator ? _cbcI : _cbcR;
                if (cbc.Decrypt(message, ivOffset, message, ctOffset, ctLength, message, ctOffset) != CryptoResult.Ok)
                    return IkeKeysResult.Malformed;
            }
            // Authenticated from here on: an inconsistent length is the sender's bug, not an attack.
            if (NetworkByteOrder.ReadUInt16(message, payloadOffset + 2) != end - payloadOffset) return IkeKeysResult.Malformed;
            int padLength = message[icvOffset - 1];
            if (padLength + 1 > ctLength) return IkeKeysResult.Malformed;                             // §3.14 Pad Length
            plainOffset = ctOffset;
            plainLength = ctLength - 1 - padLength;
            return IkeKeysResult.Ok;
        }

        /// <summary>Zeroises every key and scratch buffer and the keyed objects; Ready = false (Configure stays).</summary>
        public void Clear()
        {
            _ready = false;
            ConstantTime.Zeroise(_keymat, 0, _keymat.Length);
            ConstantTime.Zeroise(_seed, 0, _seed.Length);
            ConstantTime.Zeroise(_skeyseed, 0, _skeyseed.Length);
            ConstantTime.Zeroise(_scratch, 0, _scratch.Length);
            ConstantTime.Zeroise(_macedId, 0, _macedId.Length);
            if (_prf != null) { _prf.Clear(); _prfD.Clear(); _prfPi.Clear(); _prfPr.Clear(); }
            if (_aeadI != null) { _aeadI.Clear(); _aeadR.Clear(); }
            if (_cbcI != null) { _cbcI.Clear(); _cbcR.Clear(); }
            if (_integI != null) { _integI.Clear(); _integR.Clear(); }
        }

        CryptoResult ExpandAndInstall(int skeyseedLength, int seedLength)
        {
            int total = TotalKeyLength;
            CryptoResult r = _prf.SetKey(_skeyseed, 0, skeyseedLength);
            if (r == CryptoResult.Ok) r = _plus.Expand(_seed, 0, seedLength, _keymat, 0, total);
            ConstantTime.Zeroise(_seed, 0, seedLength);
            ConstantTime.Zeroise(_skeyseed, 0, _skeyseed.Length);
            _prf.Clear();
            if (r != CryptoResult.Ok) return Fail(r);

            int at = 0;
            for (int k = KeySkD; k <= KeySkPr; k++)
            {
                _keyOffsets[k] = at;
                _keyLengths[k] = KeyLength(k);
                at += _keyLengths[k];
            }
            r = _prfD.SetKey(_keymat, _keyOffsets[KeySkD], _prfLength);
            if (r == CryptoResult.Ok) r = _prfPi.SetKey(_keymat, _keyOffsets[KeySkPi], _prfLength);
            if (r == CryptoResult.Ok) r = _prfPr.SetKey(_keymat, _keyOffsets[KeySkPr], _prfLength);
            if (r == CryptoResult.Ok)
            {
                if (_suite.Encryption == IkeSuite.EncrAesGcm16)
                {
                    r = _aeadI.SetKey(_keymat, _keyOffsets[KeySkEi], _encKeyLength);
                    if (r == CryptoResult.Ok) r = _aeadR.SetKey(_keymat, _keyOffsets[KeySkEr], _encKeyLength);
                }
                else
                {
                    r = _cbcI.SetKey(_keymat, _keyOffsets[KeySkEi], _encKeyLength);
                    if (r == CryptoResult.Ok) r = _cbcR.SetKey(_keymat, _keyOffsets[KeySkEr], _encKeyLength);
                    if (r == CryptoResult.Ok) r = _integI.SetKey(_keymat, _keyOffsets[KeySkAi], _integKeyLength);
                    if (r == CryptoResult.Ok) r = _integR.SetKey(_keymat, _keyOffsets[KeySkAr], _integKeyLength);
                }
            }
            if (r != CryptoResult.Ok) return Fail(r);
            _ready = true;
            return CryptoResult.Ok;
        }

        CryptoResult Fail(CryptoResult r)
        {
            Clear();
            return r;
        }

        int PadLength(int plainLength)
        {
            if (_blockLength <= 1) return 0;
            int rem = (plainLength + 1) % _blockLength;
            return rem == 0 ? 0 : _blockLength - rem;
        }

        static bool Nonce(byte[] b, int offset, int length)
        {
            return length > 0 && length <= MaxNonceBytes && Range(b, offset, length);
        }

        static bool Secret(byte[] b, int offset, int length, bool optional)
        {
            if (length == 0) return optional;
            return length > 0 && length <= MaxSharedSecretBytes && Range(b, offset, length);
        }

        static bool Range(byte[] b, int offset, int length)
        {
            if (length == 0) return true;
            return b != null && offset >= 0 && length > 0 && offset <= b.Length - length;
        }

        static bool MessageRange(byte[] b, int offset, int capacity)
        {
            return b != null && offset >= 0 && capacity >= IkeHeader.Length && offset <= b.Length - capacity;
        }

        static void WriteUInt64(byte[] b, int o, ulong v)
        {
            for (int i = 7; i >= 0; i--)
            {
                b[o + i] = (byte)v;
                v >>= 8;
            }
        }

        static HashAlgorithm PrfHash(int prf)
        {
            switch (prf)
            {
                case IkeSuite.PrfHmacSha1: return HashAlgorithm.Sha1;
                case IkeSuite.PrfHmacSha2_256: return HashAlgorithm.Sha256;
                case IkeSuite.PrfHmacSha2_384: return HashAlgorithm.Sha384;
                case IkeSuite.PrfHmacSha2_512: return HashAlgorithm.Sha512;
                default: return 0;
            }
        }

        static HashAlgorithm IntegrityHash(int integrity)
        {
            switch (integrity)
            {
                case IkeSuite.AuthHmacSha1_96: return HashAlgorithm.Sha1;
                case IkeSuite.AuthHmacSha2_256_128: return HashAlgorithm.Sha256;
                case IkeSuite.AuthHmacSha2_384_192: return HashAlgorithm.Sha384;
                case IkeSuite.AuthHmacSha2_512_256: return HashAlgorithm.Sha512;
                default: return 0;
            }
        }
    }
}
