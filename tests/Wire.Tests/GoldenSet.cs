using System.Reflection;

namespace VpnAppliance.Wire.Tests;

/// <summary>The golden packets by name (reflection over <see cref="GoldenPackets"/>).</summary>
public static class GoldenSet
{
    public static readonly string[] Names = typeof(GoldenPackets)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(byte[]))
        .Select(f => f.Name)
        .ToArray();

    /// <summary>A fresh copy of the golden frame (tests may write into it).</summary>
    public static byte[] Bytes(string name) =>
        (byte[])((byte[])typeof(GoldenPackets).GetField(name)!.GetValue(null)!).Clone();

    public static int FrameNumber(string name) =>
        (int)typeof(GoldenPackets).GetField(name + "Frame")!.GetValue(null)!;

    public static byte[][] All() => Names.Select(Bytes).ToArray();
}
