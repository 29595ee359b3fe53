using VpnAppliance.Hal;
using VpnAppliance.Hal.Crypto;

namespace VpnAppliance.Ipsec.Ike
{
    // CREATE_CHILD_SA (RFC 7296 §1.3):
    //   CHILD rekey  HDR, SK {N(REKEY_SA), SA, Ni, [KEi], TSi, TSr} --> <-- HDR, SK {SA, Nr, [KEr], TSi, TSr}
    //   IKE rekey    HDR, SK {SA, Ni, KEi}                           --> <-- HDR, SK {SA, Nr, KEr}
    // Make-before-break (§2.8): the new CHILD SA is installed (and sends) once its exchange is complete; the old
    // one keeps receiving until the DELETE exchange that follows removes it. An IKE rekey moves the CHILD SAs to
    // the new IKE SA and deletes the old IKE SA (§2.18).
    // Collisions (§2.8.1): when both ends rekey the same SA at once, both exchanges complete; the SA created by
    // the exchange holding the lowest of the four nonces is redundant and is deleted by the end that initiated
    // that exchange. The other end keeps its new SA and deletes the old one.

    public sealed partial class IkeEngine
    {
        private const int TemporaryFailureDelayMs = 2000;

        // ------------------------------------------------------------------ CHILD rekey, initiator

        private void StartRekeyChild(IkeSa sa, int oldHandle, long nowMs)
        {
            IkeConnection conn = _connections[sa.Connection];
            ChildSaPair old = _sad.Get(oldHandle);
            if (old == null) return;
            int handle;
            uint spi;
            if (_sad.Reserve(conn.TunnelId, nowMs, out handle, out spi) != SadResult.Ok)
            {
                sa.NextWorkAtMs = nowMs + TemporaryFailureDelayMs;
                sa.RekeyDue = oldHandle;
                return;
            }

            int nonceLength;
            if (!NewNonce(sa.ExchangeNonce, out nonceLength))
            {
                _sad.Delete(handle);
                return;
            }

            sa.ExchangeNonceLength = nonceLength;
            sa.CollisionNonceLength = 0;
            sa.CollisionCreated = -1;
            int pfsGroup = conn.Pfs ? FirstEspGroup(conn) : 0;
            if (ProposalBuilder.BuildEsp(_offer, conn.EspProposals, spi, pfsGroup != 0, false, _provider, conn.AllowWeak) == 0 ||
                !MakeExchangeDh(sa, pfsGroup, conn.AllowWeak))
            {
                _sad.Delete(handle);
                return;
            }

            sa.RekeyOld = oldHandle;
            sa.RekeyNew = handle;
            BeginInner();
            _w.Notify(_notify, IkeProposal.ProtocolEsp, IkeNotifyType.RekeySa, old.Inbound.Spi, 4, null, 0, 0);
            _w.Commit(IkePayloadType.SecurityAssociation, _offer.Emit(_plain, _w.Position, _w.Remaining, 0));
            WriteNonce(sa.ExchangeNonce, sa.ExchangeNonceLength);
            if (pfsGroup != 0) WriteKe(pfsGroup, sa.ExchangeDh.PublicValueLength);
            WriteSelectors(conn.LocalTs, conn.RemoteTs);
            if (!SendEncrypted(sa, IkeExchangeType.CreateChildSa, false, sa.NextRequestId, IkeRequestKind.RekeyChild, nowMs))
            {
                _sad.Delete(handle);
                sa.RekeyOld = -1;
                sa.RekeyNew = -1;
            }
        }

        private int FirstEspGroup(IkeConnection conn)
        {
            for (int i = 0; i < conn.EspProposals.Count; i++)
            {
                VpnAppliance.Config.Proposal p = (VpnAppliance.Config.Proposal)conn.EspProposals[i];
                for (int g = 0; g < p.DhGroups.Length; g++) if (GroupUsable(p.DhGroups[g], conn.AllowWeak)) return p.DhGroups[g];
            }

            return 0;
        }

