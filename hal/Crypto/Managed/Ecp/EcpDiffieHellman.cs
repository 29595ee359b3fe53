using VpnAppliance.Hal.Crypto;
using VpnAppliance.Hal.Crypto.Managed.BigNum;

namespace VpnAppliance.Hal.Crypto.Managed.Ecp
{
    /// <summary>
    /// ECDH in an ECP group as IKEv2 uses it (RFC 5903): private d in [1, n-1]; KE data = x || y of d*G,
    /// each coordinate big-endian and padded to the field length (§7); shared secret = the x coordinate of
    /// d*Q (§7 as corrected by erratum 2263; RFC 5903 §9 explains why y is not used). The peer's point is
    /// validated first: both coordinates below p, on the curve (cofactor 1, so that puts it in the group),
    /// and the result must not be the identity (SP 800-56A §5.6.2.3.4).
    /// </summary>
    public sealed class EcpDiffieHellman : IDiffieHellman
    {

        private readonly EcpCurve _curve;
        private readonly EcpPointArithmetic _points;
        private readonly uint[] _d;
        private readonly uint[] _publicX;
        private readonly uint[] _publicY;
        private readonly uint[] _peerX;
        private readonly uint[] _peerY;
        private readonly uint[] _resultX;
        private readonly uint[] _resultY;
        private readonly byte[] _draw;
        private bool _hasKey;

        /// <summary>Creates an exchange on <paramref name="curve"/>.</summary>
        public EcpDiffieHellman(EcpCurve curve)
        {
            _curve = curve;
            _points = new EcpPointArithmetic(curve);
            int n = curve.Prime.Length;
            _d = new uint[n];
            _publicX = new uint[n];
            _publicY = new uint[n];
            _peerX = new uint[n];
            _peerY = new uint[n];
            _resultX = new uint[n];
            _resultY = new uint[n];
            _draw = new byte[curve.Length];
        }

        /// <summary>19 or 20.</summary>
        public int Group { get { return _curve.Group; } }

        /// <summary>False.</summary>
        public bool IsWeak { get { return false; } }

        /// <summary>2 * field length (x || y).</summary>
        public int PublicValueLength { get { return 2 * _curve.Length; } }

        /// <summary>Field length (x only).</summary>
        public int SharedSecretLength { get { return _curve.Length; } }

        /// <summary>Draws d uniformly in [1, n-1] by rejection and computes d*G.</summary>
        public CryptoResult GenerateKeyPair(IRandom random)
        {
            return PrivateValueDraw.Generate(this, random, _draw);
        }

        /// <summary>Sets d (big-endian, 1 &lt;= d &lt; n) and computes d*G.</summary>
        public CryptoResult SetPrivateValue(byte[] privateValue, int offset, int count)
        {
            if (!Bounds.Fits(privateValue, offset, count) || count > _curve.Length)
            {
                return CryptoResult.InvalidLength;
            }

            Limbs.FromBigEndian(privateValue, offset, count, _d);
            // Constant-time range check; rejecting d = 0 or d >= n reveals only that a draw was discarded.
            bool inRange = !Limbs.IsZero(_d) & Limbs.LessThan(_d, _curve.Order);
            if (!inRange)
            {
                Clear();
                return CryptoResult.InvalidKey;
            }

            _points.Multiply(_d, _curve.GeneratorX, _curve.GeneratorY, _publicX, _publicY);
            _points.Field.FromMontgomery(_publicX, _publicX);
            _points.Field.FromMontgomery(_publicY, _publicY);
            _hasKey = true;
            return CryptoResult.Ok;
        }

        /// <summary>Writes x || y.</summary>
        public CryptoResult GetPublicValue(byte[] output, int offset)
        {
            if (!_hasKey)
            {
                return CryptoResult.InvalidState;
            }

            if (!Bounds.Fits(output, offset, PublicValueLength))
            {
                return CryptoResult.InvalidLength;
            }

            Limbs.ToBigEndian(_publicX, output, offset, _curve.Length);
            Limbs.ToBigEndian(_publicY, output, offset + _curve.Length, _curve.Length);
            return CryptoResult.Ok;
        }

        /// <summary>Validates Q = x || y and writes the x coordinate of d*Q.</summary>
        public CryptoResult ComputeSharedSecret(byte[] peerPublic, int offset, int count, byte[] secret, int secretOffset)
        {
            if (!_hasKey)
            {
                return CryptoResult.InvalidState;
            }

            int length = _curve.Length;
            if (count != 2 * length || !Bounds.Fits(peerPublic, offset, count) || !Bounds.Fits(secret, secretOffset, length))
            {
                return CryptoResult.InvalidLength;
            }

            Limbs.FromBigEndian(peerPublic, offset, length, _peerX);
            Limbs.FromBigEndian(peerPublic, offset + length, length, _peerY);
            if (Limbs.CompareVartime(_peerX, _curve.Prime) >= 0 || Limbs.CompareVartime(_peerY, _curve.Prime) >= 0)
            {
                return CryptoResult.InvalidPublicValue;
            }

            MontgomeryArithmetic field = _points.Field;
            field.ToMontgomery(_peerX, _peerX);
            field.ToMontgomery(_peerY, _peerY);
            if (!_points.IsOnCurve(_peerX, _peerY))
            {
                return CryptoResult.InvalidPublicValue;
            }

            bool finite = _points.Multiply(_d, _peerX, _peerY, _resultX, _resultY);
            if (!finite)
            {
                // Unreachable for a valid Q and d in [1, n-1] on a prime-order curve; kept as a guard.
                System.Array.Clear(_resultX, 0, _resultX.Length);
                System.Array.Clear(_resultY, 0, _resultY.Length);
                return CryptoResult.InvalidPublicValue;
            }

            field.FromMontgomery(_resultX, _resultX);
            Limbs.ToBigEndian(_resultX, secret, secretOffset, length);
            System.Array.Clear(_resultX, 0, _resultX.Length);
            System.Array.Clear(_resultY, 0, _resultY.Length);
            return CryptoResult.Ok;
        }

        /// <summary>Zeroises d and all intermediates.</summary>
        public void Clear()
        {
            ConstantTime.Zeroise(_d);
            ConstantTime.Zeroise(_resultX);
            ConstantTime.Zeroise(_resultY);
            ConstantTime.Zeroise(_draw, 0, _draw.Length);
            _points.ClearRegisters();
            _hasKey = false;
        }
    }
}
