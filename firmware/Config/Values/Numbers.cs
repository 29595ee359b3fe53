namespace VpnAppliance.Config
{
    /// <summary>
    /// Strict base-10 numbers: digits 0-9 only (no sign, no spaces, no leading zeros except "0"), overflow-checked.
    /// Used instead of int.Parse so that exactly the documented syntax is accepted on both runtimes.
    /// </summary>
    public static class Numbers
    {
        /// <summary>Parses a base-10 number 0..4294967295.</summary>
        public static bool TryParseUInt(string s, out uint value)
        {
            value = 0;
            if (s == null || s.Length == 0 || s.Length > 10) return false;
            if (s.Length > 1 && s[0] == '0') return false;
            long v = 0;
            for (int i = 0; i < s.Length; i++)
            {
                char c = s[i];
                if (c < '0' || c > '9') return false;
                v = v * 10 + (c - '0');
            }
            if (v > 0xFFFFFFFFL) return false;
            value = (uint)v;
            return true;
        }

        /// <summary>
        /// Parses an AS number: asplain <c>65010</c> or asdot <c>1.10</c> (RFC 5396), 0..4294967295.
        /// </summary>
        public static bool TryParseAsn(string s, out uint asn)
        {
            asn = 0;
            if (s == null) return false;
            int dot = s.IndexOf('.');
            if (dot < 0) return TryParseUInt(s, out asn);
            uint hi, lo;
            if (!TryParseUInt(s.Substring(0, dot), out hi) || !TryParseUInt(s.Substring(dot + 1), out lo)) return false;
            if (hi > 65535 || lo > 65535) return false;
            asn = (hi << 16) | lo;
            return true;
        }
    }
}
