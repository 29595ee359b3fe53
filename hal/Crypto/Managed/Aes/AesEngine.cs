using VpnAppliance.Hal.Crypto;

namespace VpnAppliance.Hal.Crypto.Managed.Aes
{
    /// <summary>
    /// AES (FIPS 197) with 128/192/256-bit keys, table-driven ("T-tables": SubBytes, ShiftRows and
    /// MixColumns folded into four 256-word tables per direction; decryption uses the equivalent inverse
    /// cipher, FIPS 197 §5.3.5). The tables are computed at type initialisation from the definitions in
    /// FIPS 197 §4.2 and §5.1.1, so no constant table is typed in.
    /// <para>
    /// Timing: table lookups are indexed by key- and data-dependent bytes, so on machines with data caches
    /// this implementation is NOT constant-time (cache-timing attacks apply). It exists so that the managed
    /// provider is complete and testable on the host, and as a fallback. The device build uses the
    /// runtime's hardware AES instead; production host builds use the host provider (AES-NI).
    /// </para>
    /// </summary>
    public sealed class AesEngine : IBlockCipher
    {
        private static readonly byte[] SBox = new byte[256];
        private static readonly byte[] InvSBox = new byte[256];
        private static readonly uint[] Te0 = new uint[256];
        private static readonly uint[] Te1 = new uint[256];
        private static readonly uint[] Te2 = new uint[256];
        private static readonly uint[] Te3 = new uint[256];
        private static readonly uint[] Td0 = new uint[256];
        private static readonly uint[] Td1 = new uint[256];
        private static readonly uint[] Td2 = new uint[256];
        private static readonly uint[] Td3 = new uint[256];

        private readonly uint[] _encryptKey = new uint[60];
        private readonly uint[] _decryptKey = new uint[60];
        private int _rounds;

        static AesEngine()
        {
            BuildTables();
        }

        /// <summary>16.</summary>
        public int BlockLength { get { return 16; } }

        /// <summary>Key expansion (FIPS 197 §5.2) and the equivalent inverse key schedule (§5.3.5).</summary>
        public CryptoResult SetKey(byte[] key, int offset, int count)
        {
            if (!Bounds.Fits(key, offset, count) || (count != 16 && count != 24 && count != 32))
            {
                return CryptoResult.InvalidKey;
            }

            int nk = count / 4;
            _rounds = nk + 6;
            int total = 4 * (_rounds + 1);
            uint[] w = _encryptKey;
            for (int i = 0; i < nk; i++)
            {
                int j = offset + 4 * i;
                w[i] = ((uint)key[j] << 24) | ((uint)key[j + 1] << 16) | ((uint)key[j + 2] << 8) | key[j + 3];
            }

            uint rcon = 0x01;
            for (int i = nk; i < total; i++)
            {
                uint temp = w[i - 1];
                if (i % nk == 0)
                {
                    // RotWord, SubWord, Rcon (FIPS 197 §5.2).
                    temp = SubWord((temp << 8) | (temp >> 24)) ^ (rcon << 24);
                    rcon = XTime(rcon);
                }
                else if (nk > 6 && i % nk == 4)
                {
                    temp = SubWord(temp);
                }

                w[i] = w[i - nk] ^ temp;
            }

            uint[] dk = _decryptKey;
            for (int j = 0; j < 4; j++)
            {
                dk[j] = w[4 * _rounds + j];
                dk[4 * _rounds + j] = w[j];
            }

            for (int r = 1; r < _rounds; r++)
            {
                for (int j = 0; j < 4; j++)
                {
                    uint x = w[4 * (_rounds - r) + j];
                    // InvMixColumns of a round-key word: Td tables include InvSubBytes, so undo it with SBox first.
                    dk[4 * r + j] = Td0[SBox[x >> 24]] ^ Td1[SBox[(x >> 16) & 0xFF]] ^ Td2[SBox[(x >> 8) & 0xFF]] ^ Td3[SBox[x & 0xFF]];
                }
            }

            return CryptoResult.Ok;
        }

