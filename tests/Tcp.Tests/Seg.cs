using VpnAppliance.Wire;

namespace VpnAppliance.Tcp.Tests;

/// <summary>One segment as the tests see it: header fields, MSS option and a copy of the data.</summary>
public sealed record Seg(uint Source, uint Destination, int SourcePort, int DestinationPort, uint Seq, uint Ack, byte Flags, int Window, int Mss, byte[] Data)
{
    public bool Syn => (Flags & TcpFlags.Syn) != 0;
    public bool AckFlag => (Flags & TcpFlags.Ack) != 0;
    public bool Fin => (Flags & TcpFlags.Fin) != 0;
    public bool Rst => (Flags & TcpFlags.Rst) != 0;
    public int Length => Data.Length;

    /// <summary>The IP TTL the stack asked the IP layer for (0 = default).</summary>
    public int Ttl { get; init; }

    /// <summary>Parses a segment the stack emitted (checksum verified).</summary>
    public static Seg Parse(uint source, uint destination, byte[] buffer, int offset, int length)
    {
        Assert.Equal(WireResult.Ok, TcpSegment.Check(buffer, offset, length, source, destination, out TcpSegment view));
        Assert.Equal(WireResult.Ok, TcpRepr.Parse(view, out TcpRepr r));
        var data = new byte[view.PayloadLength];
        System.Array.Copy(buffer, view.PayloadOffset, data, 0, data.Length);
        return new Seg(source, destination, r.SourcePort, r.DestinationPort, r.SequenceNumber, r.AcknowledgmentNumber, r.Flags, r.Window,
            r.Options.HasMaximumSegmentSize ? r.Options.MaximumSegmentSize : 0, data);
    }

    /// <summary>Builds a segment with a valid checksum.</summary>
    public static byte[] Build(uint source, uint destination, int sourcePort, int destinationPort, uint seq, uint ack, byte flags,
        int window, byte[]? data = null, int mss = 0)
    {
        data ??= [];
        var repr = new TcpRepr
        {
            SourcePort = (ushort)sourcePort,
            DestinationPort = (ushort)destinationPort,
            SequenceNumber = seq,
            AcknowledgmentNumber = ack,
            Flags = flags,
            Window = (ushort)window,
            PayloadLength = data.Length,
        };
        if (mss > 0)
        {
            repr.Options.HasMaximumSegmentSize = true;
            repr.Options.MaximumSegmentSize = (ushort)mss;
        }

        var buffer = new byte[repr.SegmentLength];
        System.Array.Copy(data, 0, buffer, repr.HeaderLength, data.Length);
        Assert.Equal(WireResult.Ok, repr.Emit(buffer, 0, buffer.Length, source, destination));
        return buffer;
    }

    public override string ToString()
    {
        string f = (Syn ? "S" : "") + (AckFlag ? "A" : "") + (Fin ? "F" : "") + (Rst ? "R" : "") + ((Flags & TcpFlags.Psh) != 0 ? "P" : "");
        return $"[{f} seq={Seq} ack={Ack} win={Window} len={Length}{(Mss > 0 ? " mss=" + Mss : "")}]";
    }
}

/// <summary>An ITcpOutput that keeps every segment (tests of scripted exchanges).</summary>
public sealed class CaptureOutput : ITcpOutput
{
    public readonly List<Seg> Segments = new();

    public void SendSegment(uint source, uint destination, byte[] buffer, int offset, int length, int ttl, long nowMs)
        => Segments.Add(Seg.Parse(source, destination, buffer, offset, length) with { Ttl = ttl });

    /// <summary>The segments sent since the last call.</summary>
    public List<Seg> Take()
    {
        var copy = new List<Seg>(Segments);
        Segments.Clear();
        return copy;
    }
}