        /// <summary>Makes the DH of our CREATE_CHILD_SA (group 0: none) and puts its public value in _public.</summary>
        private bool MakeExchangeDh(IkeSa sa, int group, bool allowWeak)
        {
            if (sa.ExchangeDh != null) sa.ExchangeDh.Clear();
            sa.ExchangeDh = null;
            if (group == 0) return true;
            IDiffieHellman dh = _provider.CreateDiffieHellman(group, allowWeak);
            if (dh == null || dh.GenerateKeyPair(_random) != CryptoResult.Ok || dh.GetPublicValue(_public, 0) != CryptoResult.Ok) return false;
            sa.ExchangeDh = dh;
            return true;
        }

        /// <summary>g^ir of our CREATE_CHILD_SA from the peer's KE payload into _secret; returns its length, 0 without KE, -1 on error.</summary>
        private int ExchangeSecret(IkeSa sa, int group)
        {
            if (group == 0) return 0;
            IDiffieHellman dh = sa.ExchangeDh;
            if (dh == null || dh.Group != group || !_msg.Has(IkePayloadType.KeyExchange) || _msg.Ke.DhGroup != group ||
                _msg.Ke.DataLength != dh.PublicValueLength || dh.SharedSecretLength > _secret.Length) return -1;
            if (dh.ComputeSharedSecret(_msg.Ke.Data, _msg.Ke.DataOffset, _msg.Ke.DataLength, _secret, 0) != CryptoResult.Ok) return -1;
            return dh.SharedSecretLength;
        }

        private bool CopyPeerNonce()
        {
            if (!_msg.Has(IkePayloadType.Nonce) || _msg.Nonce.DataLength < NoncePayload.MinNonceLength || _msg.Nonce.DataLength > IkeSa.MaxNonce) return false;
            System.Array.Copy(_msg.Nonce.Data, _msg.Nonce.DataOffset, _peerNonce, 0, _msg.Nonce.DataLength);
            return true;
        }

        private void OnRekeyChildResponse(IkeSa sa, long nowMs)
        {
            IkeConnection conn = _connections[sa.Connection];
            int old = sa.RekeyOld;
            int created = sa.RekeyNew;
            sa.RekeyOld = -1;
            sa.RekeyNew = -1;
            ushort error = ErrorNotify();
            if (error != 0 || !_msg.Has(IkePayloadType.SecurityAssociation) || !CopyPeerNonce())
            {
                _sad.Delete(created);
                RekeyFailed(sa, conn, old, error, "CHILD_SA", nowMs);
                return;
            }

            ChildSaPair pair = _sad.Get(created);
            int pfsGroup;
            ProposalBuilder.BuildEsp(_offer, conn.EspProposals, pair != null ? pair.Inbound.Spi : 0, conn.Pfs && FirstEspGroup(conn) != 0, false, _provider, conn.AllowWeak);
            int secretLength = -1;
            if (pair != null && ProposalSelector.AcceptEsp(_msg.Sa, _offer, _child, out pfsGroup) == NegotiationResult.Ok)
            {
                secretLength = ExchangeSecret(sa, pfsGroup);
            }

            int peerNonceLength = _msg.Nonce.DataLength;
            bool ok = secretLength >= 0 && InstallChild(sa, conn, created, true, _secret, 0, secretLength, sa.ExchangeNonce, sa.ExchangeNonceLength,
                _peerNonce, peerNonceLength, nowMs);
            if (secretLength > 0) ConstantTime.Zeroise(_secret, 0, secretLength);
            if (sa.ExchangeDh != null) sa.ExchangeDh.Clear();
            sa.ExchangeDh = null;
            if (!ok)
            {
                _sad.Delete(created);
                RekeyFailed(sa, conn, old, IkeNotifyType.NoProposalChosen, "CHILD_SA", nowMs);
                return;
            }

            _counters.ChildRekeys++;
            if (sa.CollisionNonceLength > 0 && sa.CollisionCreated >= 0)
            {
                _counters.Collisions++;
                bool oursLowest = LowestIsOurs(sa, peerNonceLength);
                Log(LogLevel.Info, "CHILD_SA " + NameOf(sa) + " rekey collision (RFC 7296 2.8.1): " +
                    (oursLowest ? "our new SA is redundant, deleting it" : "the peer's new SA is redundant, keeping ours"));
                if (oursLowest) sa.AddDeleteDue(created);
                else sa.AddDeleteDue(old);
                sa.CollisionNonceLength = 0;
                sa.CollisionCreated = -1;
            }
            else
            {
                Log(LogLevel.Info, "CHILD_SA " + NameOf(sa) + " rekeyed (initiator), deleting the old SA");
                sa.AddDeleteDue(old);
            }

            StartDeleteChildren(sa, nowMs);
        }

