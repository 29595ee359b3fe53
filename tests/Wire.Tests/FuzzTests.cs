namespace VpnAppliance.Wire.Tests;

/// <summary>
/// Bounded, seeded mutation fuzz over every parser, parsed form and rewrite: no exception may escape, and a
/// failing iteration is reported with its seed so it reproduces.
/// </summary>
public class FuzzTests
{
    private const int Seed = 20261122;
    private const int Iterations = 50_000;

    [Fact]
    public void Fifty_thousand_mutations_never_throw()
    {
        byte[][] golden = GoldenSet.All();
        var random = new Random(Seed);
        byte[] work = new byte[256];
        byte[] scratch = new byte[256];
        var outcomes = new int[16];
        for (int i = 0; i < Iterations; i++)
        {
            byte[] source = golden[random.Next(golden.Length)];
            int offset = random.Next(0, 9);
            Array.Clear(work);
            source.CopyTo(work, offset);
            int length = source.Length;
            int mutations = random.Next(1, 5);
            for (int m = 0; m < mutations; m++)
            {
                length = Mutate(random, work, offset, length);
            }

            if (random.Next(3) == 0) FixIpv4Checksum(work, offset, length); // reach the transport parsers too
            try
            {
                outcomes[(int)Dissector.Dissect(work, offset, length)]++;
                Lenient(work, offset, length, scratch);
                EveryParserAtRandomWindows(random, work);
            }
            catch (Exception e)
            {
                Assert.Fail($"seed {Seed} iteration {i}: {e}");
            }
        }

        // the mutations reach every outcome the dissector can report
        foreach (WireResult r in new[] { WireResult.Ok, WireResult.Truncated, WireResult.BadVersion, WireResult.BadHeaderLength,
                     WireResult.BadChecksum, WireResult.BadLength, WireResult.Malformed, WireResult.Unsupported })
        {
            Assert.True(outcomes[(int)r] > 0, $"no mutation produced {r}");
        }
    }

    private static int Mutate(Random random, byte[] work, int offset, int length)
    {
        int l3 = offset + 14;
        switch (random.Next(7))
        {
            case 0: // flip one bit anywhere
                if (length > 0) work[offset + random.Next(length)] ^= (byte)(1 << random.Next(8));
                return length;
            case 1: // random byte in the first 60 bytes of the packet (the headers)
                if (length > 14) work[l3 + random.Next(Math.Min(60, length - 14))] = (byte)random.Next(256);
                return length;
            case 2: // IPv4 version/IHL, total length, or a transport length / data offset to an edge value
            {
                int[] fields = { 0, 2, 20 + 4, 20 + 12 };
                int field = l3 + fields[random.Next(fields.Length)];
                int[] values = { 0, 1, 4, 5, 7, 8, 19, 20, 21, 0x45, 0x4F, 0xF0, 0x50, 0xFF, 0xFFFF, length - 14, length - 13 };
                int value = values[random.Next(values.Length)];
                if (field + 1 < work.Length) NetworkByteOrder.WriteUInt16(work, field, value);
                return length;
            }
            case 3: // cut
                return random.Next(0, length + 1);
            case 4: // extend with garbage
            {
                int extended = Math.Min(work.Length - offset, length + random.Next(1, 40));
                for (int p = offset + length; p < offset + extended; p++) work[p] = (byte)random.Next(256);
                return extended;
            }
            case 5: // TCP options area bytes (kinds and lengths)
            {
                int p = l3 + 20 + 20 + random.Next(20);
                if (p < work.Length) work[p] = (byte)new[] { 0, 1, 2, 3, 4, 5, 8, 30, 255, random.Next(256) }[random.Next(10)];
                return length;
            }
            default: // random byte anywhere, including past the frame
                work[offset + random.Next(work.Length - offset)] = (byte)random.Next(256);
                return length;
        }
    }

    private static void FixIpv4Checksum(byte[] b, int offset, int length)
    {
        int l3 = offset + 14;
        if (length < 34) return;
        int hl = (b[l3] & 15) * 4;
        if (hl < 20 || l3 + hl > offset + length) return;
        b[l3 + 10] = 0;
        b[l3 + 11] = 0;
        NetworkByteOrder.WriteUInt16(b, l3 + 10, InternetChecksum.Compute(b, l3, hl));
    }