        /// <summary>The cipher (FIPS 197 §5.1).</summary>
        public void EncryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset)
        {
            uint[] rk = _encryptKey;
            uint s0 = Load(input, inputOffset) ^ rk[0];
            uint s1 = Load(input, inputOffset + 4) ^ rk[1];
            uint s2 = Load(input, inputOffset + 8) ^ rk[2];
            uint s3 = Load(input, inputOffset + 12) ^ rk[3];
            int k = 4;
            for (int round = 1; round < _rounds; round++)
            {
                uint t0 = Te0[s0 >> 24] ^ Te1[(s1 >> 16) & 0xFF] ^ Te2[(s2 >> 8) & 0xFF] ^ Te3[s3 & 0xFF] ^ rk[k];
                uint t1 = Te0[s1 >> 24] ^ Te1[(s2 >> 16) & 0xFF] ^ Te2[(s3 >> 8) & 0xFF] ^ Te3[s0 & 0xFF] ^ rk[k + 1];
                uint t2 = Te0[s2 >> 24] ^ Te1[(s3 >> 16) & 0xFF] ^ Te2[(s0 >> 8) & 0xFF] ^ Te3[s1 & 0xFF] ^ rk[k + 2];
                uint t3 = Te0[s3 >> 24] ^ Te1[(s0 >> 16) & 0xFF] ^ Te2[(s1 >> 8) & 0xFF] ^ Te3[s2 & 0xFF] ^ rk[k + 3];
                s0 = t0;
                s1 = t1;
                s2 = t2;
                s3 = t3;
                k += 4;
            }

            // Last round: SubBytes, ShiftRows, AddRoundKey (no MixColumns).
            Store(output, outputOffset, LastRound(s0, s1, s2, s3, SBox) ^ rk[k]);
            Store(output, outputOffset + 4, LastRound(s1, s2, s3, s0, SBox) ^ rk[k + 1]);
            Store(output, outputOffset + 8, LastRound(s2, s3, s0, s1, SBox) ^ rk[k + 2]);
            Store(output, outputOffset + 12, LastRound(s3, s0, s1, s2, SBox) ^ rk[k + 3]);
        }

