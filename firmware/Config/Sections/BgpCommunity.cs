namespace VpnAppliance.Config
{
    /// <summary>
    /// COMMUNITIES values in the configuration (RFC 1997): <c>asn:value</c> with both parts 0..65535, or the
    /// well-known names <c>no-export</c>, <c>no-advertise</c>, <c>no-export-subconfed</c>.
    /// </summary>
    public static class BgpCommunity
    {
        /// <summary>NO_EXPORT (RFC 1997).</summary>
        public const uint NoExport = 0xFFFFFF01;
        /// <summary>NO_ADVERTISE (RFC 1997).</summary>
        public const uint NoAdvertise = 0xFFFFFF02;
        /// <summary>NO_EXPORT_SUBCONFED (RFC 1997).</summary>
        public const uint NoExportSubconfed = 0xFFFFFF03;

        /// <summary>Parses <paramref name="s"/>; false when it is not a community.</summary>
        public static bool TryParse(string s, out uint value)
        {
            value = 0;
            if (s == "no-export") { value = NoExport; return true; }
            if (s == "no-advertise") { value = NoAdvertise; return true; }
            if (s == "no-export-subconfed") { value = NoExportSubconfed; return true; }
            int colon = s.IndexOf(':');
            if (colon <= 0 || colon >= s.Length - 1) return false;
            uint hi, lo;
            if (!Part(s, 0, colon, out hi) || !Part(s, colon + 1, s.Length, out lo)) return false;
            value = (hi << 16) | lo;
            return true;
        }

        private static bool Part(string s, int from, int to, out uint v)
        {
            v = 0;
            if (to - from > 5) return false;
            for (int i = from; i < to; i++)
            {
                char c = s[i];
                if (c < '0' || c > '9') return false;
                v = v * 10 + (uint)(c - '0');
            }
            return v <= 65535;
        }

        /// <summary>Text of <paramref name="value"/> (well-known names for the RFC 1997 values).</summary>
        public static string Format(uint value)
        {
            if (value == NoExport) return "no-export";
            if (value == NoAdvertise) return "no-advertise";
            if (value == NoExportSubconfed) return "no-export-subconfed";
            return (value >> 16).ToString() + ":" + (value & 0xFFFF).ToString();
        }
    }
}
