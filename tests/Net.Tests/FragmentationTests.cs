using VpnAppliance.Wire;

namespace VpnAppliance.Net.Tests;

/// <summary>DF clear and larger than the egress MTU: fragments (RFC 791 §3.2) that reassemble to the original.</summary>
public class FragmentationTests
{
    // Checks every fragment and reassembles: offsets in 8-byte units, MF on all but the last, data of all but the
    // last a multiple of 8, each at most the MTU with a valid checksum, same id/protocol/addresses, TTL decremented.
    private static byte[] Reassemble(List<byte[]> fragments, byte[] original, int mtu, int expectedTtl)
    {
        var orig = Packets.CheckIp(original);
        int originalHeader = orig.HeaderLength;
        var data = new byte[orig.PayloadLength];
        int covered = 0;
        for (int i = 0; i < fragments.Count; i++)
        {
            var f = Packets.CheckIp(fragments[i]);
            Assert.True(f.Length <= mtu, $"fragment {i} is {f.Length} > {mtu}");
            Assert.Equal(orig.Identification, f.Identification);
            Assert.Equal(orig.Source, f.Source);
            Assert.Equal(orig.Destination, f.Destination);
            Assert.Equal(orig.Protocol, f.Protocol);
            Assert.Equal(expectedTtl, f.Ttl);
            Assert.False(f.DontFragment);
            bool last = i == fragments.Count - 1;
            Assert.Equal(!last, f.MoreFragments);
            if (!last)
            {
                Assert.Equal(0, f.PayloadLength % 8);
            }

            Assert.Equal(covered, f.FragmentOffset * 8);
            Assert.Equal(i == 0 ? originalHeader : f.HeaderLength, f.HeaderLength);
            Array.Copy(f.Buffer, f.PayloadOffset, data, f.FragmentOffset * 8, f.PayloadLength);
            covered += f.PayloadLength;
        }

        Assert.Equal(orig.PayloadLength, covered);
        return data;
    }

    [Theory]
    [InlineData(1500, 1400, 2)]
    [InlineData(1500, 576, 3)]
    [InlineData(1401, 1400, 2)]
    [InlineData(2000, 68, 42)]
    public void LanToTunnelFragmentsBeforeTheTunnel(int length, int mtu, int expectedFragments)
    {
        var lab = new Lab();
        lab.Route(Lab.Ip(10, 1, 0, 0), 16, lab.Group((1, 0u)));
        lab.Tunnels[1].Mtu = mtu;
        var original = Packets.Udp(Lab.Host, Lab.Ip(10, 1, 2, 5), 1, 2, length - 28, ttl: 20, df: false);
        if (length > 1500)
        {
            // Larger than the LAN MTU: hand it in from a tunnel instead (the tunnel MTU there is the peer's business).
            lab.InjectTunnel(2, original, offset: 14);
        }
        else
        {
            lab.InjectLanIp(original);
        }

        var fragments = lab.Tunnels[1].Sent;
        Assert.Equal(expectedFragments, fragments.Count);
        var data = Reassemble(fragments, original, mtu, 19);
        Assert.Equal(original.AsSpan(20).ToArray(), data);
        Assert.Equal(expectedFragments, lab.Router.Counters(1).TxPackets);
        Assert.Equal(0, lab.Pool.InUse);
    }

    [Fact]
    public void TunnelToLanFragmentsForTheLanMtu()
    {
        var lab = new Lab();
        lab.LearnHost(Lab.Host, Lab.HostMac);
        var original = Packets.Udp(Lab.Ip(10, 9, 0, 1), Lab.Host, 1, 2, 1800, ttl: 9);
        lab.InjectTunnel(1, original);
        var frames = lab.TakeLan();
        Assert.Equal(2, frames.Count);
        var fragments = frames.Select(f => Packets.Bytes(Packets.IpOfFrame(f, Lab.HostMac))).ToList();
        Assert.Equal(original.AsSpan(20).ToArray(), Reassemble(fragments, original, 1500, 8));
    }

    [Fact]
    public void FragmentOfAFragmentKeepsOffsetsAndTheLastMoreFragmentsFlag()
    {
        var lab = new Lab();
        lab.Route(Lab.Ip(10, 1, 0, 0), 16, lab.Group((1, 0u)));
        lab.Tunnels[1].Mtu = 500;
        var payload = new byte[1200];
        new Random(3).NextBytes(payload);
        var original = Packets.Ip(Lab.Host, Lab.Ip(10, 1, 2, 5), IpProtocol.Udp, payload, ttl: 5, mf: true, fragmentOffset: 100);
        lab.InjectLanIp(original);
        var fragments = lab.Tunnels[1].Sent.Select(p => Packets.CheckIp(p)).ToList();
        Assert.Equal(3, fragments.Count);
        Assert.All(fragments, f => Assert.True(f.MoreFragments));
        Assert.Equal(100, fragments[0].FragmentOffset);
        Assert.Equal(100 + fragments[0].PayloadLength / 8, fragments[1].FragmentOffset);
    }

    [Fact]
    public void LaterFragmentsCarryOnlyCopiedOptions()
    {
        var lab = new Lab();
        lab.Route(Lab.Ip(10, 1, 0, 0), 16, lab.Group((1, 0u)));
        lab.Tunnels[1].Mtu = 600;
        // Record route (type 7, not copied, 11 bytes) + NOP + router alert (type 0x94, copied, RFC 2113).
        var options = new byte[] { 7, 11, 4, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x94, 4, 0, 0 };
        var payload = new byte[1000];
        new Random(4).NextBytes(payload);
        var original = Packets.Ip(Lab.Host, Lab.Ip(10, 1, 2, 5), IpProtocol.Udp, payload, ttl: 5, options: options);
        lab.InjectLanIp(original);
        var fragments = lab.Tunnels[1].Sent.Select(p => Packets.CheckIp(p)).ToList();
        Assert.True(fragments.Count >= 2);
        Assert.Equal(36, fragments[0].HeaderLength);
        Assert.Equal(options, fragments[0].Buffer.AsSpan(fragments[0].OptionsOffset, 16).ToArray());
        for (int i = 1; i < fragments.Count; i++)
        {
            Assert.Equal(24, fragments[i].HeaderLength);
            Assert.Equal(new byte[] { 0x94, 4, 0, 0 }, fragments[i].Buffer.AsSpan(fragments[i].OptionsOffset, 4).ToArray());
        }

        var data = new byte[1000];
        foreach (var f in fragments)
        {
            Array.Copy(f.Buffer, f.PayloadOffset, data, f.FragmentOffset * 8, f.PayloadLength);
        }

        Assert.Equal(payload, data);
    }
}
