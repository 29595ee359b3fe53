using VpnAppliance.Core;
using VpnAppliance.Hal;
using VpnAppliance.Hal.Crypto;
using VpnAppliance.Wire;

namespace VpnAppliance.Ipsec.Ike
{
    // The IKEv2 engine (RFC 7296): every IKE SA of the appliance in one fixed pool (Capacities.IkeSas), the
    // configured connections, and the exchanges that create, rekey, check and delete SAs. Sans-IO in the
    // project's sense: time comes in as nowMs, datagrams come in as buffers (OnMessage), output goes through the
    // two WAN UDP ports, and Poll returns the next deadline. CHILD SAs live in the SAD, which this engine drives
    // (Reserve / Install / Delete) and polls for soft and hard lifetimes.
    //
    // Files: IkeEngine.cs (pool, dispatch, sending, Poll), IkeEngine.SaInit.cs (IKE_SA_INIT both roles, COOKIE,
    // INVALID_KE_PAYLOAD), IkeEngine.Auth.cs (IKE_AUTH with PSK, the first CHILD SA, traffic selectors),
    // IkeEngine.CreateChild.cs (CHILD and IKE rekeys, both roles, collisions §2.8.1), IkeEngine.Informational.cs
    // (DPD, DELETE, notifies), IkeEngine.Control.cs (connections, operator commands, show text).
    //
    // Invariants: at most one outstanding request per IKE SA (window 1, §2.3); a request we answered is answered
    // again from the cached response, never processed twice; nothing but the crypto set-up of a new SA allocates.

    /// <summary>The IKEv2 engine: IKE SA pool, connections, exchanges.</summary>
    public sealed partial class IkeEngine
    {
        /// <summary>IKE port (RFC 7296 §2).</summary>
        public const int IkePort = 500;
        /// <summary>NAT-T port (RFC 3948, RFC 7296 §2.23).</summary>
        public const int NatTPort = 4500;
        /// <summary>Non-ESP Marker length before IKE messages on port 4500 (RFC 3948 §2.2).</summary>
        private const int Marker = 4;
        /// <summary>Largest datagram handled (reassembled messages are limited to this too).</summary>
        public const int MaxDatagram = 1536;
        /// <summary>Proposals in our own offers (the config's proposal list is cut there).</summary>
        public const int OfferProposals = VpnAppliance.Config.ProposalParser.MaxProposals;
        /// <summary>Transforms per proposal in our offers and answers (ENCR, PRF, INTEG, ESN and the DH groups).</summary>
        public const int OfferTransforms = 12;

        /// <summary>
        /// Proposals x transforms the peer's SA payload may carry: 8 x 48 (AWS sends 24 transforms in one proposal,
        /// strongSwan's defaults more), or 4 x 24 on boards with at most 4 IKE SAs, where that table is a real part of
        /// the heap (one IKE transform slot costs about 72 bytes on nanoFramework).
        /// </summary>
        public static int PeerProposals(int ikeSas) { return ikeSas <= 4 ? 4 : SaPayload.MaxProposals; }

        /// <summary>See <see cref="PeerProposals"/>.</summary>
        public static int PeerTransforms(int ikeSas) { return ikeSas <= 4 ? 24 : IkeProposal.MaxTransforms; }

        /// <summary>Largest number of connections (config tunnels are limited to 16).</summary>
        public const int MaxConnections = 16;

        private readonly IkeSa[] _sas;
        private readonly IkeConnection[] _connections = new IkeConnection[MaxConnections];
        private int _connectionCount;
        private readonly SecurityAssociationDatabase _sad;
        private readonly ICryptoProvider _provider;
        private readonly IRandom _random;
        private readonly IUdpPort _ike;
        private readonly IUdpPort _natt;
        private readonly IkeSettings _settings;
        private readonly IIkeEvents _events;
        private readonly IkeCounters _counters = new IkeCounters();
        private readonly IHash _sha1;
        private readonly IHash _sha256;
        private readonly byte[] _cookieSecret = new byte[32];

        // scratch, one set per engine (the engine is single-threaded)
        private readonly IkeHeader _hdr = new IkeHeader();
        private readonly IkeHeader _outHdr = new IkeHeader();
        private readonly IkeMessage _msg;
        private readonly SaPayload _offer = new SaPayload(OfferProposals, OfferTransforms);
        private readonly SaPayload _reply = new SaPayload(1, OfferTransforms);
        private readonly IkeSuite _suite = new IkeSuite();
        private readonly ChildSaParameters _child = new ChildSaParameters();
        private readonly EspLifetime _lifetime = new EspLifetime();
        private readonly PayloadWriter _w = new PayloadWriter();
        private readonly NotifyPayload _notify = new NotifyPayload();
        private readonly KePayload _ke = new KePayload();
        private readonly NoncePayload _nonce = new NoncePayload();
        private readonly IdPayload _id = new IdPayload();
        private readonly AuthPayload _auth = new AuthPayload();
        private readonly TrafficSelectorPayload _tsi = new TrafficSelectorPayload();
        private readonly TrafficSelectorPayload _tsr = new TrafficSelectorPayload();
        private readonly DeletePayload _delete = new DeletePayload();
        private readonly IkeFragmentReassembler _reassembler = new IkeFragmentReassembler(MaxDatagram);
        private readonly byte[] _plain = new byte[MaxDatagram];
        private readonly byte[] _tx = new byte[MaxDatagram + Marker];
        private readonly byte[] _rx = new byte[MaxDatagram];
        private readonly byte[] _secret = new byte[IkeSaKeys.MaxKeyBytes * 8];
        private readonly byte[] _keymat = new byte[256];
        private readonly byte[] _public = new byte[1024];
        private readonly byte[] _authData = new byte[64];
        private readonly byte[] _idBody = new byte[300];
        private readonly byte[] _hash = new byte[32];
        private readonly byte[] _peerNonce = new byte[IkeSa.MaxNonce];
        private readonly byte[] _ourNonce = new byte[IkeSa.MaxNonce];
        private readonly byte[] _data = new byte[64];
        private readonly byte[] _spiBytes = new byte[8];
        private readonly byte[] _headerTemplate = new byte[IkeHeader.Length];
        private readonly UdpEndpoint _to = new UdpEndpoint();
        private readonly uint[] _deleteSpis = new uint[DeletePayload.MaxSpis];
        private readonly int[] _deleteHandles = new int[DeletePayload.MaxSpis];

