using System;
using VpnAppliance.Hal.Doubles;

namespace VpnAppliance.Hal.Tests;

/// <summary>INetPort behaviour of the in-memory port (the only implementation in this folder's scope).</summary>
public sealed class MemoryNetPortTests
{
    private static MemoryNetPort Port(int rx = 2, int tx = 2) =>
        new MemoryNetPort(new byte[] { 2, 0, 0, 0, 0, 1 }, 0, rx, tx, 1514);

    [Fact]
    public void MacAndLimits()
    {
        INetPort p = Port();
        byte[] mac = new byte[8];
        p.GetMacAddress(mac, 1);
        Assert.Equal(new byte[] { 0, 2, 0, 0, 0, 0, 1, 0 }, mac);
        Assert.Equal(1514, p.MaxFrameLength);
        Assert.True(p.LinkUp);
    }

    [Fact]
    public void ReceiveInOrderAndDropTooLongForTheBuffer()
    {
        MemoryNetPort p = Port(rx: 3);
        Assert.True(p.Inject(new byte[100], 0, 100));
        Assert.True(p.Inject(new byte[] { 7, 7, 7 }, 0, 3));
        Assert.True(p.Inject(new byte[] { 8 }, 0, 1));
        Assert.False(p.Inject(new byte[] { 9 }, 0, 1));
        Assert.Equal(1, p.RxDroppedFull);
        Assert.False(p.Inject(new byte[1515], 0, 1515));
        Assert.Equal(1, p.RxDroppedTooLarge);

        byte[] buf = new byte[50];
        // The 100-byte frame does not fit: dropped and counted, the next one is returned.
        Assert.Equal(3, p.Receive(buf, 0, 50));
        Assert.Equal(1, p.RxDroppedBufferTooSmall);
        Assert.Equal(1, p.Receive(buf, 0, 50));
        Assert.Equal(8, buf[0]);
        Assert.Equal(0, p.Receive(buf, 0, 50));
    }

    [Fact]
    public void SendResults()
    {
        MemoryNetPort p = Port(tx: 1);
        byte[] f = new byte[60];
        Assert.Equal(PortResult.Ok, p.Send(f, 0, 60));
        Assert.Equal(PortResult.Busy, p.Send(f, 0, 60));
        Assert.Equal(PortResult.TooLarge, p.Send(new byte[1515], 0, 1515));
        Assert.Equal(PortResult.Invalid, p.Send(f, 10, 60));
        Assert.Equal(PortResult.Invalid, p.Send(f, 0, 0));
        Assert.Equal(60, p.TakeSent(new byte[1514], 0, 1514));
        Assert.Equal(-1, p.TakeSent(new byte[1514], 0, 1514));
        p.SetLinkUp(false);
        Assert.False(p.LinkUp);
        Assert.Equal(PortResult.LinkDown, p.Send(f, 0, 60));
        Assert.False(p.Inject(f, 0, 60));
        Assert.Equal(1, p.RxDroppedLinkDown);
        Assert.Equal(1, p.TxDroppedFull);
        Assert.Equal(1, p.TxDroppedTooLarge);
    }

    [Fact]
    public void SendCopiesTheFrame()
    {
        MemoryNetPort p = Port();
        byte[] f = { 1, 2, 3 };
        p.Send(f, 0, 3);
        f[0] = 99;
        byte[] got = new byte[3];
        p.TakeSent(got, 0, 3);
        Assert.Equal(1, got[0]);
    }

    [Fact]
    public void SteadyStateDoesNotAllocate()
    {
        MemoryNetPort p = Port(rx: 4, tx: 4);
        byte[] frame = new byte[1514], rx = new byte[1514];
        for (int i = 0; i < 10; i++)
        {
            p.Send(frame, 0, 1514);
            p.TakeSent(rx, 0, rx.Length);
            p.Inject(frame, 0, 1514);
            p.Receive(rx, 0, rx.Length);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            p.Send(frame, 0, 60 + i % 1000);
            p.TakeSent(rx, 0, rx.Length);
            p.Inject(frame, 0, 1514);
            p.Receive(rx, 0, rx.Length);
            p.Send(frame, 0, 1514);
            p.Send(frame, 0, 1514);
            p.Send(frame, 0, 1514);
            p.Send(frame, 0, 1514);
            p.Send(frame, 0, 1514); // Busy, counted
            while (p.TakeSent(rx, 0, rx.Length) >= 0)
            {
            }
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}

public sealed class MemoryUdpPortAllocationTests
{
    [Fact]
    public void SteadyStateDoesNotAllocate()
    {
        var p = new MemoryUdpPort(4, 4, 1500, null);
        Assert.Equal(PortResult.Ok, p.Bind(0, 4500));
        var to = new UdpEndpoint(0xC6120002, 4500);
        var src = new UdpEndpoint();
        byte[] d = new byte[1500], rx = new byte[1500];
        for (int i = 0; i < 10; i++)
        {
            p.SendTo(d, 0, 100, to);
            p.TakeSent(rx, 0, rx.Length, src);
            p.Inject(d, 0, 100, 0xC6120002, 4500);
            p.ReceiveFrom(rx, 0, rx.Length, src);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            p.SendTo(d, 0, 1 + i % 1500, to);
            p.TakeSent(rx, 0, rx.Length, src);
            p.Inject(d, 0, 1500, 0xC6120002, 4500);
            _ = p.DataAvailable;
            p.ReceiveFrom(rx, 0, 64, src); // truncated
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1010, p.RxDatagrams);
        Assert.True(p.RxTruncated >= 1000);
    }
}
