using VpnAppliance.Hal;
using VpnAppliance.Hal.Crypto;

namespace VpnAppliance.Ipsec.Ike
{
    // IKE_AUTH with a pre-shared key (RFC 7296 §1.2, §2.15) and the first CHILD SA (route-based: traffic selectors
    // 0.0.0.0/0 <-> 0.0.0.0/0 unless narrowed in the config, §2.9):
    //   HDR, SK {N(INITIAL_CONTACT), IDi, [IDr,] AUTH, SAi2, TSi, TSr}  -->
    //                                 <--  HDR, SK {IDr, AUTH, SAr2, TSi, TSr}
    // A failure of the CHILD SA part (NO_PROPOSAL_CHOSEN, TS_UNACCEPTABLE) still authenticates the IKE SA (§1.2);
    // we then delete it again, since a connection without its tunnel is of no use to a route-based appliance.

    public sealed partial class IkeEngine
    {
        private void SendAuthRequest(IkeSa sa, IkeConnection conn, long nowMs)
        {
            int handle;
            uint spi;
            SadResult r = _sad.Reserve(conn.TunnelId, nowMs, out handle, out spi);
            if (r != SadResult.Ok)
            {
                AbortInitiator(sa, conn, "no CHILD SA slot for the tunnel (" + r.ToString() + ")", nowMs);
                return;
            }

            sa.RekeyNew = handle;
            int idLength = IdBody(conn.LocalIdType, conn.LocalIdData);
            int authLength = sa.Keys.ComputePskAuth(true, conn.Psk, 0, conn.Psk.Length, sa.Msg1, 0, sa.Msg1Length, sa.Nr, 0, sa.NrLength,
                _idBody, 0, idLength, _authData, 0);
            if (authLength <= 0 || ProposalBuilder.BuildEsp(_offer, conn.EspProposals, spi, false, false, _provider, conn.AllowWeak) == 0)
            {
                AbortInitiator(sa, conn, "no usable ESP proposal in the esp-group", nowMs);
                return;
            }

            BeginInner();
            _w.Notify(_notify, 0, IkeNotifyType.InitialContact, 0, 0, null, 0, 0);
            WriteId(IkePayloadType.IdInitiator, conn.LocalIdType, conn.LocalIdData);
            if (conn.RemoteIdType != 0) WriteId(IkePayloadType.IdResponder, conn.RemoteIdType, conn.RemoteIdData);
            WriteAuth(authLength);
            _w.Commit(IkePayloadType.SecurityAssociation, _offer.Emit(_plain, _w.Position, _w.Remaining, 0));
            WriteSelectors(conn.LocalTs, conn.RemoteTs);
            sa.State = IkeSaState.AuthSent;
            if (!SendEncrypted(sa, IkeExchangeType.IkeAuth, false, 1, IkeRequestKind.Auth, nowMs))
            {
                AbortInitiator(sa, conn, "IKE_AUTH request does not fit", nowMs);
            }
        }

