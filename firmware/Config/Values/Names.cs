namespace VpnAppliance.Config
{
    /// <summary>
    /// Syntax of user-chosen names (groups, peers, prefix-lists) and of the host name.
    /// </summary>
    public static class Names
    {
        /// <summary>Longest object name.</summary>
        public const int MaxName = 32;

        /// <summary>Object name: 1..32 of <c>A-Z a-z 0-9 _ . -</c>, starting with a letter or digit.</summary>
        public static bool IsValidName(string s)
        {
            if (s == null || s.Length == 0 || s.Length > MaxName) return false;
            if (!IsAlnum(s[0])) return false;
            for (int i = 1; i < s.Length; i++)
            {
                char c = s[i];
                if (!IsAlnum(c) && c != '_' && c != '.' && c != '-') return false;
            }
            return true;
        }

        /// <summary>Host name label (RFC 1123 §2.1): 1..63 of letters, digits and '-', not starting or ending with '-'.</summary>
        public static bool IsValidHostName(string s)
        {
            if (s == null || s.Length == 0 || s.Length > 63) return false;
            if (s[0] == '-' || s[s.Length - 1] == '-') return false;
            for (int i = 0; i < s.Length; i++)
            {
                char c = s[i];
                if (!IsAlnum(c) && c != '-') return false;
            }
            return true;
        }

        /// <summary>Domain name: dot-separated host-name labels, at most 253 characters.</summary>
        public static bool IsValidDomainName(string s)
        {
            if (s == null || s.Length == 0 || s.Length > 253) return false;
            int start = 0;
            for (int i = 0; i <= s.Length; i++)
            {
                if (i == s.Length || s[i] == '.')
                {
                    if (!IsValidHostName(s.Substring(start, i - start))) return false;
                    start = i + 1;
                }
            }
            return true;
        }

        /// <summary>ASCII letter or digit.</summary>
        public static bool IsAlnum(char c)
        {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        }

        /// <summary>Ordinal string order (for canonical print), independent of culture.</summary>
        public static int Compare(string a, string b)
        {
            int n = a.Length < b.Length ? a.Length : b.Length;
            for (int i = 0; i < n; i++)
            {
                if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
            }
            return a.Length == b.Length ? 0 : (a.Length < b.Length ? -1 : 1);
        }
    }
}
