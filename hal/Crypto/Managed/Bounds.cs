namespace VpnAppliance.Hal.Crypto.Managed
{
    /// <summary>Range checks done before any crypto operation touches a caller buffer.</summary>
    internal static class Bounds
    {
        /// <summary>True when buffer[offset .. offset + count) exists.</summary>
        public static bool Fits(byte[] buffer, int offset, int count)
        {
            return buffer != null && offset >= 0 && count >= 0 && offset <= buffer.Length - count;
        }
    }
}
