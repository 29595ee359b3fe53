namespace VpnAppliance.Wire
{
    // TCP options (RFC 9293 §3.1, §3.2): kind 0 end of option list and kind 1 no-operation are one byte; every
    // other option is kind, length (counting kind and length), value. Known kinds and their lengths:
    //
    //   2 MSS 4 (RFC 9293 §3.7.1)     3 window scale 3 (RFC 7323 §2)     4 SACK-permitted 2 (RFC 2018 §2)
    //   5 SACK 2 + 8n, n = 1..4 (RFC 2018 §3)     8 timestamps 10: TSval, TSecr (RFC 7323 §3)
    //
    // A length below 2, a length running past the options area, or a wrong length for a known kind is
    // Malformed (RFC 9293 §3.1, MUST-7: an implementation must be prepared to handle an illegal option
    // length; we reject the whole segment).
    // Unknown kinds are skipped by their length. Bytes after end-of-list are padding and not inspected.
    // When a known option appears twice the last one wins (what receivers commonly do).
    //
    // Emit writes the options in the order and alignment Linux uses in a SYN: MSS; SACK-permitted and
    // timestamps together (or NOP NOP before either alone); NOP window scale. The result is a multiple of 4.

    /// <summary>Parsed TCP options (the ones this appliance acts on); unknown options are not kept.</summary>
    public struct TcpOptions
    {
        /// <summary>Largest options area (data offset 15 words minus the 20-byte header).</summary>
        public const int MaximumLength = 40;

        /// <summary>Kind 0: end of option list.</summary>
        public const byte KindEndOfList = 0;

        /// <summary>Kind 1: no-operation (padding).</summary>
        public const byte KindNoOperation = 1;

        /// <summary>Kind 2: maximum segment size.</summary>
        public const byte KindMaximumSegmentSize = 2;

        /// <summary>Kind 3: window scale.</summary>
        public const byte KindWindowScale = 3;

        /// <summary>Kind 4: SACK permitted.</summary>
        public const byte KindSackPermitted = 4;

        /// <summary>Kind 5: SACK blocks.</summary>
        public const byte KindSack = 5;

        /// <summary>Kind 8: timestamps.</summary>
        public const byte KindTimestamps = 8;

        /// <summary>True when an MSS option is present.</summary>
        public bool HasMaximumSegmentSize;

        /// <summary>Maximum segment size (when present).</summary>
        public ushort MaximumSegmentSize;

        /// <summary>True when a window scale option is present.</summary>
        public bool HasWindowScale;

        /// <summary>Window scale shift count (when present; RFC 7323 §2.3 caps its use at 14, the raw value is kept).</summary>
        public byte WindowScale;

        /// <summary>True when SACK-permitted is present.</summary>
        public bool SackPermitted;

        /// <summary>True when a timestamps option is present.</summary>
        public bool HasTimestamps;

        /// <summary>TSval (when present).</summary>
        public uint TimestampValue;

        /// <summary>TSecr (when present).</summary>
        public uint TimestampEchoReply;

        /// <summary>Bytes <see cref="Emit"/> writes: a multiple of 4, at most 20.</summary>
        public int Length
        {
            get
            {
                int length = HasMaximumSegmentSize ? 4 : 0;
                if (HasTimestamps)
                {
                    length += 12;
                }
                else if (SackPermitted)
                {
                    length += 4;
                }

                return HasWindowScale ? length + 4 : length;
            }
        }

        /// <summary>Parses the options area buffer[offset .. offset + length); the caller checked the range.</summary>
        public static WireResult Parse(byte[] buffer, int offset, int length, out TcpOptions options)
        {
            options = default(TcpOptions);
            int end = offset + length;
            int position = offset;
            while (position < end)
            {
                int kind;
                int optionLength;
                WireResult result = ReadOption(buffer, position, end, out kind, out optionLength);
                if (result != WireResult.Ok)
                {
                    options = default(TcpOptions);
                    return result;
                }

                if (kind == KindEndOfList)
                {
                    break;
                }

                switch (kind)
                {
                    case KindMaximumSegmentSize:
                        options.HasMaximumSegmentSize = true;
                        options.MaximumSegmentSize = NetworkByteOrder.ReadUInt16(buffer, position + 2);
                        break;
                    case KindWindowScale:
                        options.HasWindowScale = true;
                        options.WindowScale = buffer[position + 2];
                        break;
                    case KindSackPermitted:
                        options.SackPermitted = true;
                        break;
                    case KindTimestamps:
                        options.HasTimestamps = true;
                        options.TimestampValue = NetworkByteOrder.ReadUInt32(buffer, position + 2);
                        options.TimestampEchoReply = NetworkByteOrder.ReadUInt32(buffer, position + 6);
                        break;
                }

                position += optionLength;
            }

            return WireResult.Ok;
        }

        /// <summary>
        /// Reads the option at buffer[position], with <paramref name="end"/> one past the options area
        /// (position &lt; end). Ok gives its kind and its length (1 for end-of-list and no-operation);
        /// Malformed when the length is below 2, runs past end, or is wrong for a known kind.
        /// </summary>
        public static WireResult ReadOption(byte[] buffer, int position, int end, out int kind, out int length)
        {
            kind = buffer[position];
            length = 1;
            if (kind == KindEndOfList || kind == KindNoOperation)
            {
                return WireResult.Ok;
            }

            if (end - position < 2)
            {
                length = 0;
                return WireResult.Malformed;
            }

            length = buffer[position + 1];
            if (length < 2 || length > end - position)
            {
                return WireResult.Malformed;
            }

            bool lengthOk;
            switch (kind)
            {
                case KindMaximumSegmentSize:
                    lengthOk = length == 4;
                    break;
                case KindWindowScale:
                    lengthOk = length == 3;
                    break;
                case KindSackPermitted:
                    lengthOk = length == 2;
                    break;
                case KindSack:
                    lengthOk = length >= 10 && length <= 34 && ((length - 2) & 7) == 0;
                    break;
                case KindTimestamps:
                    lengthOk = length == 10;
                    break;
                default:
                    lengthOk = true;
                    break;
            }

            return lengthOk ? WireResult.Ok : WireResult.Malformed;
        }

        /// <summary>Writes <see cref="Length"/> bytes at buffer[offset]; the caller checked the room.</summary>
        public void Emit(byte[] buffer, int offset)
        {
            int p = offset;
            if (HasMaximumSegmentSize)
            {
                buffer[p] = KindMaximumSegmentSize;
                buffer[p + 1] = 4;
                NetworkByteOrder.WriteUInt16(buffer, p + 2, MaximumSegmentSize);
                p += 4;
            }

            if (HasTimestamps)
            {
                if (SackPermitted)
                {
                    buffer[p] = KindSackPermitted;
                    buffer[p + 1] = 2;
                }
                else
                {
                    buffer[p] = KindNoOperation;
                    buffer[p + 1] = KindNoOperation;
                }

                buffer[p + 2] = KindTimestamps;
                buffer[p + 3] = 10;
                NetworkByteOrder.WriteUInt32(buffer, p + 4, TimestampValue);
                NetworkByteOrder.WriteUInt32(buffer, p + 8, TimestampEchoReply);
                p += 12;
            }
            else if (SackPermitted)
            {
                buffer[p] = KindNoOperation;
                buffer[p + 1] = KindNoOperation;
                buffer[p + 2] = KindSackPermitted;
                buffer[p + 3] = 2;
                p += 4;
            }

            if (HasWindowScale)
            {
                buffer[p] = KindNoOperation;
                buffer[p + 1] = KindWindowScale;
                buffer[p + 2] = 3;
                buffer[p + 3] = WindowScale;
            }
        }
    }
}
