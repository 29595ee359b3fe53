using VpnAppliance.Hal.Crypto.Managed.BigNum;

namespace VpnAppliance.Hal.Crypto.Managed.Ecp
{
    /// <summary>
    /// Point arithmetic on an <see cref="EcpCurve"/> in homogeneous projective coordinates (X:Y:Z), x = X/Z,
    /// y = Y/Z, the identity being (0:1:0). Addition uses the complete formula of Renes, Costello and Batina,
    /// "Complete addition formulas for prime order elliptic curves" (EUROCRYPT 2016), Algorithm 4 (a = -3):
    /// it is correct for every pair of inputs, including P = Q, P = -Q and the identity, so the scalar
    /// ladder needs no special cases and no branches. Scalar multiplication is a Montgomery ladder over a
    /// fixed number of bits with masked conditional swaps: no secret-dependent branch or memory index.
    /// Coordinates are in the Montgomery form of the field. One instance per exchange (own registers).
    /// </summary>
    public sealed class EcpPointArithmetic
    {
        private readonly EcpCurve _curve;
        private readonly MontgomeryArithmetic _f;
        private readonly uint[] _t0;
        private readonly uint[] _t1;
        private readonly uint[] _t2;
        private readonly uint[] _t3;
        private readonly uint[] _t4;
        private readonly uint[] _x3;
        private readonly uint[] _y3;
        private readonly uint[] _z3;

        /// <summary>Ladder registers R0 = (X0:Y0:Z0), R1 = (X1:Y1:Z1).</summary>
        private readonly uint[] _r0x;
        private readonly uint[] _r0y;
        private readonly uint[] _r0z;
        private readonly uint[] _r1x;
        private readonly uint[] _r1y;
        private readonly uint[] _r1z;

        /// <summary>Creates the registers for <paramref name="curve"/>.</summary>
        public EcpPointArithmetic(EcpCurve curve)
        {
            _curve = curve;
            _f = new MontgomeryArithmetic(curve.Field, true);
            int n = curve.Prime.Length;
            _t0 = new uint[n];
            _t1 = new uint[n];
            _t2 = new uint[n];
            _t3 = new uint[n];
            _t4 = new uint[n];
            _x3 = new uint[n];
            _y3 = new uint[n];
            _z3 = new uint[n];
            _r0x = new uint[n];
            _r0y = new uint[n];
            _r0z = new uint[n];
            _r1x = new uint[n];
            _r1y = new uint[n];
            _r1z = new uint[n];
        }

        /// <summary>The field arithmetic (Montgomery form).</summary>
        public MontgomeryArithmetic Field { get { return _f; } }

        /// <summary>
        /// (x, y) = k * (px, py) in affine Montgomery-form coordinates; k is a little-endian scalar of the curve's
        /// bit length. Returns false when the result is the identity (then x, y are zero).
        /// </summary>
        public bool Multiply(uint[] k, uint[] px, uint[] py, uint[] x, uint[] y)
        {
            int n = px.Length;
            // R0 = identity (0:1:0), R1 = P (x:y:1).
            System.Array.Clear(_r0x, 0, n);
            System.Array.Copy(_curve.Field.One, _r0y, n);
            System.Array.Clear(_r0z, 0, n);
            System.Array.Copy(px, _r1x, n);
            System.Array.Copy(py, _r1y, n);
            System.Array.Copy(_curve.Field.One, _r1z, n);

            for (int i = _curve.Bits - 1; i >= 0; i--)
            {
                uint bit = (k[i >> 5] >> (i & 31)) & 1;
                Swap(bit);
                // Invariant: R1 - R0 = P. R1 = R0 + R1; R0 = 2 R0.
                Add(_r0x, _r0y, _r0z, _r1x, _r1y, _r1z, _r1x, _r1y, _r1z);
                Add(_r0x, _r0y, _r0z, _r0x, _r0y, _r0z, _r0x, _r0y, _r0z);
                Swap(bit);
            }

            bool finite = ToAffine(_r0x, _r0y, _r0z, x, y);
            ClearRegisters();
            return finite;
        }

        /// <summary>True when affine (x, y) (Montgomery form, already below p) satisfies y^2 = x^3 - 3x + b.</summary>
        public bool IsOnCurve(uint[] x, uint[] y)
        {
            _f.Multiply(y, y, _t0);           // y^2
            _f.Multiply(x, x, _t1);           // x^2
            _f.Multiply(_t1, x, _t1);         // x^3
            _f.Subtract(_t1, x, _t1);
            _f.Subtract(_t1, x, _t1);
            _f.Subtract(_t1, x, _t1);         // x^3 - 3x
            _f.Add(_t1, _curve.B, _t1);       // x^3 - 3x + b
            uint diff = 0;
            for (int i = 0; i < x.Length; i++)
            {
                diff |= _t0[i] ^ _t1[i];
            }

            return diff == 0;
        }

