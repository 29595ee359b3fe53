using VpnAppliance.Hal.Crypto;

namespace VpnAppliance.Cli.Login
{
    /// <summary>
    /// PBKDF2 (RFC 8018 §5.2) with HMAC as the PRF: DK = T_1 || T_2 || ..., T_i = U_1 ^ ... ^ U_c,
    /// U_1 = PRF(P, S || INT(i)), U_j = PRF(P, U_{j-1}). The HMAC comes from the board's crypto provider
    /// (HMAC-SHA256 on every board: nanoFramework offers it natively).
    /// </summary>
    public static class Pbkdf2
    {
        /// <summary>Derives <paramref name="length"/> bytes into <paramref name="output"/>.</summary>
        public static void Derive(IMac hmac, byte[] password, byte[] salt, int iterations, byte[] output, int length)
        {
            int h = hmac.MacLength;
            byte[] u = new byte[h];
            byte[] t = new byte[h];
            byte[] counter = new byte[4];
            hmac.SetKey(password, 0, password.Length);
            int blocks = (length + h - 1) / h;
            for (int i = 1; i <= blocks; i++)
            {
                counter[0] = (byte)(i >> 24);
                counter[1] = (byte)(i >> 16);
                counter[2] = (byte)(i >> 8);
                counter[3] = (byte)i;
                hmac.Reset();
                hmac.Update(salt, 0, salt.Length);
                hmac.Update(counter, 0, 4);
                hmac.Final(u, 0);
                System.Array.Copy(u, t, h);
                for (int j = 2; j <= iterations; j++)
                {
                    hmac.Reset();
                    hmac.Update(u, 0, h);
                    hmac.Final(u, 0);
                    for (int k = 0; k < h; k++)
                    {
                        t[k] ^= u[k];
                    }
                }

                int offset = (i - 1) * h;
                int n = length - offset < h ? length - offset : h;
                System.Array.Copy(t, 0, output, offset, n);
            }

            hmac.Clear();
        }
    }
}
