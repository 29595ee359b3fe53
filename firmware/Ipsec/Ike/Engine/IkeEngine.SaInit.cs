using VpnAppliance.Hal;
using VpnAppliance.Hal.Crypto;
using VpnAppliance.Wire;

namespace VpnAppliance.Ipsec.Ike
{
    // IKE_SA_INIT (RFC 7296 §1.2):
    //   HDR, SAi1, KEi, Ni, N(NAT_DETECTION_SOURCE_IP), N(NAT_DETECTION_DESTINATION_IP), N(IKEV2_FRAGMENTATION_SUPPORTED)  -->
    //                       <--  HDR, SAr1, KEr, Nr, N(NAT_DETECTION_*), N(IKEV2_FRAGMENTATION_SUPPORTED)
    // plus COOKIE (§2.6) and INVALID_KE_PAYLOAD (§1.2) round trips. We always make our NAT_DETECTION_SOURCE_IP
    // hash wrong (as strongSwan's encap=yes) so both ends believe this side is behind a NAT: ESP is then always
    // UDP-encapsulated (we have no raw IP sockets on the boards) and IKE floats to port 4500 (§2.23).

    public sealed partial class IkeEngine
    {
        private void StartInitiator(int c, long nowMs)
        {
            IkeConnection conn = _connections[c];
            IkeSa sa = Allocate(nowMs);
            if (sa == null)
            {
                ConnectionFailed(conn, nowMs);
                return;
            }

            sa.Connection = c;
            sa.OriginalInitiator = true;
            sa.SpiI = NewSpi();
            sa.SpiR = 0;
            sa.PeerAddress = conn.PeerAddress;
            sa.PeerPort = IkePort;
            sa.LocalPort = IkePort;
            sa.State = IkeSaState.InitSent;
            sa.InitGroup = FirstGroup(conn);
            int n;
            if (sa.SpiI == 0 || sa.InitGroup == 0 || !NewNonce(sa.Ni, out n))
            {
                Log(LogLevel.Error, "IKE_SA " + conn.Name + ": cannot start: no usable DH group in the ike-group proposals or no randomness");
                Release(sa);
                ConnectionFailed(conn, nowMs);
                return;
            }

            sa.NiLength = n;
            conn.Sa = sa.Index;
            if (!SendSaInit(sa, conn, nowMs))
            {
                Release(sa);
                ConnectionFailed(conn, nowMs);
                return;
            }

            Log(LogLevel.Info, "IKE_SA " + NameOf(sa) + ": initiating to " + VpnAppliance.Config.Ipv4.Format(conn.PeerAddress));
        }

        /// <summary>First DH group of the first IKE proposal the provider can do (the KE we send first, §1.2).</summary>
        private int FirstGroup(IkeConnection conn)
        {
            for (int i = 0; i < conn.IkeProposals.Count; i++)
            {
                VpnAppliance.Config.Proposal p = (VpnAppliance.Config.Proposal)conn.IkeProposals[i];
                for (int g = 0; g < p.DhGroups.Length; g++)
                {
                    if (GroupUsable(p.DhGroups[g], conn.AllowWeak)) return p.DhGroups[g];
                }
            }

            return 0;
        }

        private bool GroupUsable(int group, bool allowWeak)
        {
            IDiffieHellman dh = _provider.CreateDiffieHellman(group, allowWeak);
            if (dh == null) return false;
            dh.Clear();
            return true;
        }

        private bool OfferedGroup(IkeConnection conn, int group)
        {
            for (int i = 0; i < conn.IkeProposals.Count; i++)
            {
                if (((VpnAppliance.Config.Proposal)conn.IkeProposals[i]).HasGroup(group)) return GroupUsable(group, conn.AllowWeak);
            }

            return false;
        }

