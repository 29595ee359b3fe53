namespace VpnAppliance.Bgp.Tests;

/// <summary>Hex helpers for annotated golden messages: one string per field, whitespace ignored.</summary>
internal static class Hex
{
    public static byte[] Bytes(params string[] fields)
    {
        string all = string.Concat(fields).Replace(" ", "");
        return Convert.FromHexString(all);
    }

    public static string Of(byte[] buffer, int offset, int length) => Convert.ToHexString(buffer, offset, length).ToLowerInvariant();

    public static uint Ip(string dotted)
    {
        var p = dotted.Split('.');
        return (uint.Parse(p[0]) << 24) | (uint.Parse(p[1]) << 16) | (uint.Parse(p[2]) << 8) | uint.Parse(p[3]);
    }
}
