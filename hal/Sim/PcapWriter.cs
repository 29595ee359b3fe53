using System;
using System.Buffers.Binary;
using System.IO;

namespace VpnAppliance.Hal.Sim;

/// <summary>
/// Writes a libpcap capture file (the classic format read by tcpdump, Wireshark and tshark:
/// 24-byte global header, magic 0xA1B2C3D4 with microsecond timestamps, then a 16-byte record
/// header per packet). Timestamps are virtual ms. Ethernet links use LINKTYPE_ETHERNET (1);
/// UDP links use LINKTYPE_RAW (101) with a synthesized IPv4 + UDP header so that tshark
/// decodes IKE (500/4500) and ESP-in-UDP. Link-type values: tcpdump.org/linktypes.html.
/// </summary>
public sealed class PcapWriter : IDisposable
{
    /// <summary>LINKTYPE_ETHERNET.</summary>
    public const int LinkTypeEthernet = 1;

    /// <summary>LINKTYPE_RAW: the packet starts with an IPv4 or IPv6 header.</summary>
    public const int LinkTypeRaw = 101;

    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly byte[] _record = new byte[16];
    private readonly byte[] _ipUdp = new byte[28];
    private ushort _ipId;

    /// <summary>Starts a capture on <paramref name="stream"/> with the given link type.</summary>
    public PcapWriter(Stream stream, int linkType, bool ownsStream = true, int snapLength = 65535)
    {
        _stream = stream ?? throw new ArgumentNullException(nameof(stream));
        _ownsStream = ownsStream;
        LinkType = linkType;
        byte[] header = new byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(0), 0xA1B2C3D4);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), 2); // version 2.4
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(6), 4);
        // thiszone and sigfigs stay 0.
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), (uint)snapLength);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(20), (uint)linkType);
        _stream.Write(header, 0, header.Length);
    }

    /// <summary>Creates (overwrites) a capture file.</summary>
    public static PcapWriter Create(string path, int linkType) =>
        new PcapWriter(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read), linkType);

    /// <summary>The link type written in the header.</summary>
    public int LinkType { get; }

    /// <summary>Packets written.</summary>
    public long Packets { get; private set; }

    /// <summary>Writes one packet as captured at virtual time <paramref name="timeMs"/>.</summary>
    public void WritePacket(long timeMs, byte[] data, int offset, int length)
    {
        WriteRecordHeader(timeMs, length);
        _stream.Write(data, offset, length);
        Packets++;
    }

    /// <summary>Writes a UDP datagram with a synthesized IPv4 header (RFC 791) and UDP header (RFC 768, checksum 0 = none).</summary>
    public void WriteUdp(long timeMs, uint source, int sourcePort, uint destination, int destinationPort, byte[] payload, int offset, int length)
    {
        int total = 28 + length;
        Span<byte> h = _ipUdp;
        h.Clear();
        h[0] = 0x45; // version 4, IHL 5
        BinaryPrimitives.WriteUInt16BigEndian(h.Slice(2), (ushort)Math.Min(total, 65535));
        BinaryPrimitives.WriteUInt16BigEndian(h.Slice(4), _ipId++);
        h[6] = 0x40; // DF
        h[8] = 64; // TTL
        h[9] = 17; // UDP
        BinaryPrimitives.WriteUInt32BigEndian(h.Slice(12), source);
        BinaryPrimitives.WriteUInt32BigEndian(h.Slice(16), destination);
        BinaryPrimitives.WriteUInt16BigEndian(h.Slice(10), HeaderChecksum(h.Slice(0, 20)));
        BinaryPrimitives.WriteUInt16BigEndian(h.Slice(20), (ushort)sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(h.Slice(22), (ushort)destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(h.Slice(24), (ushort)Math.Min(8 + length, 65535));
        WriteRecordHeader(timeMs, total);
        _stream.Write(_ipUdp, 0, 28);
        _stream.Write(payload, offset, length);
        Packets++;
    }

    /// <summary>Flushes buffered records to the stream.</summary>
    public void Flush() => _stream.Flush();

    /// <summary>Flushes and closes the stream when owned.</summary>
    public void Dispose()
    {
        _stream.Flush();
        if (_ownsStream)
        {
            _stream.Dispose();
        }
    }

    private void WriteRecordHeader(long timeMs, int length)
    {
        Span<byte> r = _record;
        BinaryPrimitives.WriteUInt32LittleEndian(r, (uint)(timeMs / 1000));
        BinaryPrimitives.WriteUInt32LittleEndian(r.Slice(4), (uint)(timeMs % 1000 * 1000));
        BinaryPrimitives.WriteUInt32LittleEndian(r.Slice(8), (uint)length);
        BinaryPrimitives.WriteUInt32LittleEndian(r.Slice(12), (uint)length);
        _stream.Write(_record, 0, 16);
    }

    // RFC 791 §3.1 / RFC 1071: one's complement of the one's complement sum of 16-bit words.
    private static ushort HeaderChecksum(ReadOnlySpan<byte> header)
    {
        uint sum = 0;
        for (int i = 0; i < header.Length; i += 2)
        {
            sum += (uint)(header[i] << 8 | header[i + 1]);
        }

        while (sum > 0xFFFF)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return (ushort)~sum;
    }
}
