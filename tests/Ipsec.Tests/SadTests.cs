using VpnAppliance.Core;
using VpnAppliance.Hal;
using VpnAppliance.Hal.Crypto;
using VpnAppliance.Hal.Crypto.Managed;

namespace VpnAppliance.Ipsec.Tests;

/// <summary>SPI allocation, handles, KEYMAT split, zeroisation, tunnel interfaces and make-before-break.</summary>
public class SadTests
{
    [Fact]
    public void Spis_are_random_unique_and_at_least_256_until_the_pool_is_full()
    {
        var e = new End(new ManagedCryptoProvider(), 11, childSas: 2000);
        var seen = new HashSet<uint>();
        for (int n = 0; n < 2000; n++)
        {
            Assert.Equal(SadResult.Ok, e.Sad.Reserve(n % 2, 0, out int h, out uint spi));
            Assert.True(spi >= 256);
            Assert.True(seen.Add(spi));
            Assert.Equal(spi, e.Sad.Get(h)!.Inbound.Spi);
            Assert.Equal(ChildSaState.Reserved, e.Sad.Get(h)!.State);
            Assert.Null(e.Sad.FindInbound(spi));                   // reserved SAs pass no traffic
        }

        Assert.Equal(SadResult.Full, e.Sad.Reserve(0, 0, out int none, out _));
        Assert.Equal(SecurityAssociationDatabase.NoHandle, none);
        Assert.Equal(1, e.Sad.FullCount);
        Assert.Equal(SadResult.NoSuchTunnel, e.Sad.Reserve(2, 0, out _, out _));
    }

    /// <summary>Returns scripted 4-byte values, then a fixed one.</summary>
    private sealed class ScriptedRandom(params uint[] values) : IRandom
    {
        private int _next;
        public CryptoResult NextBytes(byte[] buffer, int offset, int count)
        {
            uint v = values[Math.Min(_next++, values.Length - 1)];
            for (int k = 0; k < count; k++)
            {
                buffer[offset + k] = (byte)(v >> (8 * (3 - (k & 3))));
            }

            return CryptoResult.Ok;
        }
    }

    [Fact]
    public void Reserved_and_duplicate_spis_are_redrawn_and_bounded()
    {
        var caps = new Capacities { ChildSas = 4, Tunnels = 1, PacketBufferSize = 1600 };
        var sad = new SecurityAssociationDatabase(caps, new ManagedCryptoProvider(),
            new ScriptedRandom(0, 1, 255, 0x1234, 0x1234, 0x100, 0x1234), 1024, null);
        Assert.Equal(SadResult.Ok, sad.Reserve(0, 0, out _, out uint a));
        Assert.Equal(0x1234u, a);                                    // 0, 1, 255 refused (RFC 4303 §2.1)
        Assert.Equal(SadResult.Ok, sad.Reserve(0, 0, out _, out uint b));
        Assert.Equal(0x100u, b);                                     // 0x1234 again refused
        Assert.Equal(SadResult.SpiUnavailable, sad.Reserve(0, 0, out _, out _)); // only 0x1234 left: 16 tries, then give up
        Assert.Equal(2, sad.InUse);
    }

    [Fact]
    public void Handles_go_stale_on_delete_and_slots_are_reused()
    {
        var e = new End(new ManagedCryptoProvider(), 1, childSas: 1);
        Assert.Equal(SadResult.Ok, e.Sad.Reserve(0, 0, out int h1, out uint spi1));
        Assert.Equal(SadResult.Ok, e.Sad.Delete(h1));
        Assert.Equal(SadResult.InvalidHandle, e.Sad.Delete(h1));
        Assert.Null(e.Sad.Get(h1));
        Assert.Equal(SadResult.Ok, e.Sad.Reserve(0, 0, out int h2, out _));
        Assert.NotEqual(h1, h2);
        Assert.Null(e.Sad.Get(h1));
        Assert.Equal(SadResult.InvalidHandle, e.Sad.Install(h1, End.Parameters(Suite.Gcm128, End.Keymat(Suite.Gcm128, 1), null), 0));
        Assert.Equal(SadResult.InvalidHandle, e.Sad.Delete(-1));
        Assert.Equal(SadResult.InvalidHandle, e.Sad.Delete(0x7FFF_FFFF));
        _ = spi1;
    }

