namespace VpnAppliance.Wire
{
    /// <summary>Validates a caller's (buffer, offset, length) window before any byte of it is read.</summary>
    internal static class BufferWindow
    {
        /// <summary>True when buffer[offset .. offset + length) lies inside the buffer (no overflow in the sum).</summary>
        public static bool IsValid(byte[] buffer, int offset, int length)
        {
            return buffer != null && offset >= 0 && length >= 0 && offset <= buffer.Length - length;
        }
    }
}