        /// <summary>
        /// Creates the engine with <paramref name="capacities"/>.IkeSas SA slots. <paramref name="ike"/> and
        /// <paramref name="natt"/> are the bound WAN sockets for ports 500 and 4500 (the SAD sends ESP on the same
        /// 4500 socket); <paramref name="events"/> receives the operator log lines.
        /// </summary>
        public IkeEngine(Capacities capacities, ICryptoProvider provider, IRandom random, SecurityAssociationDatabase sad,
            IUdpPort ike, IUdpPort natt, IkeSettings settings, IIkeEvents events)
        {
            if (capacities == null || provider == null || random == null || sad == null)
            {
                throw new System.ArgumentNullException("capacities");
            }

            _provider = provider;
            _random = random;
            _sad = sad;
            _ike = ike;
            _natt = natt;
            _settings = settings != null ? settings : new IkeSettings();
            _events = events;
            int n = capacities.IkeSas < 1 ? 1 : capacities.IkeSas;
            _msg = new IkeMessage(PeerProposals(n), PeerTransforms(n));
            _sas = new IkeSa[n];
            byte[] seed = new byte[IkeSaKeys.SeedBytes];
            for (int i = 0; i < n; i++) _sas[i] = new IkeSa(i, provider, random, seed);
            _sha1 = provider.CreateHash(HashAlgorithm.Sha1);
            _sha256 = provider.CreateHash(HashAlgorithm.Sha256);
            random.NextBytes(_cookieSecret, 0, _cookieSecret.Length);
        }

        /// <summary>
        /// What the constructor allocates for <paramref name="ikeSas"/> slots (the crypto objects a slot makes when an
        /// SA is negotiated are counted per slot as well, since every slot may hold them at once).
        /// </summary>
        public static void Account(MemoryBudget budget, int ikeSas)
        {
            if (ikeSas < 1) ikeSas = 1;
            budget.AddObject(60, 60 * 8);
            budget.AddReferenceArray(ikeSas);
            budget.AddReferenceArray(MaxConnections);
            for (int i = 0; i < ikeSas; i++)
            {
                budget.AddObject(70, 70 * 8);                                   // IkeSa
                for (int k = 0; k < 4; k++) budget.AddValueArray(1, IkeSa.MaxMessage);
                for (int k = 0; k < 4; k++) budget.AddValueArray(1, IkeSa.MaxNonce);
                budget.AddValueArray(1, 64);
                for (int k = 0; k < 3; k++) budget.AddValueArray(4, IkeSa.MaxChildren);
                budget.AddObject(5, 5 * 4);                                     // IkeSuite
                budget.AddObject(24, 24 * 8);                                   // IkeSaKeys
                budget.AddObject(5, 5 * 4);                                     // its IkeSuite
                budget.AddValueArray(1, 7 * IkeSaKeys.MaxKeyBytes);
                budget.AddValueArray(4, 7);
                budget.AddValueArray(4, 7);
                for (int k = 0; k < 3; k++) budget.AddValueArray(1, IkeSaKeys.MaxKeyBytes);
                budget.AddValueArray(1, 2048);                                  // crypto objects made at negotiation (estimate)
            }

            // scratch
            budget.AddValueArray(1, IkeSaKeys.SeedBytes);
            budget.AddValueArray(1, MaxDatagram);
            budget.AddValueArray(1, MaxDatagram + Marker);
            budget.AddValueArray(1, MaxDatagram);
            budget.AddValueArray(1, IkeSaKeys.MaxKeyBytes * 8);
            budget.AddValueArray(1, 256);
            budget.AddValueArray(1, 1024);
            budget.AddValueArray(1, 64);
            budget.AddValueArray(1, 300);
            budget.AddValueArray(1, 32);
            budget.AddValueArray(1, 64);
            budget.AddValueArray(1, 8);
            budget.AddValueArray(1, IkeHeader.Length);
            budget.AddValueArray(1, 32);
            budget.AddValueArray(1, 2 * IkeSa.MaxNonce);
            budget.AddValueArray(4, 2 * DeletePayload.MaxSpis);
            SaPayload.Account(budget, PeerProposals(ikeSas), PeerTransforms(ikeSas));
            SaPayload.Account(budget, OfferProposals, OfferTransforms);
            SaPayload.Account(budget, 1, OfferTransforms);
            budget.AddObject(60, 60 * 8);                                       // message, payload and writer objects
            for (int k = 0; k < 3 * TrafficSelectorPayload.MaxSelectors; k++)
            {
                budget.AddObject(6, 16);                                        // traffic selectors (message, ours)
                budget.AddValueArray(1, 16);
                budget.AddValueArray(1, 16);
            }

            for (int k = 0; k < IkeMessage.MaxNotifies + IkeMessage.MaxDeletes; k++) budget.AddObject(8, 32);
            for (int k = 0; k < IkeMessage.MaxDeletes + 1; k++) budget.AddValueArray(4, DeletePayload.MaxSpis);
            budget.AddObject(20, 20 * 4);                                       // fragment reassembler
            budget.AddValueArray(1, MaxDatagram);
            budget.AddValueArray(1, MaxDatagram);
        }

