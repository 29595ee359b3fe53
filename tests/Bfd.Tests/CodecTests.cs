namespace VpnAppliance.Bfd.Tests;

/// <summary>RFC 5880 §4.1 layout (golden packets built by hand from the figure) and every §6.8.6 packet check.</summary>
public class CodecTests
{
    // Up, Diag 0, no flags, Detect Mult 3, Length 24, My 0x01020304, Your 0xA0B0C0D0,
    // Desired Min TX 300 ms (0x000493E0 us), Required Min RX 100 ms (0x000186A0 us), Echo 0.
    private static readonly byte[] GoldenUp =
    {
        0x20,                   // Vers 1 (001), Diag 0 (00000)
        0xC0,                   // Sta 3 Up (11), P F C A D M = 0
        0x03,                   // Detect Mult 3
        0x18,                   // Length 24
        0x01, 0x02, 0x03, 0x04, // My Discriminator
        0xA0, 0xB0, 0xC0, 0xD0, // Your Discriminator
        0x00, 0x04, 0x93, 0xE0, // Desired Min TX Interval 300000 us
        0x00, 0x01, 0x86, 0xA0, // Required Min RX Interval 100000 us
        0x00, 0x00, 0x00, 0x00, // Required Min Echo RX Interval 0
    };

    // Down, Diag 1 (Control Detection Time Expired), P set, Detect Mult 5, Your 0, 1 s / 1 s.
    private static readonly byte[] GoldenDownPoll =
    {
        0x21,                   // Vers 1, Diag 1
        0x60,                   // Sta 1 Down (01), P (0x20)
        0x05, 0x18,
        0xDE, 0xAD, 0xBE, 0xEF,
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x0F, 0x42, 0x40, // 1000000 us
        0x00, 0x0F, 0x42, 0x40,
        0x00, 0x00, 0x00, 0x00,
    };

    [Fact]
    public void ParsesGoldenUp()
    {
        Assert.Equal(BfdReceiveResult.Accepted, BfdControlPacket.Parse(GoldenUp, 0, GoldenUp.Length, out var p));
        Assert.Equal(1, p.Version);
        Assert.Equal(BfdDiag.None, p.Diag);
        Assert.Equal(BfdState.Up, p.State);
        Assert.False(p.Poll || p.Final || p.ControlPlaneIndependent || p.AuthenticationPresent || p.Demand || p.Multipoint);
        Assert.Equal(3, p.DetectMult);
        Assert.Equal(24, p.Length);
        Assert.Equal(0x01020304u, p.MyDiscriminator);
        Assert.Equal(0xA0B0C0D0u, p.YourDiscriminator);
        Assert.Equal(300_000u, p.DesiredMinTxInterval);
        Assert.Equal(100_000u, p.RequiredMinRxInterval);
        Assert.Equal(0u, p.RequiredMinEchoRxInterval);
    }

    [Fact]
    public void ParsesGoldenDownPoll()
    {
        Assert.Equal(BfdReceiveResult.Accepted, BfdControlPacket.Parse(GoldenDownPoll, 0, GoldenDownPoll.Length, out var p));
        Assert.Equal(BfdDiag.ControlDetectionTimeExpired, p.Diag);
        Assert.Equal(BfdState.Down, p.State);
        Assert.True(p.Poll);
        Assert.False(p.Final);
        Assert.Equal(5, p.DetectMult);
        Assert.Equal(0xDEADBEEFu, p.MyDiscriminator);
        Assert.Equal(0u, p.YourDiscriminator);
        Assert.Equal(1_000_000u, p.DesiredMinTxInterval);
    }

    [Theory]
    [MemberData(nameof(Goldens))]
    public void EmitReproducesGolden(byte[] golden)
    {
        Assert.Equal(BfdReceiveResult.Accepted, BfdControlPacket.Parse(golden, 0, golden.Length, out var p));
        var out1 = new byte[30];
        Assert.Equal(24, p.Emit(out1, 3, 27));
        Assert.Equal(golden, out1.AsSpan(3, 24).ToArray());
    }

    public static IEnumerable<object[]> Goldens() => new[] { new object[] { GoldenUp }, new object[] { GoldenDownPoll } };

    [Fact]
    public void EmitSetsFlagBitsAndNeverAOrM()
    {
        var p = new BfdControlPacket { State = BfdState.Init, Final = true, ControlPlaneIndependent = true, Demand = true, AuthenticationPresent = true, Multipoint = true, DetectMult = 1, MyDiscriminator = 7 };
        var b = new byte[24];
        Assert.Equal(24, p.Emit(b, 0, 24));
        Assert.Equal(0x80 | 0x10 | 0x08 | 0x02, b[1]);
        Assert.Equal(0x20, b[0]);
    }

    [Fact]
    public void EmitRefusesShortOrInvalidWindows()
    {
        var p = new BfdControlPacket { DetectMult = 3, MyDiscriminator = 1 };
        Assert.Equal(0, p.Emit(new byte[23], 0, 23));
        Assert.Equal(0, p.Emit(new byte[24], 1, 24));
        Assert.Equal(0, p.Emit(null!, 0, 24));
        Assert.Equal(0, p.Emit(new byte[24], -1, 24));
    }

