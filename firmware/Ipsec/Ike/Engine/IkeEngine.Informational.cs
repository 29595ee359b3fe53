using VpnAppliance.Hal;

namespace VpnAppliance.Ipsec.Ike
{
    // INFORMATIONAL (RFC 7296 §1.4): liveness checks (an empty request, DPD), DELETE of CHILD SAs (answered with
    // the DELETE of the paired SAs, §1.4.1) and of the IKE SA (answered empty; everything of the SA is removed),
    // and error notifies, logged.

    public sealed partial class IkeEngine
    {
        /// <summary>Sends an INFORMATIONAL request: empty (DPD) or DELETE of the IKE SA.</summary>
        private void SendInformational(IkeSa sa, IkeRequestKind kind, long nowMs)
        {
            if (sa.Pending != IkeRequestKind.None) return;
            BeginInner();
            if (kind == IkeRequestKind.DeleteIke)
            {
                _delete.ProtocolId = IkeProposal.ProtocolIke;
                _delete.SpiSize = 0;
                _delete.SpiCount = 0;
                _w.Commit(IkePayloadType.Delete, _delete.Emit(_plain, _w.Position, _w.Remaining, 0));
            }

            SendEncrypted(sa, IkeExchangeType.Informational, false, sa.NextRequestId, kind, nowMs);
        }

        /// <summary>Sends one DELETE request for the queued CHILD SAs (our inbound SPIs, §1.4.1).</summary>
        private void StartDeleteChildren(IkeSa sa, long nowMs)
        {
            if (sa.Pending != IkeRequestKind.None || sa.DeleteDueCount == 0) return;
            int n = 0;
            for (int i = 0; i < sa.DeleteDueCount && n < DeletePayload.MaxSpis; i++)
            {
                ChildSaPair p = _sad.Get(sa.DeleteDue[i]);
                if (p == null) continue;
                _delete.Spis[n] = p.Inbound.Spi;
                sa.Deleting[n] = sa.DeleteDue[i];
                n++;
            }

            sa.DeleteDueCount = 0;
            sa.DeletingCount = n;
            if (n == 0) return;
            _delete.ProtocolId = IkeProposal.ProtocolEsp;
            _delete.SpiSize = 4;
            _delete.SpiCount = n;
            BeginInner();
            _w.Commit(IkePayloadType.Delete, _delete.Emit(_plain, _w.Position, _w.Remaining, 0));
            if (!SendEncrypted(sa, IkeExchangeType.Informational, false, sa.NextRequestId, IkeRequestKind.DeleteChild, nowMs))
            {
                // Could not even build the request: remove locally.
                for (int i = 0; i < n; i++)
                {
                    _sad.Delete(sa.Deleting[i]);
                    sa.RemoveChild(sa.Deleting[i]);
                }

                sa.DeletingCount = 0;
            }
        }

        private void OnInformationalRequest(IkeSa sa, long nowMs)
        {
            IkeConnection conn = sa.Connection >= 0 ? _connections[sa.Connection] : null;
            bool deleteIke = false;
            int answered = 0;
            for (int d = 0; d < _msg.DeleteCount; d++)
            {
                DeletePayload del = _msg.Deletes[d];
                if (del.ProtocolId == IkeProposal.ProtocolIke)
                {
                    deleteIke = true;
                    continue;
                }

                if (del.ProtocolId != IkeProposal.ProtocolEsp) continue;
                for (int k = 0; k < del.SpiCount; k++)
                {
                    int h = FindChildByOutboundSpi(sa, del.Spis[k]);
                    if (h < 0) continue;
                    ChildSaPair p = _sad.Get(h);
                    bool ourDeleteOutstanding = false;
                    for (int i = 0; i < sa.DeletingCount; i++) if (sa.Deleting[i] == h) ourDeleteOutstanding = true;
                    if (!ourDeleteOutstanding && answered < DeletePayload.MaxSpis) _deleteSpis[answered++] = p.Inbound.Spi;
                    _sad.Delete(h);
                    sa.RemoveChild(h);
                    if (sa.RekeyDue == h) sa.RekeyDue = -1;
                    Log(LogLevel.Info, "CHILD_SA " + NameOf(sa) + " SPI " + Hex32(del.Spis[k]) + " deleted by the peer");
                }
            }

            for (int i = 0; i < _msg.NotifyCount; i++)
            {
                ushort t = _msg.Notifies[i].NotifyType;
                if (t != 0 && t <= IkeNotifyType.LastError)
                {
                    Log(LogLevel.Warning, "IKE_SA " + NameOf(sa) + ": peer reports " + IkeNotifyNames.Name(t));
                }
            }

            BeginInner();
            if (answered > 0)
            {
                _delete.ProtocolId = IkeProposal.ProtocolEsp;
                _delete.SpiSize = 4;
                _delete.SpiCount = answered;
                for (int i = 0; i < answered; i++) _delete.Spis[i] = _deleteSpis[i];
                _w.Commit(IkePayloadType.Delete, _delete.Emit(_plain, _w.Position, _w.Remaining, 0));
            }

            FinishResponse(sa, IkeExchangeType.Informational, nowMs);
            if (!deleteIke)
            {
                if (sa.State == IkeSaState.Established && sa.ChildCount == 0 && sa.RekeyNew < 0 && conn != null && conn.Sa == sa.Index)
                {
                    // A route-based connection without its CHILD SA carries nothing: start over.
                    Log(LogLevel.Warning, "IKE_SA " + NameOf(sa) + ": the peer deleted our only CHILD SA; re-establishing");
                    SendInformational(sa, IkeRequestKind.DeleteIke, nowMs);
                    sa.State = IkeSaState.Deleting;
                    conn.Sa = -1;
                    ConnectionDown(conn, nowMs);
                }

                return;
            }

            bool current = conn != null && conn.Sa == sa.Index;
            IkeSaState state = sa.State;
            Log(LogLevel.Info, "IKE_SA " + NameOf(sa) + (state == IkeSaState.Rekeyed ? " (replaced by a rekey)" : "") + " deleted by the peer");
            Release(sa);
            if (current && conn != null) ConnectionDown(conn, nowMs);
        }

        private void OnInformationalResponse(IkeSa sa, IkeRequestKind kind, long nowMs)
        {
            if (kind == IkeRequestKind.DeleteChild)
            {
                for (int i = 0; i < sa.DeletingCount; i++)
                {
                    _sad.Delete(sa.Deleting[i]);
                    sa.RemoveChild(sa.Deleting[i]);
                }

                sa.DeletingCount = 0;
                return;
            }

            if (kind == IkeRequestKind.DeleteIke)
            {
                Release(sa);
            }

            // Dpd: the answer itself is the proof of life (LastInboundMs was updated on receipt).
        }
    }
}
