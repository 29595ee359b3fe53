namespace VpnAppliance.Tcp.Tests;

/// <summary>Two real stacks against each other: simultaneous open and close, corruption, a peer restart.</summary>
public class TwoStackTests
{
    private static readonly TcpSettings Fast = new()
    {
        InitialRtoMs = 200, MinimumRtoMs = 50, MaximumRetransmissions = 30, TimeWaitMs = 2_000, PersistInitialMs = 200,
    };

    private sealed class Pair
    {
        public readonly LossyNetwork Net = new(5);
        public TcpStack A;
        public TcpStack B;

        public Pair()
        {
            A = new TcpStack(4, 4096, Peer.Secret(1), Net, Fast);
            B = new TcpStack(4, 4096, Peer.Secret(2), Net, Fast);
            Net.A = A;
            Net.B = B;
            Net.Now = 1_000;
        }

        /// <summary>Advances virtual time event by event until <paramref name="until"/> holds (bounded).</summary>
        public bool RunUntil(Func<bool> until, int maxSteps = 100_000)
        {
            for (int i = 0; i < maxSteps; i++)
            {
                if (until())
                {
                    return true;
                }

                long next = Math.Min(Net.NextDelivery, Math.Min(A.NextDeadline, B.NextDeadline));
                if (next == long.MaxValue)
                {
                    return until();
                }

                Net.Now = Math.Max(Net.Now, next);
                Net.DeliverDue();
                A.Poll(Net.Now);
                B.Poll(Net.Now);
            }

            return false;
        }
    }

    [Fact]
    public void SimultaneousOpenAndSimultaneousCloseBetweenTwoStacks()
    {
        var p = new Pair();
        Assert.Equal(TcpResult.Ok, p.A.Connect(p.Net.AddressA, 179, p.Net.AddressB, 179, p.Net.Now, out int a));
        Assert.Equal(TcpResult.Ok, p.B.Connect(p.Net.AddressB, 179, p.Net.AddressA, 179, p.Net.Now, out int b));
        Assert.True(p.RunUntil(() => p.A.State(a) == TcpState.Established && p.B.State(b) == TcpState.Established));
        Assert.True((p.A.TakeEvents(a) & TcpEvent.Connected) != 0);

        Assert.Equal(3, p.A.Send(a, new byte[] { 1, 2, 3 }, 0, 3));
        Assert.True(p.RunUntil(() => p.B.Available(b) == 3));

        // Both close at the same instant: FIN-WAIT-1 -> CLOSING -> TIME-WAIT on both sides (RFC 9293 Figure 13).
        p.A.Close(a);
        p.B.Close(b);
        Assert.True(p.RunUntil(() => p.A.State(a) == TcpState.TimeWait && p.B.State(b) == TcpState.TimeWait));
        Assert.True(p.RunUntil(() => p.A.InUse == 0 && p.B.InUse == 1)); // B keeps the unread 3 bytes
        Assert.Equal(3, p.B.Receive(b, new byte[8], 0, 8));
        Assert.Equal(-(int)TcpResult.EndOfStream, p.B.Receive(b, new byte[8], 0, 8));
    }

    [Fact]
    public void CorruptedSegmentsAreDroppedByTheChecksumAndRepaired()
    {
        var h = new TransferHarness(41, 300_000, 8192, Fast);
        h.Net.Corrupt = 0.05;
        Assert.True(h.Run(1_000_000));
        Assert.Equal(0, h.Mismatches);
        Assert.True(h.Net.Corrupted > 0);
        Assert.True(h.Client.Counters.BadChecksum + h.Server.Counters.BadChecksum + h.Client.Counters.Malformed + h.Server.Counters.Malformed > 0);
    }

    [Fact]
    public void PeerRestartResetsTheSurvivor()
    {
        var p = new Pair();
        p.B.Listen(0, 179, out int listener);
        p.A.Connect(p.Net.AddressA, 0, p.Net.AddressB, 179, p.Net.Now, out int a);
        Assert.True(p.RunUntil(() => p.A.State(a) == TcpState.Established));

        // B reboots: a new stack with no memory of the connection.
        p.B = new TcpStack(4, 4096, Peer.Secret(3), p.Net, Fast);
        p.Net.B = p.B;
        p.B.Listen(0, 179, out _);
        p.A.Send(a, new byte[10], 0, 10);
        Assert.True(p.RunUntil(() => p.A.State(a) == TcpState.Closed));
        Assert.Equal(TcpResult.ConnectionReset, p.A.EndReason(a));
        Assert.True((p.A.TakeEvents(a) & TcpEvent.Reset) != 0);
    }
}
