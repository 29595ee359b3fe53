using System.Diagnostics;
using VpnAppliance.Hal;
using Xunit.Abstractions;
using VpnAppliance.Hal.Host;
using static VpnAppliance.HostNet.Tests.TapTestKit;

namespace VpnAppliance.HostNet.Tests;

/// <summary>
/// TapPort against the Linux kernel: the kernel side of the TAP is a LAN host inside a namespace
/// created by the test; frames are built and checked by hand (<see cref="LanFrames"/>).
/// </summary>
public sealed class TapPortTests
{
    private readonly ITestOutputHelper _output;

    public TapPortTests(ITestOutputHelper output) => _output = output;

    [RootFact]
    public void ArpRequestThroughATapMovedIntoANamespaceIsAnsweredByTheKernel()
    {
        using var lab = new NetnsLab();
        string ns = lab.CreateNamespace();
        string dev = lab.NewDeviceName();
        lab.TrackRootDevice(dev);
        using TapPort port = TapPort.Open(dev);

        // Created in this namespace, then moved: the descriptor keeps working.
        lab.Ip("link", "set", "dev", dev, "netns", ns);
        BringUp(lab, ns, dev);

        byte[] mac = Mac(port);
        byte[] kernelMac = KernelMac(port);
        Assert.False(LanFrames.MacEquals(mac, 0, kernelMac), "the appliance's MAC differs from the kernel interface's");
        Assert.Equal(0, mac[0] & 0x01); // unicast
        Assert.Equal(0x02, mac[0] & 0x02); // locally administered

        // The flags are not visible from the opening namespace any more: LinkUp falls back to "open".
        Assert.False(port.InterfaceFlagsVisible);
        Assert.True(port.LinkUp);

        var frame = new byte[port.MaxFrameLength];
        int len = LanFrames.WriteArpRequest(frame, mac, OurIp, KernelIp);
        Assert.Equal(PortResult.Ok, port.Send(frame, 0, len));

        var rx = new byte[2048];
        int n = ReceiveUntil(port, rx, (f, l) => LanFrames.IsArp(f, l, LanFrames.ArpReply));
        Assert.True(n >= LanFrames.ArpFrameLength, "no ARP reply from the kernel");
        Assert.True(LanFrames.MacEquals(rx, 0, mac), "reply is addressed to our MAC");
        Assert.True(LanFrames.MacEquals(rx, 6, kernelMac), "reply comes from the kernel interface's MAC");
        Assert.True(LanFrames.MacEquals(rx, 22, kernelMac), "sender hardware address = kernel MAC");
        Assert.Equal(KernelIp, LanFrames.ArpSenderIp(rx));
        Assert.True(LanFrames.MacEquals(rx, 32, mac), "target hardware address = our MAC");
        Assert.Equal(OurIp, LanFrames.ArpTargetIp(rx));
        Assert.Equal(1, port.TxFrames);
        Assert.True(port.RxFrames >= 1);
    }

    [RootFact]
    public void IcmpEchoRequestIsAnsweredByTheKernel()
    {
        using var lab = new NetnsLab();
        using TapPort port = OpenInNewNamespace(lab, out _);
        byte[] mac = Mac(port);
        byte[] kernelMac = KernelMac(port);

        var payload = new byte[56];
        for (int i = 0; i < payload.Length; i++)
        {
            payload[i] = (byte)(0x10 + i);
        }

        var frame = new byte[port.MaxFrameLength];
        int len = LanFrames.WriteIcmpEcho(frame, LanFrames.IcmpEchoRequest, mac, kernelMac, OurIp, KernelIp, 0x4242, 7, payload, 0, payload.Length);
        Assert.Equal(14 + 20 + 8 + 56, len);
        Assert.True(LanFrames.IsIcmpEcho(frame, len, LanFrames.IcmpEchoRequest), "our own frame has valid checksums");
        Assert.Equal(PortResult.Ok, port.Send(frame, 0, len));

        // The kernel first resolves 198.18.1.2 with ARP (answered by ReceiveUntil), then replies.
        var rx = new byte[2048];
        int n = ReceiveUntil(port, rx, (f, l) => LanFrames.IsIcmpEcho(f, l, LanFrames.IcmpEchoReply), answerArpFor: OurIp);
        Assert.True(n > 0, "no ICMP echo reply from the kernel");
        Assert.True(LanFrames.MacEquals(rx, 0, mac));
        Assert.True(LanFrames.MacEquals(rx, 6, kernelMac));
        Assert.Equal(KernelIp, LanFrames.IpSource(rx));
        Assert.Equal(OurIp, LanFrames.IpDestination(rx));
        Assert.Equal(0x4242, LanFrames.IcmpId(rx));
        Assert.Equal(7, LanFrames.IcmpSeq(rx));
        Assert.Equal(56, LanFrames.IcmpPayloadLength(rx));
        Assert.True(rx.AsSpan(42, 56).SequenceEqual(payload), "the echo reply carries our data back");
    }

