using VpnAppliance.Wire;

namespace VpnAppliance.Bgp.Wire
{
    /// <summary>
    /// Cuts the BGP byte stream of one TCP connection into messages (RFC 4271 §4.1: the Length field delimits
    /// messages; TCP may deliver any split). Flow:
    /// <code>
    ///   TCP payload --Write()--> [ fixed buffer: consumed | pending bytes | free ]
    ///   Next() -> Message (view into the buffer) | NeedMore | HeaderError (sticky)
    /// </code>
    /// The header is checked as soon as its 19 octets are in (RFC 4271 §6.1), before the body arrives, so a bad
    /// marker/length/type is reported without waiting for bytes that may never come. After HeaderError the
    /// session must send the NOTIFICATION in Error and close; the reassembler stays failed until Reset().
    /// A returned message stays valid until the next Write() or Next(). The buffer is preallocated; nothing
    /// is allocated per message.
    /// </summary>
    public sealed class BgpMessageReassembler
    {
        /// <summary>Result of Next().</summary>
        public enum Status
        {
            /// <summary>No complete message yet: Write() more bytes.</summary>
            NeedMore,
            /// <summary>A complete message is at Buffer[MessageOffset..MessageOffset+MessageLength).</summary>
            Message,
            /// <summary>The header was invalid; Error holds the Message Header Error to send.</summary>
            HeaderError,
        }

        private readonly byte[] buffer;
        private int start;
        private int end;
        private bool failed;
        private int maxMessageLength = BgpMessageHeader.MaxMessageLength;

        /// <summary>The Message Header Error after Next() returned HeaderError.</summary>
        public readonly ErrorNotification Error = new ErrorNotification();

        /// <summary>Offset of the current message (header included) in Buffer.</summary>
        public int MessageOffset;
        /// <summary>Length of the current message (header included).</summary>
        public int MessageLength;
        /// <summary>Type of the current message (BgpMessageType).</summary>
        public byte MessageType;

        /// <summary>Creates a reassembler whose buffer holds <paramref name="capacity"/> octets (at least one 4096-octet message).</summary>
        public BgpMessageReassembler(int capacity)
        {
            if (capacity < BgpMessageHeader.MaxMessageLength)
            {
                capacity = BgpMessageHeader.MaxMessageLength;
            }

            buffer = new byte[capacity];
        }

        /// <summary>The buffer messages are viewed in.</summary>
        public byte[] Buffer { get { return buffer; } }

        /// <summary>Octets received but not yet returned as messages.</summary>
        public int Pending { get { return end - start; } }

        /// <summary>True after a header error, until Reset().</summary>
        public bool Failed { get { return failed; } }

        /// <summary>
        /// Largest accepted message: 4096, or up to 65535 once RFC 8654 extended messages are negotiated and
        /// the buffer is large enough. Values outside [4096, buffer length] are clamped.
        /// </summary>
        public int MaxMessageLength
        {
            get { return maxMessageLength; }
            set
            {
                int v = value;
                if (v > BgpMessageHeader.MaxExtendedMessageLength) v = BgpMessageHeader.MaxExtendedMessageLength;
                if (v > buffer.Length) v = buffer.Length;
                if (v < BgpMessageHeader.MaxMessageLength) v = BgpMessageHeader.MaxMessageLength;
                maxMessageLength = v;
            }
        }

        /// <summary>Octets Write() can take now (after moving pending bytes to the front).</summary>
        public int FreeSpace { get { return failed ? 0 : buffer.Length - (end - start); } }

        /// <summary>Drops everything (new connection).</summary>
        public void Reset()
        {
            start = 0;
            end = 0;
            failed = false;
            MessageOffset = 0;
            MessageLength = 0;
            MessageType = 0;
            Error.Clear();
            maxMessageLength = BgpMessageHeader.MaxMessageLength;
        }

        /// <summary>
        /// Copies up to <paramref name="count"/> octets of received stream into the buffer; returns how many were
        /// taken (the rest must be offered again after Next() consumed messages). Takes nothing after a header error.
        /// </summary>
        public int Write(byte[] data, int offset, int count)
        {
            if (failed || data == null || offset < 0 || count <= 0 || offset > data.Length - count)
            {
                return 0;
            }

            if (start > 0)
            {
                // Slide pending bytes to the front; the last returned message is invalidated (documented).
                int pending = end - start;
                if (pending > 0)
                {
                    System.Array.Copy(buffer, start, buffer, 0, pending);
                }

                start = 0;
                end = pending;
            }

            int room = buffer.Length - end;
            int n = count < room ? count : room;
            System.Array.Copy(data, offset, buffer, end, n);
            end += n;
            return n;
        }

        /// <summary>Returns the next complete message, NeedMore, or HeaderError (see Status).</summary>
        public Status Next()
        {
            if (failed)
            {
                return Status.HeaderError;
            }

            int available = end - start;
            if (available < BgpMessageHeader.Length)
            {
                return Status.NeedMore;
            }

            int subcode = BgpMessageHeader.Check(buffer, start, maxMessageLength);
            if (subcode != 0)
            {
                failed = true;
                if (subcode == NotificationCode.HeaderBadMessageLength)
                {
                    // RFC 4271 §6.1: Data = the erroneous Length field.
                    Error.Set(NotificationCode.MessageHeaderError, subcode, buffer, start + BgpMessageHeader.LengthOffset, 2);
                }
                else if (subcode == NotificationCode.HeaderBadMessageType)
                {
                    // RFC 4271 §6.1: Data = the erroneous Type field.
                    Error.Set(NotificationCode.MessageHeaderError, subcode, buffer, start + BgpMessageHeader.TypeOffset, 1);
                }
                else
                {
                    Error.Set(NotificationCode.MessageHeaderError, subcode);
                }

                return Status.HeaderError;
            }

            int length = NetworkByteOrder.ReadUInt16(buffer, start + BgpMessageHeader.LengthOffset);
            if (available < length)
            {
                return Status.NeedMore;
            }

            MessageOffset = start;
            MessageLength = length;
            MessageType = buffer[start + BgpMessageHeader.TypeOffset];
            start += length;
            return Status.Message;
        }
    }
}
