using System.Collections;

namespace VpnAppliance.Cli
{
    /// <summary>
    /// Splits a console line into words: spaces and tabs separate, a double-quoted value (with \" and \\
    /// inside, as in the configuration format, docs/config.md §1) is one word and keeps its quotes so that
    /// <c>set</c> hands it to the configuration parser unchanged. An unterminated quote runs to the end.
    /// </summary>
    public static class CliWords
    {
        /// <summary>Most words in a line.</summary>
        public const int MaxWords = 64;

        /// <summary>The words of <paramref name="line"/> (at most <see cref="MaxWords"/>).</summary>
        public static string[] Split(string line)
        {
            ArrayList words = new ArrayList();
            int i = 0;
            while (i < line.Length && words.Count < MaxWords)
            {
                while (i < line.Length && (line[i] == ' ' || line[i] == '\t'))
                {
                    i++;
                }

                if (i == line.Length)
                {
                    break;
                }

                int start = i;
                bool quoted = false;
                while (i < line.Length && (quoted || (line[i] != ' ' && line[i] != '\t')))
                {
                    if (line[i] == '\\' && quoted && i + 1 < line.Length)
                    {
                        i += 2;
                        continue;
                    }

                    if (line[i] == '"')
                    {
                        quoted = !quoted;
                    }

                    i++;
                }

                words.Add(line.Substring(start, i - start));
            }

            string[] result = new string[words.Count];
            for (int k = 0; k < result.Length; k++)
            {
                result[k] = (string)words[k];
            }

            return result;
        }

        /// <summary>True when the line ends with a space or tab (the next word has not started).</summary>
        public static bool EndsWithSpace(string line)
        {
            return line.Length > 0 && (line[line.Length - 1] == ' ' || line[line.Length - 1] == '\t');
        }

        /// <summary>Joins words with single spaces.</summary>
        public static string Join(string[] words, int start, int count)
        {
            string s = "";
            for (int i = start; i < start + count && i < words.Length; i++)
            {
                s = i == start ? words[i] : s + " " + words[i];
            }

            return s;
        }
    }
}
