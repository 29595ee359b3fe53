namespace VpnAppliance.Wire.Tests;

/// <summary>The annotated arrays are exactly the captured frames, and every one dissects cleanly.</summary>
public class GoldenSourceTests
{
    public static TheoryData<string> Names => new(GoldenSet.Names);

    [Theory]
    [MemberData(nameof(Names))]
    public void Array_equals_the_frame_in_the_capture(string name)
    {
        List<byte[]> frames = PcapFile.ReadFrames(Path.Combine(AppContext.BaseDirectory, "Golden", "wire-golden.pcap"));
        Assert.Equal(frames[GoldenSet.FrameNumber(name) - 1], GoldenSet.Bytes(name));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Frame_dissects_with_every_checksum_good(string name)
    {
        byte[] frame = GoldenSet.Bytes(name);
        Assert.Equal(WireResult.Ok, Dissector.Dissect(frame, 0, frame.Length));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Frame_dissects_at_an_offset_inside_a_larger_buffer(string name)
    {
        byte[] frame = GoldenSet.Bytes(name);
        byte[] buffer = new byte[frame.Length + 37];
        Array.Fill(buffer, (byte)0xA5);
        frame.CopyTo(buffer, 11);
        Assert.Equal(WireResult.Ok, Dissector.Dissect(buffer, 11, frame.Length));
    }
}
