namespace VpnAppliance.Hal.Crypto.Managed.BigNum
{
    /// <summary>
    /// The constants of Montgomery arithmetic modulo an odd m of n 32-bit limbs, with R = 2^(32n):
    /// m' = -m^-1 mod 2^32, R mod m (Montgomery form of 1) and R^2 mod m (to convert into the form).
    /// Immutable after construction; shared by every exchange in a group.
    /// </summary>
    public sealed class MontgomeryModulus
    {
        /// <summary>Creates the constants for <paramref name="modulus"/> (odd, most significant limb non-zero).</summary>
        public MontgomeryModulus(uint[] modulus)
        {
            Modulus = modulus;
            LimbCount = modulus.Length;
            // Newton iteration for m^-1 mod 2^32: x = m0 is correct to 3 bits for odd m0, each step doubles that.
            uint m0 = modulus[0];
            uint x = m0;
            for (int i = 0; i < 5; i++)
            {
                x *= 2 - m0 * x;
            }

            NegativeInverse = 0 - x;

            // R mod m and R^2 mod m by modular doubling of 1 (2^(32n) and 2^(64n) times).
            var arithmetic = new MontgomeryArithmetic(this, false);
            One = new uint[LimbCount];
            One[0] = 1;
            for (int i = 0; i < 32 * LimbCount; i++)
            {
                arithmetic.Add(One, One, One);
            }

            RSquared = new uint[LimbCount];
            System.Array.Copy(One, RSquared, LimbCount);
            for (int i = 0; i < 32 * LimbCount; i++)
            {
                arithmetic.Add(RSquared, RSquared, RSquared);
            }
        }

        /// <summary>m, little-endian limbs.</summary>
        public uint[] Modulus { get; private set; }

        /// <summary>n.</summary>
        public int LimbCount { get; private set; }

        /// <summary>-m^-1 mod 2^32.</summary>
        public uint NegativeInverse { get; private set; }

        /// <summary>R mod m: the Montgomery form of 1.</summary>
        public uint[] One { get; private set; }

        /// <summary>R^2 mod m.</summary>
        public uint[] RSquared { get; private set; }
    }
}