        private void OnAuthResponse(IkeSa sa, long nowMs)
        {
            IkeConnection conn = _connections[sa.Connection];
            if (sa.State != IkeSaState.AuthSent) return;
            if (FindNotify(IkeNotifyType.AuthenticationFailed) != null)
            {
                _counters.AuthFailures++;
                AbortInitiator(sa, conn, "AUTHENTICATION_FAILED: the gateway rejected our authentication: check 'vpn peer " + conn.Name +
                    " psk' and the identity we send (" + IdText(conn.LocalIdType, conn.LocalIdData) + ") against the gateway's settings", nowMs);
                return;
            }

            if (!_msg.Has(IkePayloadType.IdResponder) || !_msg.Has(IkePayloadType.Authentication))
            {
                ushort e = ErrorNotify();
                AbortInitiator(sa, conn, (e != 0 ? IkeNotifyNames.Name(e) : "INVALID_SYNTAX") + " in IKE_AUTH response", nowMs);
                return;
            }

            if (!VerifyPeer(sa, conn, false, _msg.IdResponder, nowMs))
            {
                AbortInitiator(sa, conn, conn.LastError, nowMs);
                return;
            }

            ushort error = ErrorNotify();
            if (error != 0 || !_msg.Has(IkePayloadType.SecurityAssociation) || !_msg.Has(IkePayloadType.TsInitiator) || !_msg.Has(IkePayloadType.TsResponder))
            {
                ChildFailedAfterAuth(sa, conn, error, nowMs);
                return;
            }

            ChildSaPair pair = _sad.Get(sa.RekeyNew);
            if (pair == null)
            {
                ChildFailedAfterAuth(sa, conn, 0, nowMs);
                return;
            }

            ProposalBuilder.BuildEsp(_offer, conn.EspProposals, pair.Inbound.Spi, false, false, _provider, conn.AllowWeak);
            int pfs;
            if (ProposalSelector.AcceptEsp(_msg.Sa, _offer, _child, out pfs) != NegotiationResult.Ok || pfs != 0)
            {
                ChildFailedAfterAuth(sa, conn, IkeNotifyType.NoProposalChosen, nowMs);
                return;
            }

            if (!SelectorsWithin(_msg.TsInitiator, conn.LocalTs) || !SelectorsWithin(_msg.TsResponder, conn.RemoteTs))
            {
                ChildFailedAfterAuth(sa, conn, IkeNotifyType.TsUnacceptable, nowMs);
                return;
            }

            RecordSelectors(conn, _msg.TsInitiator, _msg.TsResponder);
            int handle = sa.RekeyNew;
            sa.RekeyNew = -1;
            if (!InstallChild(sa, conn, handle, true, null, 0, 0, sa.Ni, sa.NiLength, sa.Nr, sa.NrLength, nowMs))
            {
                ChildFailedAfterAuth(sa, conn, 0, nowMs);
                return;
            }

            Establish(sa, conn, nowMs);
        }

