using VpnAppliance.Hal;

namespace VpnAppliance.Ipsec.Tests;

/// <summary>Soft and hard lifetimes (RFC 4301 §4.4.2.1) by bytes, packets and time; sequence number exhaustion.</summary>
public class LifetimeTests
{
    private static (End I, End R, int Hi, int Hr) Setup(EspLifetime life, string provider = "host", Suite? suite = null)
    {
        Suite s = suite ?? Suite.Gcm128;
        var i = new End(Suite.Provider(provider), 1);
        var r = new End(Suite.Provider(provider), 2);
        var (hi, hr) = End.Connect(i, r, s, End.Keymat(s, 1), lifetime: life);
        Assert.True(i.Sad.Tunnel(0)!.TakeStateChange());
        return (i, r, hi, hr);
    }

    [Theory]
    [InlineData("host")]
    [InlineData("managed")]
    public void Bytes_soft_then_hard(string provider)
    {
        var (i, r, hi, hr) = Setup(new EspLifetime { SoftBytes = 1000, HardBytes = 2000 }, provider);
        byte[] inner = End.Inner(100, 1);
        for (int n = 1; n <= 20; n++)
        {
            Assert.Equal(EspReceiveKind.Inner, r.Receive(i.Send(inner)));
            int expectSoft = n >= 10 ? 1 : 0;
            if (n == 10)
            {
                Assert.Equal(hi, i.Sad.TakeRekeyRequest());                       // once, at 1,000 bytes
                Assert.Equal(hr, r.Sad.TakeRekeyRequest());                       // the receiver counts too
            }

            Assert.Equal(SecurityAssociationDatabase.NoHandle, i.Sad.TakeRekeyRequest());
            Assert.Equal(expectSoft == 1 || n >= 10, i.Sad.Get(hi)!.SoftExpired);
        }

        // 2,000 bytes sent: hard. The next packet is refused and the tunnel goes down.
        Assert.True(i.Sad.Get(hi)!.HardExpired);
        ITunnel(i, out var t);
        Assert.False(t.Up);
        Assert.True(t.TakeStateChange());
        Assert.Equal(PortResult.LinkDown, t.Transmit(inner, 0, inner.Length, 0));
        Assert.Equal(hi, i.Sad.TakeExpired());
        Assert.Equal(SecurityAssociationDatabase.NoHandle, i.Sad.TakeExpired());
        Assert.Equal(hr, r.Sad.TakeExpired());
        Assert.Equal(1, i.Sad.Expirations);

        // The receiver expired as well: anything more is dropped as LifetimeExpired.
        var pkt = (byte[])r.LastBuffer.Clone();
        Assert.Equal(EspReceiveKind.Dropped, r.Receive(pkt));
        Assert.Equal(EspDropReason.LifetimeExpired, r.Result.Reason);
    }

    private static void ITunnel(End e, out TunnelInterface t) => t = e.Sad.Tunnel(0)!;

    [Fact]
    public void Packets_soft_then_hard()
    {
        var (i, r, hi, _) = Setup(new EspLifetime { SoftPackets = 3, HardPackets = 5 });
        byte[] inner = End.Inner(40, 1);
        for (int n = 1; n <= 5; n++)
        {
            r.Receive(i.Send(inner));
            Assert.Equal(n >= 3, i.Sad.Get(hi)!.SoftExpired);
        }

        Assert.Equal(PortResult.LinkDown, i.Sad.Tunnel(0)!.Transmit(inner, 0, inner.Length, 0));
        Assert.Equal(5, i.Sad.Get(hi)!.Outbound.Counters.Packets);
        Assert.Equal(5, r.Receiver.Counters.Packets);
    }

    [Fact]
    public void Time_soft_then_hard_through_poll()
    {
        var (i, r, hi, hr) = Setup(new EspLifetime { SoftTimeMs = 1000, HardTimeMs = 2000 });
        Assert.Equal(1000, i.Sad.Poll(0));
        Assert.Equal(1000, i.Sad.Poll(999));
        Assert.Equal(SecurityAssociationDatabase.NoHandle, i.Sad.TakeRekeyRequest());
        Assert.Equal(2000, i.Sad.Poll(1000));
        Assert.Equal(hi, i.Sad.TakeRekeyRequest());
        byte[] inner = End.Inner(40, 1);
        byte[] esp = i.Send(inner, nowMs: 1500);
        Assert.Equal(EspReceiveKind.Inner, r.Receive(esp, 1500));
        Assert.Equal(long.MaxValue, i.Sad.Poll(2000));
        Assert.False(i.Sad.Tunnel(0)!.Up);
        Assert.Equal(hi, i.Sad.TakeExpired());

        // The receiver was never polled: the packet-time check alone expires it.
        byte[] late = i.Sad.Tunnel(0)!.Up ? esp : esp;
        Assert.Equal(EspReceiveKind.Dropped, r.Receive(late, 2000));
        Assert.Equal(EspDropReason.LifetimeExpired, r.Result.Reason);
        Assert.Equal(1, r.Sad.Get(hr)!.Inbound.Counters.Drops(EspDropReason.LifetimeExpired));
    }

    [Fact]
    public void Sequence_number_exhaustion_without_esn_forces_a_rekey()
    {
        var (i, r, hi, _) = Setup(new EspLifetime());
        ChildSaPair pair = i.Sad.Get(hi)!;
        pair.Outbound.LastSequence = 0xFFFF_FFFD;
        byte[] inner = End.Inner(40, 1);
        i.Send(inner);                                           // 0xFFFFFFFE
        i.Send(inner);                                           // 0xFFFFFFFF: the last one (RFC 4303 §3.3.3)
        Assert.True(pair.SoftExpired);
        Assert.Equal(PortResult.LinkDown, i.Sad.Tunnel(0)!.Transmit(inner, 0, inner.Length, 0));
        Assert.Equal(1, pair.Outbound.Counters.Drops(EspDropReason.SequenceExhausted));
        Assert.Equal(1, i.Sad.OutboundCounters.Drops(EspDropReason.SequenceExhausted));
        Assert.Equal(0xFFFF_FFFFul, pair.Outbound.LastSequence);
        Assert.False(i.Sad.Tunnel(0)!.Up);
        Assert.Equal(hi, i.Sad.TakeExpired());
        _ = r;
    }

    [Fact]
    public void Esn_does_not_stop_at_2_pow_32()
    {
        var (i, r, hi, _) = Setup(new EspLifetime(), suite: Suite.Gcm256Esn);
        i.Sad.Get(hi)!.Outbound.LastSequence = 0xFFFF_FFFE;
        byte[] inner = End.Inner(40, 1);
        for (int n = 0; n < 3; n++)
        {
            i.Send(inner);
        }

        Assert.Equal(0x1_0000_0001ul, i.Sad.Get(hi)!.Outbound.LastSequence);
        Assert.False(i.Sad.Get(hi)!.SoftExpired);
        _ = r;
    }
}