        /// <summary>Counters.</summary>
        public IkeCounters Counters { get { return _counters; } }
        /// <summary>Settings in use.</summary>
        public IkeSettings Settings { get { return _settings; } }
        /// <summary>The SAD the engine drives.</summary>
        public SecurityAssociationDatabase Sad { get { return _sad; } }
        /// <summary>IKE SA slots.</summary>
        public int Capacity { get { return _sas.Length; } }
        /// <summary>IKE SA slot <paramref name="i"/>.</summary>
        public IkeSa Sa(int i) { return _sas[i]; }
        /// <summary>Configured connections.</summary>
        public int ConnectionCount { get { return _connectionCount; } }
        /// <summary>Connection <paramref name="i"/>.</summary>
        public IkeConnection Connection(int i) { return _connections[i]; }

        /// <summary>IKE SA slots in use.</summary>
        public int InUse
        {
            get
            {
                int n = 0;
                for (int i = 0; i < _sas.Length; i++) if (_sas[i].State != IkeSaState.Free) n++;
                return n;
            }
        }

        // ------------------------------------------------------------------ receive

        /// <summary>
        /// One datagram received on UDP <paramref name="localPort"/> (500, or 4500 with the Non-ESP Marker already
        /// removed) from <paramref name="source"/>:<paramref name="sourcePort"/>. The buffer may be modified
        /// (decryption in place). Never throws.
        /// </summary>
        public void OnMessage(int localPort, uint source, int sourcePort, byte[] buffer, int offset, int length, long nowMs)
        {
            _counters.Received++;
            if (_hdr.Parse(buffer, offset, length) != IkeParseResult.Ok || _hdr.MessageLength != (uint)length)
            {
                _counters.Malformed++;
                return;
            }

            if (_hdr.ExchangeType == IkeExchangeType.IkeSaInit)
            {
                if (_hdr.IsResponse) OnSaInitResponse(localPort, source, sourcePort, buffer, offset, length, nowMs);
                else OnSaInitRequest(localPort, source, sourcePort, buffer, offset, length, nowMs);
                return;
            }

            // The I flag names the sender's role in the IKE SA (§3.1): our SPI is the other one.
            bool fromInitiator = _hdr.IsInitiator;
            ulong ours = fromInitiator ? _hdr.SpiResponder : _hdr.SpiInitiator;
            IkeSa sa = FindByLocalSpi(ours, !fromInitiator);
            if (sa == null || (fromInitiator ? sa.SpiI != _hdr.SpiInitiator : sa.SpiR != _hdr.SpiResponder))
            {
                _counters.UnknownSpi++;
                return;
            }

            uint id = _hdr.MessageId;
            bool response = _hdr.IsResponse;
            byte exchange = _hdr.ExchangeType;
            if (!response)
            {
                if (sa.ResponseLength > 0 && id == sa.ResponseId && id + 1 == sa.ExpectedRequestId)
                {
                    // A retransmitted request: answer from the cache, do not process it again (§2.1).
                    ResendResponse(sa, nowMs);
                    return;
                }

                if (id != sa.ExpectedRequestId)
                {
                    _counters.InvalidMessageId++;
                    return;
                }
            }
            else if (sa.Pending == IkeRequestKind.None || id != sa.PendingId || exchange != sa.PendingExchange)
            {
                _counters.InvalidMessageId++;
                return;
            }

            byte[] plain;
            int plainOffset;
            int plainLength;
            byte inner;
            if (_hdr.NextPayload == IkePayloadType.Encrypted)
            {
                int sk = offset + IkeHeader.Length;
                if (length < IkeHeader.Length + IkePayloadChain.GenericHeaderLength)
                {
                    _counters.Malformed++;
                    return;
                }

                inner = buffer[sk];
                IkeKeysResult k = sa.Keys.Unprotect(fromInitiator, buffer, offset, length, sk, out plainOffset, out plainLength);
                if (k != IkeKeysResult.Ok)
                {
                    _counters.IntegrityFailures++;
                    return;
                }

                plain = buffer;
            }
            else if (_hdr.NextPayload == IkePayloadType.EncryptedFragment)
            {
                FragmentResult f = _reassembler.Offer(sa.Keys, fromInitiator, buffer, offset, length, offset + IkeHeader.Length, id);
                if (f != FragmentResult.Complete)
                {
                    if (f == FragmentResult.Invalid || f == FragmentResult.TooLarge) _counters.IntegrityFailures++;
                    return;
                }

                _counters.Reassembled++;
                plainLength = _reassembler.PlainLength;
                if (plainLength > _rx.Length)
                {
                    _reassembler.Reset();
                    _counters.Malformed++;
                    return;
                }

                // The parsed payloads point into the plaintext: keep it in _rx, the reassembler starts over.
                System.Array.Copy(_reassembler.Plain, 0, _rx, 0, plainLength);
                plain = _rx;
                plainOffset = 0;
                inner = _reassembler.InnerNextPayload;
                _reassembler.Reset();
            }
            else
            {
                _counters.Malformed++;
                return;
            }

            // Authenticated from here: the peer is alive, and its address may have moved (NAT, §2.23).
            sa.LastInboundMs = nowMs;
            if (sa.PeerAddress != source || sa.PeerPort != sourcePort || sa.LocalPort != localPort)
            {
                UpdatePeerEndpoint(sa, source, sourcePort, localPort);
            }

            IkeParseResult pr = _msg.ParsePayloads(plain, plainOffset, plainLength, inner);
            if (pr != IkeParseResult.Ok)
            {
                _counters.Malformed++;
                if (!response)
                {
                    ushort code = pr == IkeParseResult.UnsupportedCriticalPayload ? IkeNotifyType.UnsupportedCriticalPayload : IkeNotifyType.InvalidSyntax;
                    RespondError(sa, exchange, code, nowMs);
                }
                else
                {
                    ExchangeFailed(sa, "malformed " + ExchangeName(exchange) + " response", nowMs);
                }


                return;
            }

            if (!response)
            {
                switch (exchange)
                {
                    case IkeExchangeType.IkeAuth: OnAuthRequest(sa, nowMs); break;
                    case IkeExchangeType.CreateChildSa: OnCreateChildRequest(sa, nowMs); break;
                    case IkeExchangeType.Informational: OnInformationalRequest(sa, nowMs); break;
                }

                return;
            }

            IkeRequestKind kind = sa.Pending;
            sa.ClearPending();
            switch (kind)
            {
                case IkeRequestKind.Auth: OnAuthResponse(sa, nowMs); break;
                case IkeRequestKind.RekeyChild: OnRekeyChildResponse(sa, nowMs); break;
                case IkeRequestKind.RekeyIke: OnRekeyIkeResponse(sa, nowMs); break;
                default: OnInformationalResponse(sa, kind, nowMs); break;
            }
        }