        /// <summary>The equivalent inverse cipher (FIPS 197 §5.3.5).</summary>
        public void DecryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset)
        {
            uint[] rk = _decryptKey;
            uint s0 = Load(input, inputOffset) ^ rk[0];
            uint s1 = Load(input, inputOffset + 4) ^ rk[1];
            uint s2 = Load(input, inputOffset + 8) ^ rk[2];
            uint s3 = Load(input, inputOffset + 12) ^ rk[3];
            int k = 4;
            for (int round = 1; round < _rounds; round++)
            {
                uint t0 = Td0[s0 >> 24] ^ Td1[(s3 >> 16) & 0xFF] ^ Td2[(s2 >> 8) & 0xFF] ^ Td3[s1 & 0xFF] ^ rk[k];
                uint t1 = Td0[s1 >> 24] ^ Td1[(s0 >> 16) & 0xFF] ^ Td2[(s3 >> 8) & 0xFF] ^ Td3[s2 & 0xFF] ^ rk[k + 1];
                uint t2 = Td0[s2 >> 24] ^ Td1[(s1 >> 16) & 0xFF] ^ Td2[(s0 >> 8) & 0xFF] ^ Td3[s3 & 0xFF] ^ rk[k + 2];
                uint t3 = Td0[s3 >> 24] ^ Td1[(s2 >> 16) & 0xFF] ^ Td2[(s1 >> 8) & 0xFF] ^ Td3[s0 & 0xFF] ^ rk[k + 3];
                s0 = t0;
                s1 = t1;
                s2 = t2;
                s3 = t3;
                k += 4;
            }

            Store(output, outputOffset, LastRound(s0, s3, s2, s1, InvSBox) ^ rk[k]);
            Store(output, outputOffset + 4, LastRound(s1, s0, s3, s2, InvSBox) ^ rk[k + 1]);
            Store(output, outputOffset + 8, LastRound(s2, s1, s0, s3, InvSBox) ^ rk[k + 2]);
            Store(output, outputOffset + 12, LastRound(s3, s2, s1, s0, InvSBox) ^ rk[k + 3]);
        }

        /// <summary>ECB over consecutive blocks.</summary>
        public void EncryptBlocks(byte[] input, int inputOffset, byte[] output, int outputOffset, int blockCount)
        {
            for (int i = 0; i < blockCount; i++)
            {
                EncryptBlock(input, inputOffset + 16 * i, output, outputOffset + 16 * i);
            }
        }

        /// <summary>Zeroises both key schedules.</summary>
        public void Clear()
        {
            ConstantTime.Zeroise(_encryptKey);
            ConstantTime.Zeroise(_decryptKey);
            _rounds = 0;
        }

        private static uint LastRound(uint a, uint b, uint c, uint d, byte[] box)
        {
            return ((uint)box[a >> 24] << 24) | ((uint)box[(b >> 16) & 0xFF] << 16) | ((uint)box[(c >> 8) & 0xFF] << 8) | box[d & 0xFF];
        }

        private static uint SubWord(uint x)
        {
            return ((uint)SBox[x >> 24] << 24) | ((uint)SBox[(x >> 16) & 0xFF] << 16) | ((uint)SBox[(x >> 8) & 0xFF] << 8) | SBox[x & 0xFF];
        }

        private static uint Load(byte[] b, int i)
        {
            return ((uint)b[i] << 24) | ((uint)b[i + 1] << 16) | ((uint)b[i + 2] << 8) | b[i + 3];
        }

        private static void Store(byte[] b, int i, uint v)
        {
            b[i] = (byte)(v >> 24);
            b[i + 1] = (byte)(v >> 16);
            b[i + 2] = (byte)(v >> 8);
            b[i + 3] = (byte)v;
        }

        /// <summary>Multiplication by x in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1 (FIPS 197 §4.2.1).</summary>
        private static uint XTime(uint a)
        {
            a <<= 1;
            if ((a & 0x100) != 0)
            {
                a ^= 0x11B;
            }

            return a & 0xFF;
        }

        private static uint Multiply(uint a, uint b)
        {
            uint p = 0;
            for (int i = 0; i < 8; i++)
            {
                if ((b & 1) != 0)
                {
                    p ^= a;
                }

                a = XTime(a);
                b >>= 1;
            }

            return p;
        }

        private static void BuildTables()
        {
            // S-box (FIPS 197 §5.1.1): multiplicative inverse in GF(2^8) (0 maps to 0), then the affine map
            // b' = b ^ rotl(b,1) ^ rotl(b,2) ^ rotl(b,3) ^ rotl(b,4) ^ 0x63. Inverses come from log/antilog
            // tables over the generator 3 (x + 1). Type initialisation only.
            uint[] antilog = new uint[256];
            uint[] log = new uint[256];
            uint p = 1;
            for (uint i = 0; i < 255; i++)
            {
                antilog[i] = p;
                log[p] = i;
                p ^= XTime(p);
            }

            for (uint x = 0; x < 256; x++)
            {
                uint inverse = x == 0 ? 0 : antilog[(255 - log[x]) % 255];
                uint s = inverse;
                uint r = inverse;
                for (int i = 0; i < 4; i++)
                {
                    r = ((r << 1) | (r >> 7)) & 0xFF;
                    s ^= r;
                }

                s ^= 0x63;
                SBox[x] = (byte)s;
                InvSBox[s] = (byte)x;
            }

            for (int x = 0; x < 256; x++)
            {
                uint s = SBox[x];
                // MixColumns column for a single non-zero byte: (2s, s, s, 3s) (FIPS 197 §5.1.3).
                uint te = (Multiply(s, 2) << 24) | (s << 16) | (s << 8) | Multiply(s, 3);
                Te0[x] = te;
                Te1[x] = (te >> 8) | (te << 24);
                Te2[x] = (te >> 16) | (te << 16);
                Te3[x] = (te >> 24) | (te << 8);
                uint si = InvSBox[x];
                // InvMixColumns column: (14, 9, 13, 11) (FIPS 197 §5.3.3).
                uint td = (Multiply(si, 14) << 24) | (Multiply(si, 9) << 16) | (Multiply(si, 13) << 8) | Multiply(si, 11);
                Td0[x] = td;
                Td1[x] = (td >> 8) | (td << 24);
                Td2[x] = (td >> 16) | (td << 16);
                Td3[x] = (td >> 24) | (td << 8);
            }
        }
    }
}
