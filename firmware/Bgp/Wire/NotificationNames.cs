namespace VpnAppliance.Bgp.Wire
{
    /// <summary>
    /// Human names of NOTIFICATION codes and subcodes for logs ("Cease / Administrative Shutdown"), in the
    /// words of the RFCs that define them (RFC 4271 §4.5, RFC 5492, RFC 6608, RFC 4486, RFC 8538, RFC 7313).
    /// Every string is a literal, so naming allocates nothing.
    /// </summary>
    public static class NotificationNames
    {
        /// <summary>Name of an Error Code.</summary>
        public static string Code(int code)
        {
            switch (code)
            {
                case NotificationCode.MessageHeaderError: return "Message Header Error";
                case NotificationCode.OpenMessageError: return "OPEN Message Error";
                case NotificationCode.UpdateMessageError: return "UPDATE Message Error";
                case NotificationCode.HoldTimerExpired: return "Hold Timer Expired";
                case NotificationCode.FiniteStateMachineError: return "Finite State Machine Error";
                case NotificationCode.Cease: return "Cease";
                case NotificationCode.RouteRefreshMessageError: return "ROUTE-REFRESH Message Error";
                default: return "Unknown Error Code";
            }
        }

        /// <summary>Name of an Error Subcode within its Error Code.</summary>
        public static string Subcode(int code, int subcode)
        {
            if (subcode == NotificationCode.Unspecific)
            {
                return "Unspecific";
            }

            switch (code)
            {
                case NotificationCode.MessageHeaderError:
                    switch (subcode)
                    {
                        case 1: return "Connection Not Synchronized";
                        case 2: return "Bad Message Length";
                        case 3: return "Bad Message Type";
                    }
                    break;
                case NotificationCode.OpenMessageError:
                    switch (subcode)
                    {
                        case 1: return "Unsupported Version Number";
                        case 2: return "Bad Peer AS";
                        case 3: return "Bad BGP Identifier";
                        case 4: return "Unsupported Optional Parameter";
                        case 5: return "Authentication Failure (deprecated)";
                        case 6: return "Unacceptable Hold Time";
                        case 7: return "Unsupported Capability";
                        case 11: return "Role Mismatch";
                    }
                    break;
                case NotificationCode.UpdateMessageError:
                    switch (subcode)
                    {
                        case 1: return "Malformed Attribute List";
                        case 2: return "Unrecognized Well-known Attribute";
                        case 3: return "Missing Well-known Attribute";
                        case 4: return "Attribute Flags Error";
                        case 5: return "Attribute Length Error";
                        case 6: return "Invalid ORIGIN Attribute";
                        case 7: return "AS Routing Loop (deprecated)";
                        case 8: return "Invalid NEXT_HOP Attribute";
                        case 9: return "Optional Attribute Error";
                        case 10: return "Invalid Network Field";
                        case 11: return "Malformed AS_PATH";
                    }
                    break;
                case NotificationCode.FiniteStateMachineError:
                    switch (subcode)
                    {
                        case 1: return "Receive Unexpected Message in OpenSent State";
                        case 2: return "Receive Unexpected Message in OpenConfirm State";
                        case 3: return "Receive Unexpected Message in Established State";
                    }
                    break;
                case NotificationCode.Cease:
                    switch (subcode)
                    {
                        case 1: return "Maximum Number of Prefixes Reached";
                        case 2: return "Administrative Shutdown";
                        case 3: return "Peer De-configured";
                        case 4: return "Administrative Reset";
                        case 5: return "Connection Rejected";
                        case 6: return "Other Configuration Change";
                        case 7: return "Connection Collision Resolution";
                        case 8: return "Out of Resources";
                        case 9: return "Hard Reset";
                        case 10: return "BFD Down";
                    }
                    break;
                case NotificationCode.RouteRefreshMessageError:
                    if (subcode == 1)
                    {
                        return "Invalid Message Length";
                    }
                    break;
            }

            return "Unknown Subcode";
        }
    }
}
