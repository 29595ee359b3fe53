namespace VpnAppliance.Wire.Tests;

/// <summary>The two in-place forwarding rewrites against full checksum recomputation.</summary>
public class RewriteTests
{
    private static readonly uint A = Ipv4Address.FromOctets(10, 0, 1, 1);
    private static readonly uint R = Ipv4Address.FromOctets(10, 0, 1, 2);

    private static ushort RecomputedIpv4Checksum(byte[] b, int offset)
    {
        byte[] copy = (byte[])b.Clone();
        copy[offset + 10] = 0;
        copy[offset + 11] = 0;
        return InternetChecksum.Compute(copy, offset, (b[offset] & 15) * 4);
    }

    private static ushort RecomputedTcpChecksum(byte[] b, int offset, int length, uint source, uint destination)
    {
        byte[] copy = (byte[])b.Clone();
        copy[offset + 16] = 0;
        copy[offset + 17] = 0;
        uint sum = InternetChecksum.AddPseudoHeader(source, destination, IpProtocol.Tcp, length, 0);
        return InternetChecksum.Finish(InternetChecksum.Add(copy, offset, length, sum));
    }

    [Fact]
    public void Ttl_decrement_of_the_golden_echo_request()
    {
        byte[] f = GoldenSet.Bytes(nameof(GoldenPackets.EchoRequest));
        Assert.Equal(WireResult.Ok, Ipv4Packet.Check(f, 14, 44, out Ipv4Packet p));
        Assert.True(TtlDecrement.Apply(p));
        Assert.Equal(63, p.Ttl);
        Assert.Equal(RecomputedIpv4Checksum(f, 14), p.HeaderChecksum);
        Assert.Equal(0x4E06, p.HeaderChecksum); // 0x4d06 + 0x0100: TTL is the high byte of its word
        Assert.Equal(WireResult.Ok, Ipv4Packet.Check(f, 14, 44, out _));
    }

    [Fact]
    public void Ttl_of_one_or_zero_expires_and_nothing_changes()
    {
        foreach (byte ttl in new byte[] { 1, 0 })
        {
            byte[] f = GoldenSet.Bytes(nameof(GoldenPackets.EchoRequest));
            f[14 + 8] = ttl;
            NetworkByteOrder.WriteUInt16(f, 14 + 10, RecomputedIpv4Checksum(f, 14));
            byte[] before = (byte[])f.Clone();
            Assert.Equal(WireResult.Ok, Ipv4Packet.Check(f, 14, 44, out Ipv4Packet p));
            Assert.False(TtlDecrement.Apply(p));
            Assert.Equal(before, f);
        }

        Assert.False(TtlDecrement.Apply(default));
    }

    [Fact]
    public void Ttl_decrement_matches_recomputation_on_random_headers()
    {
        var random = new Random(1812);
        for (int i = 0; i < 5000; i++)
        {
            int ihl = random.Next(5, 16);
            byte[] b = new byte[ihl * 4 + 8];
            random.NextBytes(b);
            b[0] = (byte)(0x40 | ihl);
            NetworkByteOrder.WriteUInt16(b, 2, b.Length);
            b[8] = (byte)random.Next(2, 256);
            NetworkByteOrder.WriteUInt16(b, 10, RecomputedIpv4Checksum(b, 0));
            // walk the TTL all the way down: every step must match a full recomputation
            int steps = 0;
            while (true)
            {
                Assert.Equal(WireResult.Ok, Ipv4Packet.Check(b, 0, b.Length, out Ipv4Packet p));
                byte ttl = p.Ttl;
                if (!TtlDecrement.Apply(p))
                {
                    Assert.True(ttl <= 1);
                    break;
                }

                Assert.Equal(ttl - 1, b[8]);
                Assert.Equal(RecomputedIpv4Checksum(b, 0), NetworkByteOrder.ReadUInt16(b, 10));
                if (++steps == 8) break;
            }
        }
    }

    [Fact]
    public void Mss_clamp_of_the_golden_syn()
    {
        byte[] f = GoldenSet.Bytes(nameof(GoldenPackets.TcpSyn));
        const int tcp = 34;
        Assert.Equal(WireResult.Ok, TcpSegment.Check(f, tcp, 40, A, R, out TcpSegment s));
        Assert.Equal(MssClampResult.Clamped, MssClamp.Apply(s, 1360));
        Assert.Equal(WireResult.Ok, TcpSegment.Check(f, tcp, 40, A, R, out s));
        Assert.Equal(WireResult.Ok, TcpRepr.Parse(s, out TcpRepr repr));
        Assert.Equal(1360, repr.Options.MaximumSegmentSize);
        Assert.Equal(RecomputedTcpChecksum(f, tcp, 40, A, R), s.Checksum);
        Assert.Equal(0x7CC1 + 100, s.Checksum); // MSS word 1460 -> 1360: the complement sum rises by 100

        byte[] before = (byte[])f.Clone();
        Assert.Equal(MssClampResult.WithinMaximum, MssClamp.Apply(s, 1360));
        Assert.Equal(MssClampResult.WithinMaximum, MssClamp.Apply(s, 1460));
        Assert.Equal(before, f);
    }

