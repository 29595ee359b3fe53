namespace VpnAppliance.Bfd
{
    /// <summary>Session state (RFC 5880 §4.1 "State (Sta)", the 2-bit values carried on the wire).</summary>
    public enum BfdState
    {
        /// <summary>Administratively down (0): the session is held down by configuration.</summary>
        AdminDown = 0,

        /// <summary>Down (1): no session, or it just went down.</summary>
        Down = 1,

        /// <summary>Init (2): the remote is heard (it said Down), waiting for it to hear us.</summary>
        Init = 2,

        /// <summary>Up (3): both sides hear each other.</summary>
        Up = 3,
    }
}