        /// <summary>A response we cannot use: the exchange is over (its reservations released) and the reason logged.</summary>
        private void ExchangeFailed(IkeSa sa, string why, long nowMs)
        {
            IkeRequestKind kind = sa.Pending;
            sa.ClearPending();
            IkeConnection conn = sa.Connection >= 0 ? _connections[sa.Connection] : null;
            if (kind == IkeRequestKind.Auth && conn != null)
            {
                AbortInitiator(sa, conn, why, nowMs);
                return;
            }

            Log(LogLevel.Warning, "IKE_SA " + NameOf(sa) + ": " + why);
            if (sa.RekeyNew >= 0 && kind == IkeRequestKind.RekeyChild)
            {
                _sad.Delete(sa.RekeyNew);
                sa.RekeyNew = -1;
                sa.RekeyOld = -1;
            }

            if (sa.RekeyIkeNew >= 0 && kind == IkeRequestKind.RekeyIke)
            {
                _sas[sa.RekeyIkeNew].Reset();
                sa.RekeyIkeNew = -1;
            }
        }

        private void UpdatePeerEndpoint(IkeSa sa, uint address, int port, int localPort)
        {
            sa.PeerAddress = address;
            sa.PeerPort = port;
            sa.LocalPort = localPort;
            if (localPort != NatTPort) return;
            for (int i = 0; i < sa.ChildCount; i++) _sad.SetPeer(sa.Children[i], address, port);
        }

        // ------------------------------------------------------------------ pool

        private IkeSa FindByLocalSpi(ulong spi, bool asInitiator)
        {
            if (spi == 0) return null;
            for (int i = 0; i < _sas.Length; i++)
            {
                IkeSa s = _sas[i];
                if (s.State != IkeSaState.Free && s.OriginalInitiator == asInitiator && s.LocalSpi == spi) return s;
            }

            return null;
        }

        private IkeSa Allocate(long nowMs)
        {
            for (int i = 0; i < _sas.Length; i++)
            {
                IkeSa s = _sas[i];
                if (s.State != IkeSaState.Free) continue;
                s.Reset();
                s.CreatedAtMs = nowMs;
                s.LastInboundMs = nowMs;
                s.LastOutboundMs = nowMs;
                return s;
            }

            _counters.PoolFull++;
            return null;
        }

        /// <summary>A fresh non-zero SPI not used by any of our SAs (RFC 7296 §2.6: SPIs are random).</summary>
        private ulong NewSpi()
        {
            for (int attempt = 0; attempt < 16; attempt++)
            {
                _random.NextBytes(_spiBytes, 0, 8);
                ulong spi = 0;
                for (int i = 0; i < 8; i++) spi = (spi << 8) | _spiBytes[i];
                if (spi == 0) continue;
                bool used = false;
                for (int i = 0; i < _sas.Length && !used; i++)
                {
                    IkeSa s = _sas[i];
                    used = s.State != IkeSaState.Free && (s.SpiI == spi || s.SpiR == spi);
                }

                if (!used) return spi;
            }

            return 0;
        }

