namespace VpnAppliance.Hal.Crypto.Managed.BigNum
{
    /// <summary>
    /// Modular arithmetic modulo a <see cref="MontgomeryModulus"/> on n-limb values below m, with its own
    /// scratch (one instance per exchange; not shared between threads). Multiplication is Montgomery's
    /// REDC interleaved with the product (CIOS, Koç-Acar-Kaliski 1996) on 32-bit limbs with 64-bit
    /// intermediates. Every operation runs the same instruction sequence whatever the values: the final
    /// conditional subtraction is a masked select, not a branch.
    /// </summary>
    public sealed class MontgomeryArithmetic
    {
        private readonly MontgomeryModulus _modulus;
        private readonly uint[] _m;
        private readonly int _n;
        private readonly uint[] _t;
        private readonly uint[] _select;
        private readonly uint[] _accumulator;
        private readonly uint[][] _window;

        /// <summary>Creates arithmetic (and, when <paramref name="withExponentiation"/>, the 16-entry window table).</summary>
        public MontgomeryArithmetic(MontgomeryModulus modulus, bool withExponentiation)
        {
            _modulus = modulus;
            _m = modulus.Modulus;
            _n = _m.Length;
            _t = new uint[_n + 2];
            _select = new uint[_n];
            _accumulator = new uint[_n];
            if (withExponentiation)
            {
                _window = new uint[16][];
                for (int i = 0; i < 16; i++)
                {
                    _window[i] = new uint[_n];
                }
            }
        }

        /// <summary>The modulus constants.</summary>
        public MontgomeryModulus Modulus { get { return _modulus; } }

        /// <summary>r = a * b * R^-1 mod m. r may be a or b.</summary>
        public void Multiply(uint[] a, uint[] b, uint[] r)
        {
            int n = _n;
            uint[] t = _t;
            uint[] m = _m;
            uint mPrime = _modulus.NegativeInverse;
            System.Array.Clear(t, 0, n + 2);
            for (int i = 0; i < n; i++)
            {
                ulong bi = b[i];
                ulong carry = 0;
                for (int j = 0; j < n; j++)
                {
                    ulong s = t[j] + a[j] * bi + carry;
                    t[j] = (uint)s;
                    carry = s >> 32;
                }

                ulong top = t[n] + carry;
                t[n] = (uint)top;
                t[n + 1] = (uint)(top >> 32);

                ulong q = (uint)(t[0] * mPrime);
                ulong sum = t[0] + q * m[0];
                carry = sum >> 32;
                for (int j = 1; j < n; j++)
                {
                    sum = t[j] + q * m[j] + carry;
                    t[j - 1] = (uint)sum;
                    carry = sum >> 32;
                }

                sum = t[n] + carry;
                t[n - 1] = (uint)sum;
                t[n] = t[n + 1] + (uint)(sum >> 32);
            }

            // t < 2m: subtract m, keep the difference unless that borrowed (and t had no extra top bit).
            SubtractModulusIfNotBelow(t, t[n], r);
        }

        /// <summary>r = a + b mod m (a, b &lt; m). r may alias.</summary>
        public void Add(uint[] a, uint[] b, uint[] r)
        {
            int n = _n;
            ulong carry = 0;
            for (int i = 0; i < n; i++)
            {
                ulong s = (ulong)a[i] + b[i] + carry;
                _t[i] = (uint)s;
                carry = s >> 32;
            }

            SubtractModulusIfNotBelow(_t, (uint)carry, r);
        }

        /// <summary>r = a - b mod m (a, b &lt; m). r may alias.</summary>
        public void Subtract(uint[] a, uint[] b, uint[] r)
        {
            int n = _n;
            long borrow = 0;
            for (int i = 0; i < n; i++)
            {
                long d = (long)a[i] - b[i] + borrow;
                _t[i] = (uint)d;
                borrow = d >> 32; // 0 or -1
            }

            // Add m back when the subtraction borrowed: mask is all ones then.
            uint mask = (uint)borrow;
            ulong carry = 0;
            for (int i = 0; i < n; i++)
            {
                ulong s = (ulong)_t[i] + (_m[i] & mask) + carry;
                r[i] = (uint)s;
                carry = s >> 32;
            }
        }

