using VpnAppliance.Hal.Crypto;
using VpnAppliance.Hal.Crypto.Managed.BigNum;

namespace VpnAppliance.Hal.Crypto.Managed.Modp
{
    /// <summary>
    /// Parameters of one MODP group (prime p, generator g, subgroup order q where the group defines one)
    /// plus its Montgomery constants, built once on first use and shared by every exchange.
    /// </summary>
    public sealed class ModpGroup
    {
        // RFC 2409 §6.2 (Second Oakley Group): p = 2^1024 - 2^960 - 1 + 2^64 * { [2^894 pi] + 129093 }, g = 2.
        private const string Prime1024 =
            "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381FFFFFFFFFFFFFFFF";

        // RFC 3526 §2 (1536-bit MODP group): p = 2^1536 - 2^1472 - 1 + 2^64 * { [2^1406 pi] + 741804 }, g = 2.
        private const string Prime1536 =
            "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA237327FFFFFFFFFFFFFFFF";

        // RFC 3526 §3 (2048-bit MODP group): p = 2^2048 - 2^1984 - 1 + 2^64 * { [2^1918 pi] + 124476 }, g = 2.
        private const string Prime2048 =
            "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AACAA68FFFFFFFFFFFFFFFF";

        // RFC 5114 §2.3 (2048-bit MODP group with 256-bit prime order subgroup).
        private const string Prime2048S256 =
            "87A8E61DB4B6663CFFBBD19C651959998CEEF608660DD0F25D2CEED4435E3B00E00DF8F1D61957D4FAF7DF4561B2AA3016C3D91134096FAA3BF4296D830E9A7C209E0C6497517ABD5A8A9D306BCF67ED91F9E6725B4758C022E0B1EF4275BF7B6C5BFC11D45F9088B941F54EB1E59BB8BC39A0BF12307F5C4FDB70C581B23F76B63ACAE1CAA6B7902D52526735488A0EF13C6D9A51BFA4AB3AD8347796524D8EF6A167B5A41825D967E144E5140564251CCACB83E6B486F6B3CA3F7971506026C0B857F689962856DED4010ABD0BE621C3A3960A54E710C375F26375D7014103A4B54330C198AF126116D2276E11715F693877FAD7EF09CADB094AE91E1A1597";

        private const string Generator2048S256 =
            "3FB32C9B73134D0B2E77506660EDBD484CA7B18F21EF205407F4793A1A0BA12510DBC15077BE463FFF4FED4AAC0BB555BE3A6C1B0C6B47B1BC3773BF7E8C6F62901228F8C28CBB18A55AE31341000A650196F931C77A57F2DDF463E5E9EC144B777DE62AAAB8A8628AC376D282D6ED3864E67982428EBC831D14348F6F2F9193B5045AF2767164E1DFC967C1FB3F2E55A4BD1BFFE83B9C80D052B985D182EA0ADB2A3B7313D3FE14C8484B1E052588B9B7D2BBD2DF016199ECD06E1557CD0915B3353BBB64E0EC377FD028370DF92B52C7891428CDC67EB6184B523D1DB246C32F63078490F00EF8D647D148D47954515E2327CFEF98C582664B4C0F6CC41659";

        private const string Order2048S256 = "8CF83642A709A097B447997640129DA299B1A47D1EB3750BA308B0FE64F5FBD3";

        private static readonly object Gate = new object();
        private static ModpGroup _group2;
        private static ModpGroup _group5;
        private static ModpGroup _group14;
        private static ModpGroup _group24;

        private ModpGroup(int number, string primeHex, string generatorHex, string orderHex, int exponentBits)
        {
            Number = number;
            int limbs = primeHex.Length / 8;
            Length = 4 * limbs;
            Prime = Limbs.FromHex(primeHex, limbs);
            Generator = Limbs.FromHex(generatorHex, limbs);
            Order = orderHex == null ? null : Limbs.FromHex(orderHex, limbs);
            ExponentBits = exponentBits;
            PrimeMinusOne = new uint[limbs];
            System.Array.Copy(Prime, PrimeMinusOne, limbs);
            PrimeMinusOne[0] -= 1; // p is odd: no borrow
            Montgomery = new MontgomeryModulus(Prime);
            var arithmetic = new MontgomeryArithmetic(Montgomery, false);
            GeneratorMontgomery = new uint[limbs];
            arithmetic.ToMontgomery(Generator, GeneratorMontgomery);
        }

        /// <summary>IANA group number.</summary>
        public int Number { get; private set; }

        /// <summary>Length of p in bytes (the KE data and shared secret length, RFC 7296 §3.4).</summary>
        public int Length { get; private set; }

        /// <summary>p.</summary>
        public uint[] Prime { get; private set; }

        /// <summary>p - 1.</summary>
        public uint[] PrimeMinusOne { get; private set; }

        /// <summary>g.</summary>
        public uint[] Generator { get; private set; }

        /// <summary>g in Montgomery form.</summary>
        public uint[] GeneratorMontgomery { get; private set; }

        /// <summary>q, the prime order of g's subgroup (RFC 5114 groups), or null (safe-prime groups).</summary>
        public uint[] Order { get; private set; }

        /// <summary>
        /// Private exponent length in bits: 256 for groups 2 and 5 (their strength is far below), 320 for
        /// group 14 (RFC 3526 §8 puts its strength at 110-160 bits, twice that is the usual exponent length),
        /// 256 (below q) for group 24 (RFC 5114 §2.3).
        /// </summary>
        public int ExponentBits { get; private set; }

        /// <summary>Montgomery constants of p.</summary>
        public MontgomeryModulus Montgomery { get; private set; }

        /// <summary>The parameters of IANA group <paramref name="group"/>, built on first use; null if not a MODP group we have.</summary>
        public static ModpGroup Get(int group)
        {
            lock (Gate)
            {
                switch (group)
                {
                    case DhGroup.Modp1024:
                        if (_group2 == null)
                        {
                            _group2 = new ModpGroup(group, Prime1024, "02", null, 256);
                        }

                        return _group2;
                    case DhGroup.Modp1536:
                        if (_group5 == null)
                        {
                            _group5 = new ModpGroup(group, Prime1536, "02", null, 256);
                        }

                        return _group5;
                    case DhGroup.Modp2048:
                        if (_group14 == null)
                        {
                            _group14 = new ModpGroup(group, Prime2048, "02", null, 320);
                        }

                        return _group14;
                    case DhGroup.Modp2048S256:
                        if (_group24 == null)
                        {
                            _group24 = new ModpGroup(group, Prime2048S256, Generator2048S256, Order2048S256, 256);
                        }

                        return _group24;
                    default:
                        return null;
                }
            }
        }
    }
}
