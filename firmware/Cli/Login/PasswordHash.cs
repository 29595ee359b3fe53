using VpnAppliance.Hal;
using VpnAppliance.Hal.Crypto;

namespace VpnAppliance.Cli.Login
{
    /// <summary>
    /// The console password as a salted PBKDF2-HMAC-SHA256 hash (RFC 8018 §5.2; 16-byte random salt, 32-byte
    /// key). Its text form, kept in the configuration store and never shown, is
    /// <c>pbkdf2-sha256$&lt;iterations&gt;$&lt;salt hex&gt;$&lt;hash hex&gt;</c>. The factory state has no hash:
    /// the factory password <see cref="FactoryPassword"/> is then accepted once and must be changed.
    /// </summary>
    public sealed class PasswordHash
    {
        /// <summary>The factory default password, accepted only while no password was set.</summary>
        public const string FactoryPassword = "admin";
        /// <summary>Scheme name in the text form.</summary>
        public const string Scheme = "pbkdf2-sha256";
        /// <summary>Salt bytes.</summary>
        public const int SaltLength = 16;
        /// <summary>Derived key bytes.</summary>
        public const int KeyLength = 32;
        /// <summary>Shortest new password.</summary>
        public const int MinPasswordLength = 8;

        private readonly int _iterations;
        private readonly byte[] _salt;
        private readonly byte[] _key;

        private PasswordHash(int iterations, byte[] salt, byte[] key)
        {
            _iterations = iterations;
            _salt = salt;
            _key = key;
        }

        /// <summary>Iteration count.</summary>
        public int Iterations { get { return _iterations; } }

        /// <summary>Hashes <paramref name="password"/> with a fresh salt from <paramref name="entropy"/>; null when no entropy.</summary>
        public static PasswordHash Create(string password, int iterations, IMac hmac, IEntropySource entropy)
        {
            byte[] salt = new byte[SaltLength];
            int have = 0;
            for (int attempt = 0; attempt < 8 && have < SaltLength && entropy != null; attempt++)
            {
                int n = entropy.Fill(salt, have, SaltLength - have);
                if (n > 0)
                {
                    have += n;
                }
            }

            if (have < SaltLength)
            {
                return null;
            }

            byte[] key = new byte[KeyLength];
            Pbkdf2.Derive(hmac, Bytes(password), salt, iterations, key, KeyLength);
            return new PasswordHash(iterations, salt, key);
        }

        /// <summary>True when <paramref name="password"/> hashes to this hash (constant-time comparison).</summary>
        public bool Verify(string password, IMac hmac)
        {
            byte[] key = new byte[KeyLength];
            Pbkdf2.Derive(hmac, Bytes(password), _salt, _iterations, key, KeyLength);
            int diff = 0;
            for (int i = 0; i < KeyLength; i++)
            {
                diff |= key[i] ^ _key[i];
            }

            return diff == 0;
        }

        /// <summary>The text form (a secret: only for the store).</summary>
        public string Format()
        {
            return Scheme + "$" + _iterations.ToString() + "$" + Hex(_salt) + "$" + Hex(_key);
        }

        /// <summary>Parses the text form; null when malformed.</summary>
        public static PasswordHash Parse(string text)
        {
            if (text == null)
            {
                return null;
            }

            string[] parts = text.Split('$');
            if (parts.Length != 4 || parts[0] != Scheme || parts[1].Length == 0 || parts[1].Length > 7)
            {
                return null;
            }

            int iterations = 0;
            for (int i = 0; i < parts[1].Length; i++)
            {
                char c = parts[1][i];
                if (c < '0' || c > '9')
                {
                    return null;
                }

                iterations = iterations * 10 + (c - '0');
            }

            byte[] salt = FromHex(parts[2]);
            byte[] key = FromHex(parts[3]);
            if (iterations < 1 || salt == null || key == null || salt.Length != SaltLength || key.Length != KeyLength)
            {
                return null;
            }

            return new PasswordHash(iterations, salt, key);
        }

        private static byte[] Bytes(string s)
        {
            byte[] b = new byte[s.Length];
            for (int i = 0; i < s.Length; i++)
            {
                b[i] = (byte)s[i];
            }

            return b;
        }

        private static string Hex(byte[] b)
        {
            char[] c = new char[b.Length * 2];
            for (int i = 0; i < b.Length; i++)
            {
                c[2 * i] = Digit(b[i] >> 4);
                c[2 * i + 1] = Digit(b[i] & 15);
            }

            return new string(c);
        }

        private static char Digit(int n)
        {
            return (char)(n < 10 ? '0' + n : 'a' + n - 10);
        }

        private static byte[] FromHex(string s)
        {
            if (s.Length % 2 != 0)
            {
                return null;
            }

            byte[] b = new byte[s.Length / 2];
            for (int i = 0; i < b.Length; i++)
            {
                int hi = Value(s[2 * i]);
                int lo = Value(s[2 * i + 1]);
                if (hi < 0 || lo < 0)
                {
                    return null;
                }

                b[i] = (byte)((hi << 4) | lo);
            }

            return b;
        }

        private static int Value(char c)
        {
            if (c >= '0' && c <= '9') return c - '0';
            if (c >= 'a' && c <= 'f') return c - 'a' + 10;
            return -1;
        }
    }
}
