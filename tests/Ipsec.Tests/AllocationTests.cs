using VpnAppliance.Hal;

namespace VpnAppliance.Ipsec.Tests;

/// <summary>
/// Steady state allocates nothing (DESIGN.md rule 3): 100,000 packets each way through Transmit (copy, protect,
/// WAN port) and Receive (lookup, replay, ICV, decrypt, checks), measured with GC.GetAllocatedBytesForCurrentThread.
/// </summary>
public class AllocationTests
{
    [Theory]
    [InlineData("aes256gcm16", "host", 100_000)]
    [InlineData("aes256-sha256", "host", 100_000)]
    [InlineData("aes128-sha1", "host", 100_000)]
    [InlineData("aes256gcm16-esn", "host", 100_000)]
    [InlineData("aes256gcm16", "managed", 100_000)]
    [InlineData("aes256-sha256", "managed", 100_000)]
    public void Packets_each_way_allocate_nothing(string suiteName, string provider, int packets)
    {
        Suite s = Suite.ByName(suiteName);
        var i = new End(Suite.Provider(provider), 1);
        var r = new End(Suite.Provider(provider), 2);
        End.Connect(i, r, s, End.Keymat(s, 1));
        byte[] inner = End.Inner(64, 1);
        byte[] wire = new byte[2048];
        var to = new UdpEndpoint();
        TunnelInterface ti = i.Sad.Tunnel(0)!;
        TunnelInterface tr = r.Sad.Tunnel(0)!;
        EspReceiveResult result = new();

        bool OneEachWay(long now)
        {
            if (ti.Transmit(inner, 0, inner.Length, now) != PortResult.Ok) return false;
            int n = i.Wan.TakeSent(wire, 0, wire.Length, to);
            if (r.Receiver.Receive(wire, 0, n, now, result) != EspReceiveKind.Inner) return false;
            if (tr.Transmit(inner, 0, inner.Length, now) != PortResult.Ok) return false;
            n = r.Wan.TakeSent(wire, 0, wire.Length, to);
            return i.Receiver.Receive(wire, 0, n, now, result) == EspReceiveKind.Inner;
        }

        for (int k = 0; k < 200; k++)
        {
            Assert.True(OneEachWay(k)); // warm-up: JIT, first-use caches of the crypto libraries
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        int ok = 0;
        for (int k = 0; k < packets; k++)
        {
            if (OneEachWay(k))
            {
                ok++;
            }
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(packets, ok);
        Assert.Equal(0, allocated);
        Assert.Equal(packets + 200, r.Receiver.Counters.Packets);
        Assert.Equal(packets + 200, i.Receiver.Counters.Packets);
    }

    [Fact]
    public void Drops_allocate_nothing_either()
    {
        Suite s = Suite.Gcm256;
        var i = new End(Suite.Provider("managed"), 1);
        var r = new End(Suite.Provider("managed"), 2);
        End.Connect(i, r, s, End.Keymat(s, 1));
        byte[] esp = i.Send(End.Inner(64, 1));
        byte[] work = new byte[esp.Length];
        var result = new EspReceiveResult();
        esp.CopyTo(work, 0);
        Assert.Equal(EspReceiveKind.Inner, r.Receiver.Receive(work, 0, work.Length, 0, result));
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 10_000; k++)
        {
            esp.CopyTo(work, 0);
            r.Receiver.Receive(work, 0, work.Length, 0, result);          // replay
            work[^1] ^= 1;
            work[7] ^= 0x40;
            r.Receiver.Receive(work, 0, work.Length, 0, result);          // ICV failure (managed GCM)
            work[0] ^= 1;
            r.Receiver.Receive(work, 0, work.Length, 0, result);          // unknown SPI
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(10_000, r.Receiver.Counters.Drops(EspDropReason.IcvFailed));
    }
}
