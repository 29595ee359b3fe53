using System;

namespace VpnAppliance.Crypto.Tests;

/// <summary>Hex helpers for vector tables.</summary>
internal static class Hex
{
    public static byte[] Decode(string hex) => Convert.FromHexString(hex.Replace(" ", "").Replace("\n", ""));

    public static string Encode(byte[] data, int offset, int count) => Convert.ToHexString(data, offset, count).ToLowerInvariant();

    public static string Encode(byte[] data) => Encode(data, 0, data.Length);
}