    [Fact]
    public void EveryTruncationIsRejected()
    {
        for (int len = 0; len < 24; len++)
        {
            Assert.Equal(BfdReceiveResult.Truncated, BfdControlPacket.Parse(GoldenUp, 0, len, out var p));
            Assert.Equal(0, p.DetectMult);
        }
    }

    [Fact]
    public void InvalidWindowsAreOutOfRange()
    {
        Assert.Equal(BfdReceiveResult.OutOfRange, BfdControlPacket.Parse(null!, 0, 24, out _));
        Assert.Equal(BfdReceiveResult.OutOfRange, BfdControlPacket.Parse(GoldenUp, -1, 24, out _));
        Assert.Equal(BfdReceiveResult.OutOfRange, BfdControlPacket.Parse(GoldenUp, 1, 24, out _));
        Assert.Equal(BfdReceiveResult.OutOfRange, BfdControlPacket.Parse(GoldenUp, 0, -1, out _));
        Assert.Equal(BfdReceiveResult.OutOfRange, BfdControlPacket.Parse(GoldenUp, int.MaxValue, 24, out _));
    }

    // RFC 5880 §6.8.6, one case per "MUST be discarded" rule of the packet itself (the session rules are in EngineReceiveTests).
    [Theory]
    [InlineData("version 0", BfdReceiveResult.BadVersion)]
    [InlineData("version 2", BfdReceiveResult.BadVersion)]
    [InlineData("length 23", BfdReceiveResult.BadLength)]
    [InlineData("length 0", BfdReceiveResult.BadLength)]
    [InlineData("length above payload", BfdReceiveResult.BadLength)]
    [InlineData("A with length 25", BfdReceiveResult.BadLength)]
    [InlineData("detect mult 0", BfdReceiveResult.ZeroDetectMult)]
    [InlineData("multipoint", BfdReceiveResult.Multipoint)]
    [InlineData("my discriminator 0", BfdReceiveResult.ZeroMyDiscriminator)]
    [InlineData("your 0 in Init", BfdReceiveResult.ZeroYourDiscriminator)]
    [InlineData("your 0 in Up", BfdReceiveResult.ZeroYourDiscriminator)]
    [InlineData("A bit, no auth configured", BfdReceiveResult.AuthenticationPresent)]
    [InlineData("your 0 in Down", BfdReceiveResult.Accepted)]
    [InlineData("your 0 in AdminDown", BfdReceiveResult.Accepted)]
    [InlineData("trailing bytes beyond Length", BfdReceiveResult.Accepted)]
    [InlineData("length 30 in a 30-byte payload", BfdReceiveResult.Accepted)]
    public void ReceptionChecks(string name, BfdReceiveResult expected)
    {
        byte[] b = name switch
        {
            "version 0" => Packets.Control(version: 0),
            "version 2" => Packets.Control(version: 2),
            "length 23" => Packets.Control(length: 23),
            "length 0" => Packets.Control(length: 0),
            "length above payload" => Packets.Control(length: 25),
            "A with length 25" => Packets.Control(flags: BfdControlPacket.AuthenticationPresentBit, length: 25, size: 32),
            "detect mult 0" => Packets.Control(mult: 0),
            "multipoint" => Packets.Control(flags: BfdControlPacket.MultipointBit),
            "my discriminator 0" => Packets.Control(my: 0),
            "your 0 in Init" => Packets.Control(state: BfdState.Init),
            "your 0 in Up" => Packets.Control(state: BfdState.Up),
            "A bit, no auth configured" => Packets.Control(flags: BfdControlPacket.AuthenticationPresentBit, length: 28, size: 28),
            "your 0 in Down" => Packets.Control(state: BfdState.Down),
            "your 0 in AdminDown" => Packets.Control(state: BfdState.AdminDown),
            "trailing bytes beyond Length" => Packets.Control(size: 40),
            "length 30 in a 30-byte payload" => Packets.Control(length: 30, size: 30),
            _ => throw new ArgumentException(name),
        };
        Assert.Equal(expected, BfdControlPacket.Parse(b, 0, b.Length, out var p));
        if (expected != BfdReceiveResult.Accepted)
        {
            Assert.Equal(default, p);
        }
    }

    [Fact]
    public void RandomBytesNeverThrow()
    {
        var rng = new Random(5880);
        var b = new byte[64];
        int accepted = 0;
        for (int i = 0; i < 200_000; i++)
        {
            rng.NextBytes(b);
            if (i % 2 == 0)
            {
                b[0] = (byte)(0x20 | (b[0] & 0x1F));   // half with a valid version, to get deeper
                b[3] = (byte)(24 + (b[3] & 0x7));
                b[1] &= 0xFA;                           // clear A and M
            }

            int off = rng.Next(0, 8);
            int len = rng.Next(0, 64 - off + 1);
            if (BfdControlPacket.Parse(b, off, len, out var p) == BfdReceiveResult.Accepted)
            {
                accepted++;
                Assert.Equal(1, p.Version);
                Assert.InRange(p.Length, 24, len);
                Assert.NotEqual(0, p.DetectMult);
                Assert.NotEqual(0u, p.MyDiscriminator);
                Assert.False(p.Multipoint || p.AuthenticationPresent);
            }
        }

        Assert.True(accepted > 1000);
    }
}
