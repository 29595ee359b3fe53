using VpnAppliance.Wire;

namespace VpnAppliance.Bgp.Wire
{
    /// <summary>
    /// NOTIFICATION message (RFC 4271 §4.5): header, Error code (1), Error subcode (1), Data (variable).
    /// Decode() is a view over the received bytes (Data is referenced, not copied); Encode() writes a whole
    /// message into a caller buffer. Data layouts for Cease (RFC 4486 §4 max-prefix; RFC 9003 §2 Shutdown
    /// Communication) have helpers so the FSM can log them without parsing bytes itself.
    /// </summary>
    public sealed class NotificationMessage
    {
        /// <summary>Longest Shutdown Communication (RFC 9003 §2).</summary>
        public const int MaxShutdownCommunicationLength = 255;
        /// <summary>Length of the Maximum Number of Prefixes Reached data: AFI 2, SAFI 1, count 4 (RFC 4486 §4).</summary>
        public const int MaxPrefixesDataLength = 7;

        /// <summary>Error Code.</summary>
        public int Code;
        /// <summary>Error Subcode.</summary>
        public int Subcode;
        /// <summary>Buffer the message was decoded from.</summary>
        public byte[] Buffer;
        /// <summary>Offset of the Data field in Buffer.</summary>
        public int DataOffset;
        /// <summary>Length of the Data field.</summary>
        public int DataLength;

        /// <summary>
        /// Decodes the NOTIFICATION message at buffer[offset..offset+length) (header included, already checked by
        /// the reassembler). Returns false when it is shorter than 21 octets (RFC 4271 §4.5); a NOTIFICATION is
        /// never answered with another one (RFC 4271 §6.4's receiver just closes), so there is no error to report.
        /// </summary>
        public bool Decode(byte[] buffer, int offset, int length)
        {
            if (buffer == null || offset < 0 || length < BgpMessageHeader.MinNotificationLength || offset + length > buffer.Length)
            {
                return false;
            }

            Buffer = buffer;
            Code = buffer[offset + BgpMessageHeader.Length];
            Subcode = buffer[offset + BgpMessageHeader.Length + 1];
            DataOffset = offset + BgpMessageHeader.MinNotificationLength;
            DataLength = length - BgpMessageHeader.MinNotificationLength;
            return true;
        }

        /// <summary>
        /// Writes a NOTIFICATION with the given code, subcode and data at buffer[offset]; data longer than a
        /// message can hold is cut to fit 4096 octets. Returns the message length.
        /// </summary>
        public static int Encode(byte[] buffer, int offset, int code, int subcode, byte[] data, int dataOffset, int dataLength)
        {
            if (data == null || dataLength < 0)
            {
                dataLength = 0;
            }

            if (dataLength > BgpMessageHeader.MaxMessageLength - BgpMessageHeader.MinNotificationLength)
            {
                dataLength = BgpMessageHeader.MaxMessageLength - BgpMessageHeader.MinNotificationLength;
            }

            int length = BgpMessageHeader.MinNotificationLength + dataLength;
            BgpMessageHeader.Write(buffer, offset, length, BgpMessageType.Notification);
            buffer[offset + BgpMessageHeader.Length] = (byte)code;
            buffer[offset + BgpMessageHeader.Length + 1] = (byte)subcode;
            if (dataLength > 0)
            {
                System.Array.Copy(data, dataOffset, buffer, offset + BgpMessageHeader.MinNotificationLength, dataLength);
            }

            return length;
        }

        /// <summary>Name of the code, for logs.</summary>
        public string CodeName { get { return NotificationNames.Code(Code); } }

        /// <summary>Name of the subcode, for logs.</summary>
        public string SubcodeName { get { return NotificationNames.Subcode(Code, Subcode); } }

        /// <summary>
        /// True when this is Cease / Administrative Shutdown or Reset carrying a well-formed Shutdown
        /// Communication (RFC 9003 §2: length octet then that many octets of UTF-8); the text is
        /// Buffer[textOffset..textOffset+textLength). A length octet of 0 means no text.
        /// </summary>
        public bool TryGetShutdownCommunication(out int textOffset, out int textLength)
        {
            textOffset = 0;
            textLength = 0;
            if (Code != NotificationCode.Cease
                || (Subcode != NotificationCode.CeaseAdministrativeShutdown && Subcode != NotificationCode.CeaseAdministrativeReset)
                || DataLength < 1)
            {
                return false;
            }

            int declared = Buffer[DataOffset];
            if (declared + 1 > DataLength)
            {
                return false;
            }

            textOffset = DataOffset + 1;
            textLength = declared;
            return true;
        }

        /// <summary>
        /// True when this is Cease / Maximum Number of Prefixes Reached with the RFC 4486 §4 data (AFI, SAFI,
        /// upper bound); the data is optional in the RFC, so false also means "not given".
        /// </summary>
        public bool TryGetMaxPrefixes(out int afi, out int safi, out uint upperBound)
        {
            afi = 0;
            safi = 0;
            upperBound = 0;
            if (Code != NotificationCode.Cease || Subcode != NotificationCode.CeaseMaximumNumberOfPrefixesReached
                || DataLength < MaxPrefixesDataLength)
            {
                return false;
            }

            afi = NetworkByteOrder.ReadUInt16(Buffer, DataOffset);
            safi = Buffer[DataOffset + 2];
            upperBound = NetworkByteOrder.ReadUInt32(Buffer, DataOffset + 3);
            return true;
        }

        /// <summary>Writes the Cease / Maximum Number of Prefixes Reached data (RFC 4486 §4) into error.Scratch and records the error.</summary>
        public static void SetMaxPrefixes(ErrorNotification error, int afi, int safi, uint upperBound)
        {
            NetworkByteOrder.WriteUInt16(error.Scratch, 0, afi);
            error.Scratch[2] = (byte)safi;
            NetworkByteOrder.WriteUInt32(error.Scratch, 3, upperBound);
            error.SetScratch(NotificationCode.Cease, NotificationCode.CeaseMaximumNumberOfPrefixesReached, MaxPrefixesDataLength);
        }

        /// <summary>
        /// Writes Cease / Administrative Shutdown with a Shutdown Communication (RFC 9003 §2) at buffer[offset];
        /// <paramref name="text"/> is UTF-8, cut to 255 octets. Returns the message length.
        /// </summary>
        public static int EncodeShutdown(byte[] buffer, int offset, int subcode, byte[] text, int textOffset, int textLength)
        {
            if (text == null || textLength < 0)
            {
                textLength = 0;
            }

            if (textLength > MaxShutdownCommunicationLength)
            {
                textLength = MaxShutdownCommunicationLength;
            }

            int length = BgpMessageHeader.MinNotificationLength + 1 + textLength;
            BgpMessageHeader.Write(buffer, offset, length, BgpMessageType.Notification);
            buffer[offset + BgpMessageHeader.Length] = NotificationCode.Cease;
            buffer[offset + BgpMessageHeader.Length + 1] = (byte)subcode;
            buffer[offset + BgpMessageHeader.MinNotificationLength] = (byte)textLength;
            if (textLength > 0)
            {
                System.Array.Copy(text, textOffset, buffer, offset + BgpMessageHeader.MinNotificationLength + 1, textLength);
            }

            return length;
        }
    }
}
