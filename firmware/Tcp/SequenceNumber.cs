namespace VpnAppliance.Tcp
{
    /// <summary>
    /// Modulo 2^32 comparisons of sequence numbers (RFC 9293 §3.4: "all arithmetic dealing with sequence
    /// numbers must be performed modulo 2**32"). a is before b when the signed 32-bit difference a - b is
    /// negative; valid for numbers less than 2^31 apart, which windows of at most 2^16 guarantee.
    /// </summary>
    public static class SequenceNumber
    {
        /// <summary>a &lt; b in sequence space.</summary>
        public static bool Lt(uint a, uint b) { return (int)(a - b) < 0; }

        /// <summary>a &lt;= b in sequence space.</summary>
        public static bool Le(uint a, uint b) { return (int)(a - b) <= 0; }

        /// <summary>a &gt; b in sequence space.</summary>
        public static bool Gt(uint a, uint b) { return (int)(a - b) > 0; }

        /// <summary>a &gt;= b in sequence space.</summary>
        public static bool Ge(uint a, uint b) { return (int)(a - b) >= 0; }

        /// <summary>The later of a and b.</summary>
        public static uint Max(uint a, uint b) { return Gt(a, b) ? a : b; }

        /// <summary>True when low &lt;= s &lt; low + size (size 0: never).</summary>
        public static bool InWindow(uint s, uint low, int size) { return (int)(s - low) >= 0 && (int)(s - low) < size; }
    }
}
