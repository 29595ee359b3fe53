using System.Collections;

namespace VpnAppliance.Cli
{
    /// <summary>
    /// The statement shapes of the configuration language (docs/config.md §3) for help, Tab completion and
    /// abbreviations after <c>set</c>/<c>delete</c>. Each template is a sequence of positions: literal keywords
    /// (alternatives separated by '|') or a value placeholder in angle brackets. The configuration parser stays
    /// the authority on what is valid: this table only guides typing, so a statement it lacks still parses.
    /// </summary>
    public static class ConfigGrammar
    {
        /// <summary>Every statement shape, without the leading "set".</summary>
        public static readonly string[] Templates = new string[]
        {
            "system host-name <label>",
            "system domain-name <domain>",
            "interfaces lan|wan address <a.b.c.d/nn>",
            "interfaces lan|wan mtu <576-9000>",
            "interfaces wan gateway <a.b.c.d>",
            "interfaces loopback address <a.b.c.d/32>",
            "vpn ike-group <name> proposal <proposal>",
            "vpn ike-group <name> lifetime <120-172800>",
            "vpn ike-group <name> rekey-margin <0-86400>",
            "vpn ike-group <name> rekey-fuzz <0-200>",
            "vpn ike-group <name> dpd interval <1-3600>",
            "vpn ike-group <name> dpd timeout <1-86400>",
            "vpn ike-group <name> dpd action restart|clear|hold|none",
            "vpn ike-group <name> retransmit tries <1-20>",
            "vpn ike-group <name> retransmit timeout <1-60>",
            "vpn esp-group <name> proposal <proposal>",
            "vpn esp-group <name> lifetime <120-86400>",
            "vpn esp-group <name> rekey-margin <0-86400>",
            "vpn esp-group <name> rekey-fuzz <0-200>",
            "vpn esp-group <name> pfs enable|disable",
            "vpn esp-group <name> replay-window <0-4096>",
            "vpn esp-group <name> lifetime-bytes <1-2000000>",
            "vpn peer <name> address <a.b.c.d>",
            "vpn peer <name> profile azure|alibaba|aws|gcp|generic",
            "vpn peer <name> psk <secret>",
            "vpn peer <name> local-id <identity>",
            "vpn peer <name> remote-id <identity>",
            "vpn peer <name> ike-group <name>",
            "vpn peer <name> esp-group <name>",
            "vpn peer <name> connection-type initiate|respond",
            "vpn tunnel <vtiN> peer <name>",
            "vpn tunnel <vtiN> address <a.b.c.d/nn>",
            "vpn tunnel <vtiN> mtu <576-1500>",
            "vpn tunnel <vtiN> mss <536-1460>",
            "vpn tunnel <vtiN> local-ts <network>",
            "vpn tunnel <vtiN> remote-ts <network>",
            "policy prefix-list <name> rule <1-65535> action permit|deny",
            "policy prefix-list <name> rule <1-65535> prefix <network>",
            "policy prefix-list <name> rule <1-65535> ge <0-32>",
            "policy prefix-list <name> rule <1-65535> le <0-32>",
            "protocols static route <network> next-hop tunnel <vtiN>",
            "protocols static route <network> next-hop address <a.b.c.d>",
            "protocols static route <network> blackhole",
            "protocols static route <network> distance <1-255>",
            "protocols bfd peer <a.b.c.d>",
            "protocols bfd peer <a.b.c.d> interval transmit <10-60000>",
            "protocols bfd peer <a.b.c.d> interval receive <10-60000>",
            "protocols bfd peer <a.b.c.d> interval multiplier <1-255>",
            "protocols bfd peer <a.b.c.d> source address <a.b.c.d>",
            "protocols bfd peer <a.b.c.d> shutdown",
            "protocols bgp local-as <asn>",
            "protocols bgp router-id <a.b.c.d>",
            "protocols bgp network <network>",
            "protocols bgp maximum-paths <1-16>",
            "protocols bgp neighbor <a.b.c.d> remote-as <asn>",
            "protocols bgp neighbor <a.b.c.d> local-as <asn>",
            "protocols bgp neighbor <a.b.c.d> tunnel <vtiN>",
            "protocols bgp neighbor <a.b.c.d> update-source <a.b.c.d>",
            "protocols bgp neighbor <a.b.c.d> ebgp-multihop <1-255>",
            "protocols bgp neighbor <a.b.c.d> timers keepalive <0-21845>",
            "protocols bgp neighbor <a.b.c.d> timers hold <0|3-65535>",
            "protocols bgp neighbor <a.b.c.d> prefix-list import|export <name>",
            "protocols bgp neighbor <a.b.c.d> as-path-prepend <1-10>",
            "protocols bgp neighbor <a.b.c.d> med <0-4294967295>",
            "protocols bgp neighbor <a.b.c.d> maximum-prefix <1-1000000>",
        };