        private void OnAuthRequest(IkeSa sa, long nowMs)
        {
            if (sa.State != IkeSaState.InitReplied || sa.OriginalInitiator)
            {
                RespondError(sa, IkeExchangeType.IkeAuth, IkeNotifyType.InvalidSyntax, nowMs);
                return;
            }

            IkeConnection conn = _connections[sa.Connection];
            if (!_msg.Has(IkePayloadType.IdInitiator) || !_msg.Has(IkePayloadType.Authentication))
            {
                RespondError(sa, IkeExchangeType.IkeAuth, IkeNotifyType.InvalidSyntax, nowMs);
                Release(sa);
                return;
            }

            if (!VerifyPeer(sa, conn, true, _msg.IdInitiator, nowMs))
            {
                // §2.21.2: answer AUTHENTICATION_FAILED and keep nothing.
                RespondError(sa, IkeExchangeType.IkeAuth, IkeNotifyType.AuthenticationFailed, nowMs);
                Log(LogLevel.Error, "IKE_SA " + NameOf(sa) + ": " + conn.LastError);
                Release(sa);
                return;
            }

            bool initialContact = FindNotify(IkeNotifyType.InitialContact) != null;

            // Our half of the authentication first: the response carries IDr and AUTH in every case.
            int idLength = IdBody(conn.LocalIdType, conn.LocalIdData);
            int authLength = sa.Keys.ComputePskAuth(false, conn.Psk, 0, conn.Psk.Length, sa.Msg2, 0, sa.Msg2Length, sa.Ni, 0, sa.NiLength,
                _idBody, 0, idLength, _authData, 0);

            ushort childError = 0;
            int handle = -1;
            uint spi = 0;
            if (!_msg.Has(IkePayloadType.SecurityAssociation) || !_msg.Has(IkePayloadType.TsInitiator) || !_msg.Has(IkePayloadType.TsResponder))
            {
                childError = IkeNotifyType.NoProposalChosen;
            }
            else if (_sad.Reserve(conn.TunnelId, nowMs, out handle, out spi) != SadResult.Ok)
            {
                childError = IkeNotifyType.NoAdditionalSas;
                handle = -1;
            }
            else
            {
                int pfs;
                if (ProposalSelector.SelectEsp(_msg.Sa, conn.EspProposals, true, _provider, conn.AllowWeak, _child, out pfs, _reply, spi) != NegotiationResult.Ok)
                {
                    childError = IkeNotifyType.NoProposalChosen;
                    Log(LogLevel.Error, "CHILD_SA " + NameOf(sa) + ": NO_PROPOSAL_CHOSEN: " + NoProposalChosenLog.Describe(NegotiationResult.NoProposalChosen, _msg.Sa, conn.EspProposals, false, true, conn.EspGroupName, _provider, conn.AllowWeak));
                }
                else if (!Narrow(_msg.TsInitiator, conn.RemoteTs, _tsi) || !Narrow(_msg.TsResponder, conn.LocalTs, _tsr))
                {
                    childError = IkeNotifyType.TsUnacceptable;
                    Log(LogLevel.Error, "CHILD_SA " + NameOf(sa) + ": TS_UNACCEPTABLE: the peer's traffic selectors do not overlap ours " +
                        "(route-based tunnels use 0.0.0.0/0 on both sides; check 'vpn tunnel " + conn.TunnelName + " local-ts/remote-ts')");
                }
            }

            // The initiator keyed its IKE_AUTH with INITIAL_CONTACT: older SAs with it are stale (§2.4).
            if (initialContact) ReleaseOthers(sa, conn);

            if (childError == 0)
            {
                RecordSelectors(conn, _tsr, _tsi);
                if (!InstallChild(sa, conn, handle, false, null, 0, 0, sa.Ni, sa.NiLength, sa.Nr, sa.NrLength, nowMs))
                {
                    childError = IkeNotifyType.NoProposalChosen;
                }
            }
            else if (handle >= 0)
            {
                _sad.Delete(handle);
            }

            if (childError != 0) _counters.NegotiationFailures++;

            BeginInner();
            WriteId(IkePayloadType.IdResponder, conn.LocalIdType, conn.LocalIdData);
            WriteAuth(authLength);
            if (childError == 0)
            {
                _w.Commit(IkePayloadType.SecurityAssociation, _reply.Emit(_plain, _w.Position, _w.Remaining, 0));
                _w.Commit(IkePayloadType.TsInitiator, _tsi.Emit(_plain, _w.Position, _w.Remaining, 0));
                _w.Commit(IkePayloadType.TsResponder, _tsr.Emit(_plain, _w.Position, _w.Remaining, 0));
            }
            else
            {
                _w.Notify(_notify, 0, childError, 0, 0, null, 0, 0);
            }

            Establish(sa, conn, nowMs);
            FinishResponse(sa, IkeExchangeType.IkeAuth, nowMs);
            if (childError != 0)
            {
                // Without its CHILD SA the IKE SA carries nothing: delete it (the initiator will retry).
                SendInformational(sa, IkeRequestKind.DeleteIke, nowMs);
            }
        }

