namespace VpnAppliance.Tcp.Tests;

/// <summary>
/// Steady state allocates nothing (DESIGN.md §2 rule 3): bulk transfer with timers, retransmissions,
/// out-of-order reassembly, window updates and probes, measured with GC.GetAllocatedBytesForCurrentThread.
/// The network double and the harness are allocation-free per step too.
/// </summary>
public class AllocationTests
{
    private static TcpSettings Settings() => new()
    {
        InitialRtoMs = 200, MinimumRtoMs = 50, MaximumRetransmissions = 30, TimeWaitMs = 2_000, PersistInitialMs = 200,
    };

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.05)]
    public void TransferAllocatesNothingAfterWarmUp(double loss)
    {
        var h = new TransferHarness(3, 4 << 20, 8192, Settings());
        h.Net.Loss = loss;
        h.Net.Duplicate = loss;
        h.Net.Reorder = loss * 2;
        Assert.False(h.Run(600));           // handshake and the first ~100 KB: JIT, first timers
        Assert.True(h.ReceivedByServer > 0);

        long before = GC.GetAllocatedBytesForCurrentThread();
        bool done = h.Run(3_000_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(done);
        Assert.Equal(0, h.Mismatches);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void ConnectTransferCloseCyclesAllocateNothing()
    {
        // A warmed-up stack pair: opening, using and closing connections again and again reuses the pool.
        var net = new LossyNetwork(9);
        var s = Settings();
        var client = new TcpStack(2, 4096, Peer.Secret(1), net, s);
        var server = new TcpStack(3, 4096, Peer.Secret(2), net, s);
        net.A = client;
        net.B = server;
        net.Now = 1_000;
        server.Listen(0, 179, out int listener);
        var buffer = new byte[512];

        int failures = 0;

        // No xunit asserts inside: they allocate. Failures are counted and asserted after the measurement.
        void Cycle()
        {
            if (client.Connect(net.AddressA, 0, net.AddressB, 179, net.Now, out int c) != TcpResult.Ok)
            {
                failures++;
                return;
            }

            int srv = -1;
            int got = 0;
            for (int step = 0; step < 10_000; step++)
            {
                if (srv < 0 && server.Accept(listener, out int a) == TcpResult.Ok)
                {
                    srv = a;
                    server.Send(srv, buffer, 0, buffer.Length);
                    server.Close(srv);
                }

                if (client.State(c) == TcpState.Established || client.State(c) == TcpState.CloseWait)
                {
                    int n = client.Receive(c, buffer, 0, buffer.Length);
                    if (n > 0)
                    {
                        got += n;
                    }
                    else if (n == -(int)TcpResult.EndOfStream)
                    {
                        client.Close(c);
                    }
                }

                if (client.InUse == 0 && server.InUse == 1)
                {
                    break;
                }

                long next = Math.Min(net.NextDelivery, Math.Min(client.NextDeadline, server.NextDeadline));
                if (next == long.MaxValue)
                {
                    break;
                }

                net.Now = Math.Max(net.Now, next);
                net.DeliverDue();
                client.Poll(net.Now);
                server.Poll(net.Now);
            }

            if (got != buffer.Length || client.InUse != 0)
            {
                failures++;
            }
        }

        Cycle();
        Cycle();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            Cycle();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, failures);
        Assert.Equal(0, allocated);
    }
}
