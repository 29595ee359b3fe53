using System;
using VpnAppliance.Hal.Doubles;
using VpnAppliance.Hal.Host;
using VpnAppliance.Hal.Sim;

namespace VpnAppliance.Hal.Tests;

/// <summary>
/// IUdpPort contract, run against the simulator's in-memory port and the OS socket (loopback
/// 127.0.0.1 only). <see cref="Deliver"/> lets datagrams in flight arrive (bounded wait).
/// </summary>
public abstract class UdpPortContractTests : IDisposable
{
    protected const uint Loopback = 0x7F000001;

    protected abstract IUdpPort CreatePort();

    /// <summary>Waits (bounded) until <paramref name="port"/> has a datagram or gives up.</summary>
    protected abstract void Deliver(IUdpPort port);

    public virtual void Dispose()
    {
    }

    private IUdpPort Bound()
    {
        IUdpPort p = CreatePort();
        Assert.Equal(PortResult.Ok, p.Bind(Loopback, 0));
        return p;
    }

    private static UdpEndpoint EndpointOf(IUdpPort p)
    {
        var e = new UdpEndpoint();
        p.GetLocalEndpoint(e);
        return new UdpEndpoint(Loopback, e.Port);
    }

    [Fact]
    public void EphemeralBindResolvesAPort()
    {
        IUdpPort p = Bound();
        var e = new UdpEndpoint();
        p.GetLocalEndpoint(e);
        Assert.InRange(e.Port, 1, 65535);
        p.Close();
    }

    [Fact]
    public void RoundTripCarriesBytesAndSource()
    {
        IUdpPort a = Bound(), b = Bound();
        byte[] msg = { 1, 2, 3, 4, 5 };
        Assert.False(b.DataAvailable);
        Assert.Equal(PortResult.Ok, a.SendTo(msg, 0, msg.Length, EndpointOf(b)));
        Deliver(b);
        Assert.True(b.DataAvailable);
        byte[] rx = new byte[100];
        var src = new UdpEndpoint();
        Assert.Equal(5, b.ReceiveFrom(rx, 10, 90, src));
        Assert.Equal(msg, rx.AsSpan(10, 5).ToArray());
        Assert.Equal(Loopback, src.Address);
        Assert.Equal(EndpointOf(a).Port, src.Port);
        Assert.False(b.DataAvailable);
        Assert.Equal(-1, b.ReceiveFrom(rx, 0, 100, src));
        a.Close();
        b.Close();
    }

    [Fact]
    public void EmptyDatagramIsLengthZero()
    {
        IUdpPort a = Bound(), b = Bound();
        Assert.Equal(PortResult.Ok, a.SendTo(new byte[1], 0, 0, EndpointOf(b)));
        Deliver(b);
        Assert.True(b.DataAvailable);
        Assert.Equal(0, b.ReceiveFrom(new byte[10], 0, 10, new UdpEndpoint()));
        a.Close();
        b.Close();
    }

    [Fact]
    public void LongDatagramIsTruncatedToTheBuffer()
    {
        IUdpPort a = Bound(), b = Bound();
        byte[] msg = new byte[300];
        for (int i = 0; i < msg.Length; i++)
        {
            msg[i] = (byte)i;
        }

        Assert.Equal(PortResult.Ok, a.SendTo(msg, 0, msg.Length, EndpointOf(b)));
        Deliver(b);
        byte[] rx = new byte[100];
        Assert.Equal(100, b.ReceiveFrom(rx, 0, 100, new UdpEndpoint()));
        Assert.Equal(msg.AsSpan(0, 100).ToArray(), rx);
        Assert.False(b.DataAvailable);
        a.Close();
        b.Close();
    }

    [Fact]
    public void BindRules()
    {
        IUdpPort a = Bound();
        Assert.Equal(PortResult.Invalid, a.Bind(Loopback, 0));
        IUdpPort b = CreatePort();
        Assert.Equal(PortResult.AddressInUse, b.Bind(Loopback, EndpointOf(a).Port));
        Assert.Equal(PortResult.Invalid, b.Bind(Loopback, 70000));
        a.Close();
        b.Close();
    }

    [Fact]
    public void UnboundAndClosedPortsRefuse()
    {
        IUdpPort target = Bound();
        IUdpPort p = CreatePort();
        byte[] buf = new byte[8];
        Assert.Equal(PortResult.Closed, p.SendTo(buf, 0, 8, EndpointOf(target)));
        Assert.Equal(-1, p.ReceiveFrom(buf, 0, 8, new UdpEndpoint()));
        Assert.False(p.DataAvailable);
        Assert.Equal(PortResult.Ok, p.Bind(Loopback, 0));
        p.Close();
        Assert.Equal(PortResult.Closed, p.SendTo(buf, 0, 8, EndpointOf(target)));
        Assert.Equal(-1, p.ReceiveFrom(buf, 0, 8, new UdpEndpoint()));
        Assert.False(p.DataAvailable);
        Assert.Equal(PortResult.Closed, p.Bind(Loopback, 0));
        p.Close(); // twice is harmless
        target.Close();
    }

