namespace VpnAppliance.Ipsec.Ike
{
    /// <summary>
    /// Emit of the shared body layout "one type octet, three RESERVED octets, data" used by ID (RFC 7296 §3.5)
    /// and AUTH (§3.8).
    /// </summary>
    internal static class TypedDataPayload
    {
        /// <summary>Writes generic header, type octet, 3 zero octets and the data; returns bytes written or 0.</summary>
        internal static int Emit(byte[] buffer, int offset, int capacity, byte nextPayload, byte type, byte[] data, int dataOffset, int dataLength)
        {
            int total = 8 + dataLength;
            if (dataLength < 0 || total > 0xFFFF || !IkePayloadChain.Fits(buffer, offset, capacity, total)) return 0;
            if (dataLength > 0 && (data == null || dataOffset < 0 || dataOffset > data.Length - dataLength)) return 0;
            IkePayloadChain.WriteGenericHeader(buffer, offset, nextPayload, total);
            buffer[offset + 4] = type;
            buffer[offset + 5] = 0;
            buffer[offset + 6] = 0;
            buffer[offset + 7] = 0;
            if (dataLength > 0) System.Array.Copy(data, dataOffset, buffer, offset + 8, dataLength);
            return total;
        }
    }
}