        /// <summary>True when the lowest of the four nonces of a collision was in our exchange (§2.8.1).</summary>
        private bool LowestIsOurs(IkeSa sa, int peerNonceLength)
        {
            // min of our exchange: our Ni (ExchangeNonce) or the peer's Nr (_peerNonce)
            byte[] ourMin = sa.ExchangeNonce;
            int ourMinLength = sa.ExchangeNonceLength;
            bool peerNrLower = CompareNonce(_peerNonce, peerNonceLength, sa.ExchangeNonce, 0, sa.ExchangeNonceLength) < 0;
            if (peerNrLower)
            {
                ourMin = _peerNonce;
                ourMinLength = peerNonceLength;
            }

            return CompareNonce(ourMin, ourMinLength, sa.CollisionNonce, 0, sa.CollisionNonceLength) < 0;
        }

        private void RekeyFailed(IkeSa sa, IkeConnection conn, int old, ushort error, string what, long nowMs)
        {
            if (sa.ExchangeDh != null) sa.ExchangeDh.Clear();
            sa.ExchangeDh = null;
            if (error == IkeNotifyType.TemporaryFailure)
            {
                // §2.25: the peer is busy (e.g. its own rekey of the same SA): try again shortly.
                sa.NextWorkAtMs = nowMs + TemporaryFailureDelayMs;
                if (what == "CHILD_SA") sa.RekeyDue = old;
                else sa.RekeyAtMs = nowMs + TemporaryFailureDelayMs;
                return;
            }

            if (error == IkeNotifyType.ChildSaNotFound && old >= 0)
            {
                Log(LogLevel.Info, "CHILD_SA " + NameOf(sa) + ": the peer no longer has the SA we rekeyed (CHILD_SA_NOT_FOUND): removed");
                _sad.Delete(old);
                sa.RemoveChild(old);
                return;
            }

            _counters.NegotiationFailures++;
            string name = error != 0 ? IkeNotifyNames.Name(error) : "INVALID_SYNTAX";
            conn.LastError = what + " rekey failed: " + name;
            Log(LogLevel.Error, what + " " + NameOf(sa) + " rekey failed: " + name +
                (error == IkeNotifyType.NoProposalChosen ? " (the gateway's rekey policy differs: check the " + (what == "CHILD_SA" ? "esp-group proposal and pfs" : "ike-group proposal") + ")" : "") +
                "; the SA stays until its hard lifetime");
            if (what != "CHILD_SA") sa.RekeyAtMs = long.MaxValue;
        }

        // ------------------------------------------------------------------ IKE rekey, initiator