        private static string[][] _split;

        private static string[][] Split()
        {
            if (_split == null)
            {
                string[][] s = new string[Templates.Length][];
                for (int i = 0; i < Templates.Length; i++)
                {
                    s[i] = Templates[i].Split(' ');
                }

                _split = s;
            }

            return _split;
        }

        private static bool IsValue(string position)
        {
            return position.Length > 0 && position[0] == '<';
        }

        private static bool LiteralHas(string position, string word)
        {
            string[] alternatives = position.Split('|');
            for (int i = 0; i < alternatives.Length; i++)
            {
                if (alternatives[i] == word)
                {
                    return true;
                }
            }

            return false;
        }

        // Templates whose first `count` positions accept words[start..start+count).
        private static bool Accepts(string[] t, string[] words, int start, int count)
        {
            if (count > t.Length)
            {
                return false;
            }

            for (int i = 0; i < count; i++)
            {
                if (!IsValue(t[i]) && !LiteralHas(t[i], words[start + i]))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>
        /// Expands abbreviated keywords in words[start..] in place ("int lan add" to "interfaces lan address"):
        /// a word is expanded when, among the templates that accept the words before it, it is the prefix of
        /// exactly one keyword and no template has a value at that position. Stops at the first word it cannot
        /// place. Returns how many words it placed.
        /// </summary>
        public static int Expand(string[] words, int start)
        {
            string[][] all = Split();
            int k = 0;
            while (start + k < words.Length)
            {
                string word = words[start + k];
                string only = null;
                int prefixMatches = 0;
                bool exact = false;
                bool value = false;
                ArrayList seen = new ArrayList();
                for (int t = 0; t < all.Length; t++)
                {
                    if (!Accepts(all[t], words, start, k) || all[t].Length <= k)
                    {
                        continue;
                    }

                    string position = all[t][k];
                    if (IsValue(position))
                    {
                        value = true;
                        continue;
                    }

                    string[] alternatives = position.Split('|');
                    for (int a = 0; a < alternatives.Length; a++)
                    {
                        if (alternatives[a] == word)
                        {
                            exact = true;
                        }
                        else if (alternatives[a].StartsWith(word) && !seen.Contains(alternatives[a]))
                        {
                            seen.Add(alternatives[a]);
                            only = alternatives[a];
                            prefixMatches++;
                        }
                    }
                }

                if (!exact)
                {
                    if (prefixMatches == 1 && !value)
                    {
                        words[start + k] = only;
                    }
                    else if (!value)
                    {
                        return k;
                    }
                }

                k++;
            }

            return k;
        }

        /// <summary>
        /// What may follow words[start..start+count): distinct keywords (each with the rest of one template as
        /// its help) or value placeholders, in template order; when <paramref name="partial"/> is not null only
        /// the keywords it is a prefix of. Each entry is "word\thelp".
        /// </summary>
        public static string[] Next(string[] words, int start, int count, string partial)
        {
            string[][] all = Split();
            ArrayList names = new ArrayList();
            ArrayList result = new ArrayList();
            for (int t = 0; t < all.Length; t++)
            {
                if (!Accepts(all[t], words, start, count) || all[t].Length <= count)
                {
                    continue;
                }

                string position = all[t][count];
                string rest = "";
                for (int i = count + 1; i < all[t].Length; i++)
                {
                    rest = rest.Length == 0 ? all[t][i] : rest + " " + all[t][i];
                }

                string[] alternatives = IsValue(position) ? new string[] { position } : position.Split('|');
                for (int a = 0; a < alternatives.Length; a++)
                {
                    string w = alternatives[a];
                    if (names.Contains(w) || (partial != null && (IsValue(w) || !w.StartsWith(partial))))
                    {
                        continue;
                    }

                    names.Add(w);
                    result.Add(w + "\t" + rest);
                }
            }

            string[] r = new string[result.Count];
            for (int i = 0; i < r.Length; i++)
            {
                r[i] = (string)result[i];
            }

            return r;
        }
    }
}