        /// <summary>Into the Montgomery form: r = a * R mod m.</summary>
        public void ToMontgomery(uint[] a, uint[] r)
        {
            Multiply(a, _modulus.RSquared, r);
        }

        /// <summary>Out of the Montgomery form: r = a * R^-1 mod m.</summary>
        public void FromMontgomery(uint[] a, uint[] r)
        {
            System.Array.Clear(_select, 0, _n);
            _select[0] = 1;
            Multiply(a, _select, r);
        }

        /// <summary>
        /// r = base^exponent (all in Montgomery form except the exponent, a plain little-endian integer of which
        /// the low <paramref name="exponentBits"/> bits are used). Fixed 4-bit windows; each window's table entry
        /// is read by scanning all 16 entries with masks, so neither branches nor memory addresses depend on
        /// the exponent. <paramref name="exponentBits"/> is public (a multiple of 4 is fastest).
        /// </summary>
        public void Exponentiate(uint[] baseMontgomery, uint[] exponent, int exponentBits, uint[] r)
        {
            int n = _n;
            uint[][] table = _window;
            System.Array.Copy(_modulus.One, table[0], n);
            System.Array.Copy(baseMontgomery, table[1], n);
            for (int i = 2; i < 16; i++)
            {
                Multiply(table[i - 1], baseMontgomery, table[i]);
            }

            uint[] acc = _accumulator;
            System.Array.Copy(_modulus.One, acc, n);
            int windows = (exponentBits + 3) / 4;
            for (int w = windows - 1; w >= 0; w--)
            {
                for (int s = 0; s < 4; s++)
                {
                    Multiply(acc, acc, acc);
                }

                uint digit = WindowDigit(exponent, 4 * w, exponentBits);
                System.Array.Clear(_select, 0, n);
                for (uint k = 0; k < 16; k++)
                {
                    uint mask = 0 - (((k ^ digit) - 1) >> 31);
                    uint[] entry = table[k];
                    for (int i = 0; i < n; i++)
                    {
                        _select[i] |= entry[i] & mask;
                    }
                }

                Multiply(acc, _select, acc);
            }

            System.Array.Copy(acc, r, n);
            for (int i = 0; i < 16; i++)
            {
                System.Array.Clear(table[i], 0, n);
            }

            System.Array.Clear(acc, 0, n);
            System.Array.Clear(_select, 0, n);
        }

        /// <summary>Swaps a and b when <paramref name="swap"/> is 1, leaves them when 0, without branching.</summary>
        public static void ConditionalSwap(uint[] a, uint[] b, uint swap)
        {
            uint mask = 0 - swap;
            for (int i = 0; i < a.Length; i++)
            {
                uint x = (a[i] ^ b[i]) & mask;
                a[i] ^= x;
                b[i] ^= x;
            }
        }

        /// <summary>Zeroises the scratch (it may hold intermediate secrets).</summary>
        public void Clear()
        {
            System.Array.Clear(_t, 0, _t.Length);
            System.Array.Clear(_select, 0, _select.Length);
            System.Array.Clear(_accumulator, 0, _accumulator.Length);
        }

        private static uint WindowDigit(uint[] exponent, int bit, int exponentBits)
        {
            uint digit = 0;
            for (int k = 3; k >= 0; k--)
            {
                int b = bit + k;
                uint value = b < exponentBits ? (exponent[b >> 5] >> (b & 31)) & 1 : 0;
                digit = (digit << 1) | value;
            }

            return digit;
        }

        /// <summary>r = t - m if (high:t) >= m else t, t having n limbs plus a high word 0 or 1.</summary>
        private void SubtractModulusIfNotBelow(uint[] t, uint high, uint[] r)
        {
            int n = _n;
            long borrow = 0;
            for (int i = 0; i < n; i++)
            {
                long d = (long)t[i] - _m[i] + borrow;
                _select[i] = (uint)d;
                borrow = d >> 32;
            }

            // Keep t when the subtraction borrowed past the high word: high - 1 borrow -> negative.
            long final = (long)high + borrow; // 0 or 1 => t >= m ; -1 => t < m
            uint keepT = (uint)(final >> 32); // all ones when final < 0
            for (int i = 0; i < n; i++)
            {
                r[i] = (t[i] & keepT) | (_select[i] & ~keepT);
            }
        }
    }
}
