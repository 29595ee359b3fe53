namespace VpnAppliance.Ipsec.Ike
{
    // UDP port 4500 carries both ESP and IKE (RFC 3948 §2.1, RFC 7296 §2.23). IKE messages there are prefixed
    // with a four-octet Non-ESP Marker of zeros (RFC 3948 §2.2), which cannot be an ESP SPI (SPI 0 is reserved,
    // RFC 4303 §2.1). A single 0xFF octet is a NAT-keepalive (RFC 3948 §2.3). On port 500 there is no marker.

    /// <summary>Classifies a UDP/4500 payload and strips or writes the Non-ESP Marker (RFC 3948 §2.2).</summary>
    public static class NonEspMarker
    {
        /// <summary>Length of the Non-ESP Marker (RFC 3948 §2.2).</summary>
        public const int Length = 4;

        /// <summary>What a UDP/4500 payload carries.</summary>
        public enum Kind
        {
            /// <summary>Too short for either (fewer than 4 bytes and not a keepalive): drop.</summary>
            Invalid = 0,
            /// <summary>An ESP packet (first word is a non-zero SPI).</summary>
            Esp = 1,
            /// <summary>An IKE message after the 4-byte marker.</summary>
            Ike = 2,
            /// <summary>A NAT-keepalive (one octet 0xFF): ignore.</summary>
            Keepalive = 3,
        }

        /// <summary>Classifies buffer[offset..offset+length) received on UDP port 4500. Never throws.</summary>
        public static Kind Classify(byte[] buffer, int offset, int length)
        {
            if (buffer == null || offset < 0 || length < 0 || offset > buffer.Length - length) return Kind.Invalid;
            if (length == 1 && buffer[offset] == 0xFF) return Kind.Keepalive;
            if (length < Length) return Kind.Invalid;
            if (buffer[offset] == 0 && buffer[offset + 1] == 0 && buffer[offset + 2] == 0 && buffer[offset + 3] == 0)
            {
                return length >= Length + IkeHeader.Length ? Kind.Ike : Kind.Invalid;
            }
            return Kind.Esp;
        }

        /// <summary>Writes the four zero octets at buffer[offset]; returns 4, or 0 if they do not fit.</summary>
        public static int Write(byte[] buffer, int offset)
        {
            if (buffer == null || offset < 0 || offset > buffer.Length - Length) return 0;
            buffer[offset] = 0; buffer[offset + 1] = 0; buffer[offset + 2] = 0; buffer[offset + 3] = 0;
            return Length;
        }
    }
}