        private void StartRekeyIke(IkeSa sa, long nowMs)
        {
            IkeConnection conn = _connections[sa.Connection];
            IkeSa n = Allocate(nowMs);
            ulong spi = NewSpi();
            int nonceLength;
            if (n == null || spi == 0 || !NewNonce(sa.ExchangeNonce, out nonceLength))
            {
                if (n != null) n.Reset();
                sa.RekeyAtMs = nowMs + TemporaryFailureDelayMs;
                return;
            }

            n.State = IkeSaState.Rekeying;
            n.Connection = sa.Connection;
            n.OriginalInitiator = true;
            n.SpiI = spi;
            sa.ExchangeNonceLength = nonceLength;
            sa.CollisionNonceLength = 0;
            sa.CollisionCreated = -1;
            int group = sa.Suite.DhGroup;
            if (ProposalBuilder.BuildIke(_offer, conn.IkeProposals, spi, true, _provider, conn.AllowWeak) == 0 || !MakeExchangeDh(sa, group, conn.AllowWeak))
            {
                n.Reset();
                sa.RekeyAtMs = long.MaxValue;
                return;
            }

            sa.RekeyIkeNew = n.Index;
            BeginInner();
            _w.Commit(IkePayloadType.SecurityAssociation, _offer.Emit(_plain, _w.Position, _w.Remaining, 0));
            WriteNonce(sa.ExchangeNonce, sa.ExchangeNonceLength);
            WriteKe(group, sa.ExchangeDh.PublicValueLength);
            if (!SendEncrypted(sa, IkeExchangeType.CreateChildSa, false, sa.NextRequestId, IkeRequestKind.RekeyIke, nowMs))
            {
                n.Reset();
                sa.RekeyIkeNew = -1;
            }
        }

        private void OnRekeyIkeResponse(IkeSa sa, long nowMs)
        {
            IkeConnection conn = _connections[sa.Connection];
            int ni = sa.RekeyIkeNew;
            sa.RekeyIkeNew = -1;
            IkeSa n = ni >= 0 ? _sas[ni] : null;
            if (n == null || n.State != IkeSaState.Rekeying)
            {
                return;
            }

            ushort error = ErrorNotify();
            ulong responderSpi;
            ProposalBuilder.BuildIke(_offer, conn.IkeProposals, n.SpiI, true, _provider, conn.AllowWeak);
            if (error != 0 || !_msg.Has(IkePayloadType.SecurityAssociation) || !CopyPeerNonce() ||
                ProposalSelector.AcceptIke(_msg.Sa, _offer, _suite, out responderSpi) != NegotiationResult.Ok || responderSpi == 0)
            {
                n.Reset();
                RekeyFailed(sa, conn, -1, error != 0 ? error : IkeNotifyType.NoProposalChosen, "IKE_SA", nowMs);
                return;
            }

            int secretLength = ExchangeSecret(sa, _suite.DhGroup);
            int peerNonceLength = _msg.Nonce.DataLength;
            n.SpiR = responderSpi;
            n.Suite.CopyFrom(_suite);
            System.Array.Copy(sa.ExchangeNonce, 0, n.Ni, 0, sa.ExchangeNonceLength);
            n.NiLength = sa.ExchangeNonceLength;
            System.Array.Copy(_peerNonce, 0, n.Nr, 0, peerNonceLength);
            n.NrLength = peerNonceLength;
            bool ok = secretLength > 0 && n.Keys.Configure(n.Suite) &&
                n.Keys.DeriveRekey(sa.Keys, _secret, 0, secretLength, n.Ni, 0, n.NiLength, n.Nr, 0, n.NrLength, n.SpiI, n.SpiR) == CryptoResult.Ok;
            if (secretLength > 0) ConstantTime.Zeroise(_secret, 0, secretLength);
            if (sa.ExchangeDh != null) sa.ExchangeDh.Clear();
            sa.ExchangeDh = null;
            if (!ok)
            {
                n.Reset();
                RekeyFailed(sa, conn, -1, IkeNotifyType.InvalidSyntax, "IKE_SA", nowMs);
                return;
            }

            CopyEndpoint(sa, n);
            _counters.IkeRekeys++;
            if (sa.CollisionNonceLength > 0 && sa.CollisionCreated >= 0 && _sas[sa.CollisionCreated].State == IkeSaState.Established)
            {
                _counters.Collisions++;
                IkeSa theirs = _sas[sa.CollisionCreated];
                bool oursLowest = LowestIsOurs(sa, peerNonceLength);
                sa.CollisionNonceLength = 0;
                sa.CollisionCreated = -1;
                Log(LogLevel.Info, "IKE_SA " + NameOf(sa) + " rekey collision (RFC 7296 2.8.1): " +
                    (oursLowest ? "our new IKE SA is redundant, deleting it" : "the peer's new IKE SA is redundant, keeping ours"));
                if (oursLowest)
                {
                    // The peer's SA wins: it carries the CHILD SAs; ours is deleted; the peer deletes the old one.
                    MoveChildren(sa, theirs);
                    ActivateRekeyed(theirs, conn, nowMs);
                    Retire(sa, nowMs, false);
                    n.State = IkeSaState.Established;
                    n.EstablishedAtMs = nowMs;
                    SendInformational(n, IkeRequestKind.DeleteIke, nowMs);
                    return;
                }

                // Ours wins: the peer deletes its redundant SA; we move the CHILD SAs and delete the old one.
                theirs.Connection = sa.Connection;
            }

            MoveChildren(sa, n);
            ActivateRekeyed(n, conn, nowMs);
            Log(LogLevel.Info, "IKE_SA " + NameOf(n) + " rekeyed (initiator, " + n.Suite.ToString() + "), deleting the old IKE SA " + NameOf(sa));
            Retire(sa, nowMs, true);
        }

