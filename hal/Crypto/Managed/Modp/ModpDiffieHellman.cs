using VpnAppliance.Hal.Crypto;
using VpnAppliance.Hal.Crypto.Managed.BigNum;

namespace VpnAppliance.Hal.Crypto.Managed.Modp
{
    /// <summary>
    /// Finite-field Diffie-Hellman in a MODP group (RFC 2409, RFC 3526, RFC 5114): private x, public
    /// g^x mod p, shared (g^y)^x mod p, all big-endian and left-padded to the length of p (RFC 7296 §3.4).
    /// The peer's value is checked before use: 1 &lt; y &lt; p - 1, and y^q = 1 mod p for groups with a
    /// prime-order subgroup (RFC 5114 §4; NIST SP 800-56A §5.6.2.3.1). Exponentiation is constant-time
    /// in the private exponent (see <see cref="MontgomeryArithmetic.Exponentiate"/>).
    /// </summary>
    public sealed class ModpDiffieHellman : IDiffieHellman
    {

        private readonly ModpGroup _group;
        private readonly MontgomeryArithmetic _arithmetic;
        private readonly uint[] _private;
        private readonly uint[] _public;
        private readonly uint[] _peer;
        private readonly uint[] _work;
        private readonly byte[] _draw;
        private bool _hasKey;

        /// <summary>Creates an exchange in <paramref name="group"/>.</summary>
        public ModpDiffieHellman(ModpGroup group)
        {
            _group = group;
            int limbs = group.Prime.Length;
            _arithmetic = new MontgomeryArithmetic(group.Montgomery, true);
            _private = new uint[limbs];
            _public = new uint[limbs];
            _peer = new uint[limbs];
            _work = new uint[limbs];
            _draw = new byte[group.ExponentBits / 8];
        }

        /// <summary>IANA group number.</summary>
        public int Group { get { return _group.Number; } }

        /// <summary>Groups 2 and 5.</summary>
        public bool IsWeak { get { return DhGroup.IsWeak(_group.Number); } }

        /// <summary>Length of p in bytes.</summary>
        public int PublicValueLength { get { return _group.Length; } }

        /// <summary>Length of p in bytes.</summary>
        public int SharedSecretLength { get { return _group.Length; } }

        /// <summary>Draws x (ExponentBits random bits; for subgroup groups 1 &lt;= x &lt; q by rejection) and computes g^x.</summary>
        public CryptoResult GenerateKeyPair(IRandom random)
        {
            return PrivateValueDraw.Generate(this, random, _draw);
        }

        /// <summary>Sets x (big-endian, at most ExponentBits bits, not 0 or 1; below q where q is defined) and computes g^x.</summary>
        public CryptoResult SetPrivateValue(byte[] privateValue, int offset, int count)
        {
            if (!Bounds.Fits(privateValue, offset, count) || count > _group.ExponentBits / 8)
            {
                return CryptoResult.InvalidLength;
            }

            Limbs.FromBigEndian(privateValue, offset, count, _private);
            // x must be >= 2 and (subgroup groups) < q. The rejection reveals only that a draw was discarded.
            _work[0] = 1;
            System.Array.Clear(_work, 1, _work.Length - 1);
            // Constant-time comparisons (x is secret); only the accept/reject outcome is branched on.
            bool tooSmall = !Limbs.LessThan(_work, _private);
            bool tooLarge = _group.Order != null && !Limbs.LessThan(_private, _group.Order);
            if (tooSmall || tooLarge)
            {
                Clear();
                return CryptoResult.InvalidKey;
            }

            _arithmetic.Exponentiate(_group.GeneratorMontgomery, _private, _group.ExponentBits, _work);
            _arithmetic.FromMontgomery(_work, _public);
            _hasKey = true;
            return CryptoResult.Ok;
        }

        /// <summary>Writes g^x.</summary>
        public CryptoResult GetPublicValue(byte[] output, int offset)
        {
            if (!_hasKey)
            {
                return CryptoResult.InvalidState;
            }

            if (!Bounds.Fits(output, offset, _group.Length))
            {
                return CryptoResult.InvalidLength;
            }

            Limbs.ToBigEndian(_public, output, offset, _group.Length);
            return CryptoResult.Ok;
        }

        /// <summary>Validates y and writes y^x mod p.</summary>
        public CryptoResult ComputeSharedSecret(byte[] peerPublic, int offset, int count, byte[] secret, int secretOffset)
        {
            if (!_hasKey)
            {
                return CryptoResult.InvalidState;
            }

            if (count != _group.Length || !Bounds.Fits(peerPublic, offset, count) || !Bounds.Fits(secret, secretOffset, _group.Length))
            {
                return CryptoResult.InvalidLength;
            }

            CryptoResult valid = Validate(peerPublic, offset, count);
            if (valid != CryptoResult.Ok)
            {
                return valid;
            }

            _arithmetic.ToMontgomery(_peer, _work);
            _arithmetic.Exponentiate(_work, _private, _group.ExponentBits, _work);
            _arithmetic.FromMontgomery(_work, _work);
            Limbs.ToBigEndian(_work, secret, secretOffset, _group.Length);
            System.Array.Clear(_work, 0, _work.Length);
            _arithmetic.Clear();
            return CryptoResult.Ok;
        }

        /// <summary>Zeroises x and the intermediate values.</summary>
        public void Clear()
        {
            ConstantTime.Zeroise(_private);
            ConstantTime.Zeroise(_work);
            ConstantTime.Zeroise(_draw, 0, _draw.Length);
            _arithmetic.Clear();
            _hasKey = false;
        }

        /// <summary>Reads y into _peer and checks 1 &lt; y &lt; p - 1 and, with a subgroup, y^q = 1.</summary>
        private CryptoResult Validate(byte[] peerPublic, int offset, int count)
        {
            Limbs.FromBigEndian(peerPublic, offset, count, _peer);
            _work[0] = 1;
            System.Array.Clear(_work, 1, _work.Length - 1);
            if (Limbs.CompareVartime(_peer, _work) <= 0 || Limbs.CompareVartime(_peer, _group.PrimeMinusOne) >= 0)
            {
                return CryptoResult.InvalidPublicValue;
            }

            if (_group.Order != null)
            {
                // RFC 5114 §4 / SP 800-56A §5.6.2.3.1: y must lie in the order-q subgroup.
                _arithmetic.ToMontgomery(_peer, _work);
                _arithmetic.Exponentiate(_work, _group.Order, Limbs.BitLengthVartime(_group.Order), _work);
                _arithmetic.FromMontgomery(_work, _work);
                bool isOne = _work[0] == 1;
                for (int i = 1; i < _work.Length; i++)
                {
                    isOne = isOne && _work[i] == 0;
                }

                if (!isOne)
                {
                    return CryptoResult.InvalidPublicValue;
                }
            }

            return CryptoResult.Ok;
        }
    }
}