    [Fact]
    public void Reservations_that_never_install_are_reclaimed_by_poll()
    {
        var e = new End(new ManagedCryptoProvider(), 1, childSas: 2);
        e.Sad.ReservationTimeoutMs = 30_000;
        Assert.Equal(SadResult.Ok, e.Sad.Reserve(0, 1_000, out int a, out uint spiA));
        Assert.Equal(SadResult.Ok, e.Sad.Reserve(0, 5_000, out int b, out _));
        Assert.Equal(SadResult.Full, e.Sad.Reserve(0, 6_000, out _, out _));
        Assert.Equal(31_000, e.Sad.Poll(6_000));
        Assert.Equal(35_000, e.Sad.Poll(31_000));                   // a reclaimed, b next
        Assert.Null(e.Sad.Get(a));
        Assert.Equal(1, e.Sad.ReservationsExpired);
        Assert.Equal(SadResult.InvalidHandle, e.Sad.Install(a, End.Parameters(Suite.Gcm128, End.Keymat(Suite.Gcm128, 1), null), 31_000));
        Assert.Equal(SadResult.Ok, e.Sad.Reserve(0, 31_000, out _, out uint again));
        Assert.NotEqual(0u, again);
        Assert.Equal(long.MaxValue, e.Sad.Poll(61_000));            // both reservations gone
        Assert.Equal(0, e.Sad.InUse);
        _ = (b, spiA);
    }

    [Fact]
    public void Install_validates_transform_keymat_and_peer()
    {
        var e = new End(new ManagedCryptoProvider(), 1);
        Assert.Equal(SadResult.Ok, e.Sad.Reserve(0, 0, out int h, out _));
        var p = End.Parameters(Suite.Cbc256Sha256, End.Keymat(Suite.Cbc256Sha256, 1), null);
        p.OutboundSpi = 0x5000;
        p.KeyMaterialLength = p.KeyMaterial.Length - 1;
        Assert.Equal(SadResult.InvalidArgument, e.Sad.Install(h, p, 0));
        p.KeyMaterialLength = p.KeyMaterial.Length;
        p.OutboundSpi = 255;
        Assert.Equal(SadResult.InvalidArgument, e.Sad.Install(h, p, 0));
        p.OutboundSpi = 0x5000;
        p.Integrity = EspTransform.AuthNone;
        Assert.Equal(SadResult.NotSupported, e.Sad.Install(h, p, 0));     // CBC needs integrity
        p.Integrity = EspTransform.AuthHmacSha2_256_128;
        p.KeyBits = 100;
        Assert.Equal(SadResult.NotSupported, e.Sad.Install(h, p, 0));
        p.KeyBits = 256;
        Assert.False(e.Sad.Tunnel(0)!.Up);
        Assert.Equal(SadResult.Ok, e.Sad.Install(h, p, 0));
        Assert.Equal(SadResult.InvalidState, e.Sad.Install(h, p, 0));
        Assert.True(e.Sad.Tunnel(0)!.Up);
    }

    [Theory]
    [InlineData(EspTransform.EncrAesGcm16, 128, EspTransform.AuthNone, 2 * 20)]
    [InlineData(EspTransform.EncrAesGcm16, 256, EspTransform.AuthNone, 2 * 36)]
    [InlineData(EspTransform.EncrAesCbc, 128, EspTransform.AuthHmacSha1_96, 2 * (16 + 20))]
    [InlineData(EspTransform.EncrAesCbc, 256, EspTransform.AuthHmacSha2_256_128, 2 * (32 + 32))]
    public void Keymat_lengths_per_rfc_7296_2_17(int enc, int bits, int integ, int expected)
    {
        Assert.Equal(expected, EspTransform.KeyMaterialLength(enc, bits, integ));
    }

