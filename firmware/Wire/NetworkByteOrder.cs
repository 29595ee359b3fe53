namespace VpnAppliance.Wire
{
    /// <summary>
    /// Big-endian ("network byte order", RFC 1700) reads and writes of 16-, 32- and 48-bit values in a byte
    /// array. The subset has no BinaryPrimitives and BitConverter is host-endian, so every header uses these.
    /// Callers guarantee the bytes are inside the buffer (the views check lengths first).
    /// </summary>
    public static class NetworkByteOrder
    {
        /// <summary>Reads the big-endian 16-bit value at buffer[offset].</summary>
        public static ushort ReadUInt16(byte[] buffer, int offset)
        {
            return (ushort)((buffer[offset] << 8) | buffer[offset + 1]);
        }

        /// <summary>Reads the big-endian 32-bit value at buffer[offset].</summary>
        public static uint ReadUInt32(byte[] buffer, int offset)
        {
            return ((uint)buffer[offset] << 24) | ((uint)buffer[offset + 1] << 16) | ((uint)buffer[offset + 2] << 8) | buffer[offset + 3];
        }

        /// <summary>Reads the big-endian 48-bit value at buffer[offset] (an Ethernet address) into the low bits of a ulong.</summary>
        public static ulong ReadUInt48(byte[] buffer, int offset)
        {
            return ((ulong)ReadUInt16(buffer, offset) << 32) | ReadUInt32(buffer, offset + 2);
        }

        /// <summary>Writes the low 16 bits of <paramref name="value"/> big-endian at buffer[offset].</summary>
        public static void WriteUInt16(byte[] buffer, int offset, int value)
        {
            buffer[offset] = (byte)(value >> 8);
            buffer[offset + 1] = (byte)value;
        }

        /// <summary>Writes <paramref name="value"/> big-endian at buffer[offset].</summary>
        public static void WriteUInt32(byte[] buffer, int offset, uint value)
        {
            buffer[offset] = (byte)(value >> 24);
            buffer[offset + 1] = (byte)(value >> 16);
            buffer[offset + 2] = (byte)(value >> 8);
            buffer[offset + 3] = (byte)value;
        }

        /// <summary>Writes the low 48 bits of <paramref name="value"/> big-endian at buffer[offset].</summary>
        public static void WriteUInt48(byte[] buffer, int offset, ulong value)
        {
            WriteUInt16(buffer, offset, (int)(value >> 32));
            WriteUInt32(buffer, offset + 2, (uint)value);
        }
    }
}
