namespace VpnAppliance.Hal.Crypto.Managed.Hashing
{
    /// <summary>
    /// SHA-512 (FIPS 180-4 §6.4) and SHA-384 (§6.5: other initial value, digest truncated to 48 bytes).
    /// </summary>
    public sealed class Sha512 : MerkleDamgardHash
    {
        // FIPS 180-4 §4.2.3: first 64 bits of the fractional parts of the cube roots of the first 80 primes.
        private static readonly ulong[] K =
        {
            0x428A2F98D728AE22UL, 0x7137449123EF65CDUL, 0xB5C0FBCFEC4D3B2FUL, 0xE9B5DBA58189DBBCUL,
            0x3956C25BF348B538UL, 0x59F111F1B605D019UL, 0x923F82A4AF194F9BUL, 0xAB1C5ED5DA6D8118UL,
            0xD807AA98A3030242UL, 0x12835B0145706FBEUL, 0x243185BE4EE4B28CUL, 0x550C7DC3D5FFB4E2UL,
            0x72BE5D74F27B896FUL, 0x80DEB1FE3B1696B1UL, 0x9BDC06A725C71235UL, 0xC19BF174CF692694UL,
            0xE49B69C19EF14AD2UL, 0xEFBE4786384F25E3UL, 0x0FC19DC68B8CD5B5UL, 0x240CA1CC77AC9C65UL,
            0x2DE92C6F592B0275UL, 0x4A7484AA6EA6E483UL, 0x5CB0A9DCBD41FBD4UL, 0x76F988DA831153B5UL,
            0x983E5152EE66DFABUL, 0xA831C66D2DB43210UL, 0xB00327C898FB213FUL, 0xBF597FC7BEEF0EE4UL,
            0xC6E00BF33DA88FC2UL, 0xD5A79147930AA725UL, 0x06CA6351E003826FUL, 0x142929670A0E6E70UL,
            0x27B70A8546D22FFCUL, 0x2E1B21385C26C926UL, 0x4D2C6DFC5AC42AEDUL, 0x53380D139D95B3DFUL,
            0x650A73548BAF63DEUL, 0x766A0ABB3C77B2A8UL, 0x81C2C92E47EDAEE6UL, 0x92722C851482353BUL,
            0xA2BFE8A14CF10364UL, 0xA81A664BBC423001UL, 0xC24B8B70D0F89791UL, 0xC76C51A30654BE30UL,
            0xD192E819D6EF5218UL, 0xD69906245565A910UL, 0xF40E35855771202AUL, 0x106AA07032BBD1B8UL,
            0x19A4C116B8D2D0C8UL, 0x1E376C085141AB53UL, 0x2748774CDF8EEB99UL, 0x34B0BCB5E19B48A8UL,
            0x391C0CB3C5C95A63UL, 0x4ED8AA4AE3418ACBUL, 0x5B9CCA4F7763E373UL, 0x682E6FF3D6B2B8A3UL,
            0x748F82EE5DEFB2FCUL, 0x78A5636F43172F60UL, 0x84C87814A1F0AB72UL, 0x8CC702081A6439ECUL,
            0x90BEFFFA23631E28UL, 0xA4506CEBDE82BDE9UL, 0xBEF9A3F7B2C67915UL, 0xC67178F2E372532BUL,
            0xCA273ECEEA26619CUL, 0xD186B8C721C0C207UL, 0xEADA7DD6CDE0EB1EUL, 0xF57D4F7FEE6ED178UL,
            0x06F067AA72176FBAUL, 0x0A637DC5A2C898A6UL, 0x113F9804BEF90DAEUL, 0x1B710B35131C471BUL,
            0x28DB77F523047D84UL, 0x32CAAB7B40C72493UL, 0x3C9EBE0A15C9BEBCUL, 0x431D67C49C100D4CUL,
            0x4CC5D4BECB3E42B6UL, 0x597F299CFC657E2AUL, 0x5FCB6FAB3AD6FAECUL, 0x6C44198C4A475817UL,
        };

        private readonly ulong[] _h = new ulong[8];
        private readonly ulong[] _w = new ulong[80];
        private readonly bool _is384;

        /// <summary>Creates SHA-512, or SHA-384 when <paramref name="sha384"/> is true.</summary>
        public Sha512(bool sha384) : base(128, 16)
        {
            _is384 = sha384;
            Reset();
        }