        /// <summary>Checks the peer's ID (when configured) and AUTH payload (PSK, §2.15); sets conn.LastError on failure.</summary>
        private bool VerifyPeer(IkeSa sa, IkeConnection conn, bool peerIsInitiator, IdPayload id, long nowMs)
        {
            if (conn.RemoteIdType != 0 && (id.IdType != conn.RemoteIdType || !SameBytes(id.Data, id.DataOffset, id.DataLength, conn.RemoteIdData)))
            {
                _counters.AuthFailures++;
                conn.LastError = "AUTHENTICATION_FAILED: the peer's identity " + IdText(id.IdType, id.Data, id.DataOffset, id.DataLength) +
                    " is not the configured remote-id " + IdText(conn.RemoteIdType, conn.RemoteIdData);
                return false;
            }

            int idLength = 4 + id.DataLength;
            if (idLength > _idBody.Length)
            {
                conn.LastError = "AUTHENTICATION_FAILED: identity too long";
                return false;
            }

            _idBody[0] = id.IdType;
            _idBody[1] = 0;
            _idBody[2] = 0;
            _idBody[3] = 0;
            System.Array.Copy(id.Data, id.DataOffset, _idBody, 4, id.DataLength);
            byte[] message = peerIsInitiator ? sa.Msg1 : sa.Msg2;
            int messageLength = peerIsInitiator ? sa.Msg1Length : sa.Msg2Length;
            byte[] nonce = peerIsInitiator ? sa.Nr : sa.Ni;
            int nonceLength = peerIsInitiator ? sa.NrLength : sa.NiLength;
            int n = sa.Keys.ComputePskAuth(peerIsInitiator, conn.Psk, 0, conn.Psk.Length, message, 0, messageLength, nonce, 0, nonceLength,
                _idBody, 0, idLength, _authData, 0);
            AuthPayload auth = _msg.Auth;
            if (auth.AuthMethod != AuthPayload.MethodSharedKey || n <= 0 || auth.DataLength != n ||
                !ConstantTime.AreEqual(_authData, 0, auth.Data, auth.DataOffset, n))
            {
                _counters.AuthFailures++;
                conn.LastError = auth.AuthMethod != AuthPayload.MethodSharedKey
                    ? "AUTHENTICATION_FAILED: the peer authenticates with method " + auth.AuthMethod + ", we only do pre-shared keys (2)"
                    : "AUTHENTICATION_FAILED: the peer's AUTH does not verify with our pre-shared key: check 'vpn peer " + conn.Name + " psk' on both sides";
                return false;
            }

            return true;
        }

        /// <summary>The IKE SA is up but its CHILD SA was refused: one clear line, delete the IKE SA, retry later.</summary>
        private void ChildFailedAfterAuth(IkeSa sa, IkeConnection conn, ushort error, long nowMs)
        {
            _counters.NegotiationFailures++;
            string why;
            if (error == IkeNotifyType.NoProposalChosen)
            {
                why = "NO_PROPOSAL_CHOSEN for the CHILD SA: the gateway accepts none of our ESP proposals (" + ProposalText.Ours(conn.EspProposals) +
                    "): set the esp-group proposal (and pfs) to the gateway's IPsec policy";
            }
            else if (error == IkeNotifyType.TsUnacceptable)
            {
                why = "TS_UNACCEPTABLE: the gateway refuses our traffic selectors: route-based gateways expect 0.0.0.0/0 both ways; check 'vpn tunnel " +
                    conn.TunnelName + " local-ts/remote-ts' and the gateway's selectors";
            }
            else
            {
                why = (error != 0 ? IkeNotifyNames.Name(error) : "no usable CHILD SA") + " in IKE_AUTH response";
            }

            conn.LastError = why;
            Log(LogLevel.Error, "CHILD_SA " + NameOf(sa) + ": " + why);
            if (sa.RekeyNew >= 0)
            {
                _sad.Delete(sa.RekeyNew);
                sa.RekeyNew = -1;
            }

            sa.State = IkeSaState.Established;
            SendInformational(sa, IkeRequestKind.DeleteIke, nowMs);
            conn.Sa = -1;
            ConnectionFailed(conn, nowMs);
        }

        private void Establish(IkeSa sa, IkeConnection conn, long nowMs)
        {
            sa.State = IkeSaState.Established;
            sa.EstablishedAtMs = nowMs;
            sa.LastInboundMs = nowMs;
            ScheduleIkeRekey(sa, conn, nowMs);
            sa.Msg1Length = 0;
            sa.Msg2Length = 0;
            conn.Sa = sa.Index;
            conn.RetryDelayMs = 0;
            conn.RetryAtMs = long.MaxValue;
            conn.Establishments++;
            conn.LastError = null;
            _counters.Established++;
            Log(LogLevel.Info, "IKE_SA " + NameOf(sa) + " established with " + VpnAppliance.Config.Ipv4.Format(sa.PeerAddress) + " (" +
                (sa.OriginalInitiator ? "initiator" : "responder") + ", " + sa.Suite.ToString() + ")");
        }