        private static void CopyEndpoint(IkeSa from, IkeSa to)
        {
            to.PeerAddress = from.PeerAddress;
            to.PeerPort = from.PeerPort;
            to.LocalPort = from.LocalPort;
            to.PeerFragmentation = from.PeerFragmentation;
        }

        private static void MoveChildren(IkeSa from, IkeSa to)
        {
            for (int i = 0; i < from.ChildCount; i++) to.AddChild(from.Children[i]);
            from.ChildCount = 0;
            if (from.RekeyDue >= 0 && to.RekeyDue < 0) to.RekeyDue = from.RekeyDue;
            from.RekeyDue = -1;
            for (int i = 0; i < from.DeleteDueCount; i++) to.AddDeleteDue(from.DeleteDue[i]);
            from.DeleteDueCount = 0;
        }

        /// <summary>A rekeyed IKE SA becomes the connection's SA (§2.18: lifetimes restart, message IDs from 0).</summary>
        private void ActivateRekeyed(IkeSa n, IkeConnection conn, long nowMs)
        {
            n.State = IkeSaState.Established;
            n.EstablishedAtMs = nowMs;
            n.LastInboundMs = nowMs;
            ScheduleIkeRekey(n, conn, nowMs);
            conn.Sa = n.Index;
            _counters.Established++;
        }

        /// <summary>The replaced IKE SA: we delete it (initiator of the rekey) or wait for the peer's DELETE.</summary>
        private void Retire(IkeSa old, long nowMs, bool sendDelete)
        {
            old.RekeyAtMs = long.MaxValue;
            old.ExpireAtMs = long.MaxValue;
            old.EstablishedAtMs = nowMs;
            if (sendDelete)
            {
                old.State = IkeSaState.Established;
                SendInformational(old, IkeRequestKind.DeleteIke, nowMs);
                old.State = IkeSaState.Deleting;
            }
            else
            {
                old.State = IkeSaState.Rekeyed;
            }
        }

        // ------------------------------------------------------------------ responder