        /// <summary>64 bytes (48 for SHA-384).</summary>
        public override int HashLength { get { return _is384 ? 48 : 64; } }

        /// <summary>FIPS 180-4 §5.3.5 (SHA-512) and §5.3.4 (SHA-384: square roots of the 9th..16th primes).</summary>
        protected override void InitializeState()
        {
            if (_is384)
            {
                _h[0] = 0xCBBB9D5DC1059ED8UL;
                _h[1] = 0x629A292A367CD507UL;
                _h[2] = 0x9159015A3070DD17UL;
                _h[3] = 0x152FECD8F70E5939UL;
                _h[4] = 0x67332667FFC00B31UL;
                _h[5] = 0x8EB44A8768581511UL;
                _h[6] = 0xDB0C2E0D64F98FA7UL;
                _h[7] = 0x47B5481DBEFA4FA4UL;
            }
            else
            {
                _h[0] = 0x6A09E667F3BCC908UL;
                _h[1] = 0xBB67AE8584CAA73BUL;
                _h[2] = 0x3C6EF372FE94F82BUL;
                _h[3] = 0xA54FF53A5F1D36F1UL;
                _h[4] = 0x510E527FADE682D1UL;
                _h[5] = 0x9B05688C2B3E6C1FUL;
                _h[6] = 0x1F83D9ABFB41BD6BUL;
                _h[7] = 0x5BE0CD19137E2179UL;
            }
        }

        /// <summary>FIPS 180-4 §6.4.2.</summary>
        protected override void ProcessBlock(byte[] data, int offset)
        {
            ulong[] w = _w;
            for (int t = 0; t < 16; t++)
            {
                int i = offset + 8 * t;
                ulong hi = ((uint)data[i] << 24) | ((uint)data[i + 1] << 16) | ((uint)data[i + 2] << 8) | data[i + 3];
                ulong lo = ((uint)data[i + 4] << 24) | ((uint)data[i + 5] << 16) | ((uint)data[i + 6] << 8) | data[i + 7];
                w[t] = (hi << 32) | lo;
            }

            for (int t = 16; t < 80; t++)
            {
                ulong x = w[t - 2];
                ulong y = w[t - 15];
                ulong s1 = ((x >> 19) | (x << 45)) ^ ((x >> 61) | (x << 3)) ^ (x >> 6);
                ulong s0 = ((y >> 1) | (y << 63)) ^ ((y >> 8) | (y << 56)) ^ (y >> 7);
                w[t] = s1 + w[t - 7] + s0 + w[t - 16];
            }

            ulong a = _h[0], b = _h[1], c = _h[2], d = _h[3], e = _h[4], f = _h[5], g = _h[6], h = _h[7];
            for (int t = 0; t < 80; t++)
            {
                ulong bigSigma1 = ((e >> 14) | (e << 50)) ^ ((e >> 18) | (e << 46)) ^ ((e >> 41) | (e << 23));
                ulong ch = (e & f) ^ (~e & g);
                ulong t1 = h + bigSigma1 + ch + K[t] + w[t];
                ulong bigSigma0 = ((a >> 28) | (a << 36)) ^ ((a >> 34) | (a << 30)) ^ ((a >> 39) | (a << 25));
                ulong maj = (a & b) ^ (a & c) ^ (b & c);
                ulong t2 = bigSigma0 + maj;
                h = g;
                g = f;
                f = e;
                e = d + t1;
                d = c;
                c = b;
                b = a;
                a = t1 + t2;
            }

            _h[0] += a;
            _h[1] += b;
            _h[2] += c;
            _h[3] += d;
            _h[4] += e;
            _h[5] += f;
            _h[6] += g;
            _h[7] += h;
        }

        /// <summary>Big-endian H0..H7 (H0..H5 for SHA-384).</summary>
        protected override void WriteDigest(byte[] output, int offset)
        {
            int words = _is384 ? 6 : 8;
            for (int i = 0; i < words; i++)
            {
                ulong v = _h[i];
                for (int j = 0; j < 8; j++)
                {
                    output[offset + 8 * i + j] = (byte)(v >> (56 - 8 * j));
                }
            }
        }
    }
}