    /// <summary>Counts Clear calls on every object it hands out (keys zeroised on delete).</summary>
    private sealed class CountingProvider : ManagedCryptoProvider
    {
        public int Clears;
        public override IAeadCipher CreateAesGcm() => new Gcm(base.CreateAesGcm(), this);
        private sealed class Gcm(IAeadCipher inner, CountingProvider owner) : IAeadCipher
        {
            public CryptoResult SetKey(byte[] k, int o, int c) => inner.SetKey(k, o, c);
            public CryptoResult Seal(byte[] iv, int io, byte[] a, int ao, int ac, byte[] i, int o, int c, byte[] op, int oo, byte[] t, int to) =>
                inner.Seal(iv, io, a, ao, ac, i, o, c, op, oo, t, to);
            public CryptoResult Open(byte[] iv, int io, byte[] a, int ao, int ac, byte[] i, int o, int c, byte[] t, int to, byte[] op, int oo) =>
                inner.Open(iv, io, a, ao, ac, i, o, c, t, to, op, oo);
            public void Clear() { owner.Clears++; inner.Clear(); }
        }
    }

    [Fact]
    public void Delete_zeroises_keys_and_releases_the_spi()
    {
        var provider = new CountingProvider();
        var i = new End(provider, 1);
        var r = new End(new ManagedCryptoProvider(), 2);
        var (hi, _) = End.Connect(i, r, Suite.Gcm256, End.Keymat(Suite.Gcm256, 1));
        ChildSaPair pair = i.Sad.Get(hi)!;
        uint spi = pair.Inbound.Spi;
        byte[] esp = r.Send(End.Inner(50, 1));
        int before = provider.Clears;
        Assert.Equal(SadResult.Ok, i.Sad.Delete(hi));
        Assert.True(provider.Clears >= before + 2);                 // both directions
        Assert.False(pair.Inbound.IsKeyed);
        Assert.False(pair.Outbound.IsKeyed);
        Assert.Null(i.Sad.FindInbound(spi));
        Assert.Equal(EspReceiveKind.Dropped, i.Receive(esp));
        Assert.Equal(EspDropReason.UnknownSpi, i.Result.Reason);
    }

    [Theory]
    [InlineData("host")]
    [InlineData("managed")]
    public void Make_before_break_rekey_on_a_tunnel(string provider)
    {
        Suite s = Suite.Cbc256Sha256;
        var i = new End(Suite.Provider(provider), 1);
        var r = new End(Suite.Provider(provider), 2);
        var (oldI, oldR) = End.Connect(i, r, s, End.Keymat(s, 1));
        TunnelInterface ti = i.Sad.Tunnel(0)!;
        Assert.True(ti.Up);
        Assert.True(ti.TakeStateChange());
        Assert.False(ti.TakeStateChange());
        Assert.Equal(oldI, ti.OutboundHandle);
        byte[] inner = End.Inner(120, 1);
        byte[] fromOldR = r.Send(inner);                            // in flight on the old SA

        // Rekey: a new pair on both ends; each end's tunnel switches outbound when its new pair is installed.
        var (newI, newR) = End.Connect(i, r, s, End.Keymat(s, 2));
        Assert.Equal(newI, ti.OutboundHandle);
        Assert.False(ti.TakeStateChange());                          // stayed up: no flap
        byte[] viaNew = i.Send(inner);
        Assert.Equal(r.Sad.Get(newR)!.Inbound.Spi, EspPacket.ReadSpi(viaNew, 0));
        Assert.Equal(EspReceiveKind.Inner, r.Receive(viaNew));
        Assert.Equal(newR, r.Result.Handle);
        Assert.Equal(EspReceiveKind.Inner, i.Receive(fromOldR));   // old inbound SA still receives
        Assert.Equal(oldI, i.Result.Handle);

        Assert.Equal(SadResult.Ok, i.Sad.Delete(oldI));
        Assert.True(ti.Up);
        Assert.False(ti.TakeStateChange());
        Assert.Equal(SadResult.Ok, i.Sad.Delete(newI));
        Assert.False(ti.Up);
        Assert.True(ti.TakeStateChange());
        Assert.Equal(2, ti.StateChanges);
        Assert.Equal(PortResult.LinkDown, ti.Transmit(inner, 0, inner.Length, 0));
        Assert.Equal(EspDropReason.NoSa, ti.LastDrop);
        _ = oldR;
    }

