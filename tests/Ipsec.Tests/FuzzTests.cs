namespace VpnAppliance.Ipsec.Tests;

/// <summary>
/// The inbound path never throws and never delivers anything unauthenticated (DESIGN.md rule 4): every truncation
/// of valid packets, and a seeded mutation run.
/// </summary>
public class FuzzTests
{
    [Theory]
    [InlineData("aes128gcm16", "host")]
    [InlineData("aes256gcm16-esn", "managed")]
    [InlineData("aes256-sha256", "host")]
    [InlineData("aes128-sha1", "managed")]
    [InlineData("aes256-sha256-esn", "managed")]
    public void Truncation_sweep(string suiteName, string provider)
    {
        Suite s = Suite.ByName(suiteName);
        var i = new End(Suite.Provider(provider), 1);
        var r = new End(Suite.Provider(provider), 2);
        End.Connect(i, r, s, End.Keymat(s, 1));
        byte[] esp = i.Send(End.Inner(97, 1));
        for (int len = 0; len < esp.Length; len++)
        {
            byte[] cut = esp[..len];
            EspReceiveKind kind = r.Receive(cut);
            Assert.True(kind == EspReceiveKind.Dropped, $"length {len}: {kind}");
            Assert.True(r.Result.Reason is EspDropReason.Truncated or EspDropReason.IcvFailed or EspDropReason.UnknownSpi,
                $"length {len}: {r.Result.Reason}");
        }

        // Extra bytes after a valid packet change where the ICV is read: never accepted either.
        Assert.Equal(EspReceiveKind.Dropped, r.Receive([.. esp, 0]));
        Assert.Equal(EspReceiveKind.Inner, r.Receive(esp));
        Assert.Equal(0, r.Receiver.Counters.Drops(EspDropReason.Replay));
    }

    [Theory]
    [InlineData("aes256gcm16", "host", 1)]
    [InlineData("aes256-sha256", "host", 2)]
    [InlineData("aes128gcm16", "managed", 3)]
    [InlineData("aes128-sha1", "managed", 4)]
    [InlineData("aes256gcm16-esn", "host", 5)]
    public void Seeded_mutations_never_throw_and_never_deliver_a_changed_packet(string suiteName, string provider, int seed)
    {
        Suite s = Suite.ByName(suiteName);
        var i = new End(Suite.Provider(provider), 1);
        var r = new End(Suite.Provider(provider), 2);
        End.Connect(i, r, s, End.Keymat(s, seed));
        var rng = new Random(seed);
        int delivered = 0, intact = 0;
        for (int iteration = 0; iteration < 5_000; iteration++)
        {
            byte[] inner = End.Inner(28 + rng.Next(300), rng.Next());
            byte[] esp = i.Send(inner);
            byte[] m = (byte[])esp.Clone();
            int kind = rng.Next(6);
            switch (kind)
            {
                case 0: break;                                                   // untouched
                case 1: m[rng.Next(m.Length)] ^= (byte)(1 << rng.Next(8)); break; // one bit
                case 2: for (int k = rng.Next(1, 8); k > 0; k--) m[rng.Next(m.Length)] = (byte)rng.Next(256); break;
                case 3: m = m[..rng.Next(m.Length)]; break;                     // truncated
                case 4: m = [.. m, .. new byte[rng.Next(1, 40)]]; break;         // extended
                default: rng.NextBytes(m); break;                                // garbage
            }

            bool same = m.AsSpan().SequenceEqual(esp);
            if (same)
            {
                intact++;
            }

            EspReceiveKind got = r.Receive(m);
            if (got == EspReceiveKind.Inner)
            {
                delivered++;
                Assert.True(same, $"iteration {iteration}: a modified packet was delivered");
                Assert.Equal(inner, r.LastInner);
            }
            else
            {
                Assert.False(same && got == EspReceiveKind.Dropped, $"iteration {iteration}: an intact packet was dropped ({r.Result.Reason})");
            }
        }

        Assert.Equal(intact, delivered);
        Assert.True(delivered > 500);
    }
}
