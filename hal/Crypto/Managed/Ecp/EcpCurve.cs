using VpnAppliance.Hal.Crypto;
using VpnAppliance.Hal.Crypto.Managed.BigNum;

namespace VpnAppliance.Hal.Crypto.Managed.Ecp
{
    /// <summary>
    /// A short-Weierstrass prime curve y^2 = x^3 - 3x + b over GF(p) (the NIST curves of FIPS 186-4 §D.1.2
    /// that RFC 5903 §3 uses as IKE groups 19 and 20). Holds the parameters and their Montgomery forms;
    /// built once and shared by every exchange.
    /// </summary>
    public sealed class EcpCurve
    {
        private static readonly object Gate = new object();
        private static EcpCurve _p256;
        private static EcpCurve _p384;

        private EcpCurve(int group, string p, string b, string gx, string gy, string n)
        {
            Group = group;
            int limbs = p.Length / 8;
            Length = 4 * limbs;
            Bits = 32 * limbs;
            Prime = Limbs.FromHex(p, limbs);
            Order = Limbs.FromHex(n, limbs);
            Field = new MontgomeryModulus(Prime);
            var arithmetic = new MontgomeryArithmetic(Field, false);
            B = new uint[limbs];
            arithmetic.ToMontgomery(Limbs.FromHex(b, limbs), B);
            GeneratorX = new uint[limbs];
            arithmetic.ToMontgomery(Limbs.FromHex(gx, limbs), GeneratorX);
            GeneratorY = new uint[limbs];
            arithmetic.ToMontgomery(Limbs.FromHex(gy, limbs), GeneratorY);
            PrimeMinusTwo = Limbs.FromHex(p, limbs);
            PrimeMinusTwo[0] -= 2; // p ends in ...FFFF: no borrow
        }

        /// <summary>IANA group number.</summary>
        public int Group { get; private set; }

        /// <summary>Coordinate length in bytes (32 or 48).</summary>
        public int Length { get; private set; }

        /// <summary>Bit length of p (and of the scalar ladder).</summary>
        public int Bits { get; private set; }

        /// <summary>p.</summary>
        public uint[] Prime { get; private set; }

        /// <summary>p - 2 (the inversion exponent, Fermat).</summary>
        public uint[] PrimeMinusTwo { get; private set; }

        /// <summary>n, the prime order of G (cofactor 1).</summary>
        public uint[] Order { get; private set; }

        /// <summary>Montgomery constants of p.</summary>
        public MontgomeryModulus Field { get; private set; }

        /// <summary>b in Montgomery form.</summary>
        public uint[] B { get; private set; }

        /// <summary>G's x in Montgomery form.</summary>
        public uint[] GeneratorX { get; private set; }

        /// <summary>G's y in Montgomery form.</summary>
        public uint[] GeneratorY { get; private set; }

        /// <summary>The curve of IANA group 19 or 20, or null.</summary>
        public static EcpCurve Get(int group)
        {
            lock (Gate)
            {
                if (group == DhGroup.Ecp256)
                {
                    if (_p256 == null)
                    {
                        // FIPS 186-4 §D.1.2.3 / RFC 5903 §3.1 (P-256).
                        _p256 = new EcpCurve(group,
                            "FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF",
                            "5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B",
                            "6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296",
                            "4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5",
                            "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551");
                    }

                    return _p256;
                }

                if (group == DhGroup.Ecp384)
                {
                    if (_p384 == null)
                    {
                        // FIPS 186-4 §D.1.2.4 / RFC 5903 §3.2 (P-384).
                        _p384 = new EcpCurve(group,
                            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFFFF0000000000000000FFFFFFFF",
                            "B3312FA7E23EE7E4988E056BE3F82D19181D9C6EFE8141120314088F5013875AC656398D8A2ED19D2A85C8EDD3EC2AEF",
                            "AA87CA22BE8B05378EB1C71EF320AD746E1D3B628BA79B9859F741E082542A385502F25DBF55296C3A545E3872760AB7",
                            "3617DE4A96262C6F5D9E98BF9292DC29F8F41DBD289A147CE9DA3113B5F0B8C00A60B1CE1D7E819D7A431D7C90EA0E5F",
                            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973");
                    }

                    return _p384;
                }

                return null;
            }
        }
    }
}
