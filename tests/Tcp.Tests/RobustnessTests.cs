using VpnAppliance.Wire;

namespace VpnAppliance.Tcp.Tests;

/// <summary>Bad input never escapes: truncations, bad checksums, random mutations against live connections.</summary>
public class RobustnessTests
{
    [Fact]
    public void TruncatedSegmentsAreMalformedAndBadChecksumIsCounted()
    {
        var p = new Peer();
        p.Stack.Listen(0, 179, out _);
        byte[] seg = Seg.Build(Peer.Remote, Peer.Local, 50000, 179, 1, 0, TcpFlags.Syn, 1000, mss: 1400);
        for (int len = 0; len < seg.Length; len++)
        {
            TcpInputResult r = p.Stack.OnSegment(Peer.Remote, Peer.Local, seg, 0, len, p.Now);
            Assert.True(r == TcpInputResult.Malformed || r == TcpInputResult.BadChecksum, $"len {len}: {r}");
        }

        seg[seg.Length - 1] ^= 0x40; // in the MSS value: checksum no longer verifies
        Assert.Equal(TcpInputResult.BadChecksum, p.Stack.OnSegment(Peer.Remote, Peer.Local, seg, 0, seg.Length, p.Now));
        Assert.Equal(TcpInputResult.Malformed, p.Stack.OnSegment(Peer.Remote, Peer.Local, null!, 0, 20, p.Now));
        Assert.Equal(TcpInputResult.Malformed, p.Stack.OnSegment(Peer.Remote, Peer.Local, seg, 10, 100, p.Now));
        Assert.Empty(p.Take());
        Assert.Equal(1, p.Stack.InUse);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void RandomSegmentsAgainstLiveConnectionsNeverThrow(int seed)
    {
        var rng = new Random(seed);
        var p = new Peer(connections: 4, bufferSize: 2000);
        p.Stack.Listen(0, 179, out _);
        int id = p.Establish(out uint iss);
        byte[] data = new byte[200];
        for (int i = 0; i < 20_000; i++)
        {
            byte flags = (byte)rng.Next(0, 256);
            uint seq = rng.Next(3) == 0 ? (uint)rng.Next() : Peer.PeerIss + (uint)rng.Next(0, 5000);
            uint ack = rng.Next(3) == 0 ? (uint)rng.Next() : iss + (uint)rng.Next(0, 200);
            int len = rng.Next(0, 200);
            rng.NextBytes(data);
            byte[] seg = Seg.Build(Peer.Remote, Peer.Local, rng.Next(2) == 0 ? 50000 : Peer.RemotePort,
                rng.Next(2) == 0 ? 179 : p.LocalPort, seq, ack, flags, rng.Next(0, 65536), data[..len], rng.Next(2) == 0 ? rng.Next(1, 2000) : 0);
            if (rng.Next(4) == 0)
            {
                seg[rng.Next(seg.Length)] = (byte)rng.Next(256); // often a bad checksum or header
            }

            p.Now += rng.Next(0, 50);
            p.Stack.OnSegment(Peer.Remote, Peer.Local, seg, 0, seg.Length, p.Now);
            if (rng.Next(10) == 0)
            {
                p.Stack.Poll(p.Now);
                p.Stack.Send(id, data, 0, rng.Next(0, 100));
                p.Stack.Receive(id, data, 0, 200);
            }

            p.Take();
        }

        Assert.True(p.Stack.InUse <= 4);
    }
}
