namespace VpnAppliance.Wire.Tests;

/// <summary>Parsing, views, checksums, rewrites and emits allocate nothing after warm-up (DESIGN.md §2 rule 3).</summary>
public class AllocationTests
{
    private static readonly uint A = Ipv4Address.FromOctets(10, 0, 1, 1);
    private static readonly uint R = Ipv4Address.FromOctets(10, 0, 1, 2);

    [Fact]
    public void Steady_state_paths_allocate_zero_bytes()
    {
        byte[][] golden = GoldenSet.All();
        byte[] syn = GoldenSet.Bytes(nameof(GoldenPackets.TcpSyn));
        byte[] echo = GoldenSet.Bytes(nameof(GoldenPackets.EchoRequest));
        byte[] work = new byte[256];
        byte[] scratch = new byte[256];

        int checksum = Run(golden, syn, echo, work, scratch); // warm-up: JIT, static initialisers
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            checksum += Run(golden, syn, echo, work, scratch);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.NotEqual(0, checksum);
    }

    private static int Run(byte[][] golden, byte[] syn, byte[] echo, byte[] work, byte[] scratch)
    {
        int acc = 0;
        for (int g = 0; g < golden.Length; g++)
        {
            acc += (int)Dissector.Dissect(golden[g], 0, golden[g].Length);
            acc += InternetChecksum.Compute(golden[g], 0, golden[g].Length);
        }

        acc += InternetChecksum.UpdateField(0x1234, 3, 0x5555, 0x3285);

        // TTL decrement on a copy of the echo request
        Buffer.BlockCopy(echo, 0, work, 0, echo.Length);
        if (Ipv4Packet.Check(work, 14, 44, out Ipv4Packet ip) == WireResult.Ok && TtlDecrement.Apply(ip)) acc += ip.HeaderChecksum;
        Ipv4Repr.Parse(ip, out Ipv4Repr ir);
        ir.Emit(scratch, 0, scratch.Length);

        // MSS clamp on a copy of the SYN, then the full check and the parsed form and its emit
        Buffer.BlockCopy(syn, 0, work, 0, syn.Length);
        if (TcpSegment.CheckHeader(work, 34, 40, out TcpSegment tcp) == WireResult.Ok) acc += (int)MssClamp.Apply(tcp, 1360);
        TcpSegment.Check(work, 34, 40, A, R, out tcp);
        if (TcpRepr.Parse(tcp, out TcpRepr tr) == WireResult.Ok) tr.Emit(scratch, 0, scratch.Length, A, R);
        acc += tr.Options.MaximumSegmentSize;

        var ur = new UdpRepr { SourcePort = 500, DestinationPort = 4500, PayloadLength = 100 };
        ur.Emit(scratch, 0, scratch.Length, A, R);
        var cr = new IcmpRepr { Type = IcmpMessage.TypeDestinationUnreachable, Code = IcmpMessage.CodeFragmentationNeeded, NextHopMtu = 1400, DataLength = 28 };
        cr.Emit(scratch, 0, scratch.Length);
        var ar = new ArpRepr { Operation = ArpPacket.OperationReply, SenderHardwareAddress = 0x020000000102UL };
        ar.Emit(scratch, 0, scratch.Length);
        var er = new EthernetRepr { EtherType = EtherType.Arp, Destination = EthernetAddress.Broadcast };
        er.Emit(scratch, 0, scratch.Length);
        return acc + scratch[5];
    }
}
