namespace VpnAppliance.Cli.Store
{
    /// <summary>
    /// CRC-32 as used by Ethernet, zlib and PNG (ISO-HDLC: polynomial 0x04C11DB7 reflected = 0xEDB88320,
    /// initial value and final XOR 0xFFFFFFFF; check value of "123456789" is 0xCBF43926, the catalogue of
    /// parametrised CRC algorithms, "CRC-32/ISO-HDLC"). Table-driven, one 256-entry table built once.
    /// </summary>
    public static class Crc32
    {
        private static uint[] _table;

        /// <summary>Running value to start with.</summary>
        public const uint Initial = 0xFFFFFFFF;

        /// <summary>Absorbs bytes into a running value (start from <see cref="Initial"/>).</summary>
        public static uint Update(uint crc, byte[] data, int offset, int count)
        {
            uint[] table = Table();
            for (int i = 0; i < count; i++)
            {
                crc = table[(crc ^ data[offset + i]) & 0xFF] ^ (crc >> 8);
            }

            return crc;
        }

        /// <summary>The final CRC of a running value.</summary>
        public static uint Final(uint crc)
        {
            return crc ^ 0xFFFFFFFF;
        }

        /// <summary>CRC-32 of a byte range.</summary>
        public static uint Compute(byte[] data, int offset, int count)
        {
            return Final(Update(Initial, data, offset, count));
        }

        private static uint[] Table()
        {
            if (_table == null)
            {
                uint[] t = new uint[256];
                for (uint n = 0; n < 256; n++)
                {
                    uint c = n;
                    for (int k = 0; k < 8; k++)
                    {
                        c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
                    }

                    t[n] = c;
                }

                _table = t;
            }

            return _table;
        }
    }
}
