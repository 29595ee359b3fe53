using System.Numerics;

namespace VpnAppliance.Hal.Crypto.Host;

/// <summary>
/// MODP group parameters for the host implementation, derived independently of the managed tables:
/// the Oakley/RFC 3526 primes are computed from their defining formula
/// p = 2^n - 2^(n-64) - 1 + 2^64 * ( floor(2^(n-130) * pi) + k )  (RFC 2409 §6.2, RFC 3526 §2-3),
/// with pi from Machin's formula in BigInteger arithmetic. Group 24 (RFC 5114 §2.3) has no formula: its
/// p, g, q are the published hex values.
/// </summary>
public static class HostModpGroups
{
    /// <summary>RFC 5114 §2.3 p.</summary>
    public const string Prime24Hex =
        "87A8E61DB4B6663CFFBBD19C651959998CEEF608660DD0F25D2CEED4435E3B00E00DF8F1D61957D4FAF7DF4561B2AA3016C3D91134096FAA3BF4296D830E9A7C209E0C6497517ABD5A8A9D306BCF67ED91F9E6725B4758C022E0B1EF4275BF7B6C5BFC11D45F9088B941F54EB1E59BB8BC39A0BF12307F5C4FDB70C581B23F76B63ACAE1CAA6B7902D52526735488A0EF13C6D9A51BFA4AB3AD8347796524D8EF6A167B5A41825D967E144E5140564251CCACB83E6B486F6B3CA3F7971506026C0B857F689962856DED4010ABD0BE621C3A3960A54E710C375F26375D7014103A4B54330C198AF126116D2276E11715F693877FAD7EF09CADB094AE91E1A1597";

    /// <summary>RFC 5114 §2.3 g.</summary>
    public const string Generator24Hex =
        "3FB32C9B73134D0B2E77506660EDBD484CA7B18F21EF205407F4793A1A0BA12510DBC15077BE463FFF4FED4AAC0BB555BE3A6C1B0C6B47B1BC3773BF7E8C6F62901228F8C28CBB18A55AE31341000A650196F931C77A57F2DDF463E5E9EC144B777DE62AAAB8A8628AC376D282D6ED3864E67982428EBC831D14348F6F2F9193B5045AF2767164E1DFC967C1FB3F2E55A4BD1BFFE83B9C80D052B985D182EA0ADB2A3B7313D3FE14C8484B1E052588B9B7D2BBD2DF016199ECD06E1557CD0915B3353BBB64E0EC377FD028370DF92B52C7891428CDC67EB6184B523D1DB246C32F63078490F00EF8D647D148D47954515E2327CFEF98C582664B4C0F6CC41659";

    /// <summary>RFC 5114 §2.3 q.</summary>
    public const string Order24Hex = "8CF83642A709A097B447997640129DA299B1A47D1EB3750BA308B0FE64F5FBD3";

    /// <summary>Returns (p, g, q or zero, private exponent bits) for a MODP group, or false.</summary>
    public static bool TryGet(int group, out BigInteger p, out BigInteger g, out BigInteger q, out int exponentBits)
    {
        q = BigInteger.Zero;
        g = 2;
        switch (group)
        {
            case DhGroup.Modp1024:
                p = OakleyPrime(1024, 129093);
                exponentBits = 256;
                return true;
            case DhGroup.Modp1536:
                p = OakleyPrime(1536, 741804);
                exponentBits = 256;
                return true;
            case DhGroup.Modp2048:
                p = OakleyPrime(2048, 124476);
                exponentBits = 320;
                return true;
            case DhGroup.Modp2048S256:
                p = FromHex(Prime24Hex);
                g = FromHex(Generator24Hex);
                q = FromHex(Order24Hex);
                exponentBits = 256;
                return true;
            default:
                p = BigInteger.Zero;
                exponentBits = 0;
                return false;
        }
    }

    /// <summary>p = 2^n - 2^(n-64) - 1 + 2^64 * ( floor(2^(n-130) pi) + k ).</summary>
    public static BigInteger OakleyPrime(int bits, int k) =>
        BigInteger.Pow(2, bits) - BigInteger.Pow(2, bits - 64) - 1 + BigInteger.Pow(2, 64) * (FloorPiTimesPowerOfTwo(bits - 130) + k);

    /// <summary>floor(2^bits * pi) by Machin's formula pi = 16 atan(1/5) - 4 atan(1/239) with 64 guard bits.</summary>
    public static BigInteger FloorPiTimesPowerOfTwo(int bits)
    {
        int precision = bits + 64;
        BigInteger one = BigInteger.One << precision;
        BigInteger pi = 4 * (4 * ArctanInverse(5, one) - ArctanInverse(239, one));
        return pi >> 64;
    }

    /// <summary>Unsigned big-endian hex to BigInteger.</summary>
    public static BigInteger FromHex(string hex) => BigInteger.Parse("0" + hex, System.Globalization.NumberStyles.HexNumber);

    private static BigInteger ArctanInverse(int x, BigInteger one)
    {
        BigInteger sum = BigInteger.Zero;
        BigInteger term = one / x;
        BigInteger x2 = x * x;
        int n = 1;
        int sign = 1;
        while (!term.IsZero)
        {
            sum += sign * (term / n);
            term /= x2;
            n += 2;
            sign = -sign;
        }

        return sum;
    }
}