    [RootFact]
    public void KernelPingArrivesAsArpRequestThenEchoRequestAndOurReplyCompletesIt()
    {
        using var lab = new NetnsLab();
        using TapPort port = OpenInNewNamespace(lab, out string ns);
        byte[] mac = Mac(port);
        byte[] kernelMac = KernelMac(port);

        Process ping = lab.Start("ip", "netns", "exec", ns, "ping", "-n", "-c", "1", "-W", "3", LanFrames.IpText(OurIp));

        // 1. ARP request "who has 198.18.1.2 tell 198.18.1.1", broadcast from the kernel's MAC.
        var rx = new byte[2048];
        int n = ReceiveUntil(port, rx, (f, l) => LanFrames.IsArp(f, l, LanFrames.ArpRequest));
        Assert.True(n >= LanFrames.ArpFrameLength, "no ARP request from the kernel");
        for (int i = 0; i < 6; i++)
        {
            Assert.Equal(0xff, rx[i]);
        }

        Assert.True(LanFrames.MacEquals(rx, 6, kernelMac));
        Assert.Equal(KernelIp, LanFrames.ArpSenderIp(rx));
        Assert.Equal(OurIp, LanFrames.ArpTargetIp(rx));

        // 2. Answer it; the echo request follows, addressed to our MAC.
        var tx = new byte[port.MaxFrameLength];
        int len = LanFrames.WriteArpReply(tx, mac, OurIp, kernelMac, KernelIp);
        Assert.Equal(PortResult.Ok, port.Send(tx, 0, len));
        n = ReceiveUntil(port, rx, (f, l) => LanFrames.IsIcmpEcho(f, l, LanFrames.IcmpEchoRequest));
        Assert.True(n > 0, "no ICMP echo request from the kernel");
        Assert.True(LanFrames.MacEquals(rx, 0, mac));
        Assert.Equal(KernelIp, LanFrames.IpSource(rx));
        Assert.Equal(OurIp, LanFrames.IpDestination(rx));

        // 3. Echo it back: ping sees its reply and exits 0.
        int payloadLength = LanFrames.IcmpPayloadLength(rx);
        len = LanFrames.WriteIcmpEcho(tx, LanFrames.IcmpEchoReply, mac, kernelMac, OurIp, KernelIp,
            LanFrames.IcmpId(rx), LanFrames.IcmpSeq(rx), rx, 42, payloadLength);
        Assert.Equal(PortResult.Ok, port.Send(tx, 0, len));
        Assert.True(WaitExit(ping), "ping did not finish");
        Assert.Equal(0, ping.ExitCode);
    }

    [RootFact]
    public void LinkUpFollowsTheInterfaceFlagsAndSendWhileDownIsLinkDown()
    {
        using var lab = new NetnsLab();
        using TapPort port = OpenInNewNamespace(lab, out string ns, up: false);
        Assert.True(port.InterfaceFlagsVisible);
        Assert.False(port.LinkUp);

        var frame = new byte[64];
        int len = LanFrames.WriteArpRequest(frame, Mac(port), OurIp, KernelIp);
        Assert.Equal(PortResult.LinkDown, port.Send(frame, 0, len));
        Assert.Equal(1, port.TxDroppedLinkDown);

        lab.Ip("-n", ns, "link", "set", "dev", port.Name, "up");
        Assert.True(port.LinkUp);
        Assert.Equal(PortResult.Ok, port.Send(frame, 0, len));

        lab.Ip("-n", ns, "link", "set", "dev", port.Name, "down");
        Assert.False(port.LinkUp);
    }

    [RootFact]
    public void AFrameLongerThanTheCallersBufferIsDroppedAndCounted()
    {
        using var lab = new NetnsLab();
        using TapPort port = OpenInNewNamespace(lab, out _);
        var frame = new byte[64];
        int len = LanFrames.WriteArpRequest(frame, Mac(port), OurIp, KernelIp);
        var set = new PollSet(1);
        set.Add(port);

        Assert.Equal(PortResult.Ok, port.Send(frame, 0, len));
        Assert.True(set.Wait(TimeoutMs) > 0, "no reply");
        var small = new byte[20];
        Assert.Equal(0, port.Receive(small, 0, small.Length));
        Assert.Equal(1, port.RxDroppedTooLarge);
        Assert.Equal(0, port.RxFrames);

        // The next reply is delivered whole into a large enough buffer (at an offset).
        Assert.Equal(PortResult.Ok, port.Send(frame, 0, len));
        var rx = new byte[2048];
        int n = ReceiveUntil(port, rx, (f, l) => LanFrames.IsArp(f, l, LanFrames.ArpReply));
        Assert.Equal(LanFrames.ArpFrameLength, n);
        Assert.Equal(1, port.RxFrames);
    }

