using VpnAppliance.Hal.Crypto;
using VpnAppliance.Hal.Crypto.Managed.BigNum;

namespace VpnAppliance.Hal.Crypto.Managed.Curve25519
{
    /// <summary>
    /// X25519 (RFC 7748 §5) as IKEv2 group 31 (RFC 8031): the KE data is the 32-byte little-endian
    /// u-coordinate X25519(k, 9), the shared secret is X25519(k, peer) (32 bytes), and an all-zero shared
    /// secret is rejected (RFC 8031 §2.3, RFC 7748 §6.1). Field arithmetic modulo p = 2^255 - 19 reuses the
    /// Montgomery-form limb arithmetic; the ladder is RFC 7748 §5's, with masked conditional swaps and a fixed
    /// 255 steps, so neither branches nor memory addresses depend on the scalar.
    /// </summary>
    public sealed class X25519DiffieHellman : IDiffieHellman
    {
        private const int Length = 32;

        private static readonly object Gate = new object();
        private static MontgomeryModulus _field;
        private static uint[] _primeMinusTwo;

        private readonly MontgomeryArithmetic _f;
        private readonly uint[] _a24;
        private readonly byte[] _scalar = new byte[Length];
        private readonly byte[] _public = new byte[Length];
        private readonly byte[] _basePoint = new byte[Length];
        private readonly uint[] _x1 = new uint[8];
        private readonly uint[] _x2 = new uint[8];
        private readonly uint[] _z2 = new uint[8];
        private readonly uint[] _x3 = new uint[8];
        private readonly uint[] _z3 = new uint[8];
        private readonly uint[] _a = new uint[8];
        private readonly uint[] _aa = new uint[8];
        private readonly uint[] _b = new uint[8];
        private readonly uint[] _bb = new uint[8];
        private readonly uint[] _e = new uint[8];
        private readonly uint[] _c = new uint[8];
        private readonly uint[] _d = new uint[8];
        private bool _hasKey;

        /// <summary>Creates an exchange (the field constants are built once and shared).</summary>
        public X25519DiffieHellman()
        {
            lock (Gate)
            {
                if (_field == null)
                {
                    _field = new MontgomeryModulus(Limbs.FromHex("7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFED", 8));
                    _primeMinusTwo = Limbs.FromHex("7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEB", 8);
                }
            }

            _f = new MontgomeryArithmetic(_field, true);
            _a24 = new uint[8];
            _a24[0] = 121665; // (486662 - 2) / 4, RFC 7748 §5
            _f.ToMontgomery(_a24, _a24);
            _basePoint[0] = 9;
        }

        /// <summary>31.</summary>
        public int Group { get { return DhGroup.Curve25519; } }

        /// <summary>False.</summary>
        public bool IsWeak { get { return false; } }

        /// <summary>32.</summary>
        public int PublicValueLength { get { return Length; } }

        /// <summary>32.</summary>
        public int SharedSecretLength { get { return Length; } }

        /// <summary>Draws 32 random bytes as the scalar (clamped when used, RFC 7748 §5) and computes X25519(k, 9).</summary>
        public CryptoResult GenerateKeyPair(IRandom random)
        {
            CryptoResult drawn = random.NextBytes(_scalar, 0, Length);
            if (drawn != CryptoResult.Ok)
            {
                Clear();
                return drawn;
            }

            return SetPrivateValue(_scalar, 0, Length);
        }

        /// <summary>Sets the 32-byte scalar k (as RFC 7748 writes it: little-endian, clamped on use).</summary>
        public CryptoResult SetPrivateValue(byte[] privateValue, int offset, int count)
        {
            if (count != Length || !Bounds.Fits(privateValue, offset, count))
            {
                return CryptoResult.InvalidLength;
            }

            System.Array.Copy(privateValue, offset, _scalar, 0, Length);
            Ladder(_basePoint, 0, _public, 0);
            _hasKey = true;
            return CryptoResult.Ok;
        }

        /// <summary>Writes X25519(k, 9).</summary>
        public CryptoResult GetPublicValue(byte[] output, int offset)
        {
            if (!_hasKey)
            {
                return CryptoResult.InvalidState;
            }

            if (!Bounds.Fits(output, offset, Length))
            {
                return CryptoResult.InvalidLength;
            }

            System.Array.Copy(_public, 0, output, offset, Length);
            return CryptoResult.Ok;
        }

        /// <summary>Writes X25519(k, u); an all-zero result (a small-order u) is InvalidPublicValue and nothing is written.</summary>
        public CryptoResult ComputeSharedSecret(byte[] peerPublic, int offset, int count, byte[] secret, int secretOffset)
        {
            if (!_hasKey)
            {
                return CryptoResult.InvalidState;
            }

            if (count != Length || !Bounds.Fits(peerPublic, offset, count) || !Bounds.Fits(secret, secretOffset, Length))
            {
                return CryptoResult.InvalidLength;
            }

            byte[] result = _basePoint; // reuse as scratch output, restored below
            Ladder(peerPublic, offset, result, 0);
            int acc = 0;
            for (int i = 0; i < Length; i++)
            {
                acc |= result[i];
            }

            bool zero = acc == 0;
            if (!zero)
            {
                System.Array.Copy(result, 0, secret, secretOffset, Length);
            }

            System.Array.Clear(result, 0, Length);
            result[0] = 9;
            return zero ? CryptoResult.InvalidPublicValue : CryptoResult.Ok;
        }