        /// <summary>Builds and sends our IKE_SA_INIT request (again after COOKIE / INVALID_KE_PAYLOAD); keeps it as Msg1.</summary>
        private bool SendSaInit(IkeSa sa, IkeConnection conn, long nowMs)
        {
            if (sa.Dh != null) sa.Dh.Clear();
            sa.Dh = _provider.CreateDiffieHellman(sa.InitGroup, conn.AllowWeak);
            if (sa.Dh == null || sa.Dh.GenerateKeyPair(_random) != CryptoResult.Ok || sa.Dh.GetPublicValue(_public, 0) != CryptoResult.Ok)
            {
                return false;
            }

            if (ProposalBuilder.BuildIke(_offer, conn.IkeProposals, 0, false, _provider, conn.AllowWeak) == 0) return false;
            int h = WriteHeader(sa, IkeExchangeType.IkeSaInit, false, 0, 0);
            _w.Begin(_tx, h + IkeHeader.Length, IkeSa.MaxMessage - IkeHeader.Length);
            if (sa.CookieLength > 0)
            {
                // §2.6: the COOKIE notify goes first, everything else unchanged.
                _w.Notify(_notify, 0, IkeNotifyType.Cookie, 0, 0, sa.Cookie, 0, sa.CookieLength);
            }

            _w.Commit(IkePayloadType.SecurityAssociation, _offer.Emit(_tx, _w.Position, _w.Remaining, 0));
            WriteKe(sa.InitGroup, sa.Dh.PublicValueLength);
            WriteNonce(sa.Ni, sa.NiLength);
            WriteNatDetection(sa, nowMs);
            _w.Notify(_notify, 0, IkeNotifyType.Ikev2FragmentationSupported, 0, 0, null, 0, 0);
            if (_w.Overflow) return false;
            int total = IkeHeader.Length + _w.Length;
            _tx[h + IkeHeader.NextPayloadField] = _w.First;
            IkeHeader.WriteMessageLength(_tx, h, total);
            System.Array.Copy(_tx, h, sa.Msg1, 0, total);
            sa.Msg1Length = total;
            SendDatagram(sa, _tx, h, total, nowMs);
            sa.RequestLength = 0;
            StartRequest(sa, IkeRequestKind.SaInit, IkeExchangeType.IkeSaInit, 0, nowMs);
            return true;
        }

        private void WriteKe(int group, int length)
        {
            _ke.DhGroup = (ushort)group;
            _ke.Data = _public;
            _ke.DataOffset = 0;
            _ke.DataLength = length;
            _w.Commit(IkePayloadType.KeyExchange, _ke.Emit(_w.Buffer, _w.Position, _w.Remaining, 0));
        }

        private void WriteNonce(byte[] nonce, int length)
        {
            _nonce.Data = nonce;
            _nonce.DataOffset = 0;
            _nonce.DataLength = length;
            _w.Commit(IkePayloadType.Nonce, _nonce.Emit(_w.Buffer, _w.Position, _w.Remaining, 0));
        }

        /// <summary>
        /// NAT_DETECTION_SOURCE_IP (deliberately not our address: "behind a NAT", like strongSwan's encap=yes) and
        /// NAT_DETECTION_DESTINATION_IP = SHA-1(SPIi | SPIr | IP | port) of the peer (RFC 7296 §2.23).
        /// </summary>
        private void WriteNatDetection(IkeSa sa, long nowMs)
        {
            _random.NextBytes(_hash, 0, 20);
            _w.Notify(_notify, 0, IkeNotifyType.NatDetectionSourceIp, 0, 0, _hash, 0, 20);
            NatDetection.Hash(_sha1, sa.SpiI, sa.SpiR, sa.PeerAddress, sa.PeerPort, _hash, 0);
            _w.Notify(_notify, 0, IkeNotifyType.NatDetectionDestinationIp, 0, 0, _hash, 0, 20);
        }

        // ------------------------------------------------------------------ responder

