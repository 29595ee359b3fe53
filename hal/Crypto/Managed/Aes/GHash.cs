using VpnAppliance.Hal.Crypto;

namespace VpnAppliance.Hal.Crypto.Managed.Aes
{
    /// <summary>
    /// GHASH (NIST SP 800-38D §6.4): Y_i = (Y_{i-1} ^ X_i) * H in GF(2^128) with the GCM bit order
    /// (the first bit of a block is the coefficient of x^0) and the polynomial x^128 + x^7 + x^2 + x + 1.
    /// Multiplication uses a 16-entry table of nibble multiples of H and shifts by 4 bits, folding the
    /// bits shifted out back in with a 16-entry reduction table (Shoup's 4-bit method).
    /// <para>
    /// Timing: the table is indexed by nibbles of the running state, which depends on H; on machines with
    /// data caches this leaks through cache timing like the table AES. Boards without a data cache on SRAM
    /// (ESP32 internal RAM, STM32 without D-cache on the heap) are not affected by cache-line timing.
    /// </para>
    /// </summary>
    public sealed class GHash
    {
        private static readonly ulong[] Reduction = BuildReduction();

        private readonly ulong[] _tableHigh = new ulong[16];
        private readonly ulong[] _tableLow = new ulong[16];
        private ulong _yHigh;
        private ulong _yLow;

        /// <summary>Sets the hash subkey H = E(K, 0^128) (16 bytes) and precomputes its nibble multiples.</summary>
        public void SetKey(byte[] h, int offset)
        {
            ulong vh = ReadUInt64(h, offset);
            ulong vl = ReadUInt64(h, offset + 8);
            // Index 8 (binary 1000: first bit of the nibble set) holds H itself; 4, 2, 1 are H*x, H*x^2, H*x^3.
            _tableHigh[8] = vh;
            _tableLow[8] = vl;
            for (int i = 4; i > 0; i >>= 1)
            {
                ulong carry = (ulong)(0 - (long)(vl & 1)) & 0xE100000000000000UL;
                vl = (vh << 63) | (vl >> 1);
                vh = (vh >> 1) ^ carry;
                _tableHigh[i] = vh;
                _tableLow[i] = vl;
            }

            _tableHigh[0] = 0;
            _tableLow[0] = 0;
            for (int i = 2; i <= 8; i <<= 1)
            {
                for (int j = 1; j < i; j++)
                {
                    _tableHigh[i + j] = _tableHigh[i] ^ _tableHigh[j];
                    _tableLow[i + j] = _tableLow[i] ^ _tableLow[j];
                }
            }

            Reset();
        }

        /// <summary>Y = 0.</summary>
        public void Reset()
        {
            _yHigh = 0;
            _yLow = 0;
        }

        /// <summary>Absorbs <paramref name="count"/> bytes, the last partial block zero-padded (SP 800-38D §7.1 step 5).</summary>
        public void Update(byte[] data, int offset, int count)
        {
            while (count >= 16)
            {
                _yHigh ^= ReadUInt64(data, offset);
                _yLow ^= ReadUInt64(data, offset + 8);
                MultiplyByH();
                offset += 16;
                count -= 16;
            }

            if (count > 0)
            {
                ulong high = 0;
                ulong low = 0;
                for (int i = 0; i < count; i++)
                {
                    ulong b = data[offset + i];
                    if (i < 8)
                    {
                        high |= b << (56 - 8 * i);
                    }
                    else
                    {
                        low |= b << (56 - 8 * (i - 8));
                    }
                }

                _yHigh ^= high;
                _yLow ^= low;
                MultiplyByH();
            }
        }

        /// <summary>Absorbs the length block [len(A)]64 || [len(C)]64 in bits.</summary>
        public void UpdateLengths(long aadBytes, long textBytes)
        {
            _yHigh ^= (ulong)aadBytes * 8;
            _yLow ^= (ulong)textBytes * 8;
            MultiplyByH();
        }

        /// <summary>Writes Y (16 bytes).</summary>
        public void Final(byte[] output, int offset)
        {
            WriteUInt64(output, offset, _yHigh);
            WriteUInt64(output, offset + 8, _yLow);
        }

        /// <summary>Zeroises H's multiples and the state.</summary>
        public void Clear()
        {
            ConstantTime.Zeroise(_tableHigh);
            ConstantTime.Zeroise(_tableLow);
            Reset();
        }

        private void MultiplyByH()
        {
            ulong zh = 0;
            ulong zl = 0;
            ulong yh = _yHigh;
            ulong yl = _yLow;
            // Horner's rule from the last nibble (highest powers of x) to the first.
            for (int i = 31; i >= 0; i--)
            {
                int nibble = i >= 16 ? (int)((yl >> (4 * (31 - i))) & 0xF) : (int)((yh >> (4 * (15 - i))) & 0xF);
                if (i != 31)
                {
                    int rem = (int)(zl & 0xF);
                    zl = (zh << 60) | (zl >> 4);
                    zh = (zh >> 4) ^ Reduction[rem];
                }

                zh ^= _tableHigh[nibble];
                zl ^= _tableLow[nibble];
            }

            _yHigh = zh;
            _yLow = zl;
        }

        private static ulong[] BuildReduction()
        {
            // Shifting right by 4 drops bits b0..b3 of the low word; dropped bit k re-enters as
            // (x^128 reduction constant 0xE1 << 120) shifted right by (3 - k).
            ulong[] table = new ulong[16];
            for (int r = 0; r < 16; r++)
            {
                ulong v = 0;
                for (int k = 0; k < 4; k++)
                {
                    if (((r >> k) & 1) != 0)
                    {
                        v ^= 0xE100000000000000UL >> (3 - k);
                    }
                }

                table[r] = v;
            }

            return table;
        }

        private static ulong ReadUInt64(byte[] b, int i)
        {
            ulong hi = ((uint)b[i] << 24) | ((uint)b[i + 1] << 16) | ((uint)b[i + 2] << 8) | b[i + 3];
            ulong lo = ((uint)b[i + 4] << 24) | ((uint)b[i + 5] << 16) | ((uint)b[i + 6] << 8) | b[i + 7];
            return (hi << 32) | lo;
        }

        private static void WriteUInt64(byte[] b, int i, ulong v)
        {
            for (int j = 0; j < 8; j++)
            {
                b[i + j] = (byte)(v >> (56 - 8 * j));
            }
        }
    }
}
