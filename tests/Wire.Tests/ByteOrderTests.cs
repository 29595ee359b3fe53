namespace VpnAppliance.Wire.Tests;

public class ByteOrderTests
{
    [Fact]
    public void Reads_and_writes_are_big_endian()
    {
        byte[] b = new byte[8];
        NetworkByteOrder.WriteUInt16(b, 1, 0x1234);
        NetworkByteOrder.WriteUInt32(b, 3, 0xA1B2C3D4);
        Assert.Equal(Hex.Parse("00 12 34 a1 b2 c3 d4 00"), b);
        Assert.Equal(0x1234, NetworkByteOrder.ReadUInt16(b, 1));
        Assert.Equal(0xA1B2C3D4u, NetworkByteOrder.ReadUInt32(b, 3));
    }

    [Fact]
    public void Ethernet_address_is_the_low_48_bits_first_octet_highest()
    {
        byte[] b = Hex.Parse("ff 02 00 00 00 01 01 ff");
        Assert.Equal(0x020000000101UL, EthernetAddress.Read(b, 1));
        byte[] w = new byte[8];
        EthernetAddress.Write(w, 1, 0x020000000101UL);
        Assert.Equal(Hex.Parse("00 02 00 00 00 01 01 00"), w);
        Assert.True(EthernetAddress.IsBroadcast(EthernetAddress.Broadcast));
        Assert.True(EthernetAddress.IsMulticast(0x01005E000001UL));
        Assert.False(EthernetAddress.IsMulticast(0x020000000101UL));
    }

    [Fact]
    public void Ipv4_address_is_host_order()
    {
        Assert.Equal(0x0A000102u, Ipv4Address.FromOctets(10, 0, 1, 2));
        Assert.True(Ipv4Address.IsMulticast(Ipv4Address.FromOctets(224, 0, 0, 5)));
        Assert.False(Ipv4Address.IsMulticast(Ipv4Address.FromOctets(10, 0, 0, 5)));
    }

    [Fact]
    public void Random_values_round_trip()
    {
        var random = new Random(7);
        byte[] b = new byte[16];
        for (int i = 0; i < 1000; i++)
        {
            int o = random.Next(0, 10);
            ushort v16 = (ushort)random.Next(0, 0x10000);
            uint v32 = (uint)random.NextInt64(0, 1L << 32);
            ulong v48 = (ulong)random.NextInt64(0, 1L << 48);
            NetworkByteOrder.WriteUInt16(b, o, v16);
            Assert.Equal(v16, NetworkByteOrder.ReadUInt16(b, o));
            NetworkByteOrder.WriteUInt32(b, o, v32);
            Assert.Equal(v32, NetworkByteOrder.ReadUInt32(b, o));
            NetworkByteOrder.WriteUInt48(b, o, v48);
            Assert.Equal(v48, NetworkByteOrder.ReadUInt48(b, o));
        }
    }
}