    [Fact]
    public void Outbound_falls_back_to_the_newest_usable_pair_when_the_current_one_expires()
    {
        Suite s = Suite.Gcm128;
        var i = new End(Suite.Provider("host"), 1);
        var r = new End(Suite.Provider("host"), 2);
        var (a, _) = End.Connect(i, r, s, End.Keymat(s, 1), lifetime: new EspLifetime { HardTimeMs = 10_000 });
        var (b, _) = End.Connect(i, r, s, End.Keymat(s, 2), lifetime: new EspLifetime { HardTimeMs = 5_000 });
        TunnelInterface t = i.Sad.Tunnel(0)!;
        Assert.Equal(b, t.OutboundHandle);
        i.Sad.Poll(5_000);
        Assert.Equal(a, t.OutboundHandle);
        Assert.True(t.Up);
        i.Sad.Poll(10_000);
        Assert.False(t.Up);
    }

    [Fact]
    public void Tunnels_are_independent_and_mtu_is_enforced()
    {
        Suite s = Suite.Gcm128;
        var i = new End(Suite.Provider("host"), 1);
        var r = new End(Suite.Provider("host"), 2);
        End.Connect(i, r, s, End.Keymat(s, 1), tunnel: 1);
        Assert.False(i.Sad.Tunnel(0)!.Up);
        TunnelInterface t = i.Sad.Tunnel(1)!;
        Assert.True(t.Up);
        Assert.Equal(TunnelInterface.DefaultMtu, t.Mtu);
        t.Mtu = 1399;                                               // AWS (INTEROP.md)
        byte[] big = End.Inner(1400, 1);
        Assert.Equal(PortResult.TooLarge, t.Transmit(big, 0, big.Length, 0));
        Assert.Equal(PortResult.Ok, t.Transmit(big, 0, 1399, 0));
        Assert.Equal(PortResult.Invalid, t.Transmit(big, 10, 1399, 0));
        Assert.Equal(EspReceiveKind.Inner, r.Receive(i.TakeSent()!));
        Assert.Equal(1, r.Result.TunnelId);
        Assert.Null(i.Sad.Tunnel(2));
    }

    [Fact]
    public void In_place_protect_in_a_packet_pool_buffer()
    {
        Suite s = Suite.Cbc256Sha256;
        var i = new End(Suite.Provider("host"), 1);
        var r = new End(Suite.Provider("host"), 2);
        End.Connect(i, r, s, End.Keymat(s, 1));
        var pool = new PacketPool(4, End.BufferSize + EspPacket.MaxHeadroom + EspPacket.MaxTailroom);
        int buf = pool.Allocate();
        int at = pool.Offset(buf) + EspPacket.MaxHeadroom;
        byte[] inner = End.Inner(1400, 9);
        inner.CopyTo(pool.Data, at);
        TunnelInterface t = i.Sad.Tunnel(0)!;
        Assert.Equal(EspDropReason.None, t.Protect(pool.Data, at, inner.Length, pool.Offset(buf) + pool.BufferSize, 0, out int eo, out int el));
        Assert.Equal(at - 8 - 16, eo);
        Assert.Equal(EspOutbound.ProtectedLength(i.Sad.Get(t.OutboundHandle)!.Outbound, inner.Length), el);
        Assert.True(eo - EspPacket.UdpHeaderLength >= pool.Offset(buf));
        Assert.Equal(0xC6120002u, t.PeerAddress);
        Assert.Equal(EspReceiveKind.Inner, r.Receiver.Receive(pool.Data, eo, el, 0, r.Result));
        Assert.Equal(inner, pool.Data.AsSpan(r.Result.Offset, r.Result.Length).ToArray());
        // No tailroom: refused, counted, sequence number not consumed.
        inner.CopyTo(pool.Data, at);
        Assert.Equal(EspDropReason.TooLarge, t.Protect(pool.Data, at, inner.Length, at + inner.Length + 5, 0, out _, out _));
        Assert.Equal(1ul, i.Sad.Get(t.OutboundHandle)!.Outbound.LastSequence);
    }
}
