namespace VpnAppliance.Bgp.Wire
{
    /// <summary>
    /// IPv4 prefixes as BGP encodes them in Withdrawn Routes, NLRI (RFC 4271 §4.3) and MP_REACH/MP_UNREACH for
    /// AFI 1 SAFI 1 (RFC 4760 §5): Length octet (0..32) then ceil(Length/8) octets of prefix. Trailing bits
    /// beyond the length are irrelevant (RFC 4271 §4.3): the decoder clears them, the encoder writes zeros.
    /// </summary>
    public static class Ipv4PrefixCodec
    {
        /// <summary>Read() result: the field was read completely.</summary>
        public const int Ok = 0;
        /// <summary>Read() result: length &gt; 32 or a prefix overruns the field (RFC 7606 §5.3).</summary>
        public const int Malformed = 1;
        /// <summary>Read() result: the ParsedUpdate prefix pool is full.</summary>
        public const int Full = 2;

        /// <summary>Netmask of a prefix length (0 for /0).</summary>
        public static uint Mask(int length)
        {
            if (length <= 0)
            {
                return 0;
            }

            if (length >= 32)
            {
                return 0xFFFFFFFF;
            }

            return 0xFFFFFFFF << (32 - length);
        }

        /// <summary>Octets a prefix of <paramref name="length"/> bits takes on the wire, Length octet included.</summary>
        public static int EncodedLength(int length)
        {
            return 1 + ((length + 7) >> 3);
        }

        /// <summary>
        /// Reads every prefix in buffer[offset..end) into <paramref name="update"/>'s pool under
        /// <paramref name="section"/>. Returns Ok, Malformed or Full; on error the prefixes read so far stay.
        /// </summary>
        public static int Read(byte[] buffer, int offset, int end, ParsedUpdate update, byte section)
        {
            int p = offset;
            while (p < end)
            {
                int length = buffer[p];
                if (length > 32)
                {
                    return Malformed;
                }

                int octets = (length + 7) >> 3;
                if (octets > end - p - 1)
                {
                    return Malformed;
                }

                uint address = 0;
                for (int i = 0; i < 4; i++)
                {
                    address <<= 8;
                    if (i < octets)
                    {
                        address |= buffer[p + 1 + i];
                    }
                }

                if (!update.AddPrefix(section, address, length))
                {
                    return Full;
                }

                p += 1 + octets;
            }

            return Ok;
        }

        /// <summary>Writes one prefix at buffer[offset] (the caller checked the room); returns the octets written.</summary>
        public static int Write(byte[] buffer, int offset, uint address, int length)
        {
            int octets = (length + 7) >> 3;
            buffer[offset] = (byte)length;
            uint masked = address & Mask(length);
            for (int i = 0; i < octets; i++)
            {
                buffer[offset + 1 + i] = (byte)(masked >> (24 - 8 * i));
            }

            return 1 + octets;
        }
    }
}