    [Fact]
    public void Mss_clamp_only_touches_syns_with_an_mss_option()
    {
        byte[] synAck = GoldenSet.Bytes(nameof(GoldenPackets.TcpSynAck));
        Assert.Equal(WireResult.Ok, TcpSegment.Check(synAck, 34, 40, R, A, out TcpSegment s));
        Assert.Equal(MssClampResult.Clamped, MssClamp.Apply(s, 1200));
        Assert.Equal(WireResult.Ok, TcpSegment.Check(synAck, 34, 40, R, A, out _));

        byte[] data = GoldenSet.Bytes(nameof(GoldenPackets.TcpData));
        Assert.Equal(WireResult.Ok, TcpSegment.Check(data, 34, 42, A, R, out TcpSegment d));
        Assert.Equal(MssClampResult.NotSyn, MssClamp.Apply(d, 100));

        byte[] bare = new byte[20];
        var repr = new TcpRepr { Flags = TcpFlags.Syn };
        repr.Emit(bare, 0, 20, A, R);
        Assert.Equal(WireResult.Ok, TcpSegment.Check(bare, 0, 20, A, R, out TcpSegment b));
        Assert.Equal(MssClampResult.NoOption, MssClamp.Apply(b, 100));
        Assert.Equal(MssClampResult.Invalid, MssClamp.Apply(default, 100));
    }

    [Fact]
    public void Mss_clamp_matches_recomputation_on_random_syns_at_even_and_odd_offsets()
    {
        var random = new Random(879);
        int clamped = 0, odd = 0;
        for (int i = 0; i < 5000; i++)
        {
            // options: k NOPs, optionally an unknown option, MSS, then Linux's usual tail; padded with EOL
            var options = new List<byte>();
            int nops = random.Next(0, 4);
            for (int n = 0; n < nops; n++) options.Add(1);
            if (random.Next(2) == 0) options.AddRange(new byte[] { 30, 3, (byte)random.Next(256) });
            int mssAt = 20 + options.Count;
            ushort mss = (ushort)random.Next(0, 0x10000);
            options.AddRange(new byte[] { 2, 4, (byte)(mss >> 8), (byte)mss });
            if (random.Next(2) == 0) options.AddRange(new byte[] { 1, 3, 3, 7 });
            while (options.Count % 4 != 0) options.Add(0);
            int hl = 20 + options.Count;
            int payload = random.Next(0, 40);
            byte[] b = new byte[hl + payload];
            random.NextBytes(b);
            b[12] = (byte)(hl / 4 << 4);
            b[13] = (byte)(TcpFlags.Syn | (random.Next(2) == 0 ? TcpFlags.Ack : 0));
            options.CopyTo(b, 20);
            uint s = (uint)random.NextInt64(1L << 32), d = (uint)random.NextInt64(1L << 32);
            NetworkByteOrder.WriteUInt16(b, 16, RecomputedTcpChecksum(b, 0, b.Length, s, d));

            Assert.Equal(WireResult.Ok, TcpSegment.Check(b, 0, b.Length, s, d, out TcpSegment segment));
            ushort maximum = (ushort)random.Next(0, 0x10000);
            MssClampResult result = MssClamp.Apply(segment, maximum);
            Assert.Equal(mss > maximum ? MssClampResult.Clamped : MssClampResult.WithinMaximum, result);
            Assert.Equal(Math.Min(mss, maximum), NetworkByteOrder.ReadUInt16(b, mssAt + 2));
            Assert.Equal(RecomputedTcpChecksum(b, 0, b.Length, s, d), segment.Checksum);
            Assert.Equal(WireResult.Ok, TcpSegment.Check(b, 0, b.Length, s, d, out _));
            if (result == MssClampResult.Clamped) clamped++;
            if ((mssAt & 1) != 0) odd++;
        }

        Assert.InRange(clamped, 1000, 4000);
        Assert.InRange(odd, 1000, 4000);
    }
}