        private void OnSaInitRequest(int localPort, uint source, int sourcePort, byte[] buffer, int offset, int length, long nowMs)
        {
            if (_hdr.SpiResponder != 0 || _hdr.MessageId != 0 || _hdr.SpiInitiator == 0 || !_hdr.IsInitiator)
            {
                _counters.Malformed++;
                return;
            }

            for (int i = 0; i < _sas.Length; i++)
            {
                IkeSa s = _sas[i];
                if (s.State == IkeSaState.InitReplied && !s.OriginalInitiator && s.SpiI == _hdr.SpiInitiator && s.PeerAddress == source)
                {
                    // Our response was lost: the same answer again (§2.1).
                    _counters.ResponsesResent++;
                    SendStored(s, s.Msg2, s.Msg2Length, nowMs);
                    return;
                }
            }

            if (_msg.Parse(buffer, offset, length) != IkeParseResult.Ok)
            {
                _counters.Malformed++;
                return;
            }

            int c = FindConnection(source);
            if (c < 0)
            {
                _counters.UnknownPeer++;
                if (_counters.UnknownPeer <= 3 || _counters.UnknownPeer % 100 == 0)
                {
                    Log(LogLevel.Warning, "IKE_SA_INIT from " + VpnAppliance.Config.Ipv4.Format(source) + " ignored: no vpn peer with that address");
                }

                return;
            }

            IkeConnection conn = _connections[c];
            if (!_msg.Has(IkePayloadType.SecurityAssociation) || !_msg.Has(IkePayloadType.KeyExchange) || !_msg.Has(IkePayloadType.Nonce) ||
                _msg.Nonce.DataLength < NoncePayload.MinNonceLength || _msg.Nonce.DataLength > IkeSa.MaxNonce)
            {
                _counters.Malformed++;
                return;
            }

            if (HalfOpenCount() >= _settings.CookieThreshold && !CookieValid(source))
            {
                _counters.CookiesSent++;
                ComputeCookie(source, _data, 0);
                SendStateless(localPort, source, sourcePort, IkeNotifyType.Cookie, _data, 0, CookieLength);
                return;
            }

            NegotiationResult nr = ProposalSelector.SelectIke(_msg.Sa, conn.IkeProposals, _provider, conn.AllowWeak, _suite, _reply, 0, false);
            if (nr != NegotiationResult.Ok)
            {
                _counters.NegotiationFailures++;
                conn.LastError = "NO_PROPOSAL_CHOSEN";
                Log(LogLevel.Error, "IKE_SA " + conn.Name + ": NO_PROPOSAL_CHOSEN for IKE_SA_INIT from " + VpnAppliance.Config.Ipv4.Format(source) + ": " +
                    NoProposalChosenLog.Describe(NegotiationResult.NoProposalChosen, _msg.Sa, conn.IkeProposals, true, false, conn.IkeGroupName, _provider, conn.AllowWeak));
                SendStateless(localPort, source, sourcePort, IkeNotifyType.NoProposalChosen, null, 0, 0);
                return;
            }

            if (_msg.Ke.DhGroup != _suite.DhGroup)
            {
                // §1.2: tell the initiator which group we want; no state is kept.
                _data[0] = (byte)(_suite.DhGroup >> 8);
                _data[1] = (byte)_suite.DhGroup;
                SendStateless(localPort, source, sourcePort, IkeNotifyType.InvalidKePayload, _data, 0, 2);
                return;
            }

            IkeSa sa = Allocate(nowMs);
            if (sa == null)
            {
                SendStateless(localPort, source, sourcePort, IkeNotifyType.TemporaryFailure, null, 0, 0);
                return;
            }

            sa.Connection = c;
            sa.OriginalInitiator = false;
            sa.SpiI = _hdr.SpiInitiator;
            sa.SpiR = NewSpi();
            sa.PeerAddress = source;
            sa.PeerPort = sourcePort;
            sa.LocalPort = localPort;
            sa.State = IkeSaState.InitReplied;
            sa.PeerFragmentation = FindNotify(IkeNotifyType.Ikev2FragmentationSupported) != null;
            sa.Suite.CopyFrom(_suite);
            System.Array.Copy(_msg.Nonce.Data, _msg.Nonce.DataOffset, sa.Ni, 0, _msg.Nonce.DataLength);
            sa.NiLength = _msg.Nonce.DataLength;
            System.Array.Copy(buffer, offset, sa.Msg1, 0, length > IkeSa.MaxMessage ? 0 : length);
            sa.Msg1Length = length > IkeSa.MaxMessage ? 0 : length;
            int nonceLength;
            int secretLength;
            if (sa.SpiR == 0 || sa.Msg1Length == 0 || !sa.Keys.Configure(sa.Suite) || !NewNonce(sa.Nr, out nonceLength) ||
                !KeyExchange(sa.Suite.DhGroup, conn.AllowWeak, _msg.Ke, out sa.Dh, out secretLength))
            {
                Release(sa);
                _counters.Malformed++;
                return;
            }

            sa.NrLength = nonceLength;
            CryptoResult kr = sa.Keys.DeriveInitial(sa.Ni, 0, sa.NiLength, sa.Nr, 0, sa.NrLength, _secret, 0, secretLength, sa.SpiI, sa.SpiR);
            ConstantTime.Zeroise(_secret, 0, secretLength);
            if (kr != CryptoResult.Ok)
            {
                Release(sa);
                return;
            }

            int h = WriteHeader(sa, IkeExchangeType.IkeSaInit, true, 0, 0);
            _w.Begin(_tx, h + IkeHeader.Length, IkeSa.MaxMessage - IkeHeader.Length);
            _w.Commit(IkePayloadType.SecurityAssociation, _reply.Emit(_tx, _w.Position, _w.Remaining, 0));
            WriteKe(sa.Suite.DhGroup, sa.Dh.PublicValueLength);
            WriteNonce(sa.Nr, sa.NrLength);
            WriteNatDetection(sa, nowMs);
            _w.Notify(_notify, 0, IkeNotifyType.Ikev2FragmentationSupported, 0, 0, null, 0, 0);
            sa.Dh.Clear();
            sa.Dh = null;
            if (_w.Overflow)
            {
                Release(sa);
                return;
            }

            int total = IkeHeader.Length + _w.Length;
            _tx[h + IkeHeader.NextPayloadField] = _w.First;
            IkeHeader.WriteMessageLength(_tx, h, total);
            System.Array.Copy(_tx, h, sa.Msg2, 0, total);
            sa.Msg2Length = total;
            sa.ExpectedRequestId = 1;
            SendDatagram(sa, _tx, h, total, nowMs);
        }

