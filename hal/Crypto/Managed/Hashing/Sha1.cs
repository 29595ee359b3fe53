namespace VpnAppliance.Hal.Crypto.Managed.Hashing
{
    /// <summary>SHA-1 (FIPS 180-4 §6.1). Still needed for HMAC-SHA1-96 (RFC 2404) and PRF_HMAC_SHA1.</summary>
    public sealed class Sha1 : MerkleDamgardHash
    {
        private readonly uint[] _h = new uint[5];
        private readonly uint[] _w = new uint[80];

        /// <summary>Creates a SHA-1 instance ready for use.</summary>
        public Sha1() : base(64, 8)
        {
            Reset();
        }

        /// <summary>20 bytes.</summary>
        public override int HashLength { get { return 20; } }

        /// <summary>FIPS 180-4 §5.3.1.</summary>
        protected override void InitializeState()
        {
            _h[0] = 0x67452301U;
            _h[1] = 0xEFCDAB89U;
            _h[2] = 0x98BADCFEU;
            _h[3] = 0x10325476U;
            _h[4] = 0xC3D2E1F0U;
        }

        /// <summary>FIPS 180-4 §6.1.2.</summary>
        protected override void ProcessBlock(byte[] data, int offset)
        {
            uint[] w = _w;
            for (int t = 0; t < 16; t++)
            {
                int i = offset + 4 * t;
                w[t] = ((uint)data[i] << 24) | ((uint)data[i + 1] << 16) | ((uint)data[i + 2] << 8) | data[i + 3];
            }

            for (int t = 16; t < 80; t++)
            {
                uint x = w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16];
                w[t] = (x << 1) | (x >> 31);
            }

            uint a = _h[0], b = _h[1], c = _h[2], d = _h[3], e = _h[4];
            for (int t = 0; t < 80; t++)
            {
                uint f;
                uint k;
                if (t < 20)
                {
                    f = (b & c) | (~b & d);
                    k = 0x5A827999U;
                }
                else if (t < 40)
                {
                    f = b ^ c ^ d;
                    k = 0x6ED9EBA1U;
                }
                else if (t < 60)
                {
                    f = (b & c) | (b & d) | (c & d);
                    k = 0x8F1BBCDCU;
                }
                else
                {
                    f = b ^ c ^ d;
                    k = 0xCA62C1D6U;
                }

                uint temp = ((a << 5) | (a >> 27)) + f + e + k + w[t];
                e = d;
                d = c;
                c = (b << 30) | (b >> 2);
                b = a;
                a = temp;
            }

            _h[0] += a;
            _h[1] += b;
            _h[2] += c;
            _h[3] += d;
            _h[4] += e;
        }

        /// <summary>Big-endian H0..H4.</summary>
        protected override void WriteDigest(byte[] output, int offset)
        {
            for (int i = 0; i < 5; i++)
            {
                uint v = _h[i];
                output[offset + 4 * i] = (byte)(v >> 24);
                output[offset + 4 * i + 1] = (byte)(v >> 16);
                output[offset + 4 * i + 2] = (byte)(v >> 8);
                output[offset + 4 * i + 3] = (byte)v;
            }
        }
    }
}