    /// <summary>Unverified walk (what a router does), with the rewrites and the emits of every parsed form.</summary>
    private static void Lenient(byte[] b, int offset, int length, byte[] scratch)
    {
        if (EthernetFrame.Check(b, offset, length, out EthernetFrame eth) != WireResult.Ok) return;
        EthernetRepr.Parse(eth, out EthernetRepr er);
        er.Emit(scratch, 0, scratch.Length);
        if (ArpPacket.Check(b, eth.PayloadOffset, eth.PayloadLength, out ArpPacket arp) == WireResult.Ok
            && ArpRepr.Parse(arp, out ArpRepr ar) == WireResult.Ok)
        {
            ar.Emit(scratch, 0, scratch.Length);
        }

        if (Ipv4Packet.CheckQuoted(b, eth.PayloadOffset, eth.PayloadLength, out Ipv4Packet ip) != WireResult.Ok) return;
        Ipv4Repr.Parse(ip, out Ipv4Repr ir);
        ir.Emit(scratch, 0, scratch.Length);
        if (Ipv4Packet.Check(b, eth.PayloadOffset, eth.PayloadLength, out Ipv4Packet checkedIp) == WireResult.Ok)
        {
            TtlDecrement.Apply(checkedIp);
        }

        int l4 = ip.PayloadOffset, l4Length = ip.PayloadLength;
        if (IcmpMessage.CheckHeader(b, l4, l4Length, out IcmpMessage icmp) == WireResult.Ok
            && IcmpRepr.Parse(icmp, out IcmpRepr cr) == WireResult.Ok)
        {
            cr.Emit(scratch, 0, scratch.Length);
            if (Ipv4Packet.CheckQuoted(b, icmp.DataOffset, icmp.DataLength, out Ipv4Packet quoted) == WireResult.Ok)
            {
                UdpDatagram.CheckHeader(b, quoted.PayloadOffset, quoted.PayloadLength, out _);
                TcpSegment.CheckHeader(b, quoted.PayloadOffset, quoted.PayloadLength, out _);
            }
        }

        if (UdpDatagram.Check(b, l4, l4Length, ip.Source, ip.Destination, out UdpDatagram udp) == WireResult.Ok
            || UdpDatagram.CheckHeader(b, l4, l4Length, out udp) == WireResult.Ok)
        {
            UdpRepr.Parse(udp, out UdpRepr ur);
            ur.Emit(scratch, 0, scratch.Length, ip.Source, ip.Destination);
        }

        if (TcpSegment.CheckHeader(b, l4, l4Length, out TcpSegment tcp) == WireResult.Ok)
        {
            TcpSegment.Check(b, l4, l4Length, ip.Source, ip.Destination, out _);
            MssClamp.Apply(tcp, 1300);
            if (TcpRepr.Parse(tcp, out TcpRepr tr) == WireResult.Ok)
            {
                tr.Emit(scratch, 0, scratch.Length, ip.Source, ip.Destination);
            }
        }
    }

    /// <summary>Each parser on random (often invalid) windows of the buffer.</summary>
    private static void EveryParserAtRandomWindows(Random random, byte[] b)
    {
        int offset = random.Next(-2, b.Length + 2);
        int length = random.Next(-2, b.Length + 2);
        EthernetFrame.Check(b, offset, length, out _);
        ArpPacket.Check(b, offset, length, out _);
        Ipv4Packet.Check(b, offset, length, out _);
        Ipv4Packet.CheckQuoted(b, offset, length, out _);
        IcmpMessage.Check(b, offset, length, out _);
        UdpDatagram.Check(b, offset, length, 1, 2, out _);
        if (TcpSegment.CheckHeader(b, offset, length, out TcpSegment s) == WireResult.Ok)
        {
            MssClamp.Apply(s, (ushort)random.Next(0x10000));
        }

        TcpSegment.Check(b, offset, length, 1, 2, out _);
        new TcpRepr { PayloadLength = random.Next(-5, 70_000) }.Emit(b, offset, length, 1, 2);
        new UdpRepr { PayloadLength = random.Next(-5, 70_000) }.Emit(b, offset, length, 1, 2);
        new IcmpRepr { DataLength = random.Next(-5, 70_000) }.Emit(b, offset, length);
        new Ipv4Repr { PayloadLength = random.Next(-5, 70_000), FragmentOffset = random.Next(-1, 0x2001) }.Emit(b, offset, length);
    }
}