        private void OnCreateChildRequest(IkeSa sa, long nowMs)
        {
            if (sa.State != IkeSaState.Established)
            {
                // §2.18/§2.25: an SA being replaced or deleted takes no new work.
                RespondError(sa, IkeExchangeType.CreateChildSa, IkeNotifyType.TemporaryFailure, nowMs);
                return;
            }

            IkeConnection conn = _connections[sa.Connection];
            if (_msg.Has(IkePayloadType.SecurityAssociation) && _msg.Sa.ProposalCount > 0 && _msg.Sa.Proposals[0].ProtocolId == IkeProposal.ProtocolIke)
            {
                OnRekeyIkeRequest(sa, conn, nowMs);
                return;
            }

            NotifyPayload rekey = FindNotify(IkeNotifyType.RekeySa);
            if (rekey == null)
            {
                // One CHILD SA per route-based connection.
                RespondError(sa, IkeExchangeType.CreateChildSa, IkeNotifyType.NoAdditionalSas, nowMs);
                return;
            }

            OnRekeyChildRequest(sa, conn, (uint)rekey.Spi, nowMs);
        }

        private int FindChildByOutboundSpi(IkeSa sa, uint spi)
        {
            for (int i = 0; i < sa.ChildCount; i++)
            {
                ChildSaPair p = _sad.Get(sa.Children[i]);
                if (p != null && p.Outbound.Spi == spi) return sa.Children[i];
            }

            return -1;
        }

        private void OnRekeyChildRequest(IkeSa sa, IkeConnection conn, uint spi, long nowMs)
        {
            int old = FindChildByOutboundSpi(sa, spi);
            if (old < 0)
            {
                RespondError(sa, IkeExchangeType.CreateChildSa, IkeNotifyType.ChildSaNotFound, nowMs);
                return;
            }

            for (int i = 0; i < sa.DeletingCount; i++)
            {
                if (sa.Deleting[i] == old)
                {
                    RespondError(sa, IkeExchangeType.CreateChildSa, IkeNotifyType.TemporaryFailure, nowMs);
                    return;
                }
            }

            if (!_msg.Has(IkePayloadType.SecurityAssociation) || !_msg.Has(IkePayloadType.TsInitiator) || !_msg.Has(IkePayloadType.TsResponder) || !CopyPeerNonce())
            {
                RespondError(sa, IkeExchangeType.CreateChildSa, IkeNotifyType.InvalidSyntax, nowMs);
                return;
            }

            int peerNonceLength = _msg.Nonce.DataLength;
            int handle;
            uint ourSpi;
            if (_sad.Reserve(conn.TunnelId, nowMs, out handle, out ourSpi) != SadResult.Ok)
            {
                RespondError(sa, IkeExchangeType.CreateChildSa, IkeNotifyType.NoAdditionalSas, nowMs);
                return;
            }

            int pfsGroup;
            if (ProposalSelector.SelectEsp(_msg.Sa, conn.EspProposals, false, _provider, conn.AllowWeak, _child, out pfsGroup, _reply, ourSpi) != NegotiationResult.Ok)
            {
                _sad.Delete(handle);
                _counters.NegotiationFailures++;
                Log(LogLevel.Error, "CHILD_SA " + NameOf(sa) + " rekey refused: NO_PROPOSAL_CHOSEN: " + NoProposalChosenLog.Describe(NegotiationResult.NoProposalChosen, _msg.Sa, conn.EspProposals, false, false, conn.EspGroupName, _provider, conn.AllowWeak));
                RespondError(sa, IkeExchangeType.CreateChildSa, IkeNotifyType.NoProposalChosen, nowMs);
                return;
            }

            IDiffieHellman dh = null;
            int secretLength = 0;
            if (pfsGroup != 0)
            {
                if (!_msg.Has(IkePayloadType.KeyExchange) || _msg.Ke.DhGroup != pfsGroup)
                {
                    _sad.Delete(handle);
                    _data[0] = (byte)(pfsGroup >> 8);
                    _data[1] = (byte)pfsGroup;
                    RespondNotify(sa, IkeExchangeType.CreateChildSa, IkeNotifyType.InvalidKePayload, _data, 0, 2, nowMs);
                    return;
                }

                if (!KeyExchange(pfsGroup, conn.AllowWeak, _msg.Ke, out dh, out secretLength))
                {
                    _sad.Delete(handle);
                    RespondError(sa, IkeExchangeType.CreateChildSa, IkeNotifyType.InvalidSyntax, nowMs);
                    return;
                }
            }

            int nonceLength;
            if (!Narrow(_msg.TsInitiator, conn.RemoteTs, _tsi) || !Narrow(_msg.TsResponder, conn.LocalTs, _tsr) || !NewNonce(_ourNonce, out nonceLength))
            {
                _sad.Delete(handle);
                if (dh != null) dh.Clear();
                RespondError(sa, IkeExchangeType.CreateChildSa, IkeNotifyType.TsUnacceptable, nowMs);
                return;
            }

            bool ok = InstallChild(sa, conn, handle, false, _secret, 0, secretLength, _peerNonce, peerNonceLength, _ourNonce, nonceLength, nowMs);
            if (secretLength > 0) ConstantTime.Zeroise(_secret, 0, secretLength);
            if (!ok)
            {
                if (dh != null) dh.Clear();
                RespondError(sa, IkeExchangeType.CreateChildSa, IkeNotifyType.NoProposalChosen, nowMs);
                return;
            }

            if (sa.Pending == IkeRequestKind.RekeyChild && sa.RekeyOld == old)
            {
                RecordCollision(sa, _peerNonce, peerNonceLength, _ourNonce, nonceLength, handle);
            }

            if (sa.RekeyDue == old) sa.RekeyDue = -1;
            _counters.ChildRekeys++;
            BeginInner();
            _w.Commit(IkePayloadType.SecurityAssociation, _reply.Emit(_plain, _w.Position, _w.Remaining, 0));
            WriteNonce(_ourNonce, nonceLength);
            if (dh != null)
            {
                WriteKe(pfsGroup, dh.PublicValueLength);
                dh.Clear();
            }

            _w.Commit(IkePayloadType.TsInitiator, _tsi.Emit(_plain, _w.Position, _w.Remaining, 0));
            _w.Commit(IkePayloadType.TsResponder, _tsr.Emit(_plain, _w.Position, _w.Remaining, 0));
            FinishResponse(sa, IkeExchangeType.CreateChildSa, nowMs);
            Log(LogLevel.Info, "CHILD_SA " + NameOf(sa) + " rekeyed (responder); the peer deletes the old SA");
        }

