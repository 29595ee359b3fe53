namespace VpnAppliance.Wire.Tests;

/// <summary>Hex strings ("45 00 00 2c", spaces optional) to bytes, for golden packets.</summary>
public static class Hex
{
    public static byte[] Parse(string hex)
    {
        string digits = hex.Replace(" ", "").Replace("\n", "");
        if (digits.Length % 2 != 0)
        {
            throw new ArgumentException("odd number of hex digits", nameof(hex));
        }

        return Convert.FromHexString(digits);
    }
}