        private int HalfOpenCount()
        {
            int n = 0;
            for (int i = 0; i < _sas.Length; i++) if (_sas[i].State == IkeSaState.InitReplied) n++;
            return n;
        }

        /// <summary>Deletes the CHILD SAs of <paramref name="sa"/> from the SAD and frees the slot.</summary>
        private void Release(IkeSa sa)
        {
            for (int i = 0; i < sa.ChildCount; i++) _sad.Delete(sa.Children[i]);
            sa.ChildCount = 0;
            if (sa.RekeyNew >= 0) _sad.Delete(sa.RekeyNew);
            if (sa.RekeyIkeNew >= 0 && sa.RekeyIkeNew != sa.Index)
            {
                IkeSa n = _sas[sa.RekeyIkeNew];
                if (n.State == IkeSaState.Rekeying) n.Reset();
            }

            int c = sa.Connection;
            if (c >= 0 && c < _connectionCount && _connections[c].Sa == sa.Index) _connections[c].Sa = -1;
            sa.Reset();
        }

        private bool NewNonce(byte[] buffer, out int length)
        {
            length = _settings.NonceLength;
            if (length < NoncePayload.MinNonceLength) length = NoncePayload.MinNonceLength;
            return _random.NextBytes(buffer, 0, length) == CryptoResult.Ok;
        }

        // ------------------------------------------------------------------ send

        /// <summary>Writes the IKE header of a message into _tx after the marker room; returns the header's offset.</summary>
        private int WriteHeader(IkeSa sa, byte exchange, bool response, uint messageId, byte nextPayload)
        {
            _outHdr.SpiInitiator = sa.SpiI;
            _outHdr.SpiResponder = sa.SpiR;
            _outHdr.NextPayload = nextPayload;
            _outHdr.MajorVersion = 2;
            _outHdr.MinorVersion = 0;
            _outHdr.ExchangeType = exchange;
            byte flags = 0;
            if (sa.OriginalInitiator) flags |= IkeHeader.FlagInitiator;
            if (response) flags |= IkeHeader.FlagResponse;
            _outHdr.Flags = flags;
            _outHdr.MessageId = messageId;
            _outHdr.MessageLength = IkeHeader.Length;
            _outHdr.Emit(_tx, Marker, _tx.Length - Marker);
            return Marker;
        }

        /// <summary>Starts the inner payloads of an encrypted message in the plaintext scratch.</summary>
        private void BeginInner()
        {
            _w.Begin(_plain, 0, IkeSa.MaxMessage - 128);
        }

        /// <summary>
        /// Protects the inner payloads written with <see cref="BeginInner"/> into an SK message (or RFC 7383 fragments
        /// when the peer supports them and the message is large), sends it, and keeps it as the outstanding request
        /// or the cached response. Returns false when it could not be built.
        /// </summary>
        private bool SendEncrypted(IkeSa sa, byte exchange, bool response, uint messageId, IkeRequestKind kind, long nowMs)
        {
            if (_w.Overflow) return false;
            int plainLength = _w.Length;
            byte inner = _w.First;
            bool fragment = sa.PeerFragmentation &&
                IkeHeader.Length + sa.Keys.ProtectOverhead(plainLength) + plainLength > _settings.FragmentSize;
            byte[] store = response ? sa.Response : sa.Request;
            int stored;
            if (fragment)
            {
                if (plainLength > store.Length) return false;
                System.Array.Copy(_plain, 0, store, 0, plainLength);
                stored = plainLength;
                SetHeaderTemplate(sa, exchange, response, messageId);
                if (!SendFragments(sa, inner, store, plainLength, nowMs)) return false;
                _counters.FragmentedSent++;
            }
            else
            {
                int h = WriteHeader(sa, exchange, response, messageId, IkePayloadType.Encrypted);
                int total = sa.Keys.Protect(sa.OriginalInitiator, _plain, 0, plainLength, inner, _tx, h, h + IkeHeader.Length, IkeSa.MaxMessage);
                if (total <= 0) return false;
                System.Array.Copy(_tx, h, store, 0, total);
                stored = total;
                SendDatagram(sa, _tx, h, total, nowMs);
            }

            if (response)
            {
                sa.ResponseLength = stored;
                sa.ResponseId = messageId;
                sa.ResponseFragmented = fragment;
                sa.ResponseInnerNext = inner;
                sa.ResponseExchange = exchange;
            }
            else
            {
                sa.RequestLength = stored;
                sa.RequestFragmented = fragment;
                sa.RequestInnerNext = inner;
                StartRequest(sa, kind, exchange, messageId, nowMs);
            }

            return true;
        }

        private void SetHeaderTemplate(IkeSa sa, byte exchange, bool response, uint messageId)
        {
            WriteHeader(sa, exchange, response, messageId, IkePayloadType.EncryptedFragment);
            System.Array.Copy(_tx, Marker, _headerTemplate, 0, IkeHeader.Length);
        }

        private bool SendFragments(IkeSa sa, byte inner, byte[] plain, int plainLength, long nowMs)
        {
            int total = IkeFragmenter.FragmentCount(sa.Keys, plainLength, _settings.FragmentSize);
            if (total < 1 || total > IkeFragmentReassembler.MaxFragments) return false;
            for (int n = 1; n <= total; n++)
            {
                int len = IkeFragmenter.Write(sa.Keys, sa.OriginalInitiator, _headerTemplate, 0, plain, 0, plainLength, inner, n, total,
                    _settings.FragmentSize, _tx, Marker, _tx.Length - Marker);
                if (len <= 0) return false;
                SendDatagram(sa, _tx, Marker, len, nowMs);
            }

            return true;
        }

