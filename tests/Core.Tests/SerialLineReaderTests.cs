using System.Text;
using VpnAppliance.Firmware;

namespace VpnAppliance.Tests.Core;

public class SerialLineReaderTests
{
    private static List<string> Feed(SerialLineReader reader, string input)
    {
        var lines = new List<string>();
        foreach (byte b in Encoding.Latin1.GetBytes(input))
        {
            int r = reader.Feed(b);
            if (r == 1)
            {
                lines.Add(reader.TakeLine());
            }
            else if (r == 2)
            {
                lines.Add("<overlong>");
            }
        }

        return lines;
    }

    [Fact]
    public void SplitsOnCrLfAndCrlfWithoutEmptyExtraLines()
    {
        var reader = new SerialLineReader(64);
        Assert.Equal(new[] { "a", "b", "c", "", "d" }, Feed(reader, "a\r\nb\nc\r\rd\n"));
    }

    [Fact]
    public void BackspaceEditsAndControlBytesAreIgnored()
    {
        var reader = new SerialLineReader(64);
        Assert.Equal(new[] { "show version" }, Feed(reader, "shox\bw ver\x7f\x7f\x7fversion\x01\x1b\r"));
    }

    [Fact]
    public void OverlongLineIsDiscardedWholeAndCounted()
    {
        var reader = new SerialLineReader(8);
        Assert.Equal(new[] { "<overlong>", "ok" }, Feed(reader, "0123456789abc\rok\r"));
        Assert.Equal(1, reader.OverlongLines);
    }
}