        private void ScheduleIkeRekey(IkeSa sa, IkeConnection conn, long nowMs)
        {
            if (conn.IkeLifetimeMs <= 0)
            {
                sa.RekeyAtMs = long.MaxValue;
                sa.ExpireAtMs = long.MaxValue;
                return;
            }

            sa.ExpireAtMs = nowMs + conn.IkeLifetimeMs;
            sa.RekeyAtMs = nowMs + SoftTime(conn.IkeLifetimeMs, conn.IkeRekeyMarginMs, conn.RekeyFuzzPercent);
        }

        /// <summary>
        /// When to rekey within a lifetime: lifetime - margin - random(0 .. margin x fuzz%) (strongSwan's model), and at
        /// least half the lifetime so short test lifetimes still rekey before expiring.
        /// </summary>
        private long SoftTime(long lifetimeMs, long marginMs, int fuzzPercent)
        {
            if (marginMs >= lifetimeMs) marginMs = lifetimeMs / 10;
            long fuzz = marginMs * fuzzPercent / 100;
            long jitter = 0;
            if (fuzz > 0)
            {
                _random.NextBytes(_spiBytes, 0, 4);
                long r = ((long)_spiBytes[0] << 24) | ((long)_spiBytes[1] << 16) | ((long)_spiBytes[2] << 8) | _spiBytes[3];
                jitter = r % (fuzz + 1);
            }

            long soft = lifetimeMs - marginMs - jitter;
            if (soft < lifetimeMs / 2) soft = lifetimeMs / 2;
            return soft;
        }

        /// <summary>
        /// Keys and installs a reserved CHILD SA: KEYMAT = prf+(SK_d, [g^ir |] Ni | Nr) (§2.17), lifetimes from the
        /// connection, the peer's current endpoint. _child must hold the negotiated transforms and the peer's SPI.
        /// </summary>
        private bool InstallChild(IkeSa sa, IkeConnection conn, int handle, bool initiator, byte[] gir, int girOffset, int girLength,
            byte[] ni, int niLength, byte[] nr, int nrLength, long nowMs)
        {
            int need = EspTransform.KeyMaterialLength(_child.Encryption, _child.KeyBits, _child.Integrity);
            if (need <= 0 || need > _keymat.Length) return false;
            if (sa.Keys.DeriveChildKeys(gir, girOffset, girLength, ni, 0, niLength, nr, 0, nrLength, _keymat, 0, need) != CryptoResult.Ok) return false;
            _child.Initiator = initiator;
            _child.KeyMaterial = _keymat;
            _child.KeyMaterialOffset = 0;
            _child.KeyMaterialLength = need;
            _lifetime.HardTimeMs = conn.ChildLifetimeMs;
            _lifetime.SoftTimeMs = conn.ChildLifetimeMs > 0 ? SoftTime(conn.ChildLifetimeMs, conn.ChildRekeyMarginMs, conn.RekeyFuzzPercent) : 0;
            // Bytes: rekey at 90 % (strongSwan's rekey_bytes below life_bytes), gone at 100 %.
            _lifetime.HardBytes = conn.ChildLifetimeBytes;
            _lifetime.SoftBytes = conn.ChildLifetimeBytes - conn.ChildLifetimeBytes / 10;
            _lifetime.SoftPackets = 0;
            _lifetime.HardPackets = 0;
            _child.Lifetime = _lifetime;
            _child.PeerAddress = sa.PeerAddress;
            _child.PeerPort = sa.PeerPort;
            _child.DeferOutbound = !initiator && sa.ChildCount > 0;
            _child.ReplayWindow = conn.ReplayWindow;   // rekey responder: §2.8, see ChildSaParameters
            SadResult r = _sad.Install(handle, _child, nowMs);
            ConstantTime.Zeroise(_keymat, 0, need);
            if (r != SadResult.Ok)
            {
                _sad.Delete(handle);
                return false;
            }

            sa.AddChild(handle);
            ChildSaPair p = _sad.Get(handle);
            Log(LogLevel.Info, "CHILD_SA " + NameOf(sa) + " established on " + conn.TunnelName + ": SPIs in " + Hex32(p.Inbound.Spi) +
                " out " + Hex32(p.Outbound.Spi) + ", " + EspText(_child) + ", " + TsText(conn));
            return true;
        }