        private void StartRequest(IkeSa sa, IkeRequestKind kind, byte exchange, uint messageId, long nowMs)
        {
            sa.Pending = kind;
            sa.PendingExchange = exchange;
            sa.PendingId = messageId;
            sa.NextRequestId = messageId + 1;
            sa.Tries = 1;
            sa.RequestSentAtMs = nowMs;
            IkeConnection conn = sa.Connection >= 0 && sa.Connection < _connectionCount ? _connections[sa.Connection] : null;
            sa.RetransmitAtMs = nowMs + Timeout(conn);
        }

        private int Tries(IkeConnection conn)
        {
            return conn != null && conn.RetransmitTries > 0 ? conn.RetransmitTries : _settings.RetransmitTries;
        }

        private long Timeout(IkeConnection conn)
        {
            return conn != null && conn.RetransmitTimeoutMs > 0 ? conn.RetransmitTimeoutMs : _settings.RetransmitTimeoutMs;
        }

        /// <summary>Sends an unencrypted IKE_SA_INIT message kept in <paramref name="store"/>.</summary>
        private void SendStored(IkeSa sa, byte[] store, int length, long nowMs)
        {
            System.Array.Copy(store, 0, _tx, Marker, length);
            SendDatagram(sa, _tx, Marker, length, nowMs);
        }

        /// <summary>
        /// Sends buffer[offset..offset+length) (an IKE message with room for the Non-ESP Marker in the 4 bytes before
        /// offset) from the SA's local port to the peer.
        /// </summary>
        private void SendDatagram(IkeSa sa, byte[] buffer, int offset, int length, long nowMs)
        {
            SendTo(sa.LocalPort, sa.PeerAddress, sa.PeerPort, buffer, offset, length);
            sa.LastOutboundMs = nowMs;
        }

        private void SendTo(int localPort, uint address, int port, byte[] buffer, int offset, int length)
        {
            _to.Set(address, port);
            _counters.Sent++;
            if (localPort == NatTPort)
            {
                if (_natt == null) return;
                for (int i = 1; i <= Marker; i++) buffer[offset - i] = 0;   // Non-ESP Marker, RFC 3948 §2.2
                _natt.SendTo(buffer, offset - Marker, length + Marker, _to);
            }
            else if (_ike != null)
            {
                _ike.SendTo(buffer, offset, length, _to);
            }
        }

        private void Retransmit(IkeSa sa, long nowMs)
        {
            _counters.Retransmits++;
            if (sa.Pending == IkeRequestKind.SaInit)
            {
                SendStored(sa, sa.Msg1, sa.Msg1Length, nowMs);
            }
            else if (sa.RequestFragmented)
            {
                SetHeaderTemplate(sa, sa.PendingExchange, false, sa.PendingId);
                SendFragments(sa, sa.RequestInnerNext, sa.Request, sa.RequestLength, nowMs);
            }
            else
            {
                SendStored(sa, sa.Request, sa.RequestLength, nowMs);
            }
        }

        private void ResendResponse(IkeSa sa, long nowMs)
        {
            _counters.ResponsesResent++;
            if (sa.ResponseFragmented)
            {
                SetHeaderTemplate(sa, sa.ResponseExchange, true, sa.ResponseId);
                SendFragments(sa, sa.ResponseInnerNext, sa.Response, sa.ResponseLength, nowMs);
            }
            else
            {
                SendStored(sa, sa.Response, sa.ResponseLength, nowMs);
            }
        }

        /// <summary>Answers the current request with one error notify (and nothing else) and advances the window.</summary>
        private void RespondError(IkeSa sa, byte exchange, ushort notify, long nowMs)
        {
            RespondNotify(sa, exchange, notify, null, 0, 0, nowMs);
        }

        private void RespondNotify(IkeSa sa, byte exchange, ushort notify, byte[] data, int offset, int length, long nowMs)
        {
            BeginInner();
            _w.Notify(_notify, 0, notify, 0, 0, data, offset, length);
            FinishResponse(sa, exchange, nowMs);
        }

        /// <summary>Sends the response written with <see cref="BeginInner"/> and advances the responder window.</summary>
        private void FinishResponse(IkeSa sa, byte exchange, long nowMs)
        {
            uint id = sa.ExpectedRequestId;
            sa.ExpectedRequestId = id + 1;
            SendEncrypted(sa, exchange, true, id, IkeRequestKind.None, nowMs);
        }

        // ------------------------------------------------------------------ poll

        /// <summary>
        /// Does what is due at <paramref name="nowMs"/>: retransmissions, timeouts, rekeys, DPD, NAT-T keepalives,
        /// CHILD SA lifetimes, initiator retries. Returns the next deadline (long.MaxValue when idle).
        /// </summary>
        public long Poll(long nowMs)
        {
            long next = _sad.Poll(nowMs);
            TakeSadEvents(nowMs);
            for (int i = 0; i < _sas.Length; i++)
            {
                IkeSa sa = _sas[i];
                if (sa.State == IkeSaState.Free) continue;
                long d = PollSa(sa, nowMs);
                if (d < next) next = d;
            }

            for (int c = 0; c < _connectionCount; c++)
            {
                IkeConnection conn = _connections[c];
                if (conn.Sa >= 0 || !conn.Initiate) continue;
                if (nowMs >= conn.RetryAtMs)
                {
                    conn.RetryAtMs = long.MaxValue;
                    StartInitiator(c, nowMs);
                }

                if (conn.RetryAtMs < next) next = conn.RetryAtMs;
            }

            return next;
        }

