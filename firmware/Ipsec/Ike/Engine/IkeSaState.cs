namespace VpnAppliance.Ipsec.Ike
{
    /// <summary>Life of one IKE SA slot (RFC 7296 §1.2, §2.18).</summary>
    public enum IkeSaState
    {
        /// <summary>Slot unused.</summary>
        Free = 0,
        /// <summary>Initiator: IKE_SA_INIT request sent, waiting for the response.</summary>
        InitSent = 1,
        /// <summary>Initiator: IKE_AUTH request sent, waiting for the response.</summary>
        AuthSent = 2,
        /// <summary>Responder: IKE_SA_INIT answered (half-open), waiting for IKE_AUTH.</summary>
        InitReplied = 3,
        /// <summary>Authenticated; carries the connection's CHILD SAs.</summary>
        Established = 4,
        /// <summary>Replaced by a rekeyed IKE SA; waits for its DELETE exchange to finish (§2.18).</summary>
        Rekeyed = 5,
        /// <summary>Being deleted: our DELETE request is outstanding.</summary>
        Deleting = 6,
        /// <summary>Created by a CREATE_CHILD_SA IKE rekey still in progress (keys not yet derived, or collision pending).</summary>
        Rekeying = 7,
    }

    /// <summary>What the outstanding request of an IKE SA is (message-ID window 1, RFC 7296 §2.3).</summary>
    public enum IkeRequestKind
    {
        /// <summary>Nothing outstanding.</summary>
        None = 0,
        /// <summary>IKE_SA_INIT.</summary>
        SaInit = 1,
        /// <summary>IKE_AUTH.</summary>
        Auth = 2,
        /// <summary>CREATE_CHILD_SA rekeying a CHILD SA (§1.3.3).</summary>
        RekeyChild = 3,
        /// <summary>CREATE_CHILD_SA rekeying the IKE SA (§1.3.2).</summary>
        RekeyIke = 4,
        /// <summary>Empty INFORMATIONAL: liveness check (DPD, §1.4).</summary>
        Dpd = 5,
        /// <summary>INFORMATIONAL with DELETE of CHILD SAs.</summary>
        DeleteChild = 6,
        /// <summary>INFORMATIONAL with DELETE of this IKE SA.</summary>
        DeleteIke = 7,
    }
}