        /// <summary>Zeroises the scalar and all ladder registers.</summary>
        public void Clear()
        {
            ConstantTime.Zeroise(_scalar, 0, Length);
            ClearRegisters();
            _hasKey = false;
        }

        /// <summary>RFC 7748 §5: output = X25519(clamp(k), u) little-endian.</summary>
        private void Ladder(byte[] u, int uOffset, byte[] output, int outputOffset)
        {
            MontgomeryArithmetic f = _f;
            // decodeUCoordinate: little-endian, top bit masked; non-canonical values (>= p) are reduced by ToMontgomery.
            System.Array.Clear(_x1, 0, 8);
            for (int i = 0; i < Length; i++)
            {
                int b = u[uOffset + i];
                if (i == 31)
                {
                    b &= 0x7F;
                }

                _x1[i >> 2] |= (uint)b << (8 * (i & 3));
            }

            f.ToMontgomery(_x1, _x1);
            System.Array.Copy(_field.One, _x2, 8);
            System.Array.Clear(_z2, 0, 8);
            System.Array.Copy(_x1, _x3, 8);
            System.Array.Copy(_field.One, _z3, 8);
            uint swap = 0;
            for (int t = 254; t >= 0; t--)
            {
                // decodeScalar25519: clear bits 0-2 and 255, set bit 254.
                int k = _scalar[t >> 3];
                if (t >> 3 == 0)
                {
                    k &= 248;
                }

                if (t >> 3 == 31)
                {
                    k = (k & 127) | 64;
                }

                uint bit = (uint)(k >> (t & 7)) & 1;
                swap ^= bit;
                MontgomeryArithmetic.ConditionalSwap(_x2, _x3, swap);
                MontgomeryArithmetic.ConditionalSwap(_z2, _z3, swap);
                swap = bit;

                f.Add(_x2, _z2, _a);        // A = x2 + z2
                f.Multiply(_a, _a, _aa);    // AA = A^2
                f.Subtract(_x2, _z2, _b);   // B = x2 - z2
                f.Multiply(_b, _b, _bb);    // BB = B^2
                f.Subtract(_aa, _bb, _e);   // E = AA - BB
                f.Add(_x3, _z3, _c);        // C = x3 + z3
                f.Subtract(_x3, _z3, _d);   // D = x3 - z3
                f.Multiply(_d, _a, _d);     // DA = D * A
                f.Multiply(_c, _b, _c);     // CB = C * B
                f.Add(_d, _c, _x3);
                f.Multiply(_x3, _x3, _x3);  // x3 = (DA + CB)^2
                f.Subtract(_d, _c, _z3);
                f.Multiply(_z3, _z3, _z3);
                f.Multiply(_x1, _z3, _z3);  // z3 = x1 * (DA - CB)^2
                f.Multiply(_aa, _bb, _x2);  // x2 = AA * BB
                f.Multiply(_a24, _e, _z2);
                f.Add(_aa, _z2, _z2);
                f.Multiply(_e, _z2, _z2);   // z2 = E * (AA + a24 * E)
            }

            MontgomeryArithmetic.ConditionalSwap(_x2, _x3, swap);
            MontgomeryArithmetic.ConditionalSwap(_z2, _z3, swap);

            // x2 / z2 with z2^(p-2); z2 = 0 (small-order input) yields 0, which the caller rejects.
            f.Exponentiate(_z2, _primeMinusTwo, 255, _z2);
            f.Multiply(_x2, _z2, _x2);
            f.FromMontgomery(_x2, _x2);
            for (int i = 0; i < Length; i++)
            {
                output[outputOffset + i] = (byte)(_x2[i >> 2] >> (8 * (i & 3)));
            }

            ClearRegisters();
        }

        private void ClearRegisters()
        {
            System.Array.Clear(_x1, 0, 8);
            System.Array.Clear(_x2, 0, 8);
            System.Array.Clear(_z2, 0, 8);
            System.Array.Clear(_x3, 0, 8);
            System.Array.Clear(_z3, 0, 8);
            System.Array.Clear(_a, 0, 8);
            System.Array.Clear(_aa, 0, 8);
            System.Array.Clear(_b, 0, 8);
            System.Array.Clear(_bb, 0, 8);
            System.Array.Clear(_e, 0, 8);
            System.Array.Clear(_c, 0, 8);
            System.Array.Clear(_d, 0, 8);
            _f.Clear();
        }
    }
}