        private void ReleaseOthers(IkeSa keep, IkeConnection conn)
        {
            for (int i = 0; i < _sas.Length; i++)
            {
                IkeSa s = _sas[i];
                if (s == keep || s.State == IkeSaState.Free || s.Connection != keep.Connection) continue;
                Log(LogLevel.Info, "IKE_SA " + NameOf(s) + " replaced (peer sent INITIAL_CONTACT)");
                Release(s);
            }
        }

        // ------------------------------------------------------------------ payload helpers

        /// <summary>Writes the ID payload body (type, 3 reserved, data: what AUTH signs, §2.15) into _idBody.</summary>
        private int IdBody(byte type, byte[] data)
        {
            _idBody[0] = type;
            _idBody[1] = 0;
            _idBody[2] = 0;
            _idBody[3] = 0;
            System.Array.Copy(data, 0, _idBody, 4, data.Length);
            return 4 + data.Length;
        }

        private void WriteId(byte payloadType, byte idType, byte[] data)
        {
            _id.IdType = idType;
            _id.Data = data;
            _id.DataOffset = 0;
            _id.DataLength = data.Length;
            _w.Commit(payloadType, _id.Emit(_w.Buffer, _w.Position, _w.Remaining, 0));
        }

        private void WriteAuth(int length)
        {
            _auth.AuthMethod = AuthPayload.MethodSharedKey;
            _auth.Data = _authData;
            _auth.DataOffset = 0;
            _auth.DataLength = length;
            _w.Commit(IkePayloadType.Authentication, _auth.Emit(_w.Buffer, _w.Position, _w.Remaining, 0));
        }

        private void WriteSelectors(uint[] local, uint[] remote)
        {
            FillSelectors(_tsi, local);
            FillSelectors(_tsr, remote);
            _w.Commit(IkePayloadType.TsInitiator, _tsi.Emit(_w.Buffer, _w.Position, _w.Remaining, 0));
            _w.Commit(IkePayloadType.TsResponder, _tsr.Emit(_w.Buffer, _w.Position, _w.Remaining, 0));
        }

        private static void FillSelectors(TrafficSelectorPayload ts, uint[] ranges)
        {
            int n = 0;
            for (int i = 0; i + 1 < ranges.Length && n < TrafficSelectorPayload.MaxSelectors; i += 2)
            {
                ts.Selectors[n++].SetIpv4(0, ranges[i], ranges[i + 1], 0, 65535);
            }

            ts.SelectorCount = n;
        }

        /// <summary>
        /// Responder narrowing (§2.9): each IPv4 selector of the peer intersected with our ranges; false when nothing
        /// overlaps (TS_UNACCEPTABLE). Protocol and ports are kept from the peer's selector.
        /// </summary>
        private static bool Narrow(TrafficSelectorPayload peer, uint[] ours, TrafficSelectorPayload output)
        {
            int n = 0;
            for (int i = 0; i < peer.SelectorCount; i++)
            {
                TrafficSelector s = peer.Selectors[i];
                if (s.TsType != TrafficSelector.TsIpv4AddressRange) continue;
                uint start = ReadAddress(s.StartAddress);
                uint end = ReadAddress(s.EndAddress);
                for (int k = 0; k + 1 < ours.Length && n < TrafficSelectorPayload.MaxSelectors; k += 2)
                {
                    uint a = start > ours[k] ? start : ours[k];
                    uint b = end < ours[k + 1] ? end : ours[k + 1];
                    if (a > b) continue;
                    output.Selectors[n++].SetIpv4(s.IpProtocolId, a, b, s.StartPort, s.EndPort);
                }
            }

            output.SelectorCount = n;
            return n > 0;
        }