    [Fact]
    public void BadArgumentsAreInvalidNotExceptions()
    {
        IUdpPort a = Bound();
        byte[] buf = new byte[8];
        UdpEndpoint to = EndpointOf(a);
        Assert.Equal(PortResult.Invalid, a.SendTo(buf, 4, 5, to));
        Assert.Equal(PortResult.Invalid, a.SendTo(buf, 0, 8, new UdpEndpoint(Loopback, 0)));
        Assert.Equal(PortResult.Invalid, a.SendTo(null, 0, 0, to));
        Assert.Equal(-1, a.ReceiveFrom(buf, 6, 5, new UdpEndpoint()));
        a.Close();
    }

    [Fact]
    public void SteadyStateSendReceiveDoesNotAllocate()
    {
        IUdpPort a = Bound(), b = Bound();
        UdpEndpoint to = EndpointOf(b);
        var src = new UdpEndpoint();
        byte[] tx = new byte[200], rx = new byte[256];
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(PortResult.Ok, a.SendTo(tx, 0, tx.Length, to));
            Deliver(b);
            Assert.Equal(200, b.ReceiveFrom(rx, 0, rx.Length, src));
        }

        long allocated = 0;
        for (int i = 0; i < 100; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            a.SendTo(tx, 0, tx.Length, to);
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            Deliver(b);
            before = GC.GetAllocatedBytesForCurrentThread();
            bool ready = b.DataAvailable;
            int n = b.ReceiveFrom(rx, 0, rx.Length, src);
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(ready);
            Assert.Equal(200, n);
        }

        Assert.Equal(0, allocated);
        a.Close();
        b.Close();
    }
}

/// <summary>The simulator's <see cref="MemoryUdpPort"/> on a UdpNetwork host at 127.0.0.1.</summary>
public sealed class MemoryUdpPortContractTests : UdpPortContractTests
{
    private readonly Simulation _sim = new Simulation(1);
    private readonly UdpHost _host;

    public MemoryUdpPortContractTests()
    {
        _host = _sim.AddUdpNetwork("wan").AddHost("lo", Loopback, latencyMs: 1);
    }

    protected override IUdpPort CreatePort() => _host.CreatePort(rxCapacity: 8, txCapacity: 8, maxDatagramLength: 1500);

    protected override void Deliver(IUdpPort port) => _sim.RunFor(10);

    [Fact]
    public void StandalonePortWithoutRegistryRoundTrip()
    {
        var p = new MemoryUdpPort(2, 2, 100, null);
        Assert.Equal(PortResult.Ok, p.Bind(0, 0));
        var ep = new UdpEndpoint();
        p.GetLocalEndpoint(ep);
        Assert.Equal(MemoryUdpPort.FirstEphemeralPort, ep.Port);
        byte[] buf = { 9, 8, 7 };
        Assert.True(p.Inject(buf, 0, 3, 0xC6120001, 500));
        Assert.True(p.Inject(buf, 0, 3, 0xC6120001, 500));
        Assert.False(p.Inject(buf, 0, 3, 0xC6120001, 500));
        Assert.Equal(1, p.RxDroppedFull);
        Assert.False(p.Inject(new byte[101], 0, 101, 1, 1));
        Assert.Equal(PortResult.Ok, p.SendTo(buf, 0, 3, new UdpEndpoint(0xC6120002, 4500)));
        Assert.Equal(PortResult.Ok, p.SendTo(buf, 0, 3, new UdpEndpoint(0xC6120002, 4500)));
        Assert.Equal(PortResult.Busy, p.SendTo(buf, 0, 3, new UdpEndpoint(0xC6120002, 4500)));
        Assert.Equal(PortResult.TooLarge, p.SendTo(new byte[101], 0, 101, new UdpEndpoint(0xC6120002, 4500)));
        var dst = new UdpEndpoint();
        Assert.Equal(3, p.TakeSent(new byte[10], 0, 10, dst));
        Assert.Equal("198.18.0.2:4500", dst.ToString());
        Assert.Equal(1, p.TxDroppedFull);
        Assert.Equal(1, p.TxDroppedTooLarge);
    }
}

/// <summary>The OS socket on loopback.</summary>
public sealed class UdpSocketPortContractTests : UdpPortContractTests
{
    protected override IUdpPort CreatePort() => new UdpSocketPort();

    protected override void Deliver(IUdpPort port)
    {
        var list = new[] { (UdpSocketPort)port };
        for (int i = 0; i < 50 && !port.DataAvailable; i++)
        {
            UdpSocketPort.WaitReadable(list, 100);
        }
    }

    [Fact]
    public void WaitReadableTimesOutWhenIdleAndWakesOnData()
    {
        using var a = new UdpSocketPort();
        using var b = new UdpSocketPort();
        Assert.Equal(PortResult.Ok, a.Bind(Loopback, 0));
        Assert.Equal(PortResult.Ok, b.Bind(Loopback, 0));
        var ports = new[] { a, b };
        Assert.Equal(0, UdpSocketPort.WaitReadable(ports, 0));
        var ep = new UdpEndpoint();
        b.GetLocalEndpoint(ep);
        Assert.Equal(Loopback, ep.Address);
        Assert.Equal(PortResult.Ok, a.SendTo(new byte[] { 1 }, 0, 1, ep));
        Assert.Equal(1, UdpSocketPort.WaitReadable(ports, 5000));
        Assert.Equal(0, UdpSocketPort.WaitReadable(System.Array.Empty<UdpSocketPort>(), 0));
    }
}
