namespace VpnAppliance.Bgp.Wire
{
    /// <summary>
    /// The NOTIFICATION a parser asks the session to send (RFC 4271 §4.5): Error Code, Error Subcode and the
    /// Data field. Data either points into the message that caused the error (the erroneous attribute, the
    /// Length field) or into the small scratch array owned by this object (synthesized data such as the
    /// supported version or a missing capability). Preallocated by its owner and overwritten on each error,
    /// so reporting an error allocates nothing. Data stays valid until the owner parses the next message.
    /// </summary>
    public sealed class ErrorNotification
    {
        /// <summary>Size of the scratch array for synthesized Data (a capability TLV is at most 2 + 255 octets, we send short ones).</summary>
        public const int ScratchLength = 16;

        /// <summary>Error Code (NotificationCode); 0 when no error is recorded.</summary>
        public int Code;
        /// <summary>Error Subcode.</summary>
        public int Subcode;
        /// <summary>Array holding the Data field (the message buffer or Scratch); null when there is no data.</summary>
        public byte[] DataBuffer;
        /// <summary>Offset of the Data field in DataBuffer.</summary>
        public int DataOffset;
        /// <summary>Length of the Data field.</summary>
        public int DataLength;
        /// <summary>Owned storage for synthesized Data.</summary>
        public readonly byte[] Scratch = new byte[ScratchLength];

        /// <summary>True when an error is recorded.</summary>
        public bool IsSet { get { return Code != 0; } }

        /// <summary>Forgets the recorded error.</summary>
        public void Clear()
        {
            Code = 0;
            Subcode = 0;
            DataBuffer = null;
            DataOffset = 0;
            DataLength = 0;
        }

        /// <summary>Records an error without data.</summary>
        public void Set(int code, int subcode)
        {
            Code = code;
            Subcode = subcode;
            DataBuffer = null;
            DataOffset = 0;
            DataLength = 0;
        }

        /// <summary>Records an error whose Data is buffer[offset..offset+length).</summary>
        public void Set(int code, int subcode, byte[] buffer, int offset, int length)
        {
            Code = code;
            Subcode = subcode;
            DataBuffer = buffer;
            DataOffset = offset;
            DataLength = length;
        }

        /// <summary>Records an error whose Data is the first <paramref name="length"/> octets of Scratch (filled by the caller).</summary>
        public void SetScratch(int code, int subcode, int length)
        {
            Set(code, subcode, Scratch, 0, length);
        }

        /// <summary>Copies another error (its data reference included).</summary>
        public void CopyFrom(ErrorNotification other)
        {
            Code = other.Code;
            Subcode = other.Subcode;
            DataBuffer = other.DataBuffer;
            DataOffset = other.DataOffset;
            DataLength = other.DataLength;
        }

        /// <summary>Writes this error as a complete NOTIFICATION message at buffer[offset]; returns its length.</summary>
        public int EncodeNotification(byte[] buffer, int offset)
        {
            return NotificationMessage.Encode(buffer, offset, Code, Subcode, DataBuffer, DataOffset, DataLength);
        }
    }
}