        private void TakeSadEvents(long nowMs)
        {
            for (int guard = 0; guard < 64; guard++)
            {
                int h = _sad.TakeRekeyRequest();
                if (h == SecurityAssociationDatabase.NoHandle) break;
                IkeSa owner = OwnerOf(h);
                if (owner != null) owner.RekeyDue = h;
            }

            for (int guard = 0; guard < 64; guard++)
            {
                int h = _sad.TakeExpired();
                if (h == SecurityAssociationDatabase.NoHandle) break;
                IkeSa owner = OwnerOf(h);
                if (owner == null)
                {
                    _sad.Delete(h);
                    continue;
                }

                owner.AddDeleteDue(h);
            }
        }

        private IkeSa OwnerOf(int handle)
        {
            for (int i = 0; i < _sas.Length; i++)
            {
                IkeSa s = _sas[i];
                if (s.State == IkeSaState.Free) continue;
                for (int k = 0; k < s.ChildCount; k++) if (s.Children[k] == handle) return s;
            }

            return null;
        }

        private long PollSa(IkeSa sa, long nowMs)
        {
            IkeConnection conn = sa.Connection >= 0 && sa.Connection < _connectionCount ? _connections[sa.Connection] : null;
            if (sa.Pending != IkeRequestKind.None)
            {
                bool dpdExpired = sa.Pending == IkeRequestKind.Dpd && conn != null && conn.DpdTimeoutMs > 0 &&
                    nowMs - sa.RequestSentAtMs >= conn.DpdTimeoutMs;
                if (nowMs >= sa.RetransmitAtMs || dpdExpired)
                {
                    if (sa.Tries >= Tries(conn) || dpdExpired)
                    {
                        PeerDead(sa, conn, nowMs);
                        return nowMs;
                    }

                    sa.Tries++;
                    long timeout = Timeout(conn);
                    for (int t = 1; t < sa.Tries; t++) timeout = timeout * _settings.RetransmitBackoffPercent / 100;
                    sa.RetransmitAtMs = nowMs + timeout;
                    Retransmit(sa, nowMs);
                }
            }

            long next = sa.RetransmitAtMs;
            switch (sa.State)
            {
                case IkeSaState.InitReplied:
                case IkeSaState.InitSent:
                case IkeSaState.AuthSent:
                case IkeSaState.Rekeyed:
                case IkeSaState.Rekeying:
                {
                    long due = sa.CreatedAtMs + _settings.HalfOpenTimeoutMs;
                    if (sa.State == IkeSaState.Rekeyed) due = sa.EstablishedAtMs + _settings.HalfOpenTimeoutMs;
                    if (sa.Pending == IkeRequestKind.None && nowMs >= due)
                    {
                        bool wasConnecting = sa.State != IkeSaState.Rekeyed && sa.State != IkeSaState.Rekeying;
                        Release(sa);
                        if (wasConnecting && conn != null) ConnectionFailed(conn, nowMs);
                        return nowMs;
                    }

                    if (due < next) next = due;
                    return next;
                }
                case IkeSaState.Established:
                    break;
                default:
                    return next;
            }

            if (nowMs >= sa.ExpireAtMs)
            {
                Log(LogLevel.Warning, "IKE_SA " + NameOf(sa) + " reached its hard lifetime without a rekey: deleted");
                Release(sa);
                if (conn != null) ConnectionDown(conn, nowMs);
                return nowMs;
            }

            if (sa.Pending == IkeRequestKind.None && nowMs >= sa.NextWorkAtMs)
            {
                StartDueWork(sa, conn, nowMs);
            }

            // Liveness: ESP from the peer counts as life (RFC 7296 §1.4: only ask when nothing was heard).
            long inbound = 0;
            for (int k = 0; k < sa.ChildCount; k++)
            {
                ChildSaPair p = _sad.Get(sa.Children[k]);
                if (p != null) inbound += p.Inbound.Counters.Packets;
            }

            if (inbound != sa.InboundPacketsSeen)
            {
                sa.InboundPacketsSeen = inbound;
                sa.LastInboundMs = nowMs;
            }

            if (conn != null && conn.DpdIntervalMs > 0 && sa.Pending == IkeRequestKind.None)
            {
                long due = sa.LastInboundMs + conn.DpdIntervalMs;
                if (nowMs >= due)
                {
                    SendInformational(sa, IkeRequestKind.Dpd, nowMs);
                    due = sa.RetransmitAtMs;
                }

                if (due < next) next = due;
            }

            if (sa.LocalPort == NatTPort && _settings.NatKeepaliveMs > 0)
            {
                long due = sa.LastOutboundMs + _settings.NatKeepaliveMs;
                if (nowMs >= due)
                {
                    _data[0] = EspPacket.NatKeepalive;
                    _to.Set(sa.PeerAddress, sa.PeerPort);
                    if (_natt != null) _natt.SendTo(_data, 0, 1, _to);
                    _counters.KeepalivesSent++;
                    sa.LastOutboundMs = nowMs;
                    due = nowMs + _settings.NatKeepaliveMs;
                }

                if (due < next) next = due;
            }

            if (sa.Pending == IkeRequestKind.None && sa.RekeyAtMs < next) next = sa.RekeyAtMs;
            if (sa.ExpireAtMs < next) next = sa.ExpireAtMs;
            return next;
        }

