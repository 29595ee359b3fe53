using VpnAppliance.Wire;

namespace VpnAppliance.Ipsec.Ike
{
    // Encrypted Fragment payload header, RFC 7383 §2.5:
    //   | Next Payload | C | RESERVED | Payload Length (2) | Fragment Number (2) | Total Fragments (2) | IV ...
    // Next Payload is the first inner payload's type in fragment 1 and 0 in the others. Numbers start at 1 and
    // Fragment Number <= Total Fragments.

    /// <summary>Reads and writes the 8-octet SKF payload header (RFC 7383 §2.5).</summary>
    public static class SkfHeader
    {
        /// <summary>Header length: generic header + Fragment Number + Total Fragments.</summary>
        public const int Length = 8;
        /// <summary>Offset of Fragment Number.</summary>
        public const int FragmentNumberField = 4;
        /// <summary>Offset of Total Fragments.</summary>
        public const int TotalFragmentsField = 6;

        /// <summary>
        /// Reads the header at buffer[offset] within buffer[..end): false when fewer than 8 octets are there or the
        /// numbers are impossible (0, or number &gt; total). Never throws.
        /// </summary>
        public static bool TryRead(byte[] buffer, int offset, int end, out byte nextPayload, out int number, out int total)
        {
            nextPayload = 0;
            number = 0;
            total = 0;
            if (buffer == null || offset < 0 || end > buffer.Length || end - offset < Length) return false;
            nextPayload = buffer[offset];
            number = NetworkByteOrder.ReadUInt16(buffer, offset + FragmentNumberField);
            total = NetworkByteOrder.ReadUInt16(buffer, offset + TotalFragmentsField);
            return number >= 1 && total >= 1 && number <= total;
        }

        /// <summary>Writes Next Payload, flags, Fragment Number and Total Fragments (the Payload Length is written later).</summary>
        public static void Write(byte[] buffer, int offset, byte nextPayload, int number, int total)
        {
            buffer[offset] = nextPayload;
            buffer[offset + 1] = 0;
            NetworkByteOrder.WriteUInt16(buffer, offset + FragmentNumberField, number);
            NetworkByteOrder.WriteUInt16(buffer, offset + TotalFragmentsField, total);
        }
    }
}