        /// <summary>
        /// Our half of the DH exchange against the peer's KE payload: makes the group, a key pair, the public value in
        /// _public and g^ir in _secret. False when the group is unavailable or the peer's value is invalid.
        /// </summary>
        private bool KeyExchange(int group, bool allowWeak, KePayload peer, out IDiffieHellman dh, out int secretLength)
        {
            secretLength = 0;
            dh = _provider.CreateDiffieHellman(group, allowWeak);
            if (dh == null || peer.DhGroup != group || peer.DataLength != dh.PublicValueLength) return false;
            if (dh.GenerateKeyPair(_random) != CryptoResult.Ok || dh.GetPublicValue(_public, 0) != CryptoResult.Ok) return false;
            if (dh.SharedSecretLength > _secret.Length) return false;
            if (dh.ComputeSharedSecret(peer.Data, peer.DataOffset, peer.DataLength, _secret, 0) != CryptoResult.Ok) return false;
            secretLength = dh.SharedSecretLength;
            return true;
        }

        /// <summary>An IKE_SA_INIT response with only one notify and no state (§2.6 COOKIE, §1.2 INVALID_KE_PAYLOAD, errors).</summary>
        private void SendStateless(int localPort, uint address, int port, ushort notify, byte[] data, int offset, int length)
        {
            _outHdr.SpiInitiator = _hdr.SpiInitiator;
            _outHdr.SpiResponder = 0;
            _outHdr.NextPayload = IkePayloadType.Notify;
            _outHdr.MajorVersion = 2;
            _outHdr.MinorVersion = 0;
            _outHdr.ExchangeType = IkeExchangeType.IkeSaInit;
            _outHdr.Flags = IkeHeader.FlagResponse;
            _outHdr.MessageId = 0;
            _outHdr.MessageLength = IkeHeader.Length;
            _outHdr.Emit(_tx, Marker, _tx.Length - Marker);
            _w.Begin(_tx, Marker + IkeHeader.Length, IkeSa.MaxMessage - IkeHeader.Length);
            _w.Notify(_notify, 0, notify, 0, 0, data, offset, length);
            if (_w.Overflow) return;
            int total = IkeHeader.Length + _w.Length;
            IkeHeader.WriteMessageLength(_tx, Marker, total);
            SendTo(localPort, address, port, _tx, Marker, total);
        }