        /// <summary>Starts the most urgent queued exchange on an idle established SA.</summary>
        private void StartDueWork(IkeSa sa, IkeConnection conn, long nowMs)
        {
            if (sa.DeleteDueCount > 0)
            {
                StartDeleteChildren(sa, nowMs);
                return;
            }

            if (conn != null && (conn.RekeyIkeRequested || nowMs >= sa.RekeyAtMs))
            {
                conn.RekeyIkeRequested = false;
                StartRekeyIke(sa, nowMs);
                return;
            }

            if (conn != null && conn.RekeyChildRequested)
            {
                conn.RekeyChildRequested = false;
                int h = NewestChild(sa);
                if (h >= 0)
                {
                    StartRekeyChild(sa, h, nowMs);
                    return;
                }
            }

            if (sa.RekeyDue >= 0)
            {
                int h = sa.RekeyDue;
                sa.RekeyDue = -1;
                ChildSaPair p = _sad.Get(h);
                if (p != null && p.State == ChildSaState.Installed) StartRekeyChild(sa, h, nowMs);
            }
        }

        private int NewestChild(IkeSa sa)
        {
            int best = -1;
            long serial = -1;
            for (int k = 0; k < sa.ChildCount; k++)
            {
                ChildSaPair p = _sad.Get(sa.Children[k]);
                if (p != null && p.IsUsable && p.InstallSerial > serial)
                {
                    serial = p.InstallSerial;
                    best = sa.Children[k];
                }
            }

            return best;
        }

        private void PeerDead(IkeSa sa, IkeConnection conn, long nowMs)
        {
            _counters.PeersDead++;
            string what = RequestName(sa.Pending);
            bool connecting = sa.State == IkeSaState.InitSent || sa.State == IkeSaState.AuthSent;
            Log(LogLevel.Warning, "IKE_SA " + NameOf(sa) + ": no response to " + what + " after " + sa.Tries +
                " transmissions: " + (connecting ? "gateway unreachable (check its address and UDP 500/4500 on the path)" : "peer dead (DPD)"));
            bool current = conn != null && conn.Sa == sa.Index;
            Release(sa);
            if (conn == null || !current) return;
            if (connecting) ConnectionFailed(conn, nowMs);
            else ConnectionDown(conn, nowMs);
        }

        // ------------------------------------------------------------------ helpers

        private void Log(LogLevel level, string message)
        {
            if (_events != null) _events.Log(level, message);
        }

        private string NameOf(IkeSa sa)
        {
            string name = sa.Connection >= 0 && sa.Connection < _connectionCount ? _connections[sa.Connection].Name : "?";
            return name + "[" + sa.Index + "]";
        }

        private static string ExchangeName(byte exchange)
        {
            switch (exchange)
            {
                case IkeExchangeType.IkeSaInit: return "IKE_SA_INIT";
                case IkeExchangeType.IkeAuth: return "IKE_AUTH";
                case IkeExchangeType.CreateChildSa: return "CREATE_CHILD_SA";
                case IkeExchangeType.Informational: return "INFORMATIONAL";
            }

            return "exchange " + exchange;
        }

        private static string RequestName(IkeRequestKind kind)
        {
            switch (kind)
            {
                case IkeRequestKind.SaInit: return "IKE_SA_INIT";
                case IkeRequestKind.Auth: return "IKE_AUTH";
                case IkeRequestKind.RekeyChild: return "CREATE_CHILD_SA (CHILD rekey)";
                case IkeRequestKind.RekeyIke: return "CREATE_CHILD_SA (IKE rekey)";
                case IkeRequestKind.Dpd: return "INFORMATIONAL (DPD)";
                case IkeRequestKind.DeleteChild: return "INFORMATIONAL (DELETE CHILD_SA)";
                case IkeRequestKind.DeleteIke: return "INFORMATIONAL (DELETE IKE_SA)";
            }

            return "request";
        }

        /// <summary>First error notify (type below 16384, RFC 7296 §3.10.1) in the parsed message, or 0.</summary>
        private ushort ErrorNotify()
        {
            for (int i = 0; i < _msg.NotifyCount; i++)
            {
                ushort t = _msg.Notifies[i].NotifyType;
                if (t != 0 && t <= IkeNotifyType.LastError) return t;
            }

            return 0;
        }

        private NotifyPayload FindNotify(ushort type)
        {
            for (int i = 0; i < _msg.NotifyCount; i++) if (_msg.Notifies[i].NotifyType == type) return _msg.Notifies[i];
            return null;
        }

        /// <summary>Lexicographic comparison of two nonces (RFC 7296 §2.8.1 "lowest nonce"), shorter first on a tie.</summary>
        private static int CompareNonce(byte[] a, int aLength, byte[] b, int bOffset, int bLength)
        {
            int n = aLength < bLength ? aLength : bLength;
            for (int i = 0; i < n; i++)
            {
                int d = a[i] - b[bOffset + i];
                if (d != 0) return d;
            }

            return aLength - bLength;
        }
    }
}