        /// <summary>Keeps the lowest nonce of the peer's colliding exchange and what it created (§2.8.1).</summary>
        private static void RecordCollision(IkeSa sa, byte[] ni, int niLength, byte[] nr, int nrLength, int created)
        {
            bool nrLower = CompareNonce(nr, nrLength, ni, 0, niLength) < 0;
            byte[] low = nrLower ? nr : ni;
            int lowLength = nrLower ? nrLength : niLength;
            System.Array.Copy(low, 0, sa.CollisionNonce, 0, lowLength);
            sa.CollisionNonceLength = lowLength;
            sa.CollisionCreated = created;
        }

        private void OnRekeyIkeRequest(IkeSa sa, IkeConnection conn, long nowMs)
        {
            if (!_msg.Has(IkePayloadType.KeyExchange) || !CopyPeerNonce())
            {
                RespondError(sa, IkeExchangeType.CreateChildSa, IkeNotifyType.InvalidSyntax, nowMs);
                return;
            }

            if (sa.Pending == IkeRequestKind.RekeyChild || sa.Pending == IkeRequestKind.DeleteChild)
            {
                // §2.25.2: finish the CHILD SA work first.
                RespondError(sa, IkeExchangeType.CreateChildSa, IkeNotifyType.TemporaryFailure, nowMs);
                return;
            }

            int peerNonceLength = _msg.Nonce.DataLength;
            ulong spi = NewSpi();
            if (ProposalSelector.SelectIke(_msg.Sa, conn.IkeProposals, _provider, conn.AllowWeak, _suite, _reply, spi, true) != NegotiationResult.Ok)
            {
                _counters.NegotiationFailures++;
                Log(LogLevel.Error, "IKE_SA " + NameOf(sa) + " rekey refused: NO_PROPOSAL_CHOSEN: " + NoProposalChosenLog.Describe(NegotiationResult.NoProposalChosen, _msg.Sa, conn.IkeProposals, true, false, conn.IkeGroupName, _provider, conn.AllowWeak));
                RespondError(sa, IkeExchangeType.CreateChildSa, IkeNotifyType.NoProposalChosen, nowMs);
                return;
            }

            if (_msg.Ke.DhGroup != _suite.DhGroup)
            {
                _data[0] = (byte)(_suite.DhGroup >> 8);
                _data[1] = (byte)_suite.DhGroup;
                RespondNotify(sa, IkeExchangeType.CreateChildSa, IkeNotifyType.InvalidKePayload, _data, 0, 2, nowMs);
                return;
            }

            ulong peerSpi = 0;
            byte number = _reply.Proposals[0].Number;
            for (int i = 0; i < _msg.Sa.ProposalCount; i++) if (_msg.Sa.Proposals[i].Number == number) peerSpi = _msg.Sa.Proposals[i].Spi;
            IkeSa n = Allocate(nowMs);
            IDiffieHellman dh;
            int secretLength;
            int nonceLength;
            if (n == null || peerSpi == 0 || spi == 0 || !KeyExchange(_suite.DhGroup, conn.AllowWeak, _msg.Ke, out dh, out secretLength) ||
                !NewNonce(n.Nr, out nonceLength))
            {
                if (n != null) n.Reset();
                RespondError(sa, IkeExchangeType.CreateChildSa, IkeNotifyType.TemporaryFailure, nowMs);
                return;
            }

            n.Connection = sa.Connection;
            n.OriginalInitiator = false;
            n.SpiI = peerSpi;
            n.SpiR = spi;
            n.Suite.CopyFrom(_suite);
            System.Array.Copy(_peerNonce, 0, n.Ni, 0, peerNonceLength);
            n.NiLength = peerNonceLength;
            n.NrLength = nonceLength;
            CopyEndpoint(sa, n);
            bool ok = n.Keys.Configure(n.Suite) &&
                n.Keys.DeriveRekey(sa.Keys, _secret, 0, secretLength, n.Ni, 0, n.NiLength, n.Nr, 0, n.NrLength, n.SpiI, n.SpiR) == CryptoResult.Ok;
            ConstantTime.Zeroise(_secret, 0, secretLength);
            if (!ok)
            {
                dh.Clear();
                n.Reset();
                RespondError(sa, IkeExchangeType.CreateChildSa, IkeNotifyType.NoProposalChosen, nowMs);
                return;
            }

            BeginInner();
            _w.Commit(IkePayloadType.SecurityAssociation, _reply.Emit(_plain, _w.Position, _w.Remaining, 0));
            WriteNonce(n.Nr, n.NrLength);
            WriteKe(_suite.DhGroup, dh.PublicValueLength);
            dh.Clear();
            FinishResponse(sa, IkeExchangeType.CreateChildSa, nowMs);
            _counters.IkeRekeys++;
            if (sa.Pending == IkeRequestKind.RekeyIke)
            {
                // Collision: decided when our own rekey's response arrives.
                n.State = IkeSaState.Established;
                n.EstablishedAtMs = nowMs;
                RecordCollision(sa, n.Ni, n.NiLength, n.Nr, n.NrLength, n.Index);
                return;
            }

            MoveChildren(sa, n);
            ActivateRekeyed(n, conn, nowMs);
            Retire(sa, nowMs, false);
            Log(LogLevel.Info, "IKE_SA " + NameOf(n) + " rekeyed (responder, " + n.Suite.ToString() + "); the peer deletes the old IKE SA " + NameOf(sa));
        }
    }
}
