using VpnAppliance.Wire;

namespace VpnAppliance.Bgp.Wire
{
    /// <summary>
    /// ROUTE-REFRESH message (RFC 2918 §3; the Reserved octet became the Message Subtype in RFC 7313 §3.2):
    /// <code>
    ///  header (type 5, length 23) | AFI (2) | Subtype (1) | SAFI (1)
    /// </code>
    /// Subtype 0 = normal request, 1 = Beginning of Route Refresh (BoRR), 2 = End of Route Refresh (EoRR).
    /// RFC 7313 §5: a length other than 23 is a ROUTE-REFRESH Message Error / Invalid Message Length whose
    /// data is the whole message; an unknown subtype (3..255) makes the message ignored.
    /// </summary>
    public sealed class RouteRefreshMessage
    {
        /// <summary>Subtype 0: a route refresh request (RFC 2918, RFC 7313 §3.2).</summary>
        public const int SubtypeRequest = 0;
        /// <summary>Subtype 1: Beginning of Route Refresh (RFC 7313 §3.2).</summary>
        public const int SubtypeBeginning = 1;
        /// <summary>Subtype 2: End of Route Refresh (RFC 7313 §3.2).</summary>
        public const int SubtypeEnd = 2;

        /// <summary>Address Family Identifier.</summary>
        public int Afi;
        /// <summary>Subsequent Address Family Identifier.</summary>
        public int Safi;
        /// <summary>Message Subtype (RFC 7313 §3.2).</summary>
        public int Subtype;

        /// <summary>Outcome of Decode().</summary>
        public enum Status
        {
            /// <summary>Well formed with a known subtype: act on it.</summary>
            Valid,
            /// <summary>Well formed but the subtype is unknown: ignore it (RFC 7313 §5).</summary>
            Ignore,
            /// <summary>Bad length: send the NOTIFICATION recorded in the error argument (RFC 7313 §5).</summary>
            Error,
        }

        /// <summary>Decodes the ROUTE-REFRESH message at buffer[offset..offset+length) (header included).</summary>
        public Status Decode(byte[] buffer, int offset, int length, ErrorNotification error)
        {
            if (length != BgpMessageHeader.RouteRefreshLength || buffer == null || offset < 0 || offset + length > buffer.Length)
            {
                // RFC 7313 §5: Data = the complete ROUTE-REFRESH message (as much of it as the buffer holds).
                int available = buffer == null || offset < 0 ? 0 : buffer.Length - offset;
                if (available > length)
                {
                    available = length;
                }

                if (available < 0)
                {
                    available = 0;
                }

                error.Set(NotificationCode.RouteRefreshMessageError, NotificationCode.RouteRefreshInvalidMessageLength, buffer, offset, available);
                return Status.Error;
            }

            int body = offset + BgpMessageHeader.Length;
            Afi = NetworkByteOrder.ReadUInt16(buffer, body);
            Subtype = buffer[body + 2];
            Safi = buffer[body + 3];
            return Subtype <= SubtypeEnd ? Status.Valid : Status.Ignore;
        }

        /// <summary>Writes a ROUTE-REFRESH for afi/safi with the given subtype at buffer[offset]; returns its length (23).</summary>
        public static int Encode(byte[] buffer, int offset, int afi, int safi, int subtype)
        {
            BgpMessageHeader.Write(buffer, offset, BgpMessageHeader.RouteRefreshLength, BgpMessageType.RouteRefresh);
            int body = offset + BgpMessageHeader.Length;
            NetworkByteOrder.WriteUInt16(buffer, body, afi);
            buffer[body + 2] = (byte)subtype;
            buffer[body + 3] = (byte)safi;
            return BgpMessageHeader.RouteRefreshLength;
        }

        /// <summary>Name of a subtype, for logs.</summary>
        public static string SubtypeName(int subtype)
        {
            switch (subtype)
            {
                case SubtypeRequest: return "Route Refresh";
                case SubtypeBeginning: return "BoRR";
                case SubtypeEnd: return "EoRR";
                default: return "unknown subtype";
            }
        }
    }
}