        /// <summary>Initiator check: every IPv4 selector the responder chose lies within what we offered.</summary>
        private static bool SelectorsWithin(TrafficSelectorPayload ts, uint[] offered)
        {
            int v4 = 0;
            for (int i = 0; i < ts.SelectorCount; i++)
            {
                TrafficSelector s = ts.Selectors[i];
                if (s.TsType != TrafficSelector.TsIpv4AddressRange) continue;
                v4++;
                if (!IkeConnection.Contains(offered, ReadAddress(s.StartAddress), ReadAddress(s.EndAddress))) return false;
            }

            return v4 > 0;
        }

        private static void RecordSelectors(IkeConnection conn, TrafficSelectorPayload local, TrafficSelectorPayload remote)
        {
            if (local.SelectorCount > 0)
            {
                conn.TsLocalStart = ReadAddress(local.Selectors[0].StartAddress);
                conn.TsLocalEnd = ReadAddress(local.Selectors[0].EndAddress);
            }

            if (remote.SelectorCount > 0)
            {
                conn.TsRemoteStart = ReadAddress(remote.Selectors[0].StartAddress);
                conn.TsRemoteEnd = ReadAddress(remote.Selectors[0].EndAddress);
            }
        }

        private static uint ReadAddress(byte[] a)
        {
            return ((uint)a[0] << 24) | ((uint)a[1] << 16) | ((uint)a[2] << 8) | a[3];
        }

        private static bool SameBytes(byte[] a, int offset, int length, byte[] b)
        {
            if (b == null || length != b.Length) return false;
            for (int i = 0; i < length; i++) if (a[offset + i] != b[i]) return false;
            return true;
        }

        // ------------------------------------------------------------------ text (events only)

        internal static string IdText(byte type, byte[] data)
        {
            return data == null ? "%any" : IdText(type, data, 0, data.Length);
        }

        internal static string IdText(byte type, byte[] data, int offset, int length)
        {
            if (type == IdPayload.IdIpv4Address && length == 4)
            {
                return VpnAppliance.Config.Ipv4.Format(((uint)data[offset] << 24) | ((uint)data[offset + 1] << 16) | ((uint)data[offset + 2] << 8) | data[offset + 3]);
            }

            if (type == IdPayload.IdFqdn || type == IdPayload.IdRfc822Address)
            {
                char[] c = new char[length];
                for (int i = 0; i < length; i++) c[i] = (char)data[offset + i];
                return "@" + new string(c);
            }

            string hex = "@#";
            for (int i = 0; i < length && i < 32; i++) hex += Hex8(data[offset + i]);
            return hex;
        }

        private static string Hex8(int b)
        {
            const string digits = "0123456789abcdef";
            return digits[(b >> 4) & 0xF].ToString() + digits[b & 0xF].ToString();
        }

        internal static string Hex32(uint v)
        {
            return Hex8((int)(v >> 24)) + Hex8((int)(v >> 16)) + Hex8((int)(v >> 8)) + Hex8((int)v);
        }

        internal static string EspText(ChildSaParameters c)
        {
            string s = c.Encryption == EspTransform.EncrAesGcm16 ? "aes" + c.KeyBits + "gcm16" : "aes" + c.KeyBits;
            if (c.Encryption != EspTransform.EncrAesGcm16)
            {
                string integ = VpnAppliance.Config.Proposal.IntegrityName((VpnAppliance.Config.IntegrityAlgorithm)c.Integrity);
                s += "-" + (integ != null ? integ : "integ" + c.Integrity);
            }

            return c.ExtendedSequenceNumbers ? s + "-esn" : s;
        }

        internal static string TsText(IkeConnection conn)
        {
            return RangeText(conn.TsLocalStart, conn.TsLocalEnd) + " === " + RangeText(conn.TsRemoteStart, conn.TsRemoteEnd);
        }

        internal static string RangeText(uint start, uint end)
        {
            uint size = end - start;
            if ((size & (size + 1)) == 0 && (start & size) == 0)
            {
                int bits = 32;
                while (size != 0)
                {
                    size >>= 1;
                    bits--;
                }

                return VpnAppliance.Config.Ipv4.Format(start) + "/" + bits;
            }

            return VpnAppliance.Config.Ipv4.Format(start) + "-" + VpnAppliance.Config.Ipv4.Format(end);
        }
    }
}
