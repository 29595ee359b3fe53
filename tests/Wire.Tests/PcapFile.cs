namespace VpnAppliance.Wire.Tests;

/// <summary>Reads the frames of a classic little-endian pcap file (magic a1b2c3d4, as tshark -F pcap writes).</summary>
public static class PcapFile
{
    public static List<byte[]> ReadFrames(string path)
    {
        byte[] data = File.ReadAllBytes(path);
        Assert.True(data.Length >= 24, "pcap global header");
        Assert.Equal(0xA1B2C3D4u, BitConverter.ToUInt32(data, 0));
        var frames = new List<byte[]>();
        int position = 24;
        while (position + 16 <= data.Length)
        {
            int included = (int)BitConverter.ToUInt32(data, position + 8);
            frames.Add(data.AsSpan(position + 16, included).ToArray());
            position += 16 + included;
        }

        return frames;
    }
}