        /// <summary>Zeroises all registers (they hold secret-dependent intermediates after a ladder).</summary>
        public void ClearRegisters()
        {
            System.Array.Clear(_t0, 0, _t0.Length);
            System.Array.Clear(_t1, 0, _t1.Length);
            System.Array.Clear(_t2, 0, _t2.Length);
            System.Array.Clear(_t3, 0, _t3.Length);
            System.Array.Clear(_t4, 0, _t4.Length);
            System.Array.Clear(_x3, 0, _x3.Length);
            System.Array.Clear(_y3, 0, _y3.Length);
            System.Array.Clear(_z3, 0, _z3.Length);
            System.Array.Clear(_r0x, 0, _r0x.Length);
            System.Array.Clear(_r0y, 0, _r0y.Length);
            System.Array.Clear(_r0z, 0, _r0z.Length);
            System.Array.Clear(_r1x, 0, _r1x.Length);
            System.Array.Clear(_r1y, 0, _r1y.Length);
            System.Array.Clear(_r1z, 0, _r1z.Length);
            _f.Clear();
        }

        private void Swap(uint bit)
        {
            MontgomeryArithmetic.ConditionalSwap(_r0x, _r1x, bit);
            MontgomeryArithmetic.ConditionalSwap(_r0y, _r1y, bit);
            MontgomeryArithmetic.ConditionalSwap(_r0z, _r1z, bit);
        }

        /// <summary>(x, y) = (X/Z, Y/Z) with 1/Z = Z^(p-2) (Fermat); false (and zeros) for Z = 0.</summary>
        private bool ToAffine(uint[] px, uint[] py, uint[] pz, uint[] x, uint[] y)
        {
            bool finite = !Limbs.IsZero(pz);
            _f.Exponentiate(pz, _curve.PrimeMinusTwo, _curve.Bits, _t0);
            _f.Multiply(px, _t0, x);
            _f.Multiply(py, _t0, y);
            return finite;
        }

        /// <summary>
        /// (X3:Y3:Z3) = (X1:Y1:Z1) + (X2:Y2:Z2): Renes-Costello-Batina 2016, Algorithm 4 (complete, a = -3),
        /// step numbers in the comments. The output may be either input.
        /// </summary>
        private void Add(uint[] x1, uint[] y1, uint[] z1, uint[] x2, uint[] y2, uint[] z2, uint[] xOut, uint[] yOut, uint[] zOut)
        {
            MontgomeryArithmetic f = _f;
            uint[] b = _curve.B;
            uint[] t0 = _t0, t1 = _t1, t2 = _t2, t3 = _t3, t4 = _t4, x3 = _x3, y3 = _y3, z3 = _z3;
            f.Multiply(x1, x2, t0);     // 1
            f.Multiply(y1, y2, t1);     // 2
            f.Multiply(z1, z2, t2);     // 3
            f.Add(x1, y1, t3);          // 4
            f.Add(x2, y2, t4);          // 5
            f.Multiply(t3, t4, t3);     // 6
            f.Add(t0, t1, t4);          // 7
            f.Subtract(t3, t4, t3);     // 8
            f.Add(y1, z1, t4);          // 9
            f.Add(y2, z2, x3);          // 10
            f.Multiply(t4, x3, t4);     // 11
            f.Add(t1, t2, x3);          // 12
            f.Subtract(t4, x3, t4);     // 13
            f.Add(x1, z1, x3);          // 14
            f.Add(x2, z2, y3);          // 15
            f.Multiply(x3, y3, x3);     // 16
            f.Add(t0, t2, y3);          // 17
            f.Subtract(x3, y3, y3);     // 18
            f.Multiply(b, t2, z3);      // 19
            f.Subtract(y3, z3, x3);     // 20
            f.Add(x3, x3, z3);          // 21
            f.Add(x3, z3, x3);          // 22
            f.Subtract(t1, x3, z3);     // 23
            f.Add(t1, x3, x3);          // 24
            f.Multiply(b, y3, y3);      // 25
            f.Add(t2, t2, t1);          // 26
            f.Add(t1, t2, t2);          // 27
            f.Subtract(y3, t2, y3);     // 28
            f.Subtract(y3, t0, y3);     // 29
            f.Add(y3, y3, t1);          // 30
            f.Add(t1, y3, y3);          // 31
            f.Add(t0, t0, t1);          // 32
            f.Add(t1, t0, t0);          // 33
            f.Subtract(t0, t2, t0);     // 34
            f.Multiply(t4, y3, t1);     // 35
            f.Multiply(t0, y3, t2);     // 36
            f.Multiply(x3, z3, y3);     // 37
            f.Add(y3, t2, y3);          // 38
            f.Multiply(t3, x3, x3);     // 39
            f.Subtract(x3, t1, x3);     // 40
            f.Multiply(t4, z3, z3);     // 41
            f.Multiply(t3, t0, t1);     // 42
            f.Add(z3, t1, z3);          // 43
            int n = x3.Length;
            System.Array.Copy(x3, xOut, n);
            System.Array.Copy(y3, yOut, n);
            System.Array.Copy(z3, zOut, n);
        }
    }
}