    [RootFact]
    public void SendChecksArgumentsAndADisposedPortIsClosed()
    {
        using var lab = new NetnsLab();
        TapPort port = OpenInNewNamespace(lab, out _);
        var frame = new byte[port.MaxFrameLength + 1];
        Assert.Equal(PortResult.Invalid, port.Send(null!, 0, 14));
        Assert.Equal(PortResult.Invalid, port.Send(frame, -1, 14));
        Assert.Equal(PortResult.Invalid, port.Send(frame, frame.Length - 10, 14));
        Assert.Equal(PortResult.Invalid, port.Send(frame, 0, 13));
        Assert.Equal(PortResult.TooLarge, port.Send(frame, 0, port.MaxFrameLength + 1));
        Assert.Equal(0, port.Receive(frame, 0, frame.Length));
        Assert.Equal(0, port.Receive(frame, frame.Length, 1));

        port.Dispose();
        Assert.Equal(-1, port.Fd);
        Assert.False(port.LinkUp);
        Assert.Equal(PortResult.Closed, port.Send(frame, 0, 60));
        Assert.Equal(0, port.Receive(frame, 0, frame.Length));
        Assert.False(port.GetKernelMacAddress(new byte[6], 0));
        port.Dispose();
    }

    [RootFact]
    public void OpenAttachesToAPersistentDeviceWhichOutlivesThePortAndRefusesATunDevice()
    {
        using var lab = new NetnsLab();
        string ns = lab.CreateNamespace();
        string tap = lab.NewDeviceName();
        string tun = lab.NewDeviceName();
        lab.Ip("-n", ns, "tuntap", "add", "dev", tap, "mode", "tap");
        lab.Ip("-n", ns, "tuntap", "add", "dev", tun, "mode", "tun");

        using (TapPort port = TapPort.Open(tap, ns))
        {
            Assert.Equal(tap, port.Name);
            BringUp(lab, ns, tap);
            Assert.True(port.LinkUp);
            var frame = new byte[64];
            int len = LanFrames.WriteArpRequest(frame, Mac(port), OurIp, KernelIp);
            Assert.Equal(PortResult.Ok, port.Send(frame, 0, len));
            var rx = new byte[2048];
            Assert.True(ReceiveUntil(port, rx, (f, l) => LanFrames.IsArp(f, l, LanFrames.ArpReply)) > 0, "no ARP reply");
        }

        // Persistent: still there after the port closed (the namespace's deletion removes it).
        lab.Ip("-n", ns, "link", "show", "dev", tap);

        var e = Assert.Throws<IOException>(() => TapPort.Open(tun, ns));
        Assert.Contains("TUNSETIFF", e.Message);
        Assert.Contains("errno 22", e.Message);
        var missing = Assert.Throws<IOException>(() => TapPort.Open(tap, ns + "-missing"));
        Assert.Contains("errno 2", missing.Message);
    }

    [RootFact]
    public void ADeletedDeviceReportsAnErrorToTheWaiterAndSendIsLinkDown()
    {
        using var lab = new NetnsLab();
        using TapPort port = OpenInNewNamespace(lab, out string ns);
        var set = new PollSet(1);
        int index = set.Add(port);
        Assert.Equal(0, set.Wait(0));

        lab.Ip("-n", ns, "link", "del", "dev", port.Name);
        Assert.Equal(1, set.Wait(TimeoutMs));
        Assert.True(set.HasError(index));
        Assert.False(port.LinkUp);
        var frame = new byte[64];
        int len = LanFrames.WriteArpRequest(frame, Mac(port), OurIp, KernelIp);
        Assert.Equal(PortResult.LinkDown, port.Send(frame, 0, len));
        Assert.Equal(0, port.Receive(frame, 0, frame.Length));
    }

    [RootFact]
    public void SendAndReceiveAllocateNothingAfterWarmUp()
    {
        using var lab = new NetnsLab();
        using TapPort port = OpenInNewNamespace(lab, out _);
        var set = new PollSet(1);
        set.Add(port);
        var tx = new byte[port.MaxFrameLength];
        var rx = new byte[port.MaxFrameLength];
        int len = LanFrames.WriteArpRequest(tx, Mac(port), OurIp, KernelIp);

        const int warmUp = 5;
        const int rounds = 200;
        int replies = 0;
        long before = 0;
        long started = 0;
        for (int i = 0; i < warmUp + rounds; i++)
        {
            if (i == warmUp)
            {
                before = GC.GetAllocatedBytesForCurrentThread();
                started = Stopwatch.GetTimestamp();
            }

            if (port.Send(tx, 0, len) != PortResult.Ok || !port.LinkUp)
            {
                break;
            }

            // Bounded: at most 20 waits of 250 ms for this round's reply.
            for (int w = 0; w < 20; w++)
            {
                int n = port.Receive(rx, 0, rx.Length);
                if (n > 0)
                {
                    if (LanFrames.IsArp(rx, n, LanFrames.ArpReply))
                    {
                        replies++;
                        break;
                    }

                    continue;
                }

                set.Wait(250);
            }
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        double elapsedMs = (Stopwatch.GetTimestamp() - started) * 1000.0 / Stopwatch.Frequency;

        // A figure for the report only (never asserted): ARP request out, kernel reply in, via poll(2).
        _output.WriteLine($"{rounds} ARP round trips through the TAP in {elapsedMs:F1} ms ({rounds * 1000.0 / elapsedMs:F0}/s), {allocated} bytes allocated");
        Assert.Equal(warmUp + rounds, replies);
        Assert.Equal(0, allocated);
    }
}
