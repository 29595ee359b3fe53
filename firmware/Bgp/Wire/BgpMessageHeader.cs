using VpnAppliance.Wire;

namespace VpnAppliance.Bgp.Wire
{
    /// <summary>
    /// The 19-octet BGP message header (RFC 4271 §4.1):
    /// <code>
    ///  0                   1                   2                   3
    ///  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///  |                    Marker (16 octets of 0xFF)                 |
    ///  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///  |          Length (19..4096)    |      Type     |
    /// </code>
    /// Check() applies the §6.1 rules in the RFC's order: marker (Connection Not Synchronized),
    /// length bounds and per-type minimums (Bad Message Length, data = the Length field), then the type
    /// (Bad Message Type, data = the Type field). Extended messages (RFC 8654) raise the bound to 65535
    /// only when the caller passes that maximum after negotiating it.
    /// </summary>
    public static class BgpMessageHeader
    {
        /// <summary>Header length: marker 16 + length 2 + type 1 (RFC 4271 §4.1).</summary>
        public const int Length = 19;
        /// <summary>Length of the all-ones marker (RFC 4271 §4.1).</summary>
        public const int MarkerLength = 16;
        /// <summary>Offset of the Length field.</summary>
        public const int LengthOffset = 16;
        /// <summary>Offset of the Type field.</summary>
        public const int TypeOffset = 18;
        /// <summary>Largest message without RFC 8654 extended messages (RFC 4271 §4.1).</summary>
        public const int MaxMessageLength = 4096;
        /// <summary>Largest message with RFC 8654 extended messages negotiated.</summary>
        public const int MaxExtendedMessageLength = 65535;

        /// <summary>Smallest OPEN: header + version 1 + My AS 2 + Hold Time 2 + BGP Identifier 4 + Opt Parm Len 1 (RFC 4271 §4.2).</summary>
        public const int MinOpenLength = 29;
        /// <summary>Smallest UPDATE: header + two 2-octet length fields (RFC 4271 §4.3).</summary>
        public const int MinUpdateLength = 23;
        /// <summary>Smallest NOTIFICATION: header + code + subcode (RFC 4271 §4.5).</summary>
        public const int MinNotificationLength = 21;
        /// <summary>KEEPALIVE is the header only (RFC 4271 §4.4).</summary>
        public const int KeepaliveLength = 19;
        /// <summary>ROUTE-REFRESH: header + AFI 2 + Reserved/Subtype 1 + SAFI 1 (RFC 2918 §3, RFC 7313 §3.2).</summary>
        public const int RouteRefreshLength = 23;

        /// <summary>
        /// Checks the header at buffer[offset] (19 octets must be present). Returns 0 when it is valid, else the
        /// Message Header Error subcode (RFC 4271 §6.1): 1 Connection Not Synchronized, 2 Bad Message Length,
        /// 3 Bad Message Type. ROUTE-REFRESH with a wrong length is left to RouteRefreshMessage (RFC 7313 §5
        /// gives it its own error code), so only the generic bounds apply to it here.
        /// </summary>
        public static int Check(byte[] buffer, int offset, int maxMessageLength)
        {
            for (int i = 0; i < MarkerLength; i++)
            {
                if (buffer[offset + i] != 0xFF)
                {
                    return NotificationCode.HeaderConnectionNotSynchronized;
                }
            }

            int length = NetworkByteOrder.ReadUInt16(buffer, offset + LengthOffset);
            int type = buffer[offset + TypeOffset];
            if (length < Length || length > maxMessageLength)
            {
                return NotificationCode.HeaderBadMessageLength;
            }

            // RFC 4271 §6.1: the length must also suit the type (OPEN too short, UPDATE too short, KEEPALIVE not 19,
            // NOTIFICATION too short).
            if (length > MaxMessageLength && (type == BgpMessageType.Open || type == BgpMessageType.Keepalive))
            {
                // RFC 8654 §4: OPEN and KEEPALIVE stay within 4096 octets even with extended messages.
                return NotificationCode.HeaderBadMessageLength;
            }

            if ((type == BgpMessageType.Open && length < MinOpenLength)
                || (type == BgpMessageType.Update && length < MinUpdateLength)
                || (type == BgpMessageType.Keepalive && length != KeepaliveLength)
                || (type == BgpMessageType.Notification && length < MinNotificationLength))
            {
                return NotificationCode.HeaderBadMessageLength;
            }

            if (!BgpMessageType.IsKnown(type))
            {
                return NotificationCode.HeaderBadMessageType;
            }

            return 0;
        }

        /// <summary>Reads the Length field of the header at buffer[offset].</summary>
        public static int ReadLength(byte[] buffer, int offset)
        {
            return NetworkByteOrder.ReadUInt16(buffer, offset + LengthOffset);
        }

        /// <summary>Writes the marker, <paramref name="length"/> and <paramref name="type"/> at buffer[offset].</summary>
        public static void Write(byte[] buffer, int offset, int length, byte type)
        {
            for (int i = 0; i < MarkerLength; i++)
            {
                buffer[offset + i] = 0xFF;
            }

            NetworkByteOrder.WriteUInt16(buffer, offset + LengthOffset, length);
            buffer[offset + TypeOffset] = type;
        }

        /// <summary>Rewrites only the Length field (encoders fill the body first).</summary>
        public static void WriteLength(byte[] buffer, int offset, int length)
        {
            NetworkByteOrder.WriteUInt16(buffer, offset + LengthOffset, length);
        }
    }
}
