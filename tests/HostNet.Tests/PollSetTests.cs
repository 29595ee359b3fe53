using System.Net;
using System.Net.Sockets;
using VpnAppliance.Hal;
using VpnAppliance.Hal.Host;
using static VpnAppliance.HostNet.Tests.TapTestKit;

namespace VpnAppliance.HostNet.Tests;

/// <summary>
/// PollSet: one poll(2) over a TAP port and a UDP socket (loopback). Waits are bounded; nothing
/// asserts on how long a wait took.
/// </summary>
public sealed class PollSetTests
{
    [RootFact]
    public void WaitReportsWhichOfTapAndUdpIsReadableAndTimesOutWhenNothingWaits()
    {
        using var lab = new NetnsLab();
        using TapPort port = OpenInNewNamespace(lab, out _);
        using var udp = new UdpSocketPort();
        Assert.Equal(PortResult.Ok, udp.Bind(LanFrames.Ip(127, 0, 0, 1), 0));
        var local = new UdpEndpoint();
        udp.GetLocalEndpoint(local);

        var set = new PollSet(4);
        int tapIndex = set.Add(port);
        int udpIndex = set.Add(udp);
        Assert.Equal(0, tapIndex);
        Assert.Equal(1, udpIndex);

        // Nothing waiting: times out with no entry readable.
        Assert.Equal(0, set.Wait(50));
        Assert.False(set.IsReadable(tapIndex));
        Assert.False(set.IsReadable(udpIndex));

        // A datagram on the UDP socket (loopback) wakes the wait; the TAP stays quiet.
        using (var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            sender.SendTo(new byte[] { 1, 2, 3 }, new IPEndPoint(IPAddress.Loopback, local.Port));
        }

        Assert.Equal(1, set.Wait(TimeoutMs));
        Assert.True(set.IsReadable(udpIndex));
        Assert.False(set.IsReadable(tapIndex));
        Assert.False(set.HasError(udpIndex));
        var buf = new byte[2048];
        Assert.Equal(3, udp.ReceiveFrom(buf, 0, buf.Length, new UdpEndpoint()));

        // A frame on the TAP (the kernel's ARP reply) wakes the wait; the socket is drained.
        int len = LanFrames.WriteArpRequest(buf, Mac(port), OurIp, KernelIp);
        Assert.Equal(PortResult.Ok, port.Send(buf, 0, len));
        Assert.Equal(1, set.Wait(TimeoutMs));
        Assert.True(set.IsReadable(tapIndex));
        Assert.False(set.IsReadable(udpIndex));
        Assert.True(port.Receive(buf, 0, buf.Length) > 0);

        // Drained again: a zero-timeout look finds nothing.
        Assert.Equal(0, port.Receive(buf, 0, buf.Length));
        Assert.Equal(0, set.Wait(0));
    }

    [RootFact]
    public void StaticWaitReadableCoversTapAndUdpListsAndSkipsClosedPorts()
    {
        using var lab = new NetnsLab();
        TapPort port = OpenInNewNamespace(lab, out _);
        var udp = new UdpSocketPort();
        Assert.Equal(PortResult.Ok, udp.Bind(LanFrames.Ip(127, 0, 0, 1), 0));
        var taps = new[] { port };
        var udps = new[] { udp };
        Assert.Equal(0, PollSet.WaitReadable(taps, udps, 20));

        var buf = new byte[64];
        int len = LanFrames.WriteArpRequest(buf, Mac(port), OurIp, KernelIp);
        Assert.Equal(PortResult.Ok, port.Send(buf, 0, len));
        Assert.Equal(1, PollSet.WaitReadable(taps, udps, TimeoutMs));

        // Closed ports are not watched (their descriptors may be reused): the wait just times out.
        port.Dispose();
        udp.Dispose();
        Assert.Equal(0, PollSet.WaitReadable(taps, udps, 20));
        Assert.Equal(0, PollSet.WaitReadable(null!, null!, 0));
    }

    [Fact]
    public void AFullSetRefusesEntriesAndAnEmptySetJustTimesOut()
    {
        var set = new PollSet(1);
        Assert.Equal(0, set.Wait(0));
        using var s1 = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        using var s2 = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        Assert.Equal(0, set.Add(s1));
        Assert.Equal(-1, set.Add(s2));
        Assert.Equal(-1, set.Add((TapPort)null!));
        Assert.False(set.IsReadable(5));
        Assert.False(set.HasError(-1));
        set.Clear();
        Assert.Equal(0, set.Count);
        Assert.Equal(0, set.Add(s2));
    }

    [Fact]
    public void OpenRefusesBadNamesBeforeTouchingTheKernel()
    {
        Assert.Throws<ArgumentException>(() => TapPort.Open("a-name-longer-than-15"));
        Assert.Throws<ArgumentException>(() => TapPort.Open("bad name"));
        Assert.Throws<ArgumentException>(() => TapPort.Open("bad/name"));
        Assert.Throws<ArgumentException>(() => TapPort.Open("ok", macAddress: new byte[5]));
        Assert.Throws<ArgumentOutOfRangeException>(() => TapPort.Open("ok", maxFrameLength: 10));
    }
}