        private const int CookieLength = 1 + 32;

        /// <summary>RFC 7296 §2.6: Cookie = VersionIDofSecret | Hash(Ni | IPi | SPIi | secret); stateless.</summary>
        private void ComputeCookie(uint source, byte[] output, int offset)
        {
            output[offset] = 0;
            _sha256.Reset();
            _sha256.Update(_msg.Nonce.Data, _msg.Nonce.DataOffset, _msg.Nonce.DataLength);
            NetworkByteOrder.WriteUInt32(_spiBytes, 0, source);
            _sha256.Update(_spiBytes, 0, 4);
            ulong spi = _hdr.SpiInitiator;
            for (int i = 0; i < 8; i++) _spiBytes[i] = (byte)(spi >> (56 - 8 * i));
            _sha256.Update(_spiBytes, 0, 8);
            _sha256.Update(_cookieSecret, 0, _cookieSecret.Length);
            _sha256.Final(output, offset + 1);
        }

        private bool CookieValid(uint source)
        {
            if (_msg.NotifyCount == 0 || _msg.Notifies[0].NotifyType != IkeNotifyType.Cookie) return false;
            NotifyPayload n = _msg.Notifies[0];
            if (n.DataLength != CookieLength) return false;
            ComputeCookie(source, _authData, 0);
            return ConstantTime.AreEqual(_authData, 0, n.Data, n.DataOffset, CookieLength);
        }

        // ------------------------------------------------------------------ initiator

