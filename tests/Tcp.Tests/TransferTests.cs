namespace VpnAppliance.Tcp.Tests;

/// <summary>1 MB each way between two stacks over a seeded lossy, duplicating, reordering link (virtual time).</summary>
public class TransferTests
{
    private static TcpSettings TestSettings() => new()
    {
        InitialRtoMs = 200,
        MinimumRtoMs = 50,     // lowered for tests (RFC 6298 §2.4 says 1 s)
        MaximumRetransmissions = 30,
        TimeWaitMs = 2_000,
        FinWait2TimeoutMs = 60_000,
        PersistInitialMs = 200,
    };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void OneMegabyteEachWayUnderLossDuplicationAndReordering(long seed)
    {
        var h = new TransferHarness(seed, 1 << 20, 16384, TestSettings());
        h.Net.Loss = 0.03;
        h.Net.Duplicate = 0.03;
        h.Net.Reorder = 0.08;
        bool done = h.Run(2_000_000);
        Assert.True(done, $"seed {seed}: stalled at t={h.Net.Now} client got {h.ReceivedByClient} server got {h.ReceivedByServer}, "
            + $"states {h.Client.State(h.ClientId)}/{h.Server.State(h.ServerId)}");
        Assert.Equal(1 << 20, h.ReceivedByClient);
        Assert.Equal(1 << 20, h.ReceivedByServer);
        Assert.Equal(0, h.Mismatches);
        Assert.True(h.Net.Dropped > 0 && h.Net.Duplicated > 0 && h.Net.Reordered > 0);
        Assert.True(h.Client.Counters.Retransmissions > 0 && h.Server.Counters.Retransmissions > 0);
        Assert.True(h.Client.Counters.OutOfOrder + h.Server.Counters.OutOfOrder > 0);
        Assert.Equal(0, h.Net.Overflow);

        // Both sides closed: let TIME-WAIT run out; every slot but the listener is released.
        for (int i = 0; i < 10_000 && (h.Client.InUse > 0 || h.Server.InUse > 1); i++)
        {
            long next = Math.Min(h.Net.NextDelivery, Math.Min(h.Client.NextDeadline, h.Server.NextDeadline));
            if (next == long.MaxValue)
            {
                break;
            }

            h.Net.Now = Math.Max(h.Net.Now, next);
            h.Net.DeliverDue();
            h.Client.Poll(h.Net.Now);
            h.Server.Poll(h.Net.Now);
        }

        Assert.Equal(0, h.Client.InUse);
        Assert.Equal(1, h.Server.InUse);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    public void SmallBuffersAndHeavyLossStillDeliverEverything(long seed)
    {
        // The smallest board: 4 KB buffers; 10 % loss forces back-off and zero windows.
        var h = new TransferHarness(seed, 200_000, 4096, TestSettings());
        h.Net.Loss = 0.10;
        h.Net.Duplicate = 0.05;
        h.Net.Reorder = 0.10;
        Assert.True(h.Run(2_000_000), $"seed {seed} stalled at {h.Net.Now}");
        Assert.Equal(200_000, h.ReceivedByClient);
        Assert.Equal(200_000, h.ReceivedByServer);
        Assert.Equal(0, h.Mismatches);
    }

    [Theory]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(33)]
    public void SlowReaderZeroWindowsUnderLoss(long seed)
    {
        // The server reads 1 KB every 50 ms: its 4 KB window closes again and again; a lost window update is
        // recovered by the client's retransmission or zero-window probe (RFC 9293 §3.8.6.1).
        var h = new TransferHarness(seed, 100_000, 4096, TestSettings());
        h.SlowReadEveryMs = 50;
        h.Net.Loss = 0.05;
        h.Net.Duplicate = 0.03;
        h.Net.Reorder = 0.05;
        Assert.True(h.Run(2_000_000), $"seed {seed} stalled at {h.Net.Now}: server got {h.ReceivedByServer}");
        Assert.Equal(100_000, h.ReceivedByServer);
        Assert.Equal(100_000, h.ReceivedByClient);
        Assert.Equal(0, h.Mismatches);
        Assert.True(h.Net.ZeroWindows > 10, $"only {h.Net.ZeroWindows} zero windows");
    }

    [Fact]
    public void CleanLinkTransfersWithoutRetransmission()
    {
        var h = new TransferHarness(7, 1 << 20, 16384, TestSettings());
        Assert.True(h.Run(1_000_000));
        Assert.Equal(0, h.Mismatches);
        Assert.Equal(0, h.Client.Counters.Retransmissions);
        Assert.Equal(0, h.Server.Counters.Retransmissions);
    }
}

/// <summary>Sequence numbers wrap past 2^32 in the middle of a transfer (RFC 9293 §3.4 modulo arithmetic).</summary>
public class WrapTests
{
    // The start time at which the client's ISN (RFC 6528: 250 * ms + F(4-tuple)) is target.
    private static long StartFor(uint target, uint f)
    {
        uint d = target - f;            // need 250 * T == d (mod 2^32): d must be even
        Assert.Equal(0u, d & 1);
        uint inv = 125;                 // Newton: inverse of 125 modulo 2^32
        for (int i = 0; i < 6; i++)
        {
            inv *= 2 - 125 * inv;
        }

        long t = (long)((d / 2) * inv & 0x7FFFFFFFu);
        Assert.Equal(target, (uint)(t * 250) + f);
        return t;
    }

    [Theory]
    [InlineData(21)]
    [InlineData(22)]
    public void TransferAcrossTheWrapUnderLoss(long seed)
    {
        var isn = new InitialSequenceNumber(Peer.Secret(10));
        uint f = isn.Offset(TransferHarness.ClientAddress, 45000, TransferHarness.ServerAddress, 179);
        uint target = 0xFFFFFFFFu - 200_000;
        if (((target - f) & 1) != 0)
        {
            target--;
        }

        long start = StartFor(target, f);
        var settings = new TcpSettings { InitialRtoMs = 200, MinimumRtoMs = 50, MaximumRetransmissions = 30, TimeWaitMs = 2_000, PersistInitialMs = 200 };
        var h = new TransferHarness(seed, 600_000, 8192, settings, startMs: start, clientPort: 45000);
        h.Net.Loss = 0.03;
        h.Net.Duplicate = 0.03;
        h.Net.Reorder = 0.08;
        Assert.True(h.Run(2_000_000), $"stalled at {h.Net.Now}");
        Assert.Equal(600_000, h.ReceivedByServer);
        Assert.Equal(600_000, h.ReceivedByClient);
        Assert.Equal(0, h.Mismatches);
    }
}
