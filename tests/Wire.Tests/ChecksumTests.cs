namespace VpnAppliance.Wire.Tests;

public class ChecksumTests
{
    // RFC 1071 §3 "Numerical examples": bytes 00 01 f2 03 f4 f5 f6 f7; the sum of the words is 2ddf0,
    // folded ddf2; the checksum field is its complement 220d.
    private static readonly byte[] Rfc1071Example = Hex.Parse("00 01 f2 03 f4 f5 f6 f7");

    [Fact]
    public void Rfc1071_numerical_example()
    {
        uint sum = InternetChecksum.Add(Rfc1071Example, 0, 8, 0);
        Assert.Equal(0x2DDF0u, sum);
        Assert.Equal(0xDDF2, InternetChecksum.Fold(sum));
        Assert.Equal(0x220D, InternetChecksum.Compute(Rfc1071Example, 0, 8));
    }

    [Fact]
    public void Rfc1071_sum_in_two_ranges_equals_one_range()
    {
        uint split = InternetChecksum.Add(Rfc1071Example, 4, 4, InternetChecksum.Add(Rfc1071Example, 0, 4, 0));
        Assert.Equal(InternetChecksum.Fold(InternetChecksum.Add(Rfc1071Example, 0, 8, 0)), InternetChecksum.Fold(split));
    }

    [Fact]
    public void Odd_length_pads_the_last_byte_with_zero()
    {
        byte[] odd = Hex.Parse("00 01 f2 03 f4");
        byte[] padded = Hex.Parse("00 01 f2 03 f4 00");
        Assert.Equal(InternetChecksum.Compute(padded, 0, 6), InternetChecksum.Compute(odd, 0, 5));
    }

    // RFC 1624 §4 (example of eqn. 2's failure): a header whose other words sum to 0xCD7A, where
    // m = 0x5555 becomes m' = 0x3285. HC = ~(0xCD7A + 0x5555) = 0xDD2F. Recomputation gives
    // HC' = ~(0xCD7A + 0x3285) = ~0xFFFF = 0x0000; eqn. 3 gives 0x0000 as well (eqn. 2 would give 0xFFFF).
    [Fact]
    public void Rfc1624_example_eqn3_matches_recomputation()
    {
        Assert.Equal(0xDD2F, (ushort)~InternetChecksum.Fold(0xCD7Au + 0x5555u));
        Assert.Equal(0x0000, (ushort)~InternetChecksum.Fold(0xCD7Au + 0x3285u));
        Assert.Equal(0x0000, InternetChecksum.Update(0xDD2F, 0x5555, 0x3285));
    }

    [Fact]
    public void Golden_ipv4_header_checksums_recompute_to_the_captured_value()
    {
        foreach (byte[] frame in GoldenSet.All())
        {
            Assert.Equal(WireResult.Ok, EthernetFrame.Check(frame, 0, frame.Length, out EthernetFrame eth));
            if (eth.EtherType != EtherType.Ipv4) continue;
            int ip = eth.PayloadOffset;
            ushort captured = NetworkByteOrder.ReadUInt16(frame, ip + 10);
            frame[ip + 10] = 0;
            frame[ip + 11] = 0;
            Assert.Equal(captured, InternetChecksum.Compute(frame, ip, (frame[ip] & 15) * 4));
        }
    }

    [Theory]
    [InlineData(nameof(GoldenPackets.UdpToClosedPort), 6)]
    [InlineData(nameof(GoldenPackets.TcpSyn), 16)]
    [InlineData(nameof(GoldenPackets.TcpSynAck), 16)]
    [InlineData(nameof(GoldenPackets.TcpData), 16)]
    public void Golden_transport_checksums_recompute_with_the_pseudo_header(string name, int checksumField)
    {
        byte[] frame = GoldenSet.Bytes(name);
        const int ip = EthernetFrame.HeaderLength;
        int l4 = ip + 20;
        int l4Length = NetworkByteOrder.ReadUInt16(frame, ip + 2) - 20;
        uint source = NetworkByteOrder.ReadUInt32(frame, ip + 12);
        uint destination = NetworkByteOrder.ReadUInt32(frame, ip + 16);
        ushort captured = NetworkByteOrder.ReadUInt16(frame, l4 + checksumField);
        frame[l4 + checksumField] = 0;
        frame[l4 + checksumField + 1] = 0;
        uint sum = InternetChecksum.AddPseudoHeader(source, destination, frame[ip + 9], l4Length, 0);
        Assert.Equal(captured, InternetChecksum.Finish(InternetChecksum.Add(frame, l4, l4Length, sum)));
    }

    [Theory]
    [InlineData(nameof(GoldenPackets.EchoRequest))]
    [InlineData(nameof(GoldenPackets.EchoReply))]
    [InlineData(nameof(GoldenPackets.TimeExceeded))]
    [InlineData(nameof(GoldenPackets.FragmentationNeeded))]
    [InlineData(nameof(GoldenPackets.PortUnreachable))]
    public void Golden_icmp_checksums_recompute(string name)
    {
        byte[] frame = GoldenSet.Bytes(name);
        int icmp = EthernetFrame.HeaderLength + 20;
        int length = NetworkByteOrder.ReadUInt16(frame, EthernetFrame.HeaderLength + 2) - 20;
        ushort captured = NetworkByteOrder.ReadUInt16(frame, icmp + 2);
        frame[icmp + 2] = 0;
        frame[icmp + 3] = 0;
        Assert.Equal(captured, InternetChecksum.Compute(frame, icmp, length));
    }

    [Fact]
    public void Sum_of_a_buffer_larger_than_64_KiB_matches_a_64_bit_reference()
    {
        var random = new Random(1071);
        byte[] data = new byte[300_001];
        random.NextBytes(data);
        Array.Fill(data, (byte)0xFF, 0, 200_000); // worst case for carries
        foreach (int length in new[] { 0, 1, 2, 65_535, 65_536, 131_073, 300_001 })
        {
            Assert.Equal(Reference(data, length), InternetChecksum.Fold(InternetChecksum.Add(data, 0, length, 0xFFFFFFFFu)));
        }

        static ushort Reference(byte[] data, int length)
        {
            ulong sum = 0xFFFFFFFFul;
            for (int i = 0; i < length; i += 2)
            {
                sum += (ulong)(data[i] << 8 | (i + 1 < length ? data[i + 1] : 0));
            }

            while (sum >> 16 != 0) sum = (sum & 0xFFFF) + (sum >> 16);
            return (ushort)sum;
        }
    }

    [Fact]
    public void Incremental_update_equals_recomputation_for_random_words_at_even_and_odd_offsets()
    {
        var random = new Random(1624);
        byte[] data = new byte[64];
        for (int i = 0; i < 20_000; i++)
        {
            int length = random.Next(4, 65);
            random.NextBytes(data);
            data[0] |= 0x40; // a non-zero word, as every real header has (sum never +0)
            ushort before = InternetChecksum.Compute(data, 0, length);
            int field = random.Next(0, length - 1); // 16-bit field at any byte offset, even or odd
            ushort oldValue = NetworkByteOrder.ReadUInt16(data, field);
            ushort newValue = (ushort)random.Next(0, 0x10000);
            if (field == 0) newValue |= 0x4000;
            NetworkByteOrder.WriteUInt16(data, field, newValue);
            ushort full = InternetChecksum.Compute(data, 0, length);
            Assert.Equal(full, InternetChecksum.UpdateField(before, field, oldValue, newValue));
        }
    }
}
