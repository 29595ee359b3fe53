namespace VpnAppliance.Config
{
    /// <summary>
    /// Dotted-quad IPv4 addresses as host-order <c>uint</c>. Strict: exactly four base-10 octets 0..255,
    /// no leading zeros (so <c>010</c> is never read as octal by mistake), no spaces.
    /// </summary>
    public static class Ipv4
    {
        /// <summary>Parses <c>a.b.c.d</c>.</summary>
        public static bool TryParse(string s, out uint address)
        {
            return TryParse(s, 0, s == null ? 0 : s.Length, out address);
        }

        /// <summary>Parses <c>a.b.c.d</c> from s[start, end).</summary>
        public static bool TryParse(string s, int start, int end, out uint address)
        {
            address = 0;
            if (s == null || end - start < 7 || end - start > 15) return false;
            int octets = 0;
            int i = start;
            while (octets < 4)
            {
                int digits = 0;
                int v = 0;
                while (i < end && s[i] >= '0' && s[i] <= '9')
                {
                    if (digits == 1 && v == 0) return false; // leading zero
                    v = v * 10 + (s[i] - '0');
                    digits++;
                    i++;
                    if (digits > 3) return false;
                }
                if (digits == 0 || v > 255) return false;
                address = (address << 8) | (uint)v;
                octets++;
                if (octets < 4)
                {
                    if (i >= end || s[i] != '.') return false;
                    i++;
                }
            }
            return i == end;
        }

        /// <summary>Formats as <c>a.b.c.d</c>.</summary>
        public static string Format(uint a)
        {
            return ((a >> 24) & 0xFF).ToString() + "." + ((a >> 16) & 0xFF).ToString() + "."
                + ((a >> 8) & 0xFF).ToString() + "." + (a & 0xFF).ToString();
        }

        /// <summary>Network mask of a prefix length 0..32.</summary>
        public static uint Mask(int length)
        {
            if (length <= 0) return 0;
            if (length >= 32) return 0xFFFFFFFF;
            return 0xFFFFFFFF << (32 - length);
        }

        /// <summary>True when <paramref name="a"/> lies in first..last (inclusive).</summary>
        public static bool InRange(uint a, uint first, uint last) { return a >= first && a <= last; }

        /// <summary>Builds an address from four octets.</summary>
        public static uint Of(int a, int b, int c, int d)
        {
            return ((uint)a << 24) | ((uint)b << 16) | ((uint)c << 8) | (uint)d;
        }
    }
}
