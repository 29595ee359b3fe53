namespace VpnAppliance.Bfd
{
    /// <summary>Diagnostic codes: why the local system last changed state (RFC 5880 §4.1 "Diagnostic (Diag)").</summary>
    public enum BfdDiag
    {
        /// <summary>0 No Diagnostic.</summary>
        None = 0,

        /// <summary>1 Control Detection Time Expired (§6.8.4).</summary>
        ControlDetectionTimeExpired = 1,

        /// <summary>2 Echo Function Failed (no echo function here).</summary>
        EchoFunctionFailed = 2,

        /// <summary>3 Neighbor Signaled Session Down (§6.8.6: remote Down while we were Up, or remote AdminDown).</summary>
        NeighborSignaledSessionDown = 3,

        /// <summary>4 Forwarding Plane Reset.</summary>
        ForwardingPlaneReset = 4,

        /// <summary>5 Path Down.</summary>
        PathDown = 5,

        /// <summary>6 Concatenated Path Down.</summary>
        ConcatenatedPathDown = 6,

        /// <summary>7 Administratively Down (§6.8.16).</summary>
        AdministrativelyDown = 7,

        /// <summary>8 Reverse Concatenated Path Down.</summary>
        ReverseConcatenatedPathDown = 8,
    }
}