        private void OnSaInitResponse(int localPort, uint source, int sourcePort, byte[] buffer, int offset, int length, long nowMs)
        {
            IkeSa sa = null;
            for (int i = 0; i < _sas.Length; i++)
            {
                IkeSa s = _sas[i];
                if (s.State == IkeSaState.InitSent && s.OriginalInitiator && s.SpiI == _hdr.SpiInitiator) sa = s;
            }

            if (sa == null || _hdr.IsInitiator || _hdr.MessageId != 0 || source != sa.PeerAddress)
            {
                _counters.UnknownSpi++;
                return;
            }

            if (_msg.Parse(buffer, offset, length) != IkeParseResult.Ok)
            {
                _counters.Malformed++;
                return;
            }

            IkeConnection conn = _connections[sa.Connection];
            NotifyPayload cookie = FindNotify(IkeNotifyType.Cookie);
            if (cookie != null && !_msg.Has(IkePayloadType.SecurityAssociation))
            {
                if (cookie.DataLength < 1 || cookie.DataLength > sa.Cookie.Length) return;
                System.Array.Copy(cookie.Data, cookie.DataOffset, sa.Cookie, 0, cookie.DataLength);
                sa.CookieLength = cookie.DataLength;
                if (!SendSaInit(sa, conn, nowMs)) AbortInitiator(sa, conn, "cannot rebuild IKE_SA_INIT", nowMs);
                return;
            }

            NotifyPayload ke = FindNotify(IkeNotifyType.InvalidKePayload);
            if (ke != null)
            {
                int group = ke.DataLength >= 2 ? (ke.Data[ke.DataOffset] << 8) | ke.Data[ke.DataOffset + 1] : 0;
                if (group != sa.InitGroup && OfferedGroup(conn, group))
                {
                    Log(LogLevel.Info, "IKE_SA " + NameOf(sa) + ": gateway wants DH group " + group + " (INVALID_KE_PAYLOAD), retrying");
                    sa.InitGroup = group;
                    if (!SendSaInit(sa, conn, nowMs)) AbortInitiator(sa, conn, "cannot rebuild IKE_SA_INIT", nowMs);
                    return;
                }

                _counters.NegotiationFailures++;
                AbortInitiator(sa, conn, "INVALID_KE_PAYLOAD: gateway asks for DH group " + group + ", which ike-group " +
                    "proposals do not offer: add it to the proposal", nowMs);
                return;
            }

            ushort error = ErrorNotify();
            if (error != 0)
            {
                if (error == IkeNotifyType.NoProposalChosen)
                {
                    _counters.NegotiationFailures++;
                    AbortInitiator(sa, conn, "NO_PROPOSAL_CHOSEN: the gateway accepts none of our IKE proposals (" +
                        ProposalText.Ours(conn.IkeProposals) + "): set the ike-group proposal to what the gateway is configured for", nowMs);
                }
                else
                {
                    AbortInitiator(sa, conn, IkeNotifyNames.Name(error) + " in IKE_SA_INIT response", nowMs);
                }

                return;
            }

            if (!_msg.Has(IkePayloadType.SecurityAssociation) || !_msg.Has(IkePayloadType.KeyExchange) || !_msg.Has(IkePayloadType.Nonce) ||
                _hdr.SpiResponder == 0 || _msg.Nonce.DataLength < NoncePayload.MinNonceLength || _msg.Nonce.DataLength > IkeSa.MaxNonce ||
                length > IkeSa.MaxMessage)
            {
                _counters.Malformed++;
                return;
            }

            ProposalBuilder.BuildIke(_offer, conn.IkeProposals, 0, false, _provider, conn.AllowWeak);
            ulong unused;
            if (ProposalSelector.AcceptIke(_msg.Sa, _offer, _suite, out unused) != NegotiationResult.Ok || _suite.DhGroup != sa.InitGroup ||
                _msg.Ke.DhGroup != sa.InitGroup)
            {
                _counters.NegotiationFailures++;
                AbortInitiator(sa, conn, "NO_PROPOSAL_CHOSEN: the gateway answered with a proposal we did not offer", nowMs);
                return;
            }

            sa.ClearPending();
            sa.SpiR = _hdr.SpiResponder;
            sa.Suite.CopyFrom(_suite);
            sa.PeerFragmentation = FindNotify(IkeNotifyType.Ikev2FragmentationSupported) != null;
            System.Array.Copy(_msg.Nonce.Data, _msg.Nonce.DataOffset, sa.Nr, 0, _msg.Nonce.DataLength);
            sa.NrLength = _msg.Nonce.DataLength;
            System.Array.Copy(buffer, offset, sa.Msg2, 0, length);
            sa.Msg2Length = length;
            if (sa.Dh == null || _msg.Ke.DataLength != sa.Dh.PublicValueLength || sa.Dh.SharedSecretLength > _secret.Length ||
                sa.Dh.ComputeSharedSecret(_msg.Ke.Data, _msg.Ke.DataOffset, _msg.Ke.DataLength, _secret, 0) != CryptoResult.Ok ||
                !sa.Keys.Configure(sa.Suite))
            {
                AbortInitiator(sa, conn, "invalid KE payload from the gateway", nowMs);
                return;
            }

            int secretLength = sa.Dh.SharedSecretLength;
            CryptoResult kr = sa.Keys.DeriveInitial(sa.Ni, 0, sa.NiLength, sa.Nr, 0, sa.NrLength, _secret, 0, secretLength, sa.SpiI, sa.SpiR);
            ConstantTime.Zeroise(_secret, 0, secretLength);
            sa.Dh.Clear();
            sa.Dh = null;
            if (kr != CryptoResult.Ok)
            {
                AbortInitiator(sa, conn, "key derivation failed", nowMs);
                return;
            }

            // We claim to be behind a NAT: float to 4500 for everything after IKE_SA_INIT (§2.23).
            sa.LocalPort = NatTPort;
            sa.PeerPort = NatTPort;
            sa.LastInboundMs = nowMs;
            SendAuthRequest(sa, conn, nowMs);
        }

        /// <summary>Gives up an IKE SA we were setting up: one log line saying what to fix, retry later.</summary>
        private void AbortInitiator(IkeSa sa, IkeConnection conn, string why, long nowMs)
        {
            conn.LastError = why;
            Log(LogLevel.Error, "IKE_SA " + NameOf(sa) + ": " + why);
            Release(sa);
            ConnectionFailed(conn, nowMs);
        }

    }
}
