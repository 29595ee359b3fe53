namespace VpnAppliance.Ipsec.Tests;

/// <summary>Round trips between two SADs (initiator and responder take opposite KEYMAT halves), also across providers.</summary>
public class RoundTripTests
{
    public static TheoryData<string, string> Matrix => Suite.Matrix();

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Both_ways_every_length(string suiteName, string provider)
    {
        Suite s = Suite.ByName(suiteName);
        var i = new End(Suite.Provider(provider), 1);
        var r = new End(Suite.Provider(provider), 2);
        End.Connect(i, r, s, End.Keymat(s, 4));
        int sent = 0;
        long bytes = 0;
        for (int len = 20; len <= 1400; len += len < 80 ? 1 : 97)
        {
            byte[] a = End.Inner(Math.Max(len, 28), len)[..len];
            Assert.Equal(EspReceiveKind.Inner, r.Receive(i.Send(a)));
            Assert.Equal(a, r.LastInner);
            Assert.Equal(EspReceiveKind.Inner, i.Receive(r.Send(a)));
            Assert.Equal(a, i.LastInner);
            sent++;
            bytes += len;
        }

        Assert.Equal(sent, r.Sad.Tunnel(0)!.RxPackets);
        Assert.Equal(bytes, r.Sad.Tunnel(0)!.RxBytes);
        Assert.Equal(sent, i.Sad.Tunnel(0)!.TxPackets);
        Assert.Equal(bytes, i.Sad.OutboundCounters.Bytes);
        Assert.Equal(bytes, r.Receiver.Counters.Bytes);
        Assert.Equal(0, r.Receiver.Counters.TotalDrops + i.Receiver.Counters.TotalDrops);
    }

    [Theory]
    [InlineData("aes128gcm16")]
    [InlineData("aes256gcm16-esn")]
    [InlineData("aes256-sha256")]
    [InlineData("aes128-sha1")]
    public void Host_and_managed_providers_interoperate(string suiteName)
    {
        Suite s = Suite.ByName(suiteName);
        var i = new End(Suite.Provider("host"), 1);
        var r = new End(Suite.Provider("managed"), 2);
        End.Connect(i, r, s, End.Keymat(s, 5));
        for (int n = 0; n < 50; n++)
        {
            byte[] a = End.Inner(28 + 13 * n, n);
            Assert.Equal(EspReceiveKind.Inner, r.Receive(i.Send(a)));
            Assert.Equal(a, r.LastInner);
            Assert.Equal(EspReceiveKind.Inner, i.Receive(r.Send(a)));
            Assert.Equal(a, i.LastInner);
        }
    }

    [Fact]
    public void Reordered_and_duplicated_delivery_within_the_window()
    {
        Suite s = Suite.Gcm256;
        var i = new End(Suite.Provider("host"), 1);
        var r = new End(Suite.Provider("host"), 2, replayWindow: 64);
        End.Connect(i, r, s, End.Keymat(s, 6));
        var packets = new List<byte[]>();
        for (int n = 0; n < 200; n++)
        {
            packets.Add(i.Send(End.Inner(40, n)));
        }

        // Deliver 10..199 first, then 0..199 again: 10..199 accepted once; of 0..9 only those still inside
        // the 64-packet window (top 200: 137..200) would pass, so all of 0..9 are too old.
        for (int n = 10; n < 200; n++)
        {
            Assert.Equal(EspReceiveKind.Inner, r.Receive(packets[n]));
        }

        for (int n = 0; n < 200; n++)
        {
            Assert.Equal(EspReceiveKind.Dropped, r.Receive(packets[n]));
            Assert.Equal(EspDropReason.Replay, r.Result.Reason);
        }

        Assert.Equal(190, r.Receiver.Counters.Packets);
        Assert.Equal(200, r.Receiver.Counters.Drops(EspDropReason.Replay));
    }
}
